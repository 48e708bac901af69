/**
 * Reminds staff of answer deadlines (答复期限): one in-app notification per application per day
 * when the due date is within 3 working days (`dueSoon`) or has passed (`overdue`). The unique
 * index on (request, kind, date) makes a second run on the same day add nothing. Reminders are made
 * on working days only: nobody reads them on a rest day, and Monday's reminder says the same. Each new
 * reminder also goes to the assignee by SMS/WeChat through the outbox (`services/staffAlerts.ts`).
 */
import { addDays } from "@govinfo/shared/calendar/date";
import { DUE_SOON_WORKING_DAYS } from "@govinfo/shared/calendar/reminders";
import { addWorkingDays, countWorkingDays, isWorkingDay } from "@govinfo/shared/calendar/workdays";
import type { State } from "@govinfo/shared/lifecycle/machine";
import type { Types } from "mongoose";
import { isDuplicateKey } from "../db/duplicateKey.ts";
import { DisclosureRequest, type StoredEvent } from "../models/DisclosureRequest.ts";
import { StaffNotification, type StaffNotificationKind } from "../models/StaffNotification.ts";
import { calendarOverrides, dateInChina } from "../services/calendar.ts";
import { clockOf } from "../services/requestClock.ts";
import { enqueueStaffMessage, reminderIndex } from "../services/staffAlerts.ts";
import type { Job, JobReport } from "./scheduler.ts";

/** Working days before the due date from which staff are reminded (one rule with the queue's colours). */
export const REMIND_WORKING_DAYS = DUE_SOON_WORKING_DAYS;

/** States in which the answer clock runs (or is paused) and a reply is still owed. */
export const remindableStates: readonly State[] = ["received", "consulting", "feeNotified"];

/** The job; hourly is plenty for a once-a-day reminder. */
export const remindDueSoonJob: Job = { name: "remindDueSoon", intervalMs: 60 * 60_000, run: remindDueSoon };

interface OpenRequest {
  _id: Types.ObjectId;
  agencyId: Types.ObjectId;
  assigneeId: Types.ObjectId | null;
  serialNo: string;
  description: string;
  channel: string;
  events: StoredEvent[];
}

/**
 * Creates today's reminders for every open application due within 3 working days or overdue.
 * @param now the current time; its date in Asia/Shanghai is "today".
 */
export async function remindDueSoon(now: Date): Promise<JobReport> {
  const today = dateInChina(now);
  const overrides = await calendarOverrides();
  const report = { checked: 0, dueSoon: 0, overdue: 0, created: 0, messages: 0 };
  if (!isWorkingDay(today, overrides)) return report;
  // The unique index is what makes re-runs harmless; make sure it exists before the first insert.
  await StaffNotification.init();
  const horizon = addWorkingDays(today, REMIND_WORKING_DAYS, overrides);
  // The stored due date narrows the scan; a margin covers calendar overrides entered since it was stored.
  const candidates = await DisclosureRequest.find({
    state: { $in: remindableStates },
    dueDate: { $ne: null, $lte: addDays(horizon, 14) },
  })
    .select({ agencyId: 1, assigneeId: 1, serialNo: 1, description: 1, channel: 1, events: 1 })
    .lean<OpenRequest[]>();
  for (const request of candidates) {
    const clock = await clockOf(request, today, overrides);
    const dueDate = clock.dueDate;
    if (dueDate === null || clock.status === "stopped" || dueDate > horizon) continue;
    report.checked += 1;
    const kind: StaffNotificationKind = today > dueDate ? "overdue" : "dueSoon";
    report[kind] += 1;
    const text = reminderText(request, kind, dueDate, countWorkingDays(today, dueDate, overrides));
    if (await remindOnce(request, kind, today, dueDate, text)) {
      report.created += 1;
      // 超期预警 by SMS/WeChat to the assignee as well, held through the agency's quiet hours.
      const queued = await enqueueStaffMessage({
        request,
        kind,
        eventIndex: reminderIndex(today, kind),
        title: kind === "overdue" ? "超期预警" : "答复期限提醒",
        body: text,
        date: today,
        now,
      });
      if (queued) report.messages += 1;
    }
  }
  return report;
}

/** The reminder sentence shown to staff. */
export function reminderText(
  request: Pick<OpenRequest, "serialNo" | "description">,
  kind: StaffNotificationKind,
  dueDate: string,
  workingDaysLeft: number,
): string {
  const subject = `${request.serialNo}（${shorten(request.description, 30)}）`;
  if (kind === "overdue") return `${subject}已超过答复期限（${dueDate}），请尽快答复`;
  if (workingDaysLeft === 0) return `${subject}答复期限为今天（${dueDate}），请及时答复`;
  return `${subject}答复期限为${dueDate}，还剩${workingDaysLeft}个工作日`;
}

async function remindOnce(
  request: OpenRequest,
  kind: StaffNotificationKind,
  date: string,
  dueDate: string,
  text: string,
): Promise<boolean> {
  try {
    const result = await StaffNotification.updateOne(
      { requestId: request._id, kind, date },
      {
        $setOnInsert: {
          agencyId: request.agencyId,
          userId: request.assigneeId ?? null,
          serialNo: request.serialNo,
          dueDate,
          text,
          readBy: [],
        },
      },
      { upsert: true },
    );
    return result.upsertedCount === 1;
  } catch (error) {
    // Another run inserted the same reminder between our lookup and insert.
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}

function shorten(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max).join("")}…`;
}
