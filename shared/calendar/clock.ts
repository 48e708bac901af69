/**
 * The statutory answer clock (答复期限) as a pure function of an application's events, replayed over
 * the working-day calendar. Rules (《条例》 Arts. 30–35, law-and-report-format.md §1):
 * - The receipt date is the date of `register` (in person: the submission day; mail: the signed or
 *   confirmed day entered by staff) or of `confirmReceipt` (online/fax/e-mail/ordinary mail: the day
 *   both sides confirm). The receipt day is not counted; counting starts the next working day.
 * - 20 working days, plus at most one extension of ≤20 working days (Art. 33).
 * - 补正 restarts the period from the day the corrected application is received (not a pause).
 *   The notice itself is due within 7 working days of receipt.
 * - Consultation (Arts. 32/34) is excluded from the period: the days after the letter is sent up to
 *   the day the reply is recorded, capped at the consulted party's own 15 working days — after
 *   that the time is no longer "needed" for the consultation, so the clock runs again even if
 *   nobody has recorded the end. The letter's sending day stands in for the party's receipt day.
 * - Art. 35: an explicitly fixed reasonable delayed deadline replaces the due date if later.
 * - An extension or an Art. 35 delay counts only when decided within the running period (Art. 33 ¶2:
 *   approved and notified before the period ends). One recorded later (a ledger import of what
 *   happened) does not cure the delay: it is ignored, so the reply is late, with a warning.
 * - Fee window (109号): 20 working days from the day after the applicant receives the notice —
 *   online or in person: the day it is sent; by mail: the signing date (`recordFeeDelivery`); until
 *   a mailed notice is signed for, the window has not started. DECISION: the answer clock
 *   pauses during the window (notice day counted, then paused up to payment, capped at the payment
 *   due date). The law is silent (unconfirmed); pausing is what local 109号 implementing procedures
 *   do, and the agency cannot work on the reply before it knows whether the applicant pays.
 */
import { type Channel, channelLabels, receiptRules } from "../lifecycle/channels.ts";
import type { EventType } from "../lifecycle/machine.ts";
import type { RequestEvent } from "../schemas/requestEvent.ts";
import { addDays, type IsoDate, maxDate, minDate } from "./date.ts";
import { addWorkingDays, type CalendarOverrides, dayInfo, isYearCovered, MAX_SCAN_DAYS } from "./workdays.ts";

/** Inputs besides the events. */
export interface ClockOptions {
  /** Today in Asia/Shanghai; the only source of "now", so the function stays pure. */
  today: IsoDate;
  /** Channel, when not recorded on the `submit`/`register` event. */
  channel?: Channel;
  overrides?: CalendarOverrides;
}

/** One calendar day of the explanation. */
export interface ClockDay {
  date: IsoDate;
  counted: boolean;
  reason: string;
  /** Working-day number within the period, for counted days. */
  dayNumber?: number;
}

/** Where the clock stands. */
export const clockStatuses = ["notStarted", "running", "paused", "awaitingCorrection", "stopped"] as const;

/** Where the reply clock stands. */
export type ClockStatus = (typeof clockStatuses)[number];

/** Labels of the clock states. */
export const clockStatusLabels: Readonly<Record<ClockStatus, string>> = {
  notStarted: "尚未起算",
  running: "计时中",
  paused: "暂停计算（征求意见等）",
  awaitingCorrection: "等待补正",
  stopped: "已停止",
};

/** The derived clock fields of an application. */
export interface ClockResult {
  status: ClockStatus;
  /** The original 收到申请之日. */
  receiptDate: IsoDate | null;
  /** The day the current period counts from (receipt, or receipt of the corrected application). */
  startDate: IsoDate | null;
  /** Answer due date; null before receipt and while awaiting correction (the period will restart). */
  dueDate: IsoDate | null;
  correctionNoticeDueDate?: IsoDate;
  correctionDeadline?: IsoDate;
  feePaymentDueDate?: IsoDate;
  consultationDueDate?: IsoDate;
  /** 20 plus the extension. */
  workingDaysLimit: number;
  extendedDays: number;
  workingDaysUsed: number;
  workingDaysLeft: number;
  overdue: boolean;
  paused: boolean;
  explanation: ClockDay[];
  /** Problems staff should see (missing calendar year, lapsed windows not yet recorded). */
  warnings: string[];
}

