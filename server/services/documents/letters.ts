/**
 * The letters (文书) of a 依申请公开 case as editable text models: 登记回执, 补正告知书 (Art. 30),
 * 延期答复告知书 (Art. 33), 征求第三方意见函 (Arts. 32/34), 收费通知书 (国办函〔2020〕109号) and the
 * 答复告知书 per outcome (`replyLetter.ts`). Pure: `buildLetter(kind, request, agency, clock, extra)`
 * reads the stored events and the clock as of the letter's event; `renderDocx` prints the model.
 */

import { type FeeMethod, feeLegalBasis, feeMethodLabels } from "@govinfo/shared/fees";
import { type Channel, channelLabels } from "@govinfo/shared/lifecycle/channels";
import { type LetterKind, letterKindLabels } from "@govinfo/shared/schemas/documents";
import { formatQueryCode } from "@govinfo/shared/schemas/lookup";
import {
  chineseDate,
  chineseOrdinal,
  LAW_FULL,
  type LetterAgency,
  type LetterBuilder,
  type LetterClock,
  type LetterEvent,
  type LetterExtra,
  type LetterModel,
  type LetterRequest,
  lastEventIndex,
  letterFrame,
  letterNotReady,
  openingSentence,
  payloadText,
  receivedOn,
} from "./letterModel.ts";
import { buildReplyLetter, replyEventTypes } from "./replyLetter.ts";

export type { LetterAgency, LetterClock, LetterExtra, LetterModel, LetterRequest } from "./letterModel.ts";
export { renderDocx } from "./renderDocx.ts";

/** The event types each letter kind belongs to (the last one of them dates the letter). */
export const letterEventTypes: Readonly<Record<LetterKind, readonly string[]>> = {
  receipt: ["register", "confirmReceipt"],
  correction: ["requestCorrection"],
  extension: ["extend"],
  consultation: ["startConsultation"],
  fee: ["feeNotice"],
  reply: replyEventTypes,
};

/**
 * Builds the text model of a letter.
 * @param kind the letter kind.
 * @param request the application with its events.
 * @param agency the issuing agency (name and letterhead).
 * @param clock the clock as of the letter's event (see `letterEventIndex`).
 * @param extra the outcome of a draft reply, the issue date of a draft, the payment method.
 */
export function buildLetter(
  kind: LetterKind,
  request: LetterRequest,
  agency: LetterAgency,
  clock: LetterClock,
  extra: LetterExtra = {},
): LetterModel {
  return builders[kind](request, agency, clock, extra);
}

/** Index of the event a letter of `kind` belongs to, or -1 when it has not happened. */
export function letterEventIndex(kind: LetterKind, request: LetterRequest): number {
  return lastEventIndex(request, letterEventTypes[kind]);
}

const buildReceipt: LetterBuilder = (request, agency, clock) => {
  const eventIndex = letterEventIndex("receipt", request);
  const receiptDate = receivedOn(request, clock, "receipt");
  const channel = channelLabels[request.channel as Channel] ?? "其他";
  const number = request.documentNumber ? `（文号：${request.documentNumber}）` : "";
  const due = clock.dueDate ? `（即${chineseDate(clock.dueDate)}前，含当日）` : "";
  return {
    kind: "receipt",
    title: letterKindLabels.receipt,
    ...letterFrame(request, agency),
    addressee: `${request.applicant.name}：`,
    paragraphs: [
      `本机关于${chineseDate(receiptDate)}收到您通过${channel}方式提出的政府信息公开申请，已予登记，申请编号为${request.serialNo}。您申请获取的政府信息为：“${request.description}”${number}。`,
      `根据${LAW_FULL}第三十一条的规定，本机关收到申请之日为${chineseDate(receiptDate)}。根据《条例》第三十三条第二款的规定，本机关将自收到申请之日起20个工作日内予以答复${due}；需要延长答复期限的，经政府信息公开工作机构负责人同意，将另行告知您，延长的期限最长不超过20个工作日。`,
      "根据《条例》第三十三条第三款的规定，本机关征求第三方和其他机关意见所需时间不计算在上述期限内。",
      ...(request.queryCode
        ? [
            `本申请的查询码为${formatQueryCode(request.queryCode)}。您可以凭查询码和申请人姓名（或联系电话后4位）查询办理进度、下载本机关出具给您的文书；在微信中扫描下方二维码，以登记的手机号码登录后，可将本申请关联到您的账户，接收办理进度提醒。请妥善保管查询码。`,
          ]
        : []),
      "特此回执。",
    ],
    date: request.events[eventIndex]?.date ?? receiptDate,
    forApplicant: true,
    eventIndex,
    ...(request.queryCode
      ? { queryCode: { code: formatQueryCode(request.queryCode), link: formatQueryCode(request.queryCode) } }
      : {}),
  };
};

