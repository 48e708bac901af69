/**
 * 002: recomputes the stored answer due date (`dueDate`) of every open application with this
 * release's working-day calendar, and fills it in where it is missing.
 *
 * `dueDate` is derived from the events and the calendar and stored for the queue filters, the
 * due-date reminders and the overdue metrics; transitions and calendar edits keep it current. Two
 * things leave it stale: applications stored without it (records written before it was stored, or
 * imported by hand through the driver), and a release that brings a new year's holiday schedule in
 * the `chinese-days` data. Until that data arrives the clock counts Monday to Friday for the year,
 * so every due date falling into it moves once it does. This migration is the first such
 * recomputation; a release that updates the calendar data repeats it as a new migration.
 */
import { closedStates } from "@govinfo/shared/lifecycle/machine";
import type { Types } from "mongoose";
import { CalendarOverride } from "../../models/CalendarOverride.ts";
import { DisclosureRequest, type StoredEvent } from "../../models/DisclosureRequest.ts";
import { dateInChina } from "../../services/calendar.ts";
import { clockOf } from "../../services/requestClock.ts";
import type { Migration } from "./migration.ts";

interface OpenApplication {
  _id: Types.ObjectId;
  channel: string;
  events: StoredEvent[];
  dueDate?: string | null;
}

/** The migration. */
export const migration: Migration = {
  id: "002-recompute-due-dates",
  description: "按当前工作日历重新计算未办结申请的答复期限（dueDate），补齐缺失的答复期限",
  transactional: true,
  async up({ session, logger, now }) {
    const today = dateInChina(now);
    // Read inside the transaction rather than through the process cache, so the snapshot is consistent.
    const overrides = (
      await CalendarOverride.find({}, { date: 1, kind: 1, name: 1 }).sort({ date: 1 }).session(session).lean()
    ).map((row) => ({ date: row.date, kind: row.kind as "holiday" | "workday", name: row.name }));
    const open = await DisclosureRequest.find(
      { state: { $nin: closedStates } },
      { channel: 1, events: 1, dueDate: 1 },
    )
      .session(session)
      .lean<OpenApplication[]>();
    let changed = 0;
    for (const application of open) {
      const { dueDate } = await clockOf(application, today, overrides);
      if (application.dueDate === dueDate && application.dueDate !== undefined) continue;
      await DisclosureRequest.updateOne(
        { _id: application._id },
        { $set: { dueDate } },
        { session: session ?? undefined },
      );
      changed += 1;
    }
    logger.info({ open: open.length, changed }, "due dates recomputed");
  },
};
