/**
 * Reads backups: `inspectBackup` checks a whole file (manifest, format version, section order,
 * document counts, GridFS totals, SHA-256) without touching any database; `restoreDatabase` then
 * replays it with standard driver operations (create, insertMany in batches, createIndexes with the
 * exact specs the source reported, drop), refusing a target that already holds documents unless
 * asked to replace everything.
 */
import { createHash } from "node:crypto";
import { stat } from "node:fs/promises";
import type { mongo } from "mongoose";
import {
  addFile,
  BACKUP_FORMAT,
  BACKUP_FORMAT_VERSION,
  BackupError,
  type BackupManifest,
  type BackupSummary,
  type BackupTrailer,
  type BsonDocument,
  type CollectionEntry,
  type GridFsTotals,
  gridFsPart,
  manifestCollections,
  parseLine,
  readBackupLines,
} from "./format.ts";

/** A collection of the target database before the restore. */
export interface TargetCollection {
  name: string;
  type: string;
  /** Approximate (the server's count); 0 means no document at all. */
  documents: number;
}

/** What `restoreDatabase` needs. */
export interface RestoreOptions {
  db: mongo.Db;
  file: string;
  /** From `inspectBackup` of the same file. */
  summary: BackupSummary;
  /** Drop every collection of the target first (replace everything). */
  drop: boolean;
  /** Called after each collection (progress on a terminal). */
  onCollection?: (name: string, documents: number) => void;
}

/** What was restored, and what was there before. */
export interface RestoreResult {
  dropped: TargetCollection[];
  collections: number;
  views: number;
  documents: number;
  indexes: number;
  gridfs: Record<string, GridFsTotals>;
  /** Collections whose document count after the restore differs from the backup (should be none). */
  mismatches: { name: string; expected: number; actual: number }[];
}

/** Largest batch of documents sent in one insertMany, by count and by (EJSON) size. */
const BATCH_DOCUMENTS = 1000;
const BATCH_BYTES = 8 * 1024 * 1024;

/**
 * Checks a backup from end to end and returns its manifest and trailer; throws `BackupError` on
 * anything wrong. Reads the file once, streaming.
 * @param file the backup file.
 */
export async function inspectBackup(file: string): Promise<BackupSummary> {
  const { manifest, trailer } = await walkBackup(file, {});
  return { manifest, trailer, fileBytes: (await stat(file)).size };
}

/**
 * The collections of a database (not `system.*`) with approximate document counts.
 * @param db the database.
 */