const buildCorrection: LetterBuilder = (request, agency, clock) => {
  const eventIndex = letterEventIndex("correction", request);
  const event = request.events[eventIndex];
  if (!event) throw letterNotReady("尚未记录补正告知，请先在办理环节中一次性告知补正");
  const receiptDate = receivedOn(request, clock, "correction");
  const rawItems = event.payload?.items;
  const items = Array.isArray(rawItems)
    ? rawItems.filter((item): item is string => typeof item === "string")
    : [];
  const deadline = payloadText(event, "deadline");
  return {
    kind: "correction",
    title: letterKindLabels.correction,
    ...letterFrame(request, agency),
    addressee: `${request.applicant.name}：`,
    paragraphs: [
      openingSentence(request, receiptDate),
      `经审查，您的申请内容不明确，本机关无法据此确定您申请公开的政府信息。根据${LAW_FULL}第三十条的规定，现一次性告知您对以下事项作出补正：`,
      ...items.map((item, i) => `${chineseOrdinal(i + 1)}、${item}`),
      `请您于${chineseDate(deadline)}前（含当日）提交补正后的申请。答复期限自本机关收到补正的申请之日起计算。`,
      "您无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。",
      "特此告知。",
    ],
    date: event.date,
    forApplicant: true,
    eventIndex,
  };
};

const buildExtension: LetterBuilder = (request, agency, clock) => {
  const eventIndex = letterEventIndex("extension", request);
  const event = request.events[eventIndex];
  if (!event) throw letterNotReady("尚未记录延长答复期限，请先在办理环节中延长答复期限");
  const receiptDate = receivedOn(request, clock, "extension");
  const days = payloadText(event, "workingDays");
  const reason = payloadText(event, "reason");
  const due = clock.dueDate ? `，延长后的答复期限至${chineseDate(clock.dueDate)}` : "";
  return {
    kind: "extension",
    title: letterKindLabels.extension,
    ...letterFrame(request, agency),
    addressee: `${request.applicant.name}：`,
    paragraphs: [
      openingSentence(request, receiptDate),
      `${reason ? `因${reason}，` : ""}本机关不能在规定期限内作出答复。根据${LAW_FULL}第三十三条第二款的规定，经本机关政府信息公开工作机构负责人同意，答复期限延长${days}个工作日${due}。`,
      "根据《条例》第三十三条第三款的规定，本机关征求第三方和其他机关意见所需时间不计算在上述期限内。",
      "特此告知。",
    ],
    date: event.date,
    forApplicant: true,
    eventIndex,
  };
};

const buildConsultation: LetterBuilder = (request, agency, clock) => {
  const eventIndex = letterEventIndex("consultation", request);
  const event = request.events[eventIndex];
  if (!event) throw letterNotReady("尚未记录征求意见，请先在办理环节中征求第三方或其他机关意见");
  const receiptDate = receivedOn(request, clock, "consultation");
  const name = payloadText(event, "name");
  const isAgency = payloadText(event, "party") === "otherAgency";
  // The consulted party must not learn who applied: the letter names the information, not the person.
  const opening = `${chineseDate(receiptDate)}，本机关收到一份政府信息公开申请（申请编号：${request.serialNo}），申请获取“${request.description}”。`;
  const paragraphs = isAgency
    ? [
        opening,
        `经审查，该政府信息由本机关与贵机关共同制作。根据${LAW_FULL}第三十四条的规定，现征求贵机关意见。`,
        "请贵机关自收到本函之日起15个工作日内提出意见；逾期未提出意见的，视为同意公开。",
        "特此函告。",
      ]
    : [
        opening,
        `经审查，本机关认为公开该政府信息可能损害贵方的合法权益。根据${LAW_FULL}第三十二条的规定，现书面征求贵方意见。`,
        "请贵方自收到本函之日起15个工作日内提出书面意见，说明是否同意公开及理由。贵方逾期未提出意见的，由本机关依照《条例》的规定决定是否公开。",
        "贵方不同意公开且有合理理由的，本机关不予公开。本机关认为不公开可能对公共利益造成重大影响的，可以决定予以公开，并将决定公开的政府信息内容和理由书面告知贵方。",
        "特此函告。",
      ];
  return {
    kind: "consultation",
    title: isAgency ? "政府信息公开征求意见函" : letterKindLabels.consultation,
    ...letterFrame(request, agency),
    addressee: `${name}：`,
    paragraphs,
    date: event.date,
    forApplicant: false,
    eventIndex,
  };
};

