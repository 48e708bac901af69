/**
 * 超期预警 and 催办 to staff: when an application counts as due soon, the colour the queue gives it,
 * and the quiet hours an agency sets for text and WeChat messages to its staff (in-app reminders are
 * never held back; they wait in the list until someone reads them).
 */

/** Working days before the due date from which staff are reminded and the queue marks 即将到期. */
export const DUE_SOON_WORKING_DAYS = 3;

/** How urgent an open application's deadline is: past it, within the warning window, or neither. */
export type DueTone = "overdue" | "dueSoon" | null;

/** Labels of the tones, as the queue tags them. */
export const dueToneLabels = { overdue: "已超期", dueSoon: "即将到期" } as const;

/**
 * The queue's tone of an application.
 * @param clock whether it is still owed a reply, overdue, and the working days left.
 */
export function dueTone(clock: { open: boolean; overdue: boolean; workingDaysLeft: number | null }): DueTone {
  if (!clock.open) return null;
  if (clock.overdue) return "overdue";
  if (clock.workingDaysLeft !== null && clock.workingDaysLeft <= DUE_SOON_WORKING_DAYS) return "dueSoon";
  return null;
}

/** An agency's quiet hours, 'HH:mm' in Beijing time; equal or empty start and end: none. */
export interface QuietHours {
  start: string;
  end: string;
}

/** 'HH:mm', 00:00–23:59. */
export const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

const BEIJING_OFFSET_MS = 8 * 3600_000;

/**
 * The earliest time at or after `now` outside the quiet hours (which may span midnight, 22:00–08:00).
 * China has no daylight saving time, so Beijing time is UTC+8 all year.
 * @param now the moment a message would be sent.
 */
export function afterQuietHours(now: Date, quiet: QuietHours | null | undefined): Date {
  if (!quiet || !HH_MM.test(quiet.start) || !HH_MM.test(quiet.end) || quiet.start === quiet.end) return now;
  const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  const start = minutes(quiet.start);
  const end = minutes(quiet.end);
  const local = new Date(now.getTime() + BEIJING_OFFSET_MS);
  const current = local.getUTCHours() * 60 + local.getUTCMinutes();
  const inQuiet = start < end ? current >= start && current < end : current >= start || current < end;
  if (!inQuiet) return now;
  const midnight =
    Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()) - BEIJING_OFFSET_MS;
  // The end falls today when it is still ahead on the clock, otherwise tomorrow (a span across midnight).
  const endToday = midnight + end * 60_000;
  return new Date(current < end ? endToday : endToday + 24 * 3600_000);
}
