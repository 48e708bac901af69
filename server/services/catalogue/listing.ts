/**
 * Public reads of the catalogue: published items filtered by agency, category, topic and year,
 * newest first (发布日期, then id), with an opaque cursor. Filtering and ordering run on the read
 * model; the database serves the page's documents by `_id`. Also one published item with its
 * publishing agency's name, the agencies that accept applications, and staff's page of an agency's
 * items in every status.
 */
import type {
  CatalogueListQuery,
  InfoItemStaffDTO,
  InfoItemSummaryDTO,
  StaffItemsQuery,
} from "@govinfo/shared/schemas/catalogue";
import type { Page } from "@govinfo/shared/schemas/common";
import { Types } from "mongoose";
import type { z } from "zod";
import { NotFound, ValidationFailed } from "../../errors.ts";
import { Agency } from "../../models/Agency.ts";
import { InfoItem, type InfoItemDoc } from "../../models/InfoItem.ts";
import {
  presentItem,
  presentStaffItem,
  presentSummary,
  type SummarySource,
  summaryProjection,
} from "./present.ts";
import { newerFirst, type ReadEntry, readModel, sortedEntries } from "./readModel.ts";

/** A decoded cursor: the last item's 发布日期 and id. */
interface Cursor {
  date: string;
  id: string;
}

/** Encodes the position after an item. */
export function encodeCursor(date: string, id: string): string {
  return Buffer.from(`${date}|${id}`).toString("base64url");
}

/** Decodes a cursor or throws a 400 with a Chinese message. */
export function decodeCursor(cursor: string): Cursor {
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  const m = /^(\d{4}-\d{2}-\d{2})\|([0-9a-f]{24})$/.exec(text);
  if (!m) throw ValidationFailed([{ path: "cursor", message: "分页标记无效，请从第一页重新开始" }]);
  return { date: m[1] as string, id: m[2] as string };
}

/**
 * Loads summaries of entries from the database, in the entries' order.
 * @param entries the entries of one page.
 */
export async function loadSummaries(entries: readonly ReadEntry[]): Promise<InfoItemSummaryDTO[]> {
  if (entries.length === 0) return [];
  const docs = await InfoItem.find({ _id: { $in: entries.map((e) => e.oid) } }, summaryProjection).lean<
    SummarySource[]
  >();
  const byId = new Map(docs.map((doc) => [String(doc._id), doc]));
  return entries.flatMap((entry) => {
    const doc = byId.get(entry.id);
    return doc ? [presentSummary(doc)] : [];
  });
}

/** One page of published items, newest first. */
export async function listPublished(query: CatalogueListQuery): Promise<Page<InfoItemSummaryDTO>> {
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const cursorEntry = after ? ({ publishedDate: after.date, id: after.id } as ReadEntry) : null;
  const page: ReadEntry[] = [];
  for (const entry of sortedEntries(await readModel())) {
    if (query.agency && entry.agencyId !== query.agency) continue;
    if (query.category && entry.category !== query.category) continue;
    if (query.topic && !entry.topics.includes(query.topic)) continue;
    if (query.year && entry.publishedYear !== query.year) continue;
    if (cursorEntry && newerFirst(entry, cursorEntry) <= 0) continue;
    page.push(entry);
    if (page.length > query.limit) break;
  }
  const items = page.slice(0, query.limit);
  const last = items.at(-1);
  const nextCursor = page.length > query.limit && last ? encodeCursor(last.publishedDate, last.id) : null;
  return { items: await loadSummaries(items), nextCursor };
}

/** Loads a published item (without its search tokens) or throws 404. */
export async function loadPublished(id: string): Promise<InfoItemDoc> {
  const doc = await InfoItem.findOne({ _id: new Types.ObjectId(id), status: "published" })
    .select({ tokens: 0, titleTokens: 0 })
    .lean<InfoItemDoc>();
  if (!doc) throw NotFound("infoItem", "目录信息不存在或未公开");
  return doc;
}

/** A published item as its public page shows it: the page names its 发布机构, not only its id. */
export async function publishedItemPage(id: string) {
  const doc = await loadPublished(id);
  const agency = await Agency.findById(doc.agencyId, { name: 1 }).lean();
  return { ...presentItem(doc), agencyName: agency?.name ?? "" };
}

/** The agencies that accept applications online (for the mini-program's agency picker), by code. */
export async function applicationAgencies(): Promise<{ id: string; code: string; name: string }[]> {
  const agencies = await Agency.find({}, { name: 1, code: 1 }).sort({ code: 1 }).lean();
  return agencies.map((a) => ({ id: String(a._id), code: a.code, name: a.name }));
}

/** Staff's page of an agency's items in any status (drafts and withdrawn too), newest 生成日期 first. */
export async function listStaffItems(
  query: z.infer<typeof StaffItemsQuery>,
): Promise<Page<InfoItemStaffDTO>> {
  const filter: Record<string, unknown> = { agencyId: new Types.ObjectId(query.agencyId) };
  if (query.status) filter.status = query.status;
  if (query.cursor) {
    const { date, id } = decodeCursor(query.cursor);
    filter.$or = [{ formedDate: { $lt: date } }, { formedDate: date, _id: { $lt: new Types.ObjectId(id) } }];
  }
  const docs = await InfoItem.find(filter, { tokens: 0, titleTokens: 0, body: 0 })
    .sort({ formedDate: -1, _id: -1 })
    .limit(query.limit + 1)
    .lean<InfoItemDoc[]>();
  const items = docs.slice(0, query.limit);
  const last = items.at(-1);
  return {
    items: items.map((doc) => presentStaffItem({ ...doc, body: "" })),
    nextCursor: docs.length > query.limit && last ? encodeCursor(last.formedDate, String(last._id)) : null,
  };
}
