/**
 * In-process read model of the published catalogue: per item the fields lists filter and sort on,
 * plus an inverted index of its search tokens. It is loaded from the `tokens` stored on each item
 * (the database stays the source of truth) and kept current by re-reading items changed since the
 * last sync: at once after a local write, and at most every few seconds otherwise, so writes by
 * another process appear too. The embedded database answers ranges and sorts by full scans and has
 * no way to rank, so ranking and ordering happen here; the database then serves one page by `_id`.
 */
import { Types } from "mongoose";
import { InfoItem } from "../../models/InfoItem.ts";

/** What the read model keeps of one published item. */
export interface ReadEntry {
  id: string;
  oid: Types.ObjectId;
  agencyId: string;
  category: string;
  topics: readonly string[];
  publishedDate: string;
  publishedYear: number;
  titleTokens: ReadonlySet<string>;
}

interface Model {
  entries: Array<ReadEntry | null>;
  byId: Map<string, number>;
  postings: Map<string, number[]>;
  dead: number;
  /** Live entries, newest first; rebuilt lazily after changes. */
  sorted: ReadEntry[] | null;
  syncedAt: number;
}

interface SourceRow {
  _id: Types.ObjectId;
  agencyId: Types.ObjectId;
  category: string;
  topics?: string[];
  publishedDate: string | null;
  publishedYear: number | null;
  status: string;
  tokens?: string[];
  titleTokens?: string[];
  updatedAt: Date;
}

const projection = {
  agencyId: 1,
  category: 1,
  topics: 1,
  publishedDate: 1,
  publishedYear: 1,
  status: 1,
  tokens: 1,
  titleTokens: 1,
  updatedAt: 1,
};

/** How long a read may trust the model without asking the database for changes. */
const SYNC_INTERVAL_MS = 5_000;
/** Clock skew allowed between processes writing `updatedAt`. */
const SKEW_MS = 2_000;

let model: Model | null = null;
let building: Promise<Model> | null = null;
let dirty = false;
let lastCheck = 0;

/** Marks the model as behind the database (called by every local catalogue write). */
export function markReadModelDirty(): void {
  dirty = true;
}

/** Drops the model entirely (tests that wipe the collection). */
export function resetReadModel(): void {
  model = null;
  building = null;
  dirty = false;
  lastCheck = 0;
}

/** The current model, built on first use and synced when stale. */
export async function readModel(): Promise<Model> {
  if (!model) {
    building ??= build().finally(() => {
      building = null;
    });
    model = await building;
    return model;
  }
  const now = Date.now();
  if (dirty || now - lastCheck > SYNC_INTERVAL_MS) {
    building ??= sync(model).finally(() => {
      building = null;
    });
    await building;
  }
  return model;
}

async function build(): Promise<Model> {
  const started = Date.now();
  dirty = false;
  const fresh: Model = {
    entries: [],
    byId: new Map(),
    postings: new Map(),
    dead: 0,
    sorted: null,
    syncedAt: 0,
  };
  const rows = await InfoItem.find({ status: "published" }, projection).lean<SourceRow[]>();
  for (const row of rows) apply(fresh, row);
  fresh.syncedAt = started;
  lastCheck = Date.now();
  model = fresh;
  return fresh;
}

async function sync(current: Model): Promise<Model> {
  const started = Date.now();
  dirty = false;
  const since = new Date(current.syncedAt - SKEW_MS);
  const rows = await InfoItem.find({ updatedAt: { $gte: since } }, projection).lean<SourceRow[]>();
  for (const row of rows) apply(current, row);
  current.syncedAt = started;
  lastCheck = Date.now();
  // Many replaced entries make every posting list longer than it needs to be; start over.
  if (current.dead > 1000 && current.dead > current.entries.length / 4) return build();
  return current;
}

