/**
 * The backup file: one gzip stream of newline-delimited JSON records. Documents, collection options
 * and index specs are canonical Extended JSON (so ObjectId, Date, Binary, Decimal128 and
 * Int32/Int64/Double survive exactly); the records around them are plain JSON:
 *
 *   {"t":"manifest", format, version, app, createdAt, database, server, consistency, dataKey, collections}
 *   {"t":"collection","name":N}        then one {"d":<document>} per document in _id order,
 *   {"t":"end","name":N,"documents":K} for each collection of the manifest (views have no section),
 *   {"t":"trailer", collections, documents, counts, gridfs, sha256}
 *
 * `sha256` covers every byte of every line before the trailer (newlines included), so truncation or
 * corruption is found before a restore changes anything. GridFS buckets are ordinary collections
 * (`<bucket>.files`, `<bucket>.chunks`) and travel like any other. Written to `FILE.tmp`, synced,
 * then renamed, so a failed backup never leaves a file that looks complete.
 */
import { createHash, type Hash } from "node:crypto";
import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import { open, rename, unlink } from "node:fs/promises";
import { dirname } from "node:path";
import { pipeline } from "node:stream/promises";
import { createGunzip, createGzip } from "node:zlib";
import mongoose from "mongoose";

/** The `format` field of every manifest. */
export const BACKUP_FORMAT = "govinfo-backup";

/** The format version this code writes and the newest it reads. */
export const BACKUP_FORMAT_VERSION = 1;

/** A BSON document as the driver returns it. */
export type BsonDocument = mongoose.mongo.Document;

/** How consistent the copy is: one snapshot over all collections, or each collection on its own. */
export type BackupConsistency = "snapshot" | "collection";

/** One collection (or view) as the manifest describes it. */
export interface CollectionEntry {
  name: string;
  type: "collection" | "view";
  /** `listCollections` options (collation, validator, capped…; `viewOn`/`pipeline` for a view). */
  options: BsonDocument;
  /** `listIndexes` specs, the `_id` index included, exactly as the server reported them. */
  indexes: BsonDocument[];
}

/** The first line of a backup. */
export interface BackupManifest {
  t: "manifest";
  format: typeof BACKUP_FORMAT;
  version: number;
  app: { name: string; version: string };
  createdAt: string;
  database: string;
  server: { mode: string; version: string };
  consistency: BackupConsistency;
  /** First 8 bytes of SHA-256 of the personal-data key, hex; null when no key was available. */
  dataKey: { fingerprint: string } | null;
  collections: CollectionEntry[];
}

/** GridFS totals of one bucket: files (`.files` documents) and their declared bytes. */
export interface GridFsTotals {
  files: number;
  bytes: number;
}

/** The last line of a backup. */
export interface BackupTrailer {
  t: "trailer";
  collections: number;
  documents: number;
  /** Documents per collection. */
  counts: Record<string, number>;
  /** Per GridFS bucket name. */
  gridfs: Record<string, GridFsTotals>;
  /** Hex SHA-256 over every line before this one, newlines included. */
  sha256: string;
}

/** What a whole, valid backup holds (from its manifest and trailer). */
export interface BackupSummary {
  manifest: BackupManifest;
  trailer: BackupTrailer;
  /** Size of the compressed file. */
  fileBytes: number;
}

/** Why a backup cannot be read or a restore cannot go ahead; the CLI words each code for people. */
export type BackupProblem =
  | "not_backup"
  | "unsupported_version"
  | "truncated"
  | "corrupt"
  | "checksum"
  | "unsupported_collection"
  | "snapshot_unavailable"
  | "target_not_empty"
  | "changed_during_restore";

/** A refused backup or restore: `problem` says which, `detail` gives the specifics (not localized). */
export class BackupError extends Error {
  override readonly name = "BackupError";
  readonly problem: BackupProblem;
  readonly detail: string;

  /** Creates the error. */
  constructor(problem: BackupProblem, detail = "") {
    super(`${problem}${detail ? `: ${detail}` : ""}`);
    this.problem = problem;
    this.detail = detail;
  }
}

