/**
 * Plain-Chinese text for an application: its event timeline, the working days left and the
 * deadline sentence. Pure (unit-tested under node).
 */
import { feeLegalBasis, feeMethodLabels } from "@govinfo/shared/fees";
import type { RequestDetailDto, RequestListItemDto } from "@govinfo/shared/schemas/requestDto";

/** Days to pay a 收费通知 (《政府信息公开信息处理费管理办法》, 国办函〔2020〕109号). */
export const FEE_PAYMENT_DAYS = 20;

/** One timeline entry as the API sends it. */
export type TimelineEntry = RequestDetailDto["timeline"][number];

/** One line of the timeline as the citizen reads it. */
export interface TimelineLine {
  date: string;
  title: string;
  who: string;
  text: string;
}

const actorWords: Record<TimelineEntry["actorKind"], string> = {
  applicant: "您",
  staff: "行政机关",
  system: "系统",
};

/** A date "2026-03-05" as "2026年3月5日". */
export function chineseDate(iso: string | null | undefined): string {
  if (!iso) return "";
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  return `${m[1]}年${Number(m[2])}月${Number(m[3])}日`;
}

/** The timeline, newest last, as plain sentences. */
export function timelineLines(entries: readonly TimelineEntry[]): TimelineLine[] {
  return entries.map((entry) => ({
    date: chineseDate(entry.date),
    title: entry.label,
    who: actorWords[entry.actorKind],
    text: entry.summary.trim() === "" ? `${actorWords[entry.actorKind]}${entry.label}` : entry.summary,
  }));
}

/** "还剩 N 个工作日" / "已超期 N 个工作日" / the closed state, for lists and the detail. */
export function daysLeftText(
  item: Pick<RequestListItemDto, "workingDaysLeft" | "overdue" | "dueDate" | "state">,
): string {
  if (item.state === "delivered" || item.state === "withdrawn" || item.state === "closedWithoutProcessing") {
    return "已办结";
  }
  if (item.state === "decided") return "已作出答复，等待送达";
  if (item.state === "correctionRequested") return "请在补正期限内补正，答复期限自收到补正之日起重新计算";
  if (item.state === "submitted") return "等待行政机关确认收到，答复期限自双方确认之日起计算";
  // The statutory exclusions (条例第三十三条第二款; 信息处理费管理办法) pause the clock: say why, and
  // what will remain once it runs again, rather than a countdown that does not move.
  const remaining = item.workingDaysLeft === null ? "" : `，恢复计算后剩余 ${item.workingDaysLeft} 个工作日`;
  if (item.state === "feeNotified") return `已发出收费通知，缴费期间不计算在答复期限内${remaining}`;
  if (item.state === "consulting" && !item.overdue)
    return `正在征求第三方意见，所需时间不计算在答复期限内${remaining}`;
  if (item.workingDaysLeft === null || item.dueDate === null) return "答复期限暂停计算";
  if (item.overdue) return `已超过答复期限 ${Math.abs(item.workingDaysLeft)} 个工作日`;
  return `距答复期限还有 ${item.workingDaysLeft} 个工作日（${chineseDate(item.dueDate)}）`;
}

/** A 收费通知 as the citizen needs it: method, amount, payment deadline, legal basis and payment. */
export interface FeeInfo {
  status: "unpaid" | "paid" | "expired";
  /** 按件计收 / 按量计收 (null for a ledger import that recorded only the date). */
  methodLabel: string | null;
  /** Whole yuan, or null when unknown. */
  amount: number | null;
  noticeDate: string;
  /** The last day to pay (20 working days from the day after the notice), when the clock knows it. */
  dueDate: string | null;
  paidDate: string | null;
  /** "请于…前缴纳" or the paid / expired sentence. */
  statusText: string;
  legalBasis: string;
}

/** The latest 收费通知 of an application and what became of it, or null when none was sent. */
export function feeInfo(detail: Pick<RequestDetailDto, "timeline" | "clock">): FeeInfo | null {
  const timeline = detail.timeline;
  let index = -1;
  for (let i = timeline.length - 1; i >= 0; i--) {
    if (timeline[i]?.type === "feeNotice") {
      index = i;
      break;
    }
  }
  const notice = timeline[index];
  if (!notice) return null;
  // The method and amount come as fields (a ledger import may have recorded only the date).
  const methodLabel = notice.fee ? feeMethodLabels[notice.fee.method] : null;
  const later = timeline.slice(index + 1);
  const paid = later.find((entry) => entry.type === "feePaid");
  const expired = later.find((entry) => entry.type === "expireFee");
  const dueDate = detail.clock.feePaymentDueDate ?? null;
  let status: FeeInfo["status"] = "unpaid";
  let statusText = dueDate
    ? `请于${chineseDate(dueDate)}前缴纳（自收到收费通知之日的次日起${FEE_PAYMENT_DAYS}个工作日内）；逾期未缴纳的，视为放弃申请`
    : `请自收到收费通知之日的次日起${FEE_PAYMENT_DAYS}个工作日内缴纳；逾期未缴纳的，视为放弃申请`;
  if (paid) {
    status = "paid";
    statusText = `已缴费（${chineseDate(paid.date)}），行政机关继续办理您的申请`;
  } else if (expired) {
    status = "expired";
    statusText = "逾期未缴纳信息处理费，视为放弃申请，行政机关不再处理";
  }
  return {
    status,
    methodLabel,
    amount: notice.fee?.amount ?? null,
    noticeDate: notice.date,
    dueDate,
    paidDate: paid?.date ?? null,
    statusText,
    legalBasis: feeLegalBasis,
  };
}

/** Wraps search highlights so they show in <rich-text> on weapp too (no stylesheet reaches inside). */
export function emphasize(html: string): string {
  return html.replace(/<em>/g, '<em style="color:#b71c1c;font-style:normal;font-weight:600">');
}
