/**
 * The decision guide: the legal test of a reply, asked in the order the 《条例》 applies it — 补正?
 * is it 政府信息? is this agency responsible? does it exist? may it be disclosed (which part)? how
 * is it provided? Each answer either asks the next question or ends at one outcome key (and, where
 * one table 三 row covers two letters, the ground). The labels of the results come from the outcome
 * and ground definitions (`stats/keys.ts`, `schemas/requestEvent.ts`), so no article text is
 * written twice; the reply letter is then built from the outcome like any other.
 */
import { type DecisionGround, decisionGroundLabels, decisionGroundOutcome } from "../schemas/requestEvent.ts";
import { type OutcomeKey, outcomes } from "../stats/keys.ts";

/** The questions, in the order of the legal test. */
export const guideQuestionKeys = [
  "correction",
  "governmentInfo",
  "responsible",
  "exists",
  "disclosable",
  "provide",
] as const;

/** A question of the guide. */
export type GuideQuestionKey = (typeof guideQuestionKeys)[number];

/** Where an answer leads: the next question, an outcome (with its ground), or a step that is not a reply. */
export type GuideNext =
  | { question: GuideQuestionKey }
  | { outcome: OutcomeKey; ground?: DecisionGround }
  | { notReply: string };

/** One answer of a question. */
export interface GuideAnswer {
  key: string;
  label: string;
  next: GuideNext;
  /** Only offered once the applicant has answered a 补正 notice. */
  needsCorrection?: boolean;
}

/** One question with its answers. */
export interface GuideQuestion {
  key: GuideQuestionKey;
  title: string;
  answers: readonly GuideAnswer[];
}

/** An answer that ends at an outcome, labelled with that outcome's row and legal basis. */
function toOutcome(key: string, prefix: string, outcome: OutcomeKey): GuideAnswer {
  return {
    key,
    label: `${prefix}${outcomes[outcome].label.replace(/^\d+\.|^（[一二三四五六]）/, "")}（${outcomes[outcome].legalBasis}）`,
    next: { outcome },
  };
}

/** An answer that ends at a ground, labelled with the ground's own label (which cites its article). */
function toGround(key: string, ground: DecisionGround): GuideAnswer {
  return {
    key,
    label: decisionGroundLabels[ground],
    next: { outcome: decisionGroundOutcome[ground], ground },
  };
}

const withheldKeys = [
  "withheld.stateSecret",
  "withheld.lawProhibited",
  "withheld.securityStability",
  "withheld.thirdParty",
  "withheld.internalAffairs",
  "withheld.processInfo",
  "withheld.enforcementFile",
  "withheld.queryMatter",
] as const satisfies readonly OutcomeKey[];

/** The guide's questions, in order. */
export const guideQuestions: readonly GuideQuestion[] = [
  {
    key: "correction",
    title: "一、申请内容是否明确，需要补正吗？（《条例》第二十九条、第三十条）",
    answers: [
      { key: "clear", label: "申请内容明确，可以办理", next: { question: "governmentInfo" } },
      {
        key: "unclear",
        label: "申请内容不明确，需要补正",
        next: { notReply: "应当自收到申请之日起7个工作日内一次性告知补正（《条例》第三十条），不作出答复" },
      },
      { ...toOutcome("stillUnclear", "", "unable.stillUnclear"), needsCorrection: true },
    ],
  },
  {
    key: "governmentInfo",
    title: "二、所申请的是不是政府信息，属于应当按政府信息公开申请处理的事项吗？（《条例》第二条）",
    answers: [
      { key: "yes", label: "是政府信息", next: { question: "responsible" } },
      toOutcome("complaint", "不是：", "notProcessed.complaint"),
      toOutcome("publication", "不是：", "notProcessed.publication"),
      toOutcome("confirmation", "不是：", "notProcessed.confirmation"),
      toOutcome("duplicate", "不予处理：", "notProcessed.duplicate"),
      toOutcome("excessive", "不予处理：", "notProcessed.excessive"),
    ],
  },
  {
    key: "responsible",
    title: "三、是否由本机关负责公开？（《条例》第十条）",
    answers: [
      { key: "yes", label: "由本机关负责公开", next: { question: "exists" } },
      toGround("no", "notResponsible"),
    ],
  },
  {
    key: "exists",
    title: "四、经检索，该政府信息是否存在？（《条例》第三十六条第（四）项、第三十八条）",
    answers: [
      { key: "yes", label: "存在，本机关现有", next: { question: "disclosable" } },
      toGround("no", "notExist"),
      toOutcome("needsCreation", "", "unable.needsCreation"),
    ],
  },
  {
    key: "disclosable",
    title: "五、能否公开？哪些部分可以公开？（《条例》第十四条至第十六条、第三十七条）",
    answers: [
      { key: "all", label: "可以全部公开", next: { question: "provide" } },
      toOutcome("partial", "", "partial"),
      ...withheldKeys.map((key) => toOutcome(key.split(".")[1] ?? key, "不予公开：", key)),
    ],
  },
  {
    key: "provide",
    title: "六、如何提供？（《条例》第三十六条第（一）项、第（二）项）",
    answers: [toGround("alreadyPublic", "alreadyPublic"), toGround("disclosable", "disclosable")],
  },
];

/** Where the answers so far lead: the questions asked, and the result once reached. */
export interface GuideWalk {
  /** The questions to show, in order (answered ones and the next one). */
  asked: GuideQuestionKey[];
  /** The outcome (and ground) the answers lead to; null while a question is open or the step is not a reply. */
  result: { outcome: OutcomeKey; ground?: DecisionGround } | null;
  /** A step to take instead of a reply (补正), when the answers lead there. */
  notReply: string | null;
}

/**
 * Walks the guide with the answers given (question → answer key). Answers to questions the path no
 * longer reaches are ignored, so changing an early answer cannot leave a stale outcome behind.
 * @param corrected whether the applicant has answered a 补正 notice (offers 补正后仍不明确).
 */
export function walkGuide(answers: Partial<Record<GuideQuestionKey, string>>, corrected = false): GuideWalk {
  const asked: GuideQuestionKey[] = [];
  let key: GuideQuestionKey = "correction";
  for (;;) {
    asked.push(key);
    const question = guideQuestions.find((q) => q.key === key);
    const answer = question?.answers.find((a) => a.key === answers[key] && (corrected || !a.needsCorrection));
    if (!answer) return { asked, result: null, notReply: null };
    const next = answer.next;
    if ("question" in next) {
      key = next.question;
      continue;
    }
    if ("notReply" in next) return { asked, result: null, notReply: next.notReply };
    return { asked, result: next, notReply: null };
  }
}

/** The answers of one question that may be chosen now. */
export function guideAnswers(question: GuideQuestionKey, corrected = false): readonly GuideAnswer[] {
  const found = guideQuestions.find((q) => q.key === question);
  return (found?.answers ?? []).filter((a) => corrected || !a.needsCorrection);
}