function apply(target: Model, row: SourceRow): void {
  const id = String(row._id);
  const old = target.byId.get(id);
  if (old !== undefined) {
    target.entries[old] = null;
    target.byId.delete(id);
    target.dead += 1;
    target.sorted = null;
  }
  if (row.status !== "published" || !row.publishedDate) return;
  const ordinal = target.entries.length;
  target.entries.push({
    id,
    oid: row._id,
    agencyId: String(row.agencyId),
    category: row.category,
    topics: row.topics ?? [],
    publishedDate: row.publishedDate,
    publishedYear: row.publishedYear ?? Number(row.publishedDate.slice(0, 4)),
    titleTokens: new Set(row.titleTokens ?? []),
  });
  target.byId.set(id, ordinal);
  target.sorted = null;
  for (const token of row.tokens ?? []) {
    const list = target.postings.get(token);
    if (list) list.push(ordinal);
    else target.postings.set(token, [ordinal]);
  }
}

/** Newest first: 发布日期 descending, then id descending (insertion order for equal dates). */
export function newerFirst(a: ReadEntry, b: ReadEntry): number {
  if (a.publishedDate !== b.publishedDate) return a.publishedDate < b.publishedDate ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** Live entries, newest first. */
export function sortedEntries(target: Model): readonly ReadEntry[] {
  if (!target.sorted) {
    const live = target.entries.filter((entry): entry is ReadEntry => entry !== null);
    live.sort(newerFirst);
    target.sorted = live;
  }
  return target.sorted;
}

/** A scored entry. */
export interface ScoredEntry {
  entry: ReadEntry;
  score: number;
}

/**
 * Scores live entries by the weighted query keys they contain (×`titleBoost` when in title or 文号),
 * scaled by the share of the query's weight they cover, and returns how many matched and the best `limit`, best first (newer first on equal scores).
 * @param options.titleOnly count only keys found in the title or 文号 (suggestions).
 */
export function scoreEntries(
  target: Model,
  keys: ReadonlyArray<{ key: string; weight: number }>,
  options: { agency?: string; titleBoost: number; titleOnly?: boolean; limit: number },
): { total: number; top: ScoredEntry[] } {
  const raw = new Float64Array(target.entries.length);
  const covered = new Float64Array(target.entries.length);
  const touched: number[] = [];
  let totalWeight = 0;
  for (const { weight } of keys) totalWeight += weight;
  for (const { key, weight } of keys) {
    const list = target.postings.get(key);
    if (!list) continue;
    for (const ordinal of list) {
      const entry = target.entries[ordinal];
      if (!entry) continue;
      if (options.agency && entry.agencyId !== options.agency) continue;
      const inTitle = entry.titleTokens.has(key);
      if (options.titleOnly && !inTitle) continue;
      if (covered[ordinal] === 0) touched.push(ordinal);
      raw[ordinal] = (raw[ordinal] as number) + weight * (inTitle ? options.titleBoost : 1);
      covered[ordinal] = (covered[ordinal] as number) + weight;
    }
  }
  // Scaled by the share of the query an item covers, so an item with every word in its body is not
  // outranked by one with half of them in its title.
  const round = (ordinal: number) =>
    Math.round((((raw[ordinal] as number) * (covered[ordinal] as number)) / totalWeight) * 100) / 100;
  let candidates = touched;
  // Only the best `limit` are ordered: a numeric sort of the scores finds the cut-off first.
  if (touched.length > options.limit * 4) {
    const values = Float64Array.from(touched, round).sort();
    const cutoff = values[values.length - options.limit] as number;
    candidates = touched.filter((ordinal) => round(ordinal) >= cutoff);
  }
  const top = candidates
    .map((ordinal) => ({ entry: target.entries[ordinal] as ReadEntry, score: round(ordinal) }))
    .sort((a, b) => b.score - a.score || newerFirst(a.entry, b.entry))
    .slice(0, options.limit);
  return { total: touched.length, top };
}

/** Converts a string id to an ObjectId. */
export function toObjectId(id: string): Types.ObjectId {
  return new Types.ObjectId(id);
}
