/**
 * 答复告知书: one text per outcome of table 三 and, where one row covers two grounds, per ground
 * (36(一)/(二) under 予以公开, 36(四)/(五) under 本机关不掌握), citing the ground's article, and the
 * remedy sentence wherever the reply or closure goes against the applicant.
 *
 * Remedies (《条例》第五十一条: 行政复议 or 行政诉讼), named with the agency's 复议机关 (`reviewBody.ts`):
 * - decisions dated on or after 2024-01-01 follow the 《中华人民共和国行政复议法》 as revised in 2023:
 *   review within 60 days (Art. 20) before the body of Art. 24 / 27; a suit within 6 months
 *   (《行政诉讼法》Art. 46). 不予公开 (and the withheld part of 部分公开) is 复议前置 (Art. 23 ¶1 (四)), and
 *   Art. 23 ¶2 requires the letter to say so: review first, then a suit within 15 days of the review
 *   decision or of the end of the review period (《行政诉讼法》Art. 45). DECISION: 36(七) 行政查询事项
 *   points to another procedure and the （四）（五）（六） rows do not decide "不予公开", so they keep
 *   the choice of review or suit.
 * - earlier decisions follow the law then in force (1999 law as amended in 2017): review within 60
 *   days (Art. 9) before the 本级人民政府 or the 上一级主管部门 (department, Art. 12 ¶1), the
 *   上一级主管部门 (vertical, Art. 12 ¶2) or the 上一级地方人民政府 (government, Art. 13); no 复议前置.
 */
import { letterKindLabels } from "@govinfo/shared/schemas/documents";
import { isOutcomeKey, type OutcomeKey, outcomes } from "@govinfo/shared/stats/keys";
import {
  chineseDate,
  LAW_FULL,
  type LetterAgency,
  type LetterBuilder,
  type LetterEvent,
  type LetterRequest,
  lastEventIndex,
  letterFrame,
  letterNotReady,
  type MergedLetterPart,
  openingSentence,
  payloadText,
  receivedOn,
} from "./letterModel.ts";

/** Events that set an outcome, i.e. that a reply letter answers. */
export const replyEventTypes = ["decide", "expireCorrection", "expireFee", "closeUnprocessed", "withdraw"];

/** The day the revised 《行政复议法》 (2023) took effect. */
export const REVIEW_LAW_2023_FROM = "2024-01-01";

/** Which remedy a reply states: none, review or suit, or review first (复议前置). */
export type RemedyKind = "none" | "reviewOrSuit" | "reviewFirst";

/**
 * The remedy a reply states.
 * @param outcome the outcome.
 * @param options whether the applicant withdrew (nothing to contest) and the decision date.
 */
export function remedyOf(
  outcome: OutcomeKey,
  options: { withdrawn?: boolean; decidedOn: string },
): RemedyKind {
  if (outcome === "granted") return "none";
  if (outcome === "other.other" && options.withdrawn) return "none";
  if (options.decidedOn < REVIEW_LAW_2023_FROM) return "reviewOrSuit";
  // 行政查询事项 is not a refusal but a pointer to the special procedure, so it is not 复议前置.
  if (outcome === "withheld.queryMatter") return "reviewOrSuit";
  if (outcome === "partial" || outcome.startsWith("withheld.")) return "reviewFirst";
  return "reviewOrSuit";
}

const REVIEW_LAW = "《中华人民共和国行政复议法》";
const LITIGATION_LAW = "《中华人民共和国行政诉讼法》";

/** The 2023 law's article that gives the 复议机关 its jurisdiction, per rule. */
const jurisdiction2023: Readonly<Record<"department" | "government" | "vertical", string>> = {
  department: "第二十四条第一款第（一）项",
  government: "第二十四条第一款第（二）项",
  vertical: "第二十七条",
};

/** The 1999 law's (as amended in 2017) article, per rule. */
const jurisdiction1999: Readonly<Record<"department" | "government" | "vertical", string>> = {
  department: "第十二条第一款",
  government: "第十三条第一款",
  vertical: "第十二条第二款",
};

const generic: Readonly<Record<"department" | "government" | "vertical", string>> = {
  department: "本级人民政府",
  government: "上一级人民政府",
  vertical: "上一级主管部门",
};

/**
 * The remedy sentence exactly as printed.
 * @param kind the remedy.
 * @param options the act's word (答复 or 告知), the decision date and the agency's 复议机关.
 */