/** The 109号 standards as printed on a fee notice. */
export const feeStandards: Readonly<Record<FeeMethod, string>> = {
  perRequest:
    "同一申请人一个自然月内累计申请10件以下（含10件）的，不收费；累计申请11—30件（含30件）的部分，100元/件；累计申请31件以上的部分，以10件为一档，每增加一档，收费标准提高100元/件。",
  byPages:
    "30页以下（含30页）的，不收费；31—100页（含100页）的部分，10元/页；101—200页（含200页）的部分，20元/页；201页以上的部分，40元/页。",
};

const buildFee: LetterBuilder = (request, agency, clock, extra) => {
  const eventIndex = letterEventIndex("fee", request);
  const event = request.events[eventIndex];
  if (!event) throw letterNotReady("尚未记录收费通知，请先在办理环节中发出收费通知");
  const receiptDate = receivedOn(request, clock, "fee");
  const method = (payloadText(event, "method") || "perRequest") as FeeMethod;
  const quantity =
    method === "byPages"
      ? `您申请获取的政府信息共${payloadText(event, "pages")}页。`
      : `本申请为您本自然月内提出的第${payloadText(event, "ordinalInMonth")}件政府信息公开申请。`;
  const payment =
    extra.paymentMethod?.trim() ||
    "请持本通知书到本机关政府信息公开工作机构缴纳，或者按照本机关告知的其他方式缴纳";
  return {
    kind: "fee",
    title: letterKindLabels.fee,
    ...letterFrame(request, agency),
    addressee: `${request.applicant.name}：`,
    paragraphs: [
      openingSentence(request, receiptDate),
      `经审查，您申请公开政府信息的数量、频次明显超过合理范围。根据${feeLegalBasis}的规定，本机关决定向您收取信息处理费。`,
      `计收方式：${feeMethodLabels[method]}。${quantity}`,
      `收费标准：${feeStandards[method]}`,
      `收费金额：人民币${payloadText(event, "amount")}元。`,
      `缴费方式：${withoutStop(payment)}。本机关收取信息处理费后，将向您开具财政票据。`,
      `缴费期限：${paymentDeadline(event, clock)}逾期未缴纳的，视为放弃申请，本机关不再处理该政府信息公开申请。`,
      "特此通知。",
    ],
    date: event.date,
    forApplicant: true,
    eventIndex,
  };
};

/** The payment deadline sentence: 20 working days from the day after the applicant receives the notice. */
function paymentDeadline(event: LetterEvent, clock: LetterClock): string {
  const base = "请您自收到本通知之日的次日起20个工作日内缴纳";
  const delivery = payloadText(event, "delivery");
  if (delivery === "mail") return `${base}（本通知以邮寄方式送达，以您签收之日为收到之日）。`;
  const how = delivery === "inPerson" ? "本通知当面送达" : delivery === "online" ? "本通知通过网上送达" : "";
  const due = clock.feePaymentDueDate ? `，即${chineseDate(clock.feePaymentDueDate)}前（含当日）` : "";
  return `${base}${how ? `（${how}，以发出之日为收到之日）` : ""}${due}。`;
}

function withoutStop(text: string): string {
  return text.replace(/[。；]+$/, "");
}

const builders: Readonly<Record<LetterKind, LetterBuilder>> = {
  receipt: buildReceipt,
  correction: buildCorrection,
  extension: buildExtension,
  consultation: buildConsultation,
  fee: buildFee,
  reply: buildReplyLetter,
};