/** Base answer period in working days (Art. 33). */
export const BASE_WORKING_DAYS = 20;
/** Maximum extension in working days (Art. 33). */
export const MAX_EXTENSION_DAYS = 20;
/** 补正 notice period in working days (Art. 30). */
export const CORRECTION_NOTICE_DAYS = 7;
/** Consulted party's reply period in working days (Arts. 32, 34). */
export const CONSULTATION_DAYS = 15;
/** Fee payment window in working days (109号). */
export const FEE_PAYMENT_DAYS = 20;

/** Replays the events (in order) and returns the clock as of `options.today`. */
export function computeClock(events: readonly RequestEvent[], options: ClockOptions): ClockResult {
  const extension = events.find((e) => e.type === "extend");
  const delay = events.find((e) => e.type === "delayDeadline");
  if (!extension && !delay) return replay(events, options);
  const warnings: string[] = [];
  let keepExtension = true;
  let keepDelay = true;
  if (extension) {
    const { dueDate } = replay(
      events.filter((e) => e !== extension && e !== delay),
      options,
    );
    if (dueDate && extension.date > dueDate) {
      keepExtension = false;
      warnings.push(lapsedWarning("延长答复期限", extension.date, dueDate));
    }
  }
  if (delay) {
    const { dueDate } = replay(
      events.filter((e) => e !== delay && (e !== extension || keepExtension)),
      options,
    );
    if (dueDate && delay.date > dueDate) {
      keepDelay = false;
      warnings.push(lapsedWarning("确定延迟答复期限", delay.date, dueDate));
    }
  }
  const kept = events.filter((e) => (e !== extension || keepExtension) && (e !== delay || keepDelay));
  const result = replay(kept, options);
  return { ...result, warnings: [...warnings, ...result.warnings] };
}

/**
 * Whether an extension or Art. 35 delay decided on `date` is still within the running period.
 * @returns the refusal message, or null when it may be recorded.
 */
export function periodLapsedMessage(
  event: "extend" | "delayDeadline",
  date: IsoDate,
  clock: Pick<ClockResult, "dueDate">,
): string | null {
  if (!clock.dueDate || date <= clock.dueDate) return null;
  const what = event === "extend" ? "延长答复期限" : "确定延迟答复期限";
  return `答复期限已于${clock.dueDate}届满，不能再${what}：延长答复期限应当在答复期限内决定并告知申请人（《条例》第三十三条第二款）`;
}

function lapsedWarning(what: string, date: IsoDate, dueDate: IsoDate): string {
  return `${what}的决定（${date}）晚于答复期限（${dueDate}），不产生延长效力，本申请已超过答复期限`;
}