export async function describeTarget(db: mongo.Db): Promise<TargetCollection[]> {
  const listed = await db.listCollections({}, { nameOnly: false }).toArray();
  const out: TargetCollection[] = [];
  for (const info of listed) {
    if (info.name.startsWith("system.")) continue;
    const type = ("type" in info ? info.type : undefined) ?? "collection";
    if (type === "view") {
      out.push({ name: info.name, type, documents: 0 });
      continue;
    }
    const collection = db.collection(info.name);
    const any = await collection.findOne({}, { projection: { _id: 1 } });
    const documents = any === null ? 0 : Math.max(1, await collection.estimatedDocumentCount());
    out.push({ name: info.name, type, documents });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Restores a backup that `inspectBackup` accepted. Refuses (before changing anything) when the
 * target holds documents and `drop` is not set. Empty collections the backup also holds are
 * recreated, so their options and indexes are exactly the backup's.
 * @param options the target, the file and its summary.
 */
export async function restoreDatabase(options: RestoreOptions): Promise<RestoreResult> {
  const { db, summary } = options;
  const existing = await describeTarget(db);
  const holding = existing.filter((c) => c.documents > 0);
  if (holding.length > 0 && !options.drop) {
    throw new BackupError("target_not_empty", holding.map((c) => `${c.name} ${c.documents}`).join(", "));
  }
  const restoredNames = new Set(summary.manifest.collections.map((c) => c.name));
  const dropped = options.drop ? existing : existing.filter((c) => restoredNames.has(c.name));
  // Views first: a view may read from a collection dropped below.
  for (const target of [...dropped].sort((a, b) => Number(b.type === "view") - Number(a.type === "view"))) {
    await db.command({ drop: target.name });
  }

  let indexes = 0;
  let batch: BsonDocument[] = [];
  let batchBytes = 0;
  const flush = async (name: string) => {
    if (batch.length === 0) return;
    await db.collection(name).insertMany(batch, { ordered: true, bypassDocumentValidation: true });
    batch = [];
    batchBytes = 0;
  };
  await walkBackup(
    options.file,
    {
      start: async (entry) => {
        await db.command({ create: entry.name, ...entry.options });
      },
      document: async (entry, doc, bytes) => {
        batch.push(doc);
        batchBytes += bytes;
        if (batch.length >= BATCH_DOCUMENTS || batchBytes >= BATCH_BYTES) await flush(entry.name);
      },
      end: async (entry, count) => {
        await flush(entry.name);
        const specs = entry.indexes.filter((spec) => spec.name !== "_id_").map(withoutNamespace);
        if (specs.length > 0) await db.command({ createIndexes: entry.name, indexes: specs });
        indexes += specs.length;
        options.onCollection?.(entry.name, count);
      },
    },
    summary.trailer.sha256,
  );
  const views = summary.manifest.collections.filter((c) => c.type === "view");
  for (const view of views) await db.command({ create: view.name, ...view.options });

  const mismatches: RestoreResult["mismatches"] = [];
  for (const [name, expected] of Object.entries(summary.trailer.counts)) {
    const actual = await db.collection(name).countDocuments({});
    if (actual !== expected) mismatches.push({ name, expected, actual });
  }
  return {
    dropped,
    collections: summary.manifest.collections.length - views.length,
    views: views.length,
    documents: summary.trailer.documents,
    indexes,
    gridfs: summary.trailer.gridfs,
    mismatches,
  };
}

/** Callbacks of a walk over a backup, all optional. */
interface BackupVisitor {
  start?: (entry: CollectionEntry) => Promise<void>;
  document?: (entry: CollectionEntry, doc: BsonDocument, bytes: number) => Promise<void>;
  end?: (entry: CollectionEntry, count: number) => Promise<void>;
}

/**
 * Reads a backup line by line, enforcing its structure and checksum, and calls the visitor.
 * @param expectedSha256 when set (second pass of a restore), a different checksum means the file
 *   changed since it was inspected.
 */
async function walkBackup(
  file: string,
  visitor: BackupVisitor,
  expectedSha256?: string,
): Promise<{ manifest: BackupManifest; trailer: BackupTrailer }> {
  const hash = createHash("sha256");
  let manifest: BackupManifest | null = null;
  let sections: CollectionEntry[] = [];
  let next = 0;
  let current: CollectionEntry | null = null;
  let count = 0;
  let documents = 0;
  const counts: Record<string, number> = {};
  const gridfs: Record<string, GridFsTotals> = {};
  let trailer: BackupTrailer | null = null;
  let lineNo = 0;
  for await (const line of readBackupLines(file)) {
    lineNo++;
    if (trailer) throw new BackupError("corrupt", `line ${lineNo}: data after the trailer`);
    if (!manifest) {
      let record: BsonDocument;
      try {
        record = parseLine(line, lineNo);
      } catch {
        throw new BackupError("not_backup", "the first line is not a manifest");
      }
      manifest = checkManifest(record);
      sections = manifest.collections.filter((c) => c.type === "collection");
      hash.update(line).update("\n");
      continue;
    }
    const record = parseLine(line, lineNo);
    if (record.t === "trailer") {
      if (current || next < sections.length)
        throw new BackupError("corrupt", `line ${lineNo}: trailer before every collection ended`);
      trailer = record as BackupTrailer;
      const digest = hash.digest("hex");
      if (expectedSha256 !== undefined && digest !== expectedSha256)
        throw new BackupError("changed_during_restore", `sha256 ${digest}`);
      if (trailer.sha256 !== digest)
        throw new BackupError("checksum", `recorded ${String(trailer.sha256)}, computed ${digest}`);
      checkTotals(trailer, manifest, documents, counts, gridfs);
      continue;
    }
    hash.update(line).update("\n");
    if ("d" in record) {
      const doc = record.d as unknown;
      if (!current || typeof doc !== "object" || doc === null || Array.isArray(doc))
        throw new BackupError("corrupt", `line ${lineNo}: document outside a collection`);
      count++;
      const part = gridFsPart(current.name);
      if (part?.part === "files") addFile(gridfs, part.bucket, doc as BsonDocument);
      await visitor.document?.(current, doc as BsonDocument, line.length);
      continue;
    }
    if (record.t === "collection") {
      const expected = sections[next];
      if (current || !expected || record.name !== expected.name)
        throw new BackupError("corrupt", `line ${lineNo}: unexpected collection ${String(record.name)}`);
      current = expected;
      count = 0;
      await visitor.start?.(current);
      continue;
    }
    if (record.t === "end") {
      if (!current || record.name !== current.name || record.documents !== count)
        throw new BackupError(
          "corrupt",
          `line ${lineNo}: ${String(record.name)} ends with ${String(record.documents)} documents, ${count} read`,
        );
      counts[current.name] = count;
      documents += count;
      await visitor.end?.(current, count);
      current = null;
      next++;
      continue;
    }
    throw new BackupError("corrupt", `line ${lineNo}: unknown record`);
  }
  if (!manifest) throw new BackupError("truncated", "empty file");
  if (!trailer) throw new BackupError("truncated", `no trailer after line ${lineNo}`);
  return { manifest, trailer };
}

function checkManifest(record: BsonDocument): BackupManifest {
  if (record.t !== "manifest" || record.format !== BACKUP_FORMAT)
    throw new BackupError("not_backup", "no manifest");
  if (typeof record.version !== "number" || !Number.isInteger(record.version))
    throw new BackupError("corrupt", "manifest without a version");
  if (record.version > BACKUP_FORMAT_VERSION || record.version < 1)
    throw new BackupError("unsupported_version", String(record.version));
  const collections = manifestCollections(record.collections);
  const isEntry = (c: unknown): c is CollectionEntry =>
    typeof c === "object" &&
    c !== null &&
    typeof (c as CollectionEntry).name === "string" &&
    ((c as CollectionEntry).type === "collection" || (c as CollectionEntry).type === "view") &&
    typeof (c as CollectionEntry).options === "object" &&
    Array.isArray((c as CollectionEntry).indexes);
  if (!Array.isArray(collections) || !collections.every(isEntry))
    throw new BackupError("corrupt", "manifest collections");
  return { ...record, collections } as BackupManifest;
}

function checkTotals(
  trailer: BackupTrailer,
  manifest: BackupManifest,
  documents: number,
  counts: Record<string, number>,
  gridfs: Record<string, GridFsTotals>,
): void {
  const problems: string[] = [];
  if (trailer.collections !== manifest.collections.length) problems.push("collections");
  if (trailer.documents !== documents) problems.push("documents");
  if (canonical(trailer.counts) !== canonical(counts)) problems.push("counts");
  if (canonical(trailer.gridfs) !== canonical(gridfs)) problems.push("gridfs");
  if (problems.length > 0) throw new BackupError("corrupt", `trailer totals differ: ${problems.join(", ")}`);
}

/** JSON with sorted keys at every level, for comparing small records. */
function canonical(value: unknown): string {
  if (typeof value !== "object" || value === null) return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
}

/** `ns` appears in index specs of old servers and is refused by createIndexes on new ones. */
function withoutNamespace(spec: BsonDocument): BsonDocument {
  const { ns: _ns, ...rest } = spec;
  return rest;
}
