/**
 * The working-day (工作日) calendar: weekends and statutory holidays (incl. the State Council's
 * bridge days) are off, 调休 make-up Saturdays/Sundays are working days. Data: `chinese-days`
 * (2004–2026) plus admin-entered overrides for years the package does not know yet.
 */
import data from "chinese-days/dist/chinese-days.json" with { type: "json" };
import { addDays, dayOfWeek, type IsoDate, toDayNumber } from "./date.ts";

/** An admin-entered calendar day that overrides the package data. */
export interface CalendarOverride {
  date: IsoDate;
  /** `holiday` = day off (even on a weekday); `workday` = 调休上班 (even on a weekend). */
  kind: "holiday" | "workday";
  /** Holiday name, e.g. 春节. */
  name: string;
}

/** Overrides as passed to every calendar function. */
export type CalendarOverrides = readonly CalendarOverride[];

/** Why a day is or is not a working day. */
export type DayKind = "workday" | "weekend" | "holiday" | "makeUpWorkday";

/** A day's classification with a Chinese reason for explanations. */
export interface DayInfo {
  date: IsoDate;
  working: boolean;
  kind: DayKind;
  /** e.g. 工作日, 周末, 法定节假日（春节）, 调休上班（国庆节）. */
  reason: string;
  /** Holiday name when known. */
  name?: string;
  /** Where the classification came from. */
  source: "package" | "override" | "weekday";
}

// Declared before packageYears, which reads them at module load.
type DayMap = Readonly<Record<string, string>>;
const holidays: DayMap = data.holidays;
const workdays: DayMap = data.workdays;
const inLieuDays: DayMap = data.inLieuDays;

/** Years for which the package has holiday data. */
export const packageYears: readonly number[] = collectPackageYears();

/** Years with calendar data: the package's plus any year with admin overrides, ascending. */
export function coveredYears(overrides: CalendarOverrides = []): number[] {
  const years = new Set(packageYears);
  for (const o of overrides) years.add(Number(o.date.slice(0, 4)));
  return [...years].sort((a, b) => a - b);
}

/** Returns true when the year's holiday arrangement is known (package or overrides). */
export function isYearCovered(year: number, overrides: CalendarOverrides = []): boolean {
  return coveredYears(overrides).includes(year);
}

/** Classifies a day: override first, then the package's make-up days and holidays, then the weekday. */
export function dayInfo(date: IsoDate, overrides: CalendarOverrides = []): DayInfo {
  const override = overrideIndex(overrides).get(date);
  if (override) {
    return override.kind === "workday"
      ? {
          date,
          working: true,
          kind: "makeUpWorkday",
          reason: `调休上班（${override.name}）`,
          name: override.name,
          source: "override",
        }
      : {
          date,
          working: false,
          kind: "holiday",
          reason: `法定节假日（${override.name}）`,
          name: override.name,
          source: "override",
        };
  }
  const makeUp = workdays[date];
  if (makeUp !== undefined) {
    const name = chineseName(makeUp);
    return {
      date,
      working: true,
      kind: "makeUpWorkday",
      reason: `调休上班（${name}）`,
      name,
      source: "package",
    };
  }
  const holiday = holidays[date];
  if (holiday !== undefined) {
    const name = chineseName(holiday);
    const inLieu = inLieuDays[date] !== undefined;
    return {
      date,
      working: false,
      kind: "holiday",
      reason: inLieu ? `节假日调休放假（${name}）` : `法定节假日（${name}）`,
      name,
      source: "package",
    };
  }
  const dow = dayOfWeek(date);
  if (dow === 0 || dow === 6)
    return { date, working: false, kind: "weekend", reason: "周末", source: "weekday" };
  return { date, working: true, kind: "workday", reason: "工作日", source: "weekday" };
}

/** Returns true when the date is a working day (工作日). */
export function isWorkingDay(date: IsoDate, overrides: CalendarOverrides = []): boolean {
  return dayInfo(date, overrides).working;
}

/** The first working day strictly after the date. */
export function nextWorkingDay(date: IsoDate, overrides: CalendarOverrides = []): IsoDate {
  return addWorkingDays(date, 1, overrides);
}

/**
 * The n-th working day after the date, not counting the date itself (民法典第二百零一条: the
 * starting day is not counted). n = 0 returns the date unchanged.
 */
export function addWorkingDays(date: IsoDate, n: number, overrides: CalendarOverrides = []): IsoDate {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`工作日数应为非负整数：${n}`);
  let current = date;
  let left = n;
  let guard = 0;
  while (left > 0) {
    current = addDays(current, 1);
    if (isWorkingDay(current, overrides)) left -= 1;
    // A misconfigured override list (every day a holiday) must not hang the caller.
    if (++guard > MAX_SCAN_DAYS) throw new RangeError("日历数据异常：长期没有工作日");
  }
  return current;
}

/** Number of working days in the half-open range (from, to]: `from` is not counted, `to` is. */
export function countWorkingDays(from: IsoDate, to: IsoDate, overrides: CalendarOverrides = []): number {
  const start = toDayNumber(from);
  const end = toDayNumber(to);
  let count = 0;
  for (let day = start + 1; day <= end; day++) {
    if (isWorkingDay(addDays(from, day - start), overrides)) count += 1;
  }
  return count;
}

/** Upper bound for day-by-day scans, far beyond any statutory period. */
export const MAX_SCAN_DAYS = 3660;

// Package values look like "Spring Festival,春节,4"; the Chinese name is the second field.
function chineseName(value: string): string {
  return value.split(",")[1] ?? value;
}

function collectPackageYears(): number[] {
  const years = new Set<number>();
  for (const key of Object.keys(holidays)) years.add(Number(key.slice(0, 4)));
  return [...years].sort((a, b) => a - b);
}

// Overrides arrive as the same array on every call within one computation; index it once.
const indexCache = new WeakMap<CalendarOverrides, Map<IsoDate, CalendarOverride>>();
function overrideIndex(overrides: CalendarOverrides): Map<IsoDate, CalendarOverride> {
  let index = indexCache.get(overrides);
  if (!index) {
    index = new Map(overrides.map((o) => [o.date, o]));
    indexCache.set(overrides, index);
  }
  return index;
}
