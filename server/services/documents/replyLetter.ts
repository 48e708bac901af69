/**
 * 答复告知书: one text per outcome of table 三, citing the outcome's legal basis from
 * `shared/stats/keys.ts`, and the remedy sentence wherever the reply refuses or ends the application.
 *
 * Remedies: 《条例》第五十一条 opens 行政复议 and 行政诉讼 against any decision that harms the applicant.
 * Review within 60 days of knowing of the act (《行政复议法》第二十条); a direct suit within 6 months
 * (《行政诉讼法》第四十六条). DECISION: for 不予公开 (and the withheld part of 部分公开) the revised
 * 《行政复议法》(2023) 第二十三条第一款第（四）项 makes review a precondition of suit (复议前置), so those
 * letters offer review first and suit within 15 days of the review decision (《行政诉讼法》第四十五条)
 * instead of a direct suit. The 复议机关 is named generically, since it depends on the agency's place
 * in the hierarchy.
 */
import { letterKindLabels } from "@govinfo/shared/schemas/documents";
import { isOutcomeKey, type OutcomeKey, outcomes } from "@govinfo/shared/stats/keys";
import {
  chineseDate,
  LAW_FULL,
  type LetterBuilder,
  type LetterEvent,
  type LetterRequest,
  lastEventIndex,
  letterFrame,
  letterNotReady,
  openingSentence,
  payloadText,
  receivedOn,
} from "./letterModel.ts";

/** Events that set an outcome, i.e. that a reply letter answers. */
export const replyEventTypes = ["decide", "expireCorrection", "expireFee", "closeUnprocessed", "withdraw"];

/** Which remedy a reply states: none, review or suit, or review first (复议前置). */
export type RemedyKind = "none" | "reviewOrSuit" | "reviewFirst";

/** The remedy each outcome's reply states. */
export function remedyOf(outcome: OutcomeKey): RemedyKind {
  if (outcome === "granted" || outcome === "other.other") return "none";
  // 行政查询事项 is not a refusal but a pointer to the special procedure, so it is not 复议前置.
  if (outcome === "withheld.queryMatter") return "reviewOrSuit";
  if (outcome === "partial" || outcome.startsWith("withheld.")) return "reviewFirst";
  return "reviewOrSuit";
}

/** The remedy sentences, exactly as printed. */
export const remedySentences: Readonly<Record<Exclude<RemedyKind, "none">, string>> = {
  reviewOrSuit:
    "如您对本答复不服，可以自知道该行政行为之日起60日内，向本机关的上一级行政机关或者本级人民政府申请行政复议；也可以自知道该行政行为之日起6个月内，依法向人民法院提起行政诉讼。",
  reviewFirst:
    "如您对本答复不服，可以自知道该行政行为之日起60日内，向本机关的上一级行政机关或者本级人民政府申请行政复议；对行政复议决定不服的，可以自收到行政复议决定书之日起15日内，依法向人民法院提起行政诉讼。",
};

/** Builds the 答复告知书 for the request's outcome (or `extra.outcome` for a draft). */
export const buildReplyLetter: LetterBuilder = (request, agency, clock, extra) => {
  const eventIndex = lastEventIndex(request, replyEventTypes);
  const stored = isOutcomeKey(request.outcome) ? request.outcome : undefined;
  const outcome = stored ?? extra.outcome;
  if (!outcome) throw letterNotReady("尚未作出答复，请先选择办理结果");
  const event = stored ? request.events[eventIndex] : undefined;
  const receiptDate = receivedOn(request, clock, "reply");
  const date = event?.date ?? extra.today ?? receiptDate;
  const note = payloadText(event, "note") || payloadText(event, "reason");
  const decisionNumber = payloadText(event, "documentNumber");
  const isClosure = outcomes[outcome].group === "other";

  const paragraphs = [
    openingSentence(request, receiptDate),
    `根据${LAW_FULL}的规定，现${isClosure ? "告知" : "答复"}如下：`,
    ...outcomeParagraphs(outcome, request, note),
  ];
  const remedy = remedyOf(outcome);
  if (remedy !== "none") paragraphs.push(remedySentences[remedy]);
  paragraphs.push("特此告知。");
  return {
    kind: "reply",
    title: letterKindLabels.reply,
    ...letterFrame(request, agency),
    ...(decisionNumber ? { documentNumber: decisionNumber } : {}),
    addressee: `${request.applicant.name}：`,
    paragraphs,
    date,
    forApplicant: true,
    eventIndex: stored ? eventIndex : -1,
  };
};

/** The legal basis as cited in the letter (after the abbreviation 《条例》 was introduced). */
export function citationOf(outcome: OutcomeKey): string {
  return outcomes[outcome].legalBasis;
}

