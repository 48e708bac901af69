/**
 * Reads request lists: the staff queue (filters, sort, keyset cursor, only the actor's agencies) and
 * an applicant's own applications. Cursors are opaque base64url tokens naming the sort key and the
 * last row's position, so pages stay stable while new applications arrive.
 */
import { addWorkingDays } from "@govinfo/shared/calendar/workdays";
import { closedStates } from "@govinfo/shared/lifecycle/machine";
import type { PageQuery } from "@govinfo/shared/schemas/common";
import type { RequestQueueQuery } from "@govinfo/shared/schemas/requestDto";
import { Types } from "mongoose";
import { Forbidden, ValidationFailed } from "../errors.ts";
import { DisclosureRequest, type DisclosureRequestDoc } from "../models/DisclosureRequest.ts";
import { type ApplicantActor, agenciesWith, type StaffActor } from "../policies/actor.ts";
import { calendarOverrides, dateInChina } from "./calendar.ts";

/** A page of raw documents and the cursor of the next page. */
export interface RequestPage {
  docs: DisclosureRequestDoc[];
  nextCursor: string | null;
}

// Lists never carry sealed personal data, notes or uploaded file lists.
const listProjection = {
  notes: 0,
  documents: 0,
  remarks: 0,
  "applicant.idNumberSealed": 0,
  "applicant.phoneSealed": 0,
  "applicant.addressSealed": 0,
};

/**
 * The staff queue: requests of the actor's agencies, filtered and sorted.
 * @param today the day "overdue" and "due within" are measured from.
 */
export async function listQueue(
  actor: StaffActor,
  query: RequestQueueQuery,
  today: string = dateInChina(),
): Promise<RequestPage> {
  const visible = agenciesWith(actor);
  if (query.agencyId && !visible.includes(query.agencyId)) throw Forbidden("您无权查看该机关的申请");
  const and: Record<string, unknown>[] = [
    { agencyId: { $in: (query.agencyId ? [query.agencyId] : visible).map((id) => new Types.ObjectId(id)) } },
  ];
  if (query.state) and.push({ state: query.state });
  else if (query.scope === "open") and.push({ state: { $nin: closedStates } });
  else if (query.scope === "closed") and.push({ state: { $in: closedStates } });
  if (query.year) and.push({ year: query.year });
  if (query.assignee === "me") and.push({ assigneeId: actor.id });
  else if (query.assignee === "none") and.push({ assigneeId: null });
  else if (query.assignee) and.push({ assigneeId: new Types.ObjectId(query.assignee) });
  if (query.assignment) and.push({ assignmentStatus: query.assignment });
  if (query.q) {
    const pattern = escapeRegex(query.q);
    and.push({ $or: [{ serialNo: { $regex: pattern } }, { "applicant.name": { $regex: pattern } }] });
  }
  const overdue = overdueFilter(today);
  if (query.overdue === true) and.push(overdue);
  if (query.overdue === false) and.push({ $nor: [overdue] });
  if (query.dueWithin !== undefined) and.push(await dueWithinFilter(today, query.dueWithin));

  const field = query.sort.replace(/^-/, "") as "dueDate" | "receiptDate";
  const direction = query.sort.startsWith("-") ? -1 : 1;
  const cursor = query.cursor ? decodeCursor(query.cursor, query.sort) : null;
  const docs =
    field === "receiptDate" && direction === 1
      ? await nullsLastAscending(and, field, cursor, query.limit + 1)
      : await DisclosureRequest.find(
          { $and: cursor ? [...and, afterCursor(cursor, field, direction)] : and },
          listProjection,
        )
          .sort({ [field]: direction, _id: direction })
          .limit(query.limit + 1)
          .lean<DisclosureRequestDoc[]>();
  const page = docs.slice(0, query.limit);
  const last = page.at(-1);
  const nextCursor =
    docs.length > query.limit && last
      ? encodeCursor({ s: query.sort, v: (last[field] as string | null) ?? null, id: String(last._id) })
      : null;
  return { docs: page, nextCursor };
}

/**
 * THE definition of "overdue" for queries: open (not closed) and its stored due date before `today`.
 * The queue's 已超期 filter (the dashboard's card links to it) and the metrics count with it.
 * @param today the day measured from ('YYYY-MM-DD', Asia/Shanghai).
 */