/** Serializes BSON values as canonical Extended JSON (the driver's own EJSON). */
export const EJSON = mongoose.mongo.BSON.EJSON;

/** Find options that keep every BSON type as its own class, so EJSON writes it back unchanged. */
export const exactBsonOptions = {
  promoteValues: false,
  promoteLongs: false,
  promoteBuffers: false,
  bsonRegExp: true,
} as const;

/**
 * The fingerprint recorded for a data key: the first 8 bytes of SHA-256 of the raw 32 key bytes,
 * in hex (`base64 -d data.key | sha256sum | cut -c1-16` gives the same). Never the key itself.
 * @param key the raw key.
 */
export function dataKeyFingerprint(key: Buffer): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 16);
}

/** Whether a collection name is a GridFS bucket part; returns the bucket and the part. */
export function gridFsPart(name: string): { bucket: string; part: "files" | "chunks" } | null {
  const match = /^(.+)\.(files|chunks)$/.exec(name);
  if (!match?.[1]) return null;
  return { bucket: match[1], part: match[2] === "files" ? "files" : "chunks" };
}

/** Adds one `.files` document to its bucket's totals (files and declared bytes). */
export function addFile(gridfs: Record<string, GridFsTotals>, bucket: string, doc: BsonDocument): void {
  const totals = gridfs[bucket] ?? { files: 0, bytes: 0 };
  gridfs[bucket] = totals;
  totals.files++;
  const length = bsonNumber(doc.length);
  if (Number.isFinite(length)) totals.bytes += length;
}

/** A BSON number of any class (Int32, Double, Long, plain number) as a JavaScript number. */
export function bsonNumber(value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  if (value instanceof mongoose.mongo.Long) return value.toNumber();
  if (value instanceof mongoose.mongo.Int32 || value instanceof mongoose.mongo.Double) return value.valueOf();
  return Number.NaN;
}

/**
 * Writes a backup to `FILE.tmp` through gzip while hashing every line; `commit` syncs and renames
 * it to `FILE`, `discard` removes it. Honors backpressure, so memory stays bounded.
 */
export class BackupFileWriter {
  readonly path: string;
  private readonly tmpPath: string;
  private readonly gzip = createGzip({ level: 6 });
  private readonly hash: Hash = createHash("sha256");
  private readonly done: Promise<void>;
  private failure: unknown = null;

  private constructor(path: string) {
    this.path = path;
    this.tmpPath = `${path}.tmp`;
    // The file holds password hashes and encrypted personal data: owner-only.
    const out = createWriteStream(this.tmpPath, { mode: 0o600 });
    this.done = pipeline(this.gzip, out);
    this.done.catch((error: unknown) => {
      this.failure = error;
    });
  }

  /** Starts `FILE.tmp` (replacing a leftover one from a failed run). */
  static async create(path: string): Promise<BackupFileWriter> {
    await unlink(`${path}.tmp`).catch(() => {});
    return new BackupFileWriter(path);
  }

  /** Appends one line (covered by the checksum). */
  async line(text: string): Promise<void> {
    const bytes = `${text}\n`;
    this.hash.update(bytes);
    await this.write(bytes);
  }

  /** Writes the trailer (with the checksum of everything so far), syncs and renames into place. */
  async commit(trailer: Omit<BackupTrailer, "t" | "sha256">): Promise<BackupTrailer> {
    const complete: BackupTrailer = { t: "trailer", ...trailer, sha256: this.hash.digest("hex") };
    await this.write(`${JSON.stringify(complete)}\n`);
    this.gzip.end();
    await this.done;
    const handle = await open(this.tmpPath, "r+");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(this.tmpPath, this.path);
    await syncDirectory(dirname(this.path));
    return complete;
  }

  /** Stops writing and removes `FILE.tmp`. */
  async discard(): Promise<void> {
    this.gzip.destroy();
    await this.done.catch(() => {});
    await unlink(this.tmpPath).catch(() => {});
  }

