/**
 * Closes applications whose fee (信息处理费) was not paid within 20 working days from the day after
 * the fee notice (国办函〔2020〕109号: 视为放弃申请) → `expireFee` → outcome `other.feeUnpaid`. The
 * payment due date comes from the statutory clock; the closure is dated the day after it, never in
 * the future.
 */
import { clockOf } from "../services/requestClock.ts";
import { closeLapsed } from "./lapsedWindows.ts";
import type { Job, JobReport } from "./scheduler.ts";

/** The job; runs every ten minutes. */
export const expireFeesJob: Job = { name: "expireFees", intervalMs: 10 * 60_000, run: expireFees };

/**
 * Fires `expireFee` on every application awaiting payment whose payment window has passed by `now`.
 * @param now the current time; its date in Asia/Shanghai is "today".
 */
export function expireFees(now: Date): Promise<JobReport> {
  return closeLapsed(now, "feeNotified", "expireFee", async (request, today, overrides) => {
    return (await clockOf(request, today, overrides)).feePaymentDueDate;
  });
}
