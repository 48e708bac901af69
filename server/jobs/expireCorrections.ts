/**
 * Closes applications whose 补正 deadline has passed without the corrected application arriving
 * (《条例》第三十条: 视为放弃申请) → `expireCorrection` → outcome `other.noCorrection`.
 *
 * The closure is dated the day after the deadline (the first day the applicant is late), never in
 * the future, so a scheduler that was down for a while still records the legally right date. A
 * deadline that falls on a rest day runs to the next working day (《民法典》第二百零三条), so an
 * applicant is never cut off early.
 */
import { isWorkingDay, nextWorkingDay } from "@govinfo/shared/calendar/workdays";
import { closeLapsed } from "./lapsedWindows.ts";
import type { Job, JobReport } from "./scheduler.ts";

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
export function expireCorrections(now: Date): Promise<JobReport> {
  return closeLapsed(now, "correctionRequested", "expireCorrection", (request, _today, overrides) => {
    const deadline = request.events.findLast((event) => event.type === "requestCorrection")?.payload.deadline;
    if (typeof deadline !== "string") return undefined;
    return isWorkingDay(deadline, overrides) ? deadline : nextWorkingDay(deadline, overrides);
  });
}