function outcomeParagraphs(outcome: OutcomeKey, request: LetterRequest, note: string): string[] {
  const cite = `根据${citationOf(outcome)}的规定`;
  const reasons = note ? [note] : [];
  const withheld = (what: string) => [
    `经审查，您申请获取的政府信息${what}。${cite}，本机关决定不予公开。`,
    ...reasons,
  ];
  switch (outcome) {
    case "granted":
      return [
        `经审查，您申请获取的政府信息属于可以公开的政府信息。${cite}，本机关向您提供该政府信息（见附件）。`,
        ...reasons,
      ];
    case "partial":
      return [
        `经审查，您申请获取的政府信息中含有不应当公开或者不属于政府信息的内容，但能够作区分处理。${cite}，本机关向您提供可以公开的政府信息内容（见附件），对不予公开的内容说明理由如下：`,
        note || "（请填写不予公开部分的内容及理由）",
      ];
    case "withheld.stateSecret":
      return withheld("属于国家秘密");
    case "withheld.lawProhibited":
      return withheld("属于法律、行政法规禁止公开的政府信息");
    case "withheld.securityStability":
      return withheld("公开后可能危及国家安全、公共安全、经济安全、社会稳定");
    case "withheld.thirdParty":
      return withheld("涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害，且第三方不同意公开");
    case "withheld.internalAffairs":
      return withheld("属于行政机关的人事管理、后勤管理、内部工作流程等方面的内部事务信息");
    case "withheld.processInfo":
      return withheld(
        "属于行政机关在履行行政管理职能过程中形成的讨论记录、过程稿、磋商信函、请示报告等过程性信息",
      );
    case "withheld.enforcementFile":
      return withheld("属于行政执法案卷信息");
    case "withheld.queryMatter":
      return [
        `经审查，您申请获取的政府信息属于工商、不动产登记资料等信息，有关法律、行政法规对信息的获取有特别规定。${cite}，请您依照有关法律、行政法规的规定办理。`,
        ...reasons,
      ];
    case "unable.notHeld":
      return [
        `经检索，本机关没有您申请公开的政府信息，或者该政府信息不属于本机关负责公开。${cite}，特此告知；能够确定负责公开该政府信息的行政机关的，说明如下。`,
        ...reasons,
      ];
    case "unable.needsCreation":
      return [
        `经审查，本机关没有现成的您申请获取的政府信息，需要对现有政府信息进行加工、分析才能形成。${cite}，本机关不予提供。`,
        ...reasons,
      ];
    case "unable.stillUnclear": {
      const asked = eventOf(request, "requestCorrection");
      const answered = eventOf(request, "receiveCorrection");
      const history =
        asked && answered
          ? `本机关已于${chineseDate(asked.date)}告知您作出补正，您于${chineseDate(answered.date)}提交了补正后的申请。`
          : "";
      return [
        `${history}经审查，补正后的申请内容仍不明确，本机关无法确定您申请公开的政府信息。${cite}，特此告知。`,
        ...reasons,
      ];
    }
    case "notProcessed.complaint":
      return [
        `经审查，您以政府信息公开申请的形式进行信访、投诉、举报等活动。${cite}，本机关不作为政府信息公开申请处理，您可以通过信访、投诉、举报等相应渠道提出。`,
        ...reasons,
      ];
    case "notProcessed.duplicate":
      return [
        `经审查，本机关已就您提出的相同内容的政府信息公开申请作出答复，您重复申请公开相同政府信息。${cite}，本机关不予重复处理。`,
        ...reasons,
      ];
    case "notProcessed.publication":
      return [
        `经审查，您申请获取的是政府公报、报刊、书籍等公开出版物。${cite}，您可以通过公开出版物的发行渠道获取。`,
        ...reasons,
      ];
    case "notProcessed.excessive":
      return [
        `经审查，您申请公开政府信息的数量、频次明显超过合理范围，经本机关要求说明理由，您说明的理由不合理。${cite}，本机关不予处理。`,
        ...reasons,
      ];
    case "notProcessed.confirmation":
      return [
        "经审查，您的申请系要求行政机关确认或者重新出具您已获取的信息，不属于《条例》规定的政府信息公开申请，本机关不予处理。",
        ...reasons,
      ];
    case "other.noCorrection": {
      const asked = eventOf(request, "requestCorrection");
      const deadline = payloadText(asked, "deadline");
      const history = asked
        ? `本机关已于${chineseDate(asked.date)}一次性告知您作出补正${deadline ? `，补正期限至${chineseDate(deadline)}` : ""}。`
        : "";
      return [
        `${history}您无正当理由逾期未补正。${cite}，视为您放弃申请，本机关不再处理该政府信息公开申请。`,
      ];
    }
    case "other.feeUnpaid": {
      const notice = eventOf(request, "feeNotice");
      const history = notice ? `本机关已于${chineseDate(notice.date)}向您发出收费通知。` : "";
      return [
        `${history}您逾期未按收费通知要求缴纳信息处理费。${cite}，视为您放弃申请，本机关不再处理该政府信息公开申请。`,
      ];
    }
    case "other.other": {
      const withdrawal = eventOf(request, "withdraw");
      if (withdrawal) {
        return [`您于${chineseDate(withdrawal.date)}撤回该政府信息公开申请，本机关对该申请不再处理。`];
      }
      return [`${note ? `因${note}，` : ""}本机关对该政府信息公开申请不再处理。`];
    }
  }
}

function eventOf(request: LetterRequest, type: string): LetterEvent | undefined {
  const index = lastEventIndex(request, [type]);
  return index >= 0 ? request.events[index] : undefined;
}
