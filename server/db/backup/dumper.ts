/**
 * Writes a backup of one database with standard driver operations only (listCollections,
 * listIndexes, find in `_id` order), so it works the same on the embedded server and on a real
 * MongoDB replica set.
 *
 * Consistency: every collection is read inside one read-only transaction with read concern
 * `snapshot`, so the copy is one point in time across collections (a request and its audit events
 * agree) even while the platform is running. Transactions live at most 60 seconds (MongoDB's default
 * `transactionLifetimeLimitSeconds`, and the embedded server's limit); when the snapshot cannot be
 * held that long or the server has no transactions (a standalone mongod), `auto` starts over reading
 * each collection on its own: on the embedded server each collection is still one point in time (a
 * cursor is a snapshot), on a real MongoDB documents written during the backup may be older or newer.
 */
import { stat } from "node:fs/promises";
import type { mongo } from "mongoose";
import {
  addFile,
  BACKUP_FORMAT,
  BACKUP_FORMAT_VERSION,
  type BackupConsistency,
  BackupError,
  BackupFileWriter,
  type BackupManifest,
  type BackupSummary,
  bsonNumber,
  type CollectionEntry,
  documentLine,
  exactBsonOptions,
  type GridFsTotals,
  gridFsPart,
  manifestLine,
} from "./format.ts";

/** What to back up and how. */
export interface DumpOptions {
  client: mongo.MongoClient;
  db: mongo.Db;
  /** The backup file to write (via `FILE.tmp`). */
  file: string;
  /** `auto` tries one snapshot and falls back to per-collection reads; the others insist. */
  consistency: "auto" | BackupConsistency;
  /** From `dataKeyFingerprint`, or null when no key is configured. */
  dataKeyFingerprint: string | null;
  /** `embedded` or `external`, for the manifest. */
  mode: string;
  appVersion: string;
  /** Called after each collection (progress on a terminal). */
  onCollection?: (name: string, documents: number) => void | Promise<void>;
}

/** The written backup, and why the snapshot was given up when it was. */
export interface DumpResult extends BackupSummary {
  /** Set when `auto` fell back from one snapshot to per-collection reads. */
  snapshotFallback: string | null;
}

/** Server errors that mean "no snapshot transaction here": fall back (auto) or refuse (snapshot). */
const SNAPSHOT_UNAVAILABLE_CODES = new Set([
  20, // IllegalOperation: transactions need a replica set
  112, // WriteConflict
  239, // SnapshotTooOld
  244, // TransactionTooOld
  246, // SnapshotUnavailable
  251, // NoSuchTransaction: aborted, e.g. by the lifetime limit
  263, // OperationNotSupportedInTransaction
  290, // TransactionExceededLifetimeLimitSeconds
]);

/**
 * Writes the whole database to `options.file`.
 * @param options the connection, file and settings.
 */
export async function dumpDatabase(options: DumpOptions): Promise<DumpResult> {
  const catalogue = await readCatalogue(options.db);
  if (options.consistency === "collection")
    return { ...(await writeFile(options, catalogue, null)), snapshotFallback: null };
  const session = options.client.startSession();
  try {
    session.startTransaction({ readConcern: { level: "snapshot" }, readPreference: "primary" });
    const result = await writeFile(options, catalogue, session);
    await session.abortTransaction();
    return { ...result, snapshotFallback: null };
  } catch (error) {
    if (session.inTransaction()) await session.abortTransaction().catch(() => {});
    if (!isSnapshotUnavailable(error)) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    if (options.consistency === "snapshot") throw new BackupError("snapshot_unavailable", reason);
    // Collections may have come or gone while the snapshot was tried: list them again.
    const current = await readCatalogue(options.db);
    return { ...(await writeFile(options, current, null)), snapshotFallback: reason };
  } finally {
    await session.endSession().catch(() => {});
  }
}

async function readCatalogue(db: mongo.Db): Promise<CollectionEntry[]> {
  const listed = await db.listCollections({}, { nameOnly: false, ...exactBsonOptions }).toArray();
  const entries: CollectionEntry[] = [];
  for (const info of listed.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (info.name.startsWith("system.")) continue;
    const options = ("options" in info ? info.options : undefined) ?? {};
    const type = "type" in info ? info.type : "collection";
    if (type === "view") {
      entries.push({ name: info.name, type: "view", options, indexes: [] });
      continue;
    }
    if (type !== "collection")
      throw new BackupError("unsupported_collection", `${info.name} (${String(type)})`);
    const indexes = await db.collection(info.name).listIndexes(exactBsonOptions).toArray();
    entries.push({ name: info.name, type: "collection", options, indexes });
  }
  return entries;
}

async function writeFile(
  options: DumpOptions,
  collections: CollectionEntry[],
  session: mongo.ClientSession | null,
): Promise<BackupSummary> {
  const buildInfo = await options.db.admin().command({ buildInfo: 1 });
  const manifest: BackupManifest = {
    t: "manifest",
    format: BACKUP_FORMAT,
    version: BACKUP_FORMAT_VERSION,
    app: { name: "govinfo", version: options.appVersion },
    createdAt: new Date().toISOString(),
    database: options.db.databaseName,
    server: { mode: options.mode, version: String(buildInfo.version ?? "unknown") },
    consistency: session ? "snapshot" : "collection",
    dataKey: options.dataKeyFingerprint ? { fingerprint: options.dataKeyFingerprint } : null,
    collections,
  };
  const writer = await BackupFileWriter.create(options.file);
  try {
    await writer.line(manifestLine(manifest));
    const counts: Record<string, number> = {};
    const gridfs: Record<string, GridFsTotals> = {};
    let documents = 0;
    for (const entry of collections) {
      if (entry.type !== "collection") continue;
      const bucket = gridFsPart(entry.name);
      await writer.line(JSON.stringify({ t: "collection", name: entry.name }));
      const cursor = options.db.collection(entry.name).find(
        {},
        {
          ...exactBsonOptions,
          sort: { _id: 1 },
          // GridFS chunks are 255 KB each; smaller batches keep memory flat.
          batchSize: bucket?.part === "chunks" ? 32 : 1000,
          ...(session ? { session } : {}),
        },
      );
      let count = 0;
      for await (const doc of cursor) {
        await writer.line(documentLine(doc));
        count++;
        if (bucket?.part === "files") addFile(gridfs, bucket.bucket, doc);
      }
      await writer.line(JSON.stringify({ t: "end", name: entry.name, documents: count }));
      counts[entry.name] = count;
      documents += count;
      await options.onCollection?.(entry.name, count);
    }
    const trailer = await writer.commit({
      collections: collections.length,
      documents,
      counts,
      gridfs,
    });
    return { manifest, trailer, fileBytes: (await stat(options.file)).size };
  } catch (error) {
    await writer.discard();
    throw error;
  }
}

function isSnapshotUnavailable(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  // Replies to reads with promoteValues off carry the code as an Int32.
  const code = "code" in error ? bsonNumber(error.code) : Number.NaN;
  if (SNAPSHOT_UNAVAILABLE_CODES.has(code)) return true;
  const labels = "errorLabels" in error ? error.errorLabels : undefined;
  return Array.isArray(labels) && labels.includes("TransientTransactionError");
}
