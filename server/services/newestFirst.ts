/**
 * Keyset paging newest first by `_id`, as the inboxes (applicant messages, staff reminders) page:
 * the cursor is the last id shown, and one extra row tells whether a next page exists.
 */
import { Types } from "mongoose";

/** `filter` narrowed to the rows after `cursor` (older ids), if one is given. */
export function afterCursor(
  filter: Record<string, unknown>,
  cursor: string | undefined,
): Record<string, unknown> {
  return cursor ? { ...filter, _id: { $lt: new Types.ObjectId(cursor) } } : { ...filter };
}

/** The page out of `limit + 1` fetched rows, and the next page's cursor (null on the last page). */
export function pageOf<T extends { _id: Types.ObjectId }>(
  rows: T[],
  limit: number,
): { page: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  return { page, nextCursor: rows.length > limit ? String(page.at(-1)?._id) : null };
}