export function overdueFilter(today: string): Record<string, unknown> {
  return { state: { $nin: closedStates }, dueDate: { $ne: null, $lt: today } };
}

/**
 * Open requests due from `today` up to `workingDays` working days ahead (not yet overdue); the
 * queue's 「N个工作日内到期」 filter and the metrics' due-soon count.
 * @param today the day measured from ('YYYY-MM-DD', Asia/Shanghai).
 */
export async function dueWithinFilter(today: string, workingDays: number): Promise<Record<string, unknown>> {
  const until = addWorkingDays(today, workingDays, await calendarOverrides());
  return { state: { $nin: closedStates }, dueDate: { $ne: null, $gte: today, $lte: until } };
}

/**
 * Ascending by a date, rows without the date last: MongoDB sorts null first, which would put
 * not-yet-received applications before the oldest real date. Two segments: dated rows, then the
 * undated ones by id. (By due date ascending, the undated rows are the 待确认 group and belong on
 * top, which is MongoDB's own order.)
 */
async function nullsLastAscending(
  and: Record<string, unknown>[],
  field: string,
  cursor: { v: string | null; id: Types.ObjectId } | null,
  limit: number,
): Promise<DisclosureRequestDoc[]> {
  const docs: DisclosureRequestDoc[] = [];
  if (!cursor || cursor.v !== null) {
    const dated = [...and, { [field]: { $ne: null } }];
    if (cursor) dated.push(afterCursor(cursor, field, 1));
    docs.push(
      ...(await DisclosureRequest.find({ $and: dated }, listProjection)
        .sort({ [field]: 1, _id: 1 })
        .limit(limit)
        .lean<DisclosureRequestDoc[]>()),
    );
  }
  if (docs.length >= limit) return docs;
  const undated = [...and, { [field]: null }];
  if (cursor?.v === null) undated.push({ _id: { $gt: cursor.id } });
  docs.push(
    ...(await DisclosureRequest.find({ $and: undated }, listProjection)
      .sort({ _id: 1 })
      .limit(limit - docs.length)
      .lean<DisclosureRequestDoc[]>()),
  );
  return docs;
}

/** An applicant's own applications, newest first. */
export async function listMine(actor: ApplicantActor, query: PageQuery): Promise<RequestPage> {
  const filter: Record<string, unknown> = { applicantAccountId: actor.id };
  if (query.cursor) filter._id = { $lt: decodeCursor(query.cursor, "mine").id };
  const docs = await DisclosureRequest.find(filter, listProjection)
    .sort({ _id: -1 })
    .limit(query.limit + 1)
    .lean<DisclosureRequestDoc[]>();
  const page = docs.slice(0, query.limit);
  const last = page.at(-1);
  const nextCursor =
    docs.length > query.limit && last ? encodeCursor({ s: "mine", v: null, id: String(last._id) }) : null;
  return { docs: page, nextCursor };
}

interface Cursor {
  /** The sort the cursor belongs to. */
  s: string;
  /** The sort key of the last row (null sorts first ascending, last descending). */
  v: string | null;
  id: string;
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor), "utf8").toString("base64url");
}

function decodeCursor(token: string, sort: string): { v: string | null; id: Types.ObjectId } {
  const invalid = () => ValidationFailed([{ path: "cursor", message: "分页游标无效，请从第一页重新查询" }]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw invalid();
  }
  if (!parsed || typeof parsed !== "object") throw invalid();
  const { s, v, id } = parsed as Record<string, unknown>;
  if (s !== sort || !(v === null || typeof v === "string") || typeof id !== "string") throw invalid();
  if (!/^[0-9a-f]{24}$/i.test(id)) throw invalid();
  return { v, id: new Types.ObjectId(id) };
}

// Keyset condition "after (v, id)" in the order MongoDB sorts: null before any string.
function afterCursor(
  cursor: { v: string | null; id: Types.ObjectId },
  field: string,
  direction: 1 | -1,
): Record<string, unknown> {
  const { v, id } = cursor;
  if (direction === 1) {
    if (v === null) return { $or: [{ [field]: null, _id: { $gt: id } }, { [field]: { $ne: null } }] };
    return { $or: [{ [field]: { $gt: v } }, { [field]: v, _id: { $gt: id } }] };
  }
  if (v === null) return { [field]: null, _id: { $lt: id } };
  return { $or: [{ [field]: { $lt: v } }, { [field]: v, _id: { $lt: id } }, { [field]: null }] };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