function replay(events: readonly RequestEvent[], options: ClockOptions): ClockResult {
  const overrides = options.overrides ?? [];
  const { today } = options;
  const receiptIndex = findLastIndex(events, (e) => e.type === "register" || e.type === "confirmReceipt");
  const receipt = events[receiptIndex];
  const stop = events.find((e) => STOP_EVENTS.includes(e.type));
  if (!receipt) return emptyResult("notStarted", { stopped: stop !== undefined });

  const receiptDate = receipt.date;
  const base: Partial<ClockResult> = {
    receiptDate,
    correctionNoticeDueDate: addWorkingDays(receiptDate, CORRECTION_NOTICE_DAYS, overrides),
  };
  const correction = events.find((e) => e.type === "requestCorrection");
  const correctionIndex = correction ? events.indexOf(correction) : -1;
  const correctedIndex = events.findIndex((e, i) => i > correctionIndex && e.type === "receiveCorrection");
  if (correction) base.correctionDeadline = correction.deadline;
  if (correction && correctedIndex < 0) {
    const warnings =
      !stop && today > correction.deadline ? [`补正期限（${correction.deadline}）已届满，申请人未补正`] : [];
    return {
      ...emptyResult(stop ? "stopped" : "awaitingCorrection", { stopped: stop !== undefined }),
      ...base,
      startDate: null,
      warnings,
      explanation: [
        {
          date: receiptDate,
          counted: false,
          reason: "收到申请之日（已告知补正，答复期限自收到补正申请之日起重新计算）",
        },
      ],
    };
  }

  const startIndex = correctedIndex >= 0 ? correctedIndex : receiptIndex;
  const startDate = events[startIndex]?.date ?? receiptDate;
  const current = events.slice(startIndex + 1);
  const channel = options.channel ?? channelOf(events);
  const extension = events.find((e) => e.type === "extend");
  const extendedDays = extension ? Math.min(extension.workingDays, MAX_EXTENSION_DAYS) : 0;
  const limit = BASE_WORKING_DAYS + extendedDays;
  const art35 = events.find((e) => e.type === "delayDeadline")?.deadline;
  const stopDate = stop?.date;
  const endOfUsage = stopDate ?? today;

  const pauses = collectPauses(current, overrides, today);
  const warnings = pauses.flatMap((p) =>
    !stop && p.open && !p.awaitingDelivery && today > p.dueDate ? [p.lapsedWarning] : [],
  );
  if (!stop && pauses.some((p) => p.open && p.awaitingDelivery))
    warnings.push("收费通知邮寄送达，尚未记录申请人签收日期，缴费期限尚未起算");
  const lastConsultation = pauses.filter((p) => p.kind !== "fee").at(-1);
  const fee = pauses.find((p) => p.kind === "fee");

  const startReason =
    correctedIndex >= 0
      ? "收到补正申请之日（不计入，答复期限重新计算）"
      : `收到申请之日（${channel ? `${channelLabels[channel]}：${receiptRules[channel]}` : "不计入"}${channel ? "，不计入" : ""}）`;
  const explanation: ClockDay[] = [{ date: startDate, counted: false, reason: startReason }];
  let count = 0;
  let limitDate: IsoDate | null = null;
  let day = startDate;
  for (let guard = 0; guard < MAX_SCAN_DAYS; guard++) {
    day = addDays(day, 1);
    const pause = pauses.find((p) => day > p.from && day <= p.to);
    const info = dayInfo(day, overrides);
    if (pause) explanation.push({ date: day, counted: false, reason: pause.reason });
    else if (!info.working) explanation.push({ date: day, counted: false, reason: `${info.reason}，不计入` });
    else {
      count += 1;
      explanation.push({
        date: day,
        counted: true,
        dayNumber: count,
        reason: countedReason(count, limit, day, art35),
      });
      if (count === limit) limitDate = day;
    }
    if (limitDate && day >= maxDate(maxDate(limitDate, art35 ?? limitDate), endOfUsage)) break;
  }

  const dueDate = limitDate && art35 ? maxDate(limitDate, art35) : limitDate;
  const used = explanation.filter((d) => d.counted && d.date <= endOfUsage).length;
  const left = dueDate
    ? explanation.filter((d) => d.counted && d.date > endOfUsage && d.date <= dueDate).length
    : 0;
  const paused = !stop && pauses.some((p) => p.open && today > p.from && today <= p.to);
  for (const year of yearsBetween(startDate, day)) {
    if (!isYearCovered(year, overrides))
      // Only the supervisors who keep the shared calendar can enter a year: name them, not "an admin".
      warnings.push(
        `${year}年节假日安排尚未录入，期限暂按周一至周五推算，请联系负责节假日日历的监督管理人员在“系统 › 节假日”中录入`,
      );
  }
  return {
    status: stop ? "stopped" : paused ? "paused" : "running",
    receiptDate,
    startDate,
    dueDate,
    ...base,
    ...(fee && !fee.awaitingDelivery ? { feePaymentDueDate: fee.dueDate } : {}),
    ...(lastConsultation ? { consultationDueDate: lastConsultation.dueDate } : {}),
    workingDaysLimit: limit,
    extendedDays,
    workingDaysUsed: used,
    workingDaysLeft: left,
    overdue: dueDate !== null && endOfUsage > dueDate,
    paused,
    explanation,
    warnings,
  };
}

/** Events that stop the clock (the application is closed for statistics). */
export const STOP_EVENTS: readonly EventType[] = [
  "decide",
  "withdraw",
  "closeUnprocessed",
  "expireCorrection",
  "expireFee",
];

