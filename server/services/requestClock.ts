/**
 * The statutory clock of a stored request: its events replayed over the working-day calendar.
 */
import { type ClockResult, computeClock } from "@govinfo/shared/calendar/clock";
import type { CalendarOverrides } from "@govinfo/shared/calendar/workdays";
import type { Channel } from "@govinfo/shared/lifecycle/channels";
import type { RequestEvent } from "@govinfo/shared/schemas/requestEvent";
import type { StoredEvent } from "../models/DisclosureRequest.ts";
import { calendarOverrides, dateInChina } from "./calendar.ts";

/** A stored event in the shape the shared clock and machine read. */
export function toRequestEvent(event: Pick<StoredEvent, "type" | "date" | "payload">): RequestEvent {
  return { ...(event.payload as object), type: event.type, date: event.date } as RequestEvent;
}

/**
 * The clock of a request, as of today (or `today`).
 * @param overrides the calendar overrides; loaded when omitted.
 */
export async function clockOf(
  request: { events: Pick<StoredEvent, "type" | "date" | "payload">[]; channel: string },
  today: string = dateInChina(),
  overrides?: CalendarOverrides,
): Promise<ClockResult> {
  return computeClock(request.events.map(toRequestEvent), {
    today,
    channel: request.channel as Channel,
    overrides: overrides ?? (await calendarOverrides()),
  });
}
