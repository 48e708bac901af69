/**
 * The working-day calendar API: admin-entered overrides (for years `chinese-days` does not cover yet,
 * or corrections) and the classified days the admin calendar page shows.
 */
import { z } from "zod";
import { DateString } from "./common.ts";

/** Path parameter `:date` of an override. */
export const CalendarDateParams = z.object({ date: DateString });

/** Body of PUT /calendar/overrides/:date. */
export const CalendarOverrideInput = z.object({
  kind: z.enum(["holiday", "workday"], { error: "请选择类型（holiday 放假 或 workday 调休上班）" }),
  name: z
    .string({ error: "请填写节日名称" })
    .trim()
    .min(1, { error: "请填写节日名称" })
    .max(20, { error: "节日名称不能超过20字" }),
});

/** Body of PUT /calendar/overrides/:date. */
export type CalendarOverrideInput = z.infer<typeof CalendarOverrideInput>;

/** Longest range GET /calendar/days answers at once. */
export const MAX_CALENDAR_RANGE_DAYS = 366;

/** Query of GET /calendar/days. */
export const CalendarDaysQuery = z
  .object({ from: DateString, to: DateString })
  .refine((v) => v.from <= v.to, { error: "开始日期不能晚于结束日期", path: ["to"] })
  .refine((v) => (Date.parse(v.to) - Date.parse(v.from)) / 86_400_000 < MAX_CALENDAR_RANGE_DAYS, {
    error: `查询范围不能超过${MAX_CALENDAR_RANGE_DAYS}天`,
    path: ["to"],
  });

/** Query of GET /calendar/days. */
export type CalendarDaysQuery = z.infer<typeof CalendarDaysQuery>;

/** One override as the API answers it. */
export interface CalendarOverrideDto {
  date: string;
  kind: "holiday" | "workday";
  name: string;
}

/** One classified day. */
export interface CalendarDayDto {
  date: string;
  working: boolean;
  kind: "workday" | "weekend" | "holiday" | "makeUpWorkday";
  reason: string;
  name: string | null;
  source: "package" | "override" | "weekday";
}

/** The answer of GET /calendar/days. */
export interface CalendarDaysDto {
  days: CalendarDayDto[];
  /** Years whose holiday arrangement is known (package data or overrides). */
  coveredYears: number[];
}
