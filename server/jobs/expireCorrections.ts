/**
 * Closes applications whose 补正 deadline has passed without the corrected application arriving
 * (《条例》第三十条: 视为放弃申请) → `expireCorrection` → outcome `other.noCorrection`.
 *
 * The closure is dated the day after the deadline (the first day the applicant is late), never in
 * the future, so a scheduler that was down for a while still records the legally right date. A
 * deadline that falls on a rest day runs to the next working day (《民法典》第二百零三条), so an
 * applicant is never cut off early.
 */
import { addDays, maxDate } from "@govinfo/shared/calendar/date";
import { isWorkingDay, nextWorkingDay } from "@govinfo/shared/calendar/workdays";
import type { Types } from "mongoose";
import { DisclosureRequest, type StoredEvent } from "../models/DisclosureRequest.ts";
import { calendarOverrides, dateInChina } from "../services/calendar.ts";
import { fireEvent } from "../services/requestTransitioner.ts";
import type { Job, JobReport } from "./scheduler.ts";
import { isLostRace, systemActor } from "./systemActor.ts";

/** The job; runs every ten minutes (the deadline passes at midnight, but an instance may be down then). */
export const expireCorrectionsJob: Job = {
  name: "expireCorrections",
  intervalMs: 10 * 60_000,
  run: expireCorrections,
};

/**
 * Fires `expireCorrection` on every application in 补正中 whose deadline has passed by `now`.
 * @param now the current time; its date in Asia/Shanghai is "today".
 */
export async function expireCorrections(now: Date): Promise<JobReport> {
  const today = dateInChina(now);
  const overrides = await calendarOverrides();
  const waiting = await DisclosureRequest.find({ state: "correctionRequested" })
    .select({ events: 1, version: 1 })
    .lean<{ _id: Types.ObjectId; events: StoredEvent[]; version: number }[]>();
  const report = { checked: waiting.length, expired: 0, raced: 0, failed: 0 };
  let firstError: unknown;
  for (const request of waiting) {
    const notice = request.events.findLast((event) => event.type === "requestCorrection");
    const deadline = notice?.payload.deadline;
    if (typeof deadline !== "string") continue;
    const lastDay = isWorkingDay(deadline, overrides) ? deadline : nextWorkingDay(deadline, overrides);
    if (today <= lastDay) continue;
    const lastEventDate = request.events.at(-1)?.date ?? lastDay;
    const date = maxDate(addDays(lastDay, 1), lastEventDate);
    try {
      await fireEvent({
        requestId: request._id,
        input: { type: "expireCorrection", date },
        actor: systemActor,
        expectedVersion: request.version,
        today,
      });
      report.expired += 1;
    } catch (error) {
      // The applicant's correction or a staff decision got there first: nothing left to do.
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