export function remedySentence(
  kind: Exclude<RemedyKind, "none">,
  options: { act: "答复" | "告知"; decidedOn: string; reviewBody: LetterAgency["reviewOrgan"] },
): string {
  const body = options.reviewBody ?? { rule: "department" as const, name: null, overridden: false };
  const intro = `如您对本${options.act}不服`;
  if (options.decidedOn < REVIEW_LAW_2023_FROM) {
    const derived = body.derivedName ?? null;
    const organ =
      body.rule === "department"
        ? `${body.levelGovernmentName ?? generic.department}或者上一级主管部门`
        : (derived ?? generic[body.rule]);
    return `${intro}，可以自知道该具体行政行为之日起60日内，向${organ}申请行政复议（${REVIEW_LAW}（2017年修正）第九条第一款、${jurisdiction1999[body.rule]}）；也可以自知道该行政行为之日起6个月内，依法向人民法院提起行政诉讼（${LITIGATION_LAW}第四十六条第一款）。`;
  }
  const organ = body.name ?? generic[body.rule];
  // An override may rest on another article (e.g. Art. 25 for a 国务院部门); cite only what is sure.
  const cite = body.overridden ? "第二十条" : `第二十条、${jurisdiction2023[body.rule]}`;
  if (kind === "reviewOrSuit") {
    return `${intro}，可以自知道该行政行为之日起60日内，向${organ}申请行政复议（${REVIEW_LAW}${cite}）；也可以自知道该行政行为之日起6个月内，依法向人民法院提起行政诉讼（${LITIGATION_LAW}第四十六条第一款）。`;
  }
  return `根据${REVIEW_LAW}第二十三条第一款第（四）项的规定，申请政府信息公开，行政机关不予公开的，应当先向行政复议机关申请行政复议。${intro}，可以自知道该行政行为之日起60日内，向${organ}申请行政复议（${REVIEW_LAW}${cite}）；对行政复议决定不服的，可以自收到行政复议决定书之日起15日内，行政复议机关逾期不作决定的，可以自行政复议期满之日起15日内，依法向人民法院提起行政诉讼（${LITIGATION_LAW}第四十五条）。`;
}

