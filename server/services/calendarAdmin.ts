/**
 * Administration of the working-day calendar: overrides for years the package data does not cover
 * (or corrections to it), each change audited, the cache dropped and the stored due dates of open
 * applications recomputed so the queue filters follow the new calendar at once.
 */
import { addDays } from "@govinfo/shared/calendar/date";
import { coveredYears, dayInfo } from "@govinfo/shared/calendar/workdays";
import type {
  CalendarDaysDto,
  CalendarOverrideDto,
  CalendarOverrideInput,
} from "@govinfo/shared/schemas/calendar";
import type { Context } from "koa";
import mongoose from "mongoose";
import { NotFound } from "../errors.ts";
import { CalendarOverride } from "../models/CalendarOverride.ts";
import { audit } from "./audit.ts";
import { calendarOverrides, invalidateCalendar } from "./calendar.ts";
import { recomputeDueDates } from "./requestTransitioner.ts";

/** Every override, by date. */
export async function listOverrides(): Promise<CalendarOverrideDto[]> {
  return (await calendarOverrides()).map((o) => ({ date: o.date, kind: o.kind, name: o.name }));
}

/** Creates or replaces the override of one date. */
export async function setOverride(
  date: string,
  input: CalendarOverrideInput,
  ctx: Context,
): Promise<CalendarOverrideDto> {
  await mongoose.connection.transaction(async (session) => {
    const previous = await CalendarOverride.findOne({ date }).session(session).lean();
    await CalendarOverride.updateOne(
      { date },
      { $set: { kind: input.kind, name: input.name } },
      { upsert: true, session },
    );
    await audit(
      ctx,
      {
        action: "calendar.override.set",
        targetType: "calendarOverride",
        targetId: date,
        details: {
          date,
          kind: input.kind,
          name: input.name,
          previous: previous ? { kind: previous.kind, name: previous.name } : null,
        },
      },
      session,
    );
  });
  await afterChange();
  return { date, kind: input.kind, name: input.name };
}

/** Removes the override of one date (404 when there is none). */
export async function deleteOverride(date: string, ctx: Context): Promise<void> {
  await mongoose.connection.transaction(async (session) => {
    const previous = await CalendarOverride.findOneAndDelete({ date }, { session }).lean();
    if (!previous) throw NotFound("calendarOverride", `${date} 没有人工调整的日历记录`);
    await audit(
      ctx,
      {
        action: "calendar.override.delete",
        targetType: "calendarOverride",
        targetId: date,
        details: { date, previous: { kind: previous.kind, name: previous.name } },
      },
      session,
    );
  });
  await afterChange();
}

/** Classifies every day in [from, to] (package data, overrides, weekdays). */
export async function calendarDays(from: string, to: string): Promise<CalendarDaysDto> {
  const overrides = await calendarOverrides();
  const days: CalendarDaysDto["days"] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) {
    const info = dayInfo(day, overrides);
    days.push({
      date: info.date,
      working: info.working,
      kind: info.kind,
      reason: info.reason,
      name: info.name ?? null,
      source: info.source,
    });
  }
  return { days, coveredYears: coveredYears(overrides) };
}

async function afterChange(): Promise<void> {
  invalidateCalendar();
  await recomputeDueDates();
}
