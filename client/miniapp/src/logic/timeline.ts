/**
 * Plain-Chinese text for an application: its event timeline, the working days left and the
 * deadline sentence. Pure (unit-tested under node).
 */
import type { RequestDetailDto, RequestListItemDto } from "@govinfo/shared/schemas/requestDto";

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
  if (item.workingDaysLeft === null || item.dueDate === null) return "答复期限暂停计算";
  if (item.overdue) return `已超过答复期限 ${Math.abs(item.workingDaysLeft)} 个工作日`;
  return `距答复期限还有 ${item.workingDaysLeft} 个工作日（${chineseDate(item.dueDate)}）`;
}

/** The fee notice as the citizen needs it (amount sentence and payment deadline), if any is pending. */
export function feeText(detail: Pick<RequestDetailDto, "state" | "timeline" | "clock">): string | null {
  if (detail.state !== "feeNotified") return null;
  const notice = [...detail.timeline].reverse().find((entry) => entry.type === "feeNotice");
  const due = detail.clock.feePaymentDueDate;
  const parts = [notice?.summary ?? "行政机关已发出收费通知"];
  if (due) parts.push(`请于${chineseDate(due)}前缴纳，逾期未缴纳的视为放弃申请`);
  return parts.join("；");
}

/** Wraps search highlights so they show in <rich-text> on weapp too (no stylesheet reaches inside). */
export function emphasize(html: string): string {
  return html.replace(/<em>/g, '<em style="color:#b71c1c;font-style:normal;font-weight:600">');
}
