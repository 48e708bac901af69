/**
 * Art. 26 compliance: proactively disclosable information must be published within 20 working days
 * of being formed or changed. Working days come from the data-driven calendar (holidays, 调休).
 */

import { type CalendarOverrides, countWorkingDays } from "@govinfo/shared/calendar/workdays";
import { ART26_WORKING_DAYS } from "@govinfo/shared/catalogue/categories";
import type { Types } from "mongoose";
import { InfoItem, type InfoItemDoc } from "../../models/InfoItem.ts";
import { calendarOverrides } from "../calendar.ts";
import { presentStaffItem } from "./present.ts";

/**
 * Working days by which publication missed the Art. 26 limit (0 when on time, null unpublished):
 * the formation day is not counted, the publication day is.
 */
export function lateness(
  formedDate: string,
  publishedDate: string | null | undefined,
  overrides: CalendarOverrides = [],
): number | null {
  if (!publishedDate) return null;
  if (publishedDate <= formedDate) return 0;
  return Math.max(0, countWorkingDays(formedDate, publishedDate, overrides) - ART26_WORKING_DAYS);
}

/** Lateness with the server's calendar overrides. */
export async function latenessNow(
  formedDate: string,
  publishedDate: string | null | undefined,
): Promise<number | null> {
  return lateness(formedDate, publishedDate, await calendarOverrides());
}

/** Published items of an agency that were published late, worst first. */
export async function lateItems(agencyId: Types.ObjectId | string) {
  const docs = await InfoItem.find({ agencyId, status: "published", lateByWorkingDays: { $gt: 0 } })
    .select({ tokens: 0, titleTokens: 0 })
    .lean<InfoItemDoc[]>();
  docs.sort(
    (a, b) =>
      (b.lateByWorkingDays ?? 0) - (a.lateByWorkingDays ?? 0) ||
      String(b.publishedDate).localeCompare(String(a.publishedDate)),
  );
  return docs.map((doc) => ({
    ...presentStaffItem(doc),
    limitWorkingDays: ART26_WORKING_DAYS,
  }));
}