  private async write(bytes: string): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.gzip.write(bytes)) return;
    await Promise.race([once(this.gzip, "drain"), this.done]);
    if (this.failure) throw this.failure;
  }
}

/**
 * The lines of a backup file, decompressed, as raw bytes (without the newline). Throws
 * `BackupError` for a file that is not gzip, is cut short (also mid-line) or does not decompress.
 * @param path the backup file.
 */
export async function* readBackupLines(path: string): AsyncGenerator<Buffer> {
  await checkGzipMagic(path);
  const gunzip = createGunzip();
  const source = createReadStream(path);
  source.on("error", (error) => gunzip.destroy(error));
  source.pipe(gunzip);
  let carry: Buffer[] = [];
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      let start = 0;
      for (let newline = chunk.indexOf(10); newline >= 0; newline = chunk.indexOf(10, start)) {
        const piece = chunk.subarray(start, newline);
        yield carry.length === 0 ? piece : Buffer.concat([...carry, piece]);
        carry = [];
        start = newline + 1;
      }
      if (start < chunk.length) carry.push(chunk.subarray(start));
    }
  } catch (error) {
    throw gunzipProblem(error);
  } finally {
    source.destroy();
    gunzip.destroy();
  }
  if (carry.length > 0) throw new BackupError("truncated", "last line has no end");
}

/** The manifest line: plain JSON, with collection options and index specs as canonical EJSON. */
export function manifestLine(manifest: BackupManifest): string {
  const collections = EJSON.serialize({ c: manifest.collections }, { relaxed: false }).c as unknown;
  return JSON.stringify({ ...manifest, collections });
}

/** A document line: `{"d":<canonical EJSON>}`. */
export function documentLine(doc: BsonDocument): string {
  return `{"d":${EJSON.stringify(doc, { relaxed: false })}}`;
}

/**
 * Parses one line into a record: document lines as canonical Extended JSON (every number keeps its
 * BSON type), the others as plain JSON. A line that does not parse is corrupt.
 * @param line the raw line.
 * @param lineNo its 1-based number, for the message.
 */
export function parseLine(line: Buffer, lineNo: number): BsonDocument {
  try {
    const text = line.toString("utf8");
    const value: unknown = text.startsWith('{"d":')
      ? EJSON.parse(text, { relaxed: false })
      : JSON.parse(text);
    if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error("not an object");
    return value as BsonDocument;
  } catch (error) {
    throw new BackupError(
      "corrupt",
      `line ${lineNo}: ${error instanceof Error ? error.message : String(error)}`.slice(0, 200),
    );
  }
}

/**
 * Turns the manifest's collections (options and index specs in canonical EJSON) back into BSON values.
 * @param collections the parsed `collections` field.
 */
export function manifestCollections(collections: unknown): unknown {
  try {
    return EJSON.deserialize({ c: collections } as BsonDocument, { relaxed: false }).c as unknown;
  } catch (error) {
    throw new BackupError("corrupt", `manifest collections: ${error instanceof Error ? error.message : ""}`);
  }
}

async function checkGzipMagic(path: string): Promise<void> {
  const handle = await open(path, "r");
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    if (bytesRead < 2 || head[0] !== 0x1f || head[1] !== 0x8b)
      throw new BackupError("not_backup", "not a gzip file");
  } finally {
    await handle.close();
  }
}

function gunzipProblem(error: unknown): unknown {
  if (error instanceof BackupError) return error;
  const code = typeof error === "object" && error !== null && "code" in error ? error.code : undefined;
  const message = error instanceof Error ? error.message : String(error);
  if (code === "Z_BUF_ERROR") return new BackupError("truncated", message);
  if (typeof code === "string" && code.startsWith("Z_")) return new BackupError("corrupt", message);
  return error;
}

async function syncDirectory(path: string): Promise<void> {
  // Makes the rename itself durable; not every platform can open a directory, which is harmless.
  try {
    const handle = await open(path, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Best effort.
  }
}