/** Builds the 答复告知书 for the request's outcome (or `extra.outcome` for a draft). */
export const buildReplyLetter: LetterBuilder = (request, agency, clock, extra) => {
  const eventIndex = lastEventIndex(request, replyEventTypes);
  const stored = isOutcomeKey(request.outcome) ? request.outcome : undefined;
  const outcome = stored ?? extra.outcome;
  if (!outcome) throw letterNotReady("尚未作出答复，请先选择办理结果");
  // A draft reads the dialog's fields as the decide event will store them, so the preview is the letter.
  const event: LetterEvent | undefined = stored
    ? request.events[eventIndex]
    : extra.draft
      ? { type: "decide", date: extra.today ?? "", payload: { ...extra.draft } }
      : undefined;
  const receiptDate = receivedOn(request, clock, "reply");
  const date = event?.date || extra.today || receiptDate;
  const note = payloadText(event, "note") || payloadText(event, "reason");
  const decisionNumber = payloadText(event, "documentNumber");
  const isClosure = outcomes[outcome].group === "other";

  const merged = stored && extra.merged && extra.merged.length > 1 ? extra.merged : null;
  const paragraphs = merged
    ? mergedParagraphs(merged)
    : [
        openingSentence(request, receiptDate),
        ...mergedSentence(event),
        `根据${LAW_FULL}的规定，现${isClosure ? "告知" : "答复"}如下：`,
        ...outcomeParagraphs(outcome, request, note, event, extra.withheldParts ?? []),
      ];
  const remedy = merged
    ? strongestRemedy(merged)
    : remedyOf(outcome, { withdrawn: event?.type === "withdraw", decidedOn: date });
  if (remedy !== "none") {
    paragraphs.push(
      remedySentence(remedy, {
        act: merged ? mergedAct(merged) : isClosure ? "告知" : "答复",
        decidedOn: date,
        reviewBody: agency.reviewOrgan,
      }),
    );
  }
  paragraphs.push("特此告知。");
  const attachments = request.attachments ?? [];
  if (attachments.length > 0) {
    // 附件说明 (GB/T 9704-2012 7.3.3): numbered names of what is delivered with the reply.
    const list = attachments.map((title, i) => (attachments.length > 1 ? `${i + 1}．${title}` : title));
    paragraphs.push(`附件：${list.join("　")}`);
  }
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

const ORDINALS = "一二三四五六七八九十".split("");

/** 一 … 二十: the heading numbers of a 合并答复's answers. */
function ordinal(n: number): string {
  if (n <= 10) return ORDINALS[n - 1] ?? String(n);
  return `${n >= 20 ? `${ORDINALS[Math.floor(n / 10) - 1]}十` : "十"}${n % 10 === 0 ? "" : ORDINALS[(n % 10) - 1]}`;
}

/**
 * 合并答复: the applications received, then each one's answer under its own 编号 (its own outcome,
 * ground and reasons), so the one letter answers every application in full.
 */
function mergedParagraphs(parts: readonly MergedLetterPart[]): string[] {
  const act = mergedAct(parts);
  return [
    ...parts.map((part) => openingSentence(part.request, part.receiptDate)),
    `上述${parts.length}件申请系您向本机关提出的相关申请，本机关合并${act}，各申请的办理结果分别如下。根据${LAW_FULL}的规定，现${act}如下：`,
    ...parts.flatMap((part, i) => [
      `${ordinal(i + 1)}、关于申请编号${part.request.serialNo}的申请（${answerName(part.outcome)}）：`,
      ...outcomeParagraphs(
        part.outcome,
        part.request,
        payloadText(part.event, "note") || payloadText(part.event, "reason"),
        part.event,
        part.withheldParts,
      ),
    ]),
  ];
}

/** The outcome as the applicant reads it: table 三's label without its row number. */
function answerName(outcome: OutcomeKey): string {
  return outcomes[outcome].label.replace(/^\d+\.|^（[一二三四五六]）/, "");
}

/** A 合并答复 is a 告知 only when every application was closed without a decision on the information. */
function mergedAct(parts: readonly MergedLetterPart[]): "告知" | "答复" {
  return parts.every((part) => outcomes[part.outcome].group === "other") ? "告知" : "答复";
}

/** The remedy of a 合并答复: the strictest any of its answers needs (复议前置 over the choice). */
function strongestRemedy(parts: readonly MergedLetterPart[]): RemedyKind {
  const kinds = parts.map((part) =>
    remedyOf(part.outcome, { withdrawn: part.event.type === "withdraw", decidedOn: part.event.date }),
  );
  if (kinds.includes("reviewFirst")) return "reviewFirst";
  return kinds.includes("reviewOrSuit") ? "reviewOrSuit" : "none";
}

/** 合并答复: the other applications of the same applicant this letter answers as well. */
function mergedSentence(event: LetterEvent | undefined): string[] {
  const merged = event?.payload?.mergedRequests as { serialNo: string }[] | undefined;
  if (!merged || merged.length === 0) return [];
  return [
    `您提出的${merged.map((m) => m.serialNo).join("、")}政府信息公开申请与本申请相关，本机关合并答复，各申请的处理结果以本告知书为准。`,
  ];
}

/**
 * Whether a reply letter's text promises the information as an attachment ("见附件"): such a reply
 * cannot be delivered before the file is uploaded.
 */
export function promisesAttachment(paragraphs: readonly string[]): boolean {
  return paragraphs.some((text) => text.includes("见附件"));
}

/** The legal basis as cited in the letter (after the abbreviation 《条例》 was introduced). */
export function citationOf(outcome: OutcomeKey): string {
  return outcomes[outcome].legalBasis;
}

function outcomeParagraphs(
  outcome: OutcomeKey,
  request: LetterRequest,
  note: string,
  event: LetterEvent | undefined,
  withheldParts: readonly string[] = [],
): string[] {
  const ground = payloadText(event, "ground");
  const cite = `根据${citationOf(outcome)}的规定`;
  const reasons = note ? [note] : [];
  const withheld = (what: string) => [
    `经审查，您申请获取的政府信息${what}。${cite}，本机关决定不予公开。`,
    ...reasons,
  ];
  switch (outcome) {
    case "granted":
      if (ground === "alreadyPublic") return alreadyPublic(event, reasons);
      return [
        `经审查，您申请获取的政府信息属于可以公开的政府信息。${cite}，本机关向您提供该政府信息（见附件）。`,
        ...reasons,
      ];
    case "partial":
      return [
        `经审查，您申请获取的政府信息中含有不应当公开或者不属于政府信息的内容，但能够作区分处理。${cite}，本机关向您提供可以公开的政府信息内容（见附件），对不予公开的内容说明理由如下：`,
        // Parts withheld by redaction boxes are listed one ground per line, generated from the boxes.
        ...(withheldParts.length > 0
          ? [...withheldParts, ...reasons]
          : [note || "（请填写不予公开部分的内容及理由）"]),
      ];
    case "withheld.stateSecret":
      return withheld("属于国家秘密");
    case "withheld.lawProhibited":
      return withheld("属于法律、行政法规禁止公开的政府信息");
    case "withheld.securityStability":
      return withheld("公开后可能危及国家安全、公共安全、经济安全、社会稳定");
    case "withheld.thirdParty":
      return [
        `经审查，您申请获取的政府信息涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害。${consultationStory(request)}${cite}，本机关决定不予公开。`,
        ...reasons,
      ];
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
      if (ground === "notExist") {
        return [
          "经检索，本机关没有您申请公开的政府信息。根据《条例》第三十六条第（四）项的规定，现告知您该政府信息不存在。",
          ...reasons,
        ];
      }
      if (ground === "notResponsible") return notResponsible(event, note);
      return [
        "（请选择答复依据：经检索没有所申请公开的信息的，告知该政府信息不存在（《条例》第三十六条第（四）项）；不属于本机关负责公开的，告知并说明理由（《条例》第三十六条第（五）项））",
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

/** 36(一): where and how to get information already proactively disclosed. */
function alreadyPublic(event: LetterEvent | undefined, reasons: string[]): string[] {
  const item = event?.payload?.catalogueItem as
    | { indexNo?: string; title?: string; docNumber?: string; publishedDate?: string }
    | undefined;
  const location = withStop(payloadText(event, "location"));
  const ways: string[] = [];
  if (item?.indexNo) {
    const number = item.docNumber ? `，文号：${item.docNumber}` : "";
    const published = item.publishedDate ? `已于${chineseDate(item.publishedDate)}` : "已";
    ways.push(
      `该政府信息${published}在本机关政府信息公开目录中主动公开（索引号：${item.indexNo}，名称：“${item.title ?? ""}”${number}），您可以在本机关政府信息公开平台“主动公开”栏目中按索引号或者名称查阅、下载。`,
    );
  }
  if (location) ways.push(location);
  return [
    "经审查，您申请获取的政府信息已经主动公开。根据《条例》第三十六条第（一）项的规定，现告知您获取该政府信息的方式、途径：",
    ...(ways.length > 0 ? ways : ["（请关联政府信息公开目录条目或者填写获取方式、途径）"]),
    ...reasons,
  ];
}

/** 36(五): not this agency's to disclose, the reasons, and the responsible agency where known. */
function notResponsible(event: LetterEvent | undefined, note: string): string[] {
  const resolved = event?.payload?.responsibleAgency as { name?: string; contact?: string } | undefined;
  const name = resolved?.name || payloadText(event, "responsibleAgencyName");
  const contact = resolved?.name ? resolved.contact : payloadText(event, "responsibleAgencyContact");
  const undetermined = event?.payload?.responsibleUndetermined === true;
  // 转办: with the applicant's consent the application was handed on, so they need not apply again.
  const handedOn = event?.payload?.transfer
    ? "经您同意，本机关已将您的申请转送该行政机关办理，该行政机关以收到之日为收到申请之日。"
    : "您可以向该行政机关提出政府信息公开申请。";
  const who = name
    ? `负责公开该政府信息的行政机关为${name}${contact ? (contact.includes("：") ? `（${contact}）` : `（联系方式：${contact}）`) : ""}，${handedOn}`
    : undetermined
      ? "本机关无法确定负责公开该政府信息的行政机关。"
      : "（请选择负责公开该政府信息的行政机关，或者选择“无法确定”）";
  return [
    "经审查，您申请公开的政府信息不属于本机关负责公开，理由如下：",
    withStop(note) || "（请写明理由）",
    `根据《条例》第三十六条第（五）项的规定，现告知您：${who}`,
  ];
}

/** The third-party consultation as it happened (Art. 32): objected, or silent and decided here. */
function consultationStory(request: LetterRequest): string {
  let start: LetterEvent | undefined;
  let end: LetterEvent | undefined;
  for (const event of request.events) {
    if (event.type === "startConsultation" && payloadText(event, "party") === "thirdParty") {
      start = event;
      end = undefined;
    } else if (event.type === "startConsultation") start = undefined;
    if (event.type === "endConsultation" && start) end = event;
  }
  if (!start) return "";
  const asked = `本机关于${chineseDate(start.date)}书面征求第三方意见。`;
  const result = payloadText(end, "result");
  if (end && result === "objected")
    return `${asked}第三方于${chineseDate(end.date)}书面答复不同意公开，理由合理。`;
  if (end && result === "noReply")
    return `${asked}第三方在收到征求意见函之日起15个工作日内未提出意见，本机关依照《条例》第三十二条的规定作出决定：`;
  return asked;
}

/** Ends a sentence with 。 unless it already ends with punctuation. */
function withStop(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return "";
  return /[。！？；]$/.test(trimmed) ? trimmed : `${trimmed}。`;
}

function eventOf(request: LetterRequest, type: string): LetterEvent | undefined {
  const index = lastEventIndex(request, [type]);
  return index >= 0 ? request.events[index] : undefined;
}
