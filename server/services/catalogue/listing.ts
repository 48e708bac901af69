/**
 * Public reads of the catalogue: published items filtered by agency, category, topic and year,
 * newest first (发布日期, then id), with an opaque cursor. Filtering and ordering run on the read
 * model; the database serves the page's documents by `_id`.
 */
import type { CatalogueListQuery, InfoItemSummaryDTO } from "@govinfo/shared/schemas/catalogue";
import type { Page } from "@govinfo/shared/schemas/common";
import { ValidationFailed } from "../../errors.ts";
import { InfoItem } from "../../models/InfoItem.ts";
import { presentSummary, type SummarySource, summaryProjection } from "./present.ts";
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
