/**
 * Closes applications whose fee (信息处理费) was not paid within 20 working days from the day after
 * the fee notice (国办函〔2020〕109号: 视为放弃申请) → `expireFee` → outcome `other.feeUnpaid`. The
 * payment due date comes from the statutory clock; the closure is dated the day after it, never in
 * the future.
 */
import { addDays, maxDate } from "@govinfo/shared/calendar/date";
import type { Types } from "mongoose";
import { DisclosureRequest, type StoredEvent } from "../models/DisclosureRequest.ts";
import { calendarOverrides, dateInChina } from "../services/calendar.ts";
import { clockOf } from "../services/requestClock.ts";
import { fireEvent } from "../services/requestTransitioner.ts";
import type { Job, JobReport } from "./scheduler.ts";
import { isLostRace, systemActor } from "./systemActor.ts";

/** The job; runs every ten minutes. */
export const expireFeesJob: Job = { name: "expireFees", intervalMs: 10 * 60_000, run: expireFees };

/**
 * Fires `expireFee` on every application awaiting payment whose payment window has passed by `now`.
 * @param now the current time; its date in Asia/Shanghai is "today".
 */
export async function expireFees(now: Date): Promise<JobReport> {
  const today = dateInChina(now);
  const overrides = await calendarOverrides();
  const waiting = await DisclosureRequest.find({ state: "feeNotified" })
    .select({ events: 1, channel: 1, version: 1 })
    .lean<{ _id: Types.ObjectId; events: StoredEvent[]; channel: string; version: number }[]>();
  const report = { checked: waiting.length, expired: 0, raced: 0, failed: 0 };
  let firstError: unknown;
  for (const request of waiting) {
    const clock = await clockOf(request, today, overrides);
    const dueDate = clock.feePaymentDueDate;
    if (dueDate === undefined || today <= dueDate) continue;
    const date = maxDate(addDays(dueDate, 1), request.events.at(-1)?.date ?? dueDate);
    try {
      await fireEvent({
        requestId: request._id,
        input: { type: "expireFee", date },
        actor: systemActor,
        expectedVersion: request.version,
        today,
      });
      report.expired += 1;
    } catch (error) {
      // A payment recorded by staff or a withdrawal got there first.
      if (isLostRace(error)) report.raced += 1;
      else {
        report.failed += 1;
        firstError ??= error;
      }
    }
  }
  // One broken record must not hold up the others; the scheduler logs the error after the loop.
  if (firstError !== undefined) throw firstError;
  return report;
}
