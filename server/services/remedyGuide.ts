/**
 * 救济向导: for a closed application that went against the applicant, the remedies its reply offers
 * (the letter's own rule, `remedyOf` and `remedySentence`), their deadlines, the agency's 复议机关
 * (`reviewBody.ts`, the single source) and the court route, and a pre-filled 行政复议申请书.
 *
 * Periods (the day the applicant came to know the act does not count; a period whose last day falls on
 * a rest day or holiday ends on the next working day of the one calendar, 《行政复议法》第八十八条,
 * 《行政诉讼法》第一百零一条, both referring to the 《民事诉讼法》 rules on periods):
 * - 行政复议: 60 days (《行政复议法》第二十条);
 * - 行政诉讼: 6 months (《行政诉讼法》第四十六条第一款);
 * - after a 复议 decision (复议前置, or when the applicant chose review first): 15 days from receiving
 *   the decision (《行政诉讼法》第四十五条).
 */
import { addDays } from "@govinfo/shared/calendar/date";
import { isWorkingDay, nextWorkingDay } from "@govinfo/shared/calendar/workdays";
import { isClosed, type State } from "@govinfo/shared/lifecycle/machine";
import type { RemedyDto, ReviewApplicationDto } from "@govinfo/shared/schemas/aftercare";
import { idTypeLabels } from "@govinfo/shared/schemas/request";
import { isOutcomeKey, outcomes } from "@govinfo/shared/stats/keys";
import { AlignmentType, Document, Packer, Paragraph, TextRun } from "docx";
import { Conflict, NotFound } from "../errors.ts";
import { Agency, type AgencyDoc } from "../models/Agency.ts";
import type { DisclosureRequestDoc, StoredEvent } from "../models/DisclosureRequest.ts";
import type { PersonalDataCipher } from "../security/personalData.ts";
import { calendarOverrides } from "./calendar.ts";
import { chineseDate } from "./documents/letterModel.ts";
import { officialPageSection } from "./documents/officialPage.ts";
import { remedyOf, remedySentence } from "./documents/replyLetter.ts";
import { type ReviewBody, reviewBodyGeneric, reviewBodyOf, reviewBodyRuleLabels } from "./reviewBody.ts";

const REVIEW_LAW = "《中华人民共和国行政复议法》";
const LITIGATION_LAW = "《中华人民共和国行政诉讼法》";

