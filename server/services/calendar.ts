/**
 * The working-day calendar as the server uses it: package data plus admin overrides (cached briefly,
 * reloaded after every change), and "today" in the statistics time zone.
 */
import { defaults } from "@govinfo/config/defaults";
import type { CalendarOverrides } from "@govinfo/shared/calendar/workdays";
import { CalendarOverride } from "../models/CalendarOverride.ts";

let cached: { overrides: CalendarOverrides; loadedAt: number } | null = null;

/**
 * The admin-entered overrides. This process drops its copy on every change it makes; the copy also
 * expires after `defaults.calendarCacheMs`, so other app instances pick up a change within that time.
 */
export async function calendarOverrides(): Promise<CalendarOverrides> {
  if (cached && Date.now() - cached.loadedAt < defaults.calendarCacheMs) return cached.overrides;
  const loadedAt = Date.now();
  const rows = await CalendarOverride.find({}, { date: 1, kind: 1, name: 1 }).sort({ date: 1 }).lean();
  const overrides = rows.map((row) => ({
    date: row.date,
    kind: row.kind as "holiday" | "workday",
    name: row.name,
  }));
  cached = { overrides, loadedAt };
  return overrides;
}

/** Drops the cache after overrides change. */
export function invalidateCalendar(): void {
  cached = null;
}

const formatter = new Intl.DateTimeFormat("en-CA", {
  timeZone: defaults.timeZone,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

/** The calendar date 'YYYY-MM-DD' in Asia/Shanghai at `now`. */
export function dateInChina(now: Date = new Date()): string {
  return formatter.format(now);
}