interface Pause {
  kind: "thirdParty" | "otherAgency" | "fee";
  /** Last counted day before the pause (excluded range is (from, to]). */
  from: IsoDate;
  to: IsoDate;
  dueDate: IsoDate;
  open: boolean;
  /** A mailed fee notice not yet signed for: no payment due date yet. */
  awaitingDelivery?: boolean;
  reason: string;
  lapsedWarning: string;
}

// Pairs each start (consultation letter / fee notice) with its end; open ones run to their due date.
function collectPauses(
  events: readonly RequestEvent[],
  overrides: CalendarOverrides,
  today: IsoDate,
): Pause[] {
  const pauses: Pause[] = [];
  events.forEach((e, i) => {
    if (e.type === "startConsultation") {
      const dueDate = addWorkingDays(e.date, CONSULTATION_DAYS, overrides);
      const end = events.slice(i + 1).find((x) => x.type === "endConsultation");
      const who = e.party === "thirdParty" ? "第三方" : "其他机关";
      pauses.push({
        kind: e.party,
        from: e.date,
        to: end ? minDate(end.date, dueDate) : dueDate,
        dueDate,
        open: !end,
        reason: `征求${who}（${e.name}）意见期间，不计入答复期限（《条例》第三十三条第三款）`,
        lapsedWarning: `征求${who}意见的答复期限（${dueDate}）已届满，请记录征求意见结果`,
      });
    }
    if (e.type === "feeNotice") {
      const later = events.slice(i + 1);
      const end = later.find((x) => x.type === "feePaid" || x.type === "expireFee");
      // Notices recorded before the delivery method existed were treated as received on the day sent.
      const received =
        e.delivery === "mail" ? later.find((x) => x.type === "recordFeeDelivery")?.date : e.date;
      if (!received) {
        // Mailed and not yet signed for: the window has not started, the answer clock stays paused.
        const to = end ? end.date : maxDate(today, e.date);
        pauses.push({
          kind: "fee",
          from: e.date,
          to,
          dueDate: to,
          open: !end,
          awaitingDelivery: true,
          reason: "收费通知邮寄送达中（尚未签收），不计入答复期限",
          lapsedWarning: "",
        });
        return;
      }
      const dueDate = addWorkingDays(received, FEE_PAYMENT_DAYS, overrides);
      pauses.push({
        kind: "fee",
        from: e.date,
        to: end ? minDate(end.date, dueDate) : dueDate,
        dueDate,
        open: !end,
        reason: "申请人缴纳信息处理费期间，不计入答复期限",
        lapsedWarning: `缴费期限（${dueDate}）已届满，申请人未缴费`,
      });
    }
  });
  return pauses;
}

function countedReason(n: number, limit: number, day: IsoDate, art35: IsoDate | undefined): string {
  if (n <= BASE_WORKING_DAYS) return `第${n}个工作日`;
  if (n <= limit) return `第${n}个工作日（延长期限第${n - BASE_WORKING_DAYS}个工作日）`;
  if (art35 && day <= art35) return `第${n}个工作日（《条例》第三十五条确定的延迟答复期限内）`;
  return `第${n}个工作日（已超过答复期限）`;
}

function channelOf(events: readonly RequestEvent[]): Channel | undefined {
  for (const e of events) if (e.type === "submit" || e.type === "register") return e.channel;
  return undefined;
}

function emptyResult(status: ClockStatus, { stopped }: { stopped: boolean }): ClockResult {
  return {
    status: stopped ? "stopped" : status,
    receiptDate: null,
    startDate: null,
    dueDate: null,
    workingDaysLimit: BASE_WORKING_DAYS,
    extendedDays: 0,
    workingDaysUsed: 0,
    workingDaysLeft: 0,
    overdue: false,
    paused: status === "awaitingCorrection" && !stopped,
    explanation: [],
    warnings: [],
  };
}

function findLastIndex<T>(items: readonly T[], predicate: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (predicate(items[i] as T)) return i;
  return -1;
}

function yearsBetween(from: IsoDate, to: IsoDate): number[] {
  const years: number[] = [];
  for (let y = Number(from.slice(0, 4)); y <= Number(to.slice(0, 4)); y++) years.push(y);
  return years;
}
