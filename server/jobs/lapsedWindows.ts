/**
 * The loop both expiry jobs share: find applications waiting in a state, work out the last day of
 * their window, and fire the closing event dated the day after it (never in the future), counting
 * the cases where the applicant or staff got there first.
 */
import { addDays, maxDate } from "@govinfo/shared/calendar/date";
import type { CalendarOverrides } from "@govinfo/shared/calendar/workdays";
import type { State } from "@govinfo/shared/lifecycle/machine";
import type { Types } from "mongoose";
import { DisclosureRequest, type StoredEvent } from "../models/DisclosureRequest.ts";
import { calendarOverrides, dateInChina } from "../services/calendar.ts";
import { fireEvent } from "../services/requestTransitioner.ts";
import type { JobReport } from "./scheduler.ts";
import { isLostRace, systemActor } from "./systemActor.ts";

/** A waiting application as the window rules read it. */
export interface WaitingRequest {
  _id: Types.ObjectId;
  events: StoredEvent[];
  channel: string;
  version: number;
}

/**
 * Closes every application in `state` whose window ended before today.
 * @param lastDay the window's last day for one application (undefined: no window to close).
 */
export async function closeLapsed(
  now: Date,
  state: State,
  event: "expireCorrection" | "expireFee",
  lastDay: (
    request: WaitingRequest,
    today: string,
    overrides: CalendarOverrides,
  ) => Promise<string | undefined> | string | undefined,
): Promise<JobReport> {
  const today = dateInChina(now);
  const overrides = await calendarOverrides();
  const waiting = await DisclosureRequest.find({ state })
    .select({ events: 1, channel: 1, version: 1 })
    .lean<WaitingRequest[]>();
  const report = { checked: waiting.length, expired: 0, raced: 0, failed: 0 };
  let firstError: unknown;
  for (const request of waiting) {
    const last = await lastDay(request, today, overrides);
    if (last === undefined || today <= last) continue;
    const date = maxDate(addDays(last, 1), request.events.at(-1)?.date ?? last);
    try {
      await fireEvent({
        requestId: request._id,
        input: { type: event, date },
        actor: systemActor,
        expectedVersion: request.version,
        today,
      });
      report.expired += 1;
    } catch (error) {
      // The applicant (correction, payment, withdrawal) or staff got there first: nothing left to do.
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
