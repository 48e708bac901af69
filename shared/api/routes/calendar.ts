/**
 * The wire contract of /api/calendar: the server's `routes/calendar.ts` attaches handlers to these, the
 * clients call them.
 */
import { z } from "zod";
import type { CalendarDaysDto, CalendarOverrideDto } from "../../schemas/calendar.ts";
import { CalendarDateParams, CalendarDaysQuery, CalendarOverrideInput } from "../../schemas/calendar.ts";
import { endpoint, typedAs } from "../contract.ts";

/** The /api/calendar endpoints. */
export const calendarApi = {
  overrides: endpoint({
    method: "get",
    path: "/calendar/overrides",
    response: typedAs<CalendarOverrideDto[]>(),
  }),
  setOverride: endpoint({
    method: "put",
    path: "/calendar/overrides/:date",
    body: CalendarOverrideInput,
    params: CalendarDateParams,
    response: typedAs<CalendarOverrideDto>(),
  }),
  deleteOverride: endpoint({
    method: "delete",
    path: "/calendar/overrides/:date",
    params: CalendarDateParams,
    response: z.strictObject({ deleted: z.string() }),
  }),
  days: endpoint({
    method: "get",
    path: "/calendar/days",
    query: CalendarDaysQuery,
    response: typedAs<CalendarDaysDto>(),
  }),
};