/** `date` plus `months` calendar months, on the same day or the month's last day. */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, "0")}-${String(Math.min(d, last)).padStart(2, "0")}`;
}

/** The last day of a period, moved past rest days and holidays. */
async function periodEnd(date: string): Promise<string> {
  const overrides = await calendarOverrides();
  return isWorkingDay(date, overrides) ? date : nextWorkingDay(date, overrides);
}

/** The day the applicant came to know the act: the reply's delivery, else the closing decision. */
function knownOn(request: DisclosureRequestDoc): string {
  const events = request.events as StoredEvent[];
  const delivered = [...events].reverse().find((e) => e.type === "deliver");
  return delivered?.date ?? request.closedDate ?? "";
}

/** The 复议机关 as printed to the applicant: its name, else the generic wording of its rule. */
function reviewBodyName(body: ReviewBody): string {
  return body.name ?? reviewBodyGeneric[body.rule];
}

/**
 * The remedy guide of a closed application, or null when nothing went against the applicant (granted,
 * withdrawn, still open).
 * @param reviewDecisionDate the day the applicant received the 行政复议决定书, once they did.
 */
export async function remedyGuide(
  request: DisclosureRequestDoc,
  reviewDecisionDate?: string,
): Promise<RemedyDto | null> {
  if (!isClosed(request.state as State) || !isOutcomeKey(request.outcome)) return null;
  const decidedOn = request.closedDate ?? "";
  const kind = remedyOf(request.outcome, { withdrawn: request.state === "withdrawn", decidedOn });
  if (kind === "none") return null;
  const agency = await Agency.findById(request.agencyId).lean<AgencyDoc>();
  if (!agency) throw NotFound("agency");
  const body = await reviewBodyOf(agency);
  const known = knownOn(request);
  const act = outcomes[request.outcome].group === "other" ? "告知" : "答复";
  const letterSentence = remedySentence(kind, {
    act,
    decidedOn,
    reviewBody: {
      rule: body.rule,
      name: body.name,
      derivedName: body.derivedName,
      levelGovernmentName: body.levelGovernmentName,
      overridden: body.overrideName !== "",
    },
  });
  const review = {
    key: "review" as const,
    label: "申请行政复议",
    rule: "自知道该行政行为之日起60日内",
    basis: `${REVIEW_LAW}第二十条第一款`,
    deadline: await periodEnd(addDays(known, 60)),
  };
  const afterReview = {
    key: "suitAfterReview" as const,
    label: "对复议决定不服提起行政诉讼",
    rule: "自收到行政复议决定书之日起15日内（复议机关逾期不作决定的，自复议期满之日起15日内）",
    basis: `${LITIGATION_LAW}第四十五条`,
    deadline: reviewDecisionDate ? await periodEnd(addDays(reviewDecisionDate, 15)) : null,
  };
  const suit = {
    key: "suit" as const,
    label: "直接提起行政诉讼",
    rule: "自知道该行政行为之日起6个月内",
    basis: `${LITIGATION_LAW}第四十六条第一款`,
    deadline: await periodEnd(addMonths(known, 6)),
  };
  // 县级以上地方人民政府 as defendant: 中级人民法院 (Art. 15 (一)); otherwise the 基层人民法院 (Art. 14).
  const court = agency.level === "government" ? "中级人民法院" : "基层人民法院";
  const courtRoute =
    `${kind === "reviewFirst" ? "经行政复议后，" : ""}向${agency.name}所在地的${court}提起行政诉讼` +
    `（${LITIGATION_LAW}${agency.level === "government" ? "第十五条第（一）项" : "第十四条"}、第十八条第一款）；` +
    "经复议的案件，也可以向复议机关所在地的人民法院提起（第十八条第一款）。";
  return {
    kind,
    knownOn: known,
    decidedOn,
    letterSentence,
    reviewBody: { name: reviewBodyName(body), rule: reviewBodyRuleLabels[body.rule] },
    court: courtRoute,
    deadlines: kind === "reviewFirst" ? [review, afterReview] : [review, suit, afterReview],
  };
}

/**
 * The 行政复议申请书 pre-filled from the application (the applicant's own identity and contact data,
 * which only the applicant is shown) and the reply. Refused (409) when nothing can be contested.
 */
export async function reviewApplication(
  request: DisclosureRequestDoc,
  cipher: PersonalDataCipher,
): Promise<ReviewApplicationDto> {
  const remedy = await remedyGuide(request);
  if (!remedy || !isOutcomeKey(request.outcome)) {
    throw Conflict("remedy.none", "该申请的办理结果无需申请行政复议");
  }
  const agency = await Agency.findById(request.agencyId).lean<AgencyDoc>();
  const open = (sealed: string) => (sealed ? cipher.decrypt(sealed) : "");
  const applicant = request.applicant;
  const isPerson = applicant.type === "natural";
  const idLabel = idTypeLabels[applicant.idType as keyof typeof idTypeLabels] ?? "证件";
  const outcome = outcomes[request.outcome];
  const reply = outcome.group === "other" ? "告知" : "答复";
  const received = request.receiptDate ? chineseDate(request.receiptDate) : "";
  return {
    title: "行政复议申请书",
    sections: [
      {
        heading: "申请人",
        lines: [
          `${isPerson ? "姓名" : "名称"}：${applicant.name}`,
          `${idLabel}号码：${open(applicant.idNumberSealed)}`,
          ...(isPerson ? [] : [`联系人：${applicant.contactPerson}`]),
          `联系电话：${open(applicant.phoneSealed)}`,
          `${isPerson ? "住址" : "住所"}（通信地址）：${open(applicant.addressSealed)}`,
        ],
      },
      {
        heading: "被申请人",
        lines: [
          `名称：${agency?.name ?? ""}`,
          ...(agency?.letterhead?.address ? [`住所：${agency.letterhead.address}`] : []),
        ],
      },
      {
        heading: "行政复议请求",
        lines: [
          `1．撤销被申请人于${chineseDate(remedy.decidedOn)}作出的政府信息公开申请${reply}（申请编号：${request.serialNo}）；`,
          "2．责令被申请人依法重新作出答复，向申请人公开所申请的政府信息。",
        ],
      },
      {
        heading: "事实和理由",
        lines: [
          `申请人${received ? `于${received}` : ""}向被申请人提出政府信息公开申请（申请编号：${request.serialNo}），申请获取“${request.description}”。`,
          `被申请人于${chineseDate(remedy.decidedOn)}作出${reply}，办理结果为“${outcome.ledgerName}”（依据：${outcome.legalBasis}），申请人于${chineseDate(remedy.knownOn)}知道该行政行为。`,
          "申请人认为，被申请人的上述行政行为不符合《中华人民共和国政府信息公开条例》的规定，侵犯了申请人依法获取政府信息的权利。（请在此补充具体理由）",
          `根据${REVIEW_LAW}第二条、第十一条第（十四）项、第二十条第一款的规定，特提出行政复议申请，请依法撤销。`,
        ],
      },
    ],
    closing: [
      "此致",
      remedy.reviewBody.name,
      `申请人（签名或者盖章）：${applicant.name}`,
      "　　　　年　　月　　日",
      `附件：1．政府信息公开申请（申请编号：${request.serialNo}）；2．被申请人作出的${reply}书；3．申请人身份证明复印件。`,
    ],
  };
}

/** Prints the 行政复议申请书 as DOCX: title, headed sections, closing lines; 仿宋, A4. */
export async function renderReviewApplication(model: ReviewApplicationDto): Promise<Buffer> {
  const font = {
    ascii: "Times New Roman",
    hAnsi: "Times New Roman",
    eastAsia: "仿宋_GB2312",
    hint: "eastAsia",
  };
  const line = (text: string, options: { bold?: boolean; size?: number; center?: boolean } = {}) =>
    new Paragraph({
      alignment: options.center ? AlignmentType.CENTER : AlignmentType.LEFT,
      spacing: { line: 560 },
      children: [new TextRun({ text, bold: options.bold, size: options.size ?? 32, font })],
    });
  const children = [
    line(model.title, { bold: true, size: 44, center: true }),
    ...model.sections.flatMap((section) => [
      line(`${section.heading}：`, { bold: true }),
      ...section.lines.map((text) => line(text)),
    ]),
    ...model.closing.map((text) => line(text)),
  ];
  const document = new Document({
    creator: "政府信息公开平台",
    title: model.title,
    sections: [officialPageSection(children)],
  });
  return Packer.toBuffer(document);
}
