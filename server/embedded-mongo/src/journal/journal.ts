/**
 * The durability layer (§6.11): a write-ahead journal of framed BSON records with group commit,
 * checkpoints with compaction, and crash recovery that tells a torn tail from corruption.
 * It knows nothing about documents: recovery hands records to a visitor supplied by the engine.
 */

import { type FileHandle, mkdir, open, readdir, readFile, rename, unlink } from "node:fs/promises";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { calculateObjectSize, deserialize } from "bson";
import type { Document } from "../types.ts";
import {
  type CatalogEntry,
  countFrames,
  DESERIALIZE_OPTIONS,
  decodeRecord,
  encodeFrame,
  encodeRecord,
  findNextFrame,
  type JournalRecord,
  RecordType,
  readFrame,
  toBson,
} from "./records.ts";

/** Receives the recovered state: checkpoint catalog, checkpoint documents, then journal records. */
export interface RecoveryVisitor {
  /** Called once with the checkpoint's catalog (empty array when there is no checkpoint). */
  catalog(entries: CatalogEntry[]): void;
  /** Called with batches of documents of one namespace from the checkpoint, in natural order. */
  docs(ns: string, docs: Document[]): void;
  /** Called for every journal record after the checkpoint, in seq order. */
  record(record: JournalRecord, seq: number): void;
}

/** How the journal syncs, repairs and reports. */
export interface JournalOptions {
  /** "fsync" (default): append resolves after fdatasync; "interval": resolves at once and fsyncs every 100 ms; "none": no fsync. */
  sync?: "fsync" | "interval" | "none";
  /** Truncate at the first corrupt record instead of refusing to start. */
  repair?: boolean;
  /** Called with warnings (torn tail dropped, records dropped by repair). */
  log?: (level: "info" | "warn" | "error", message: string) => void;
  /** Called once if a write or fsync fails (ENOSPC, EIO): the engine then fail-stops. */
  onFatal?: (error: Error) => void;
}

/** What a checkpoint writes: the catalog and every document, as of the checkpoint seq. */
export interface CheckpointSource {
  catalog: CatalogEntry[];
  /** Documents per namespace captured at the checkpoint seq; iterated asynchronously while writes continue. */
  collections: Iterable<[ns: string, docs: Iterable<Document>]>;
}

/** The append side of the journal, as the engine uses it after recovery. */
export interface Journal {
  /** Last assigned seq. */
  readonly seq: number;
  /** Bytes appended since the last checkpoint (the engine uses it to trigger checkpoints). */
  readonly bytesSinceCheckpoint: number;
  /** Size of the newest checkpoint file (written or recovered from), 0 when there is none. */
  readonly checkpointBytes: number;
  /** Assigns the next seq synchronously and returns a promise that resolves when the record is durable. */
  append(record: JournalRecord): { seq: number; durable: Promise<void> };
  /** Writes a checkpoint of `source()` taken at the current seq, then deletes what it makes obsolete. */
  checkpoint(source: () => CheckpointSource): Promise<void>;
  /** Waits for pending appends, fsyncs and closes files. */
  close(): Promise<void>;
}

/** The journal refuses to start: a bad record is followed by valid ones, or seqs have a gap. */
export class JournalCorruptError extends Error {
  readonly file: string;
  readonly offset: number;

  constructor(file: string, offset: number, reason: string) {
    super(
      `journal corruption in ${file} at offset ${offset}: ${reason} (start with repair to truncate there)`,
    );
    this.name = "JournalCorruptError";
    this.file = file;
    this.offset = offset;
  }
}

/**
 * A journal write or fsync failed (disk full, I/O error). Its message names the directory and, for a
 * full disk, says so in words; `code` is the system error code (ENOSPC, EIO, …) when there is one.
 */
export class JournalWriteError extends Error {
  readonly code: string | undefined;
  readonly dir: string;

  constructor(dir: string, cause: Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    const what = code === "ENOSPC" ? "disk full (ENOSPC: no space left on device)" : cause.message;
    super(`journal write failed in ${dir}: ${what}`, { cause });
    this.name = "JournalWriteError";
    this.code = code;
    this.dir = dir;
  }
}

/** Checkpoint records are written in chunks of about this size so writes interleave with serialization. */
const CHUNK = 1024 * 1024;
const SEGMENT_NAME = /^journal-([0-9a-f]{16})\.wal$/;
const CHECKPOINT_NAME = /^checkpoint-([0-9a-f]{16})\.bson$/;
/** Left behind by a checkpoint or CURRENT rewrite that was interrupted; never referenced. */
const LEFTOVER_NAME = /^(checkpoint-[0-9a-f]{16}\.tmp|CURRENT\.tmp)$/;

const hex = (seq: number): string => seq.toString(16).padStart(16, "0");
/** File name of the segment whose first record has seq `firstSeq`. */
export const segmentName = (firstSeq: number): string => `journal-${hex(firstSeq)}.wal`;
/** File name of the checkpoint taken at `seq`. */
export const checkpointName = (seq: number): string => `checkpoint-${hex(seq)}.bson`;

function seqOf(name: string, pattern: RegExp): number | null {
  const match = pattern.exec(name);
  return match ? Number.parseInt(match[1]!, 16) : null;
}

async function listSeqs(dir: string, pattern: RegExp): Promise<number[]> {
  const seqs: number[] = [];
  for (const name of await readdir(dir)) {
    const seq = seqOf(name, pattern);
    if (seq !== null) seqs.push(seq);
  }
  return seqs.sort((a, b) => a - b);
}

/** Makes creations, renames and deletions in `dir` durable. */
async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** FileHandle.write may write less than asked; loop until all of `data` is at `position`. */
async function writeAll(handle: FileHandle, data: Buffer, position: number): Promise<void> {
  for (let done = 0; done < data.length; ) {
    const { bytesWritten } = await handle.write(data, done, data.length - done, position + done);
    done += bytesWritten;
  }
}

/** One group commit: everything appended while the previous write + fdatasync was in flight. */
interface Batch {
  chunks: Buffer[];
  /** Open journal-<rotateTo>.wal before writing (a checkpoint rotated the journal). */
  rotateTo?: number;
  done: Promise<void>;
  resolve(): void;
  reject(error: Error): void;
}

function newBatch(rotateTo?: number): Batch {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const done = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Callers that drop `durable` learn of failures through onFatal, not through an unhandled rejection.
  done.catch(() => {});
  return { chunks: [], rotateTo, done, resolve, reject };
}

function rejected(error: Error): Promise<void> {
  const promise = Promise.reject(error);
  promise.catch(() => {});
  return promise;
}

/** The file-backed journal returned by openJournal; public counters and the handle exist for tests. */
export class FileJournal implements Journal {
  /** fdatasync calls on segments so far (group commit makes this far smaller than the append count). */
  datasyncCount = 0;
  /** The open segment; tests close it underneath to simulate an I/O failure. */
  handle: FileHandle | null = null;

  private readonly dir: string;
  private readonly mode: "fsync" | "interval" | "none";
  private readonly options: JournalOptions;
  private lastSeq: number;
  private appendedBytes: number;
  private checkpointSeq: number | null;
  private lastCheckpointBytes: number;
  /** First seq of the segment new records go to; equal to seq + 1 while that segment is still empty. */
  private segmentStart: number;
  private position = 0;
  private pending: Batch[] = [];
  private inFlight: Batch | null = null;
  private running = false;
  private fatal: Error | null = null;
  private closed = false;
  private timer: NodeJS.Timeout | null = null;
  private checkpointsQueued = 0;
  private checkpointTail: Promise<void> = Promise.resolve();

  constructor(
    dir: string,
    seq: number,
    checkpointSeq: number | null,
    bytes: number,
    options: JournalOptions,
    checkpointBytes = 0,
  ) {
    this.dir = dir;
    this.lastCheckpointBytes = checkpointBytes;
    this.mode = options.sync ?? "fsync";
    this.options = options;
    this.lastSeq = seq;
    this.appendedBytes = bytes;
    this.checkpointSeq = checkpointSeq;
    this.segmentStart = seq + 1;
  }

  get seq(): number {
    return this.lastSeq;
  }

  get bytesSinceCheckpoint(): number {
    return this.appendedBytes;
  }

  get checkpointBytes(): number {
    return this.lastCheckpointBytes;
  }

  /** Opens the first segment (recovery step 5) and, in interval mode, the 100 ms sync timer. */
  async start(): Promise<void> {
    await this.openSegment(this.segmentStart);
    if (this.mode === "interval") {
      this.timer = setInterval(() => {
        if (this.pending.length > 0) this.kick();
      }, 100);
      this.timer.unref();
    }
  }

  append(record: JournalRecord): { seq: number; durable: Promise<void> } {
    if (this.fatal || this.closed) {
      return { seq: this.lastSeq, durable: rejected(this.fatal ?? new Error("the journal is closed")) };
    }
    // Frame everything before assigning seqs, so a record too large to frame leaves no gap.
    const frames = encodeRecord(record).map((part, i) =>
      encodeFrame(this.lastSeq + 1 + i, part.type, part.payload),
    );
    let batch = this.pending[this.pending.length - 1];
    if (!batch) {
      batch = newBatch();
      this.pending.push(batch);
    }
    for (const frame of frames) {
      batch.chunks.push(frame);
      this.appendedBytes += frame.length;
    }
    this.lastSeq += frames.length;
    if (this.mode !== "interval") this.kick();
    return { seq: this.lastSeq, durable: this.mode === "fsync" ? batch.done : Promise.resolve() };
  }

  /** Writes (and, unless sync is "none", fsyncs) everything appended so far: writeConcern j:true in interval mode. */
  flush(): Promise<void> {
    if (this.fatal) return rejected(this.fatal);
    const last = this.pending[this.pending.length - 1] ?? this.inFlight;
    if (!last) return Promise.resolve();
    this.kick();
    return last.done;
  }

  checkpoint(source: () => CheckpointSource): Promise<void> {
    if (this.fatal || this.closed) return rejected(this.fatal ?? new Error("the journal is closed"));
    // Checkpoints run one at a time; an idle journal starts this one synchronously, as the engine expects.
    const start = (): Promise<void> => this.runCheckpoint(source);
    const run = this.checkpointsQueued > 0 ? this.checkpointTail.then(start) : start();
    this.checkpointsQueued++;
    this.checkpointTail = run.then(
      () => {
        this.checkpointsQueued--;
      },
      () => {
        this.checkpointsQueued--;
      },
    );
    return run;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.checkpointTail;
    if (this.timer) clearInterval(this.timer);
    // A failed flush has already gone to onFatal; closing must still release the file.
    await this.flush().catch(() => {});
    await this.handle?.close().catch(() => {});
    this.handle = null;
  }

  private async runCheckpoint(source: () => CheckpointSource): Promise<void> {
    if (this.fatal) throw this.fatal;
    // Step 1, synchronous: seqC, the snapshot and the rotation all describe the same instant.
    const seqC = this.lastSeq;
    if (seqC === this.checkpointSeq) return; // nothing was written since the last checkpoint
    const snapshot = source();
    let rotation: Promise<void> = Promise.resolve();
    if (this.segmentStart !== seqC + 1) {
      this.segmentStart = seqC + 1;
      const batch = newBatch(seqC + 1);
      this.pending.push(batch);
      this.kick();
      rotation = batch.done;
    }
    this.appendedBytes = 0;

    // Steps 2 and 3: stream to .tmp, fsync, rename, then point CURRENT at it.
    const name = checkpointName(seqC);
    const tmp = join(this.dir, name.replace(/\.bson$/, ".tmp"));
    try {
      this.lastCheckpointBytes = await writeCheckpoint(tmp, seqC, snapshot);
    } catch (error) {
      await unlink(tmp).catch(() => {});
      throw error;
    }
    await rename(tmp, join(this.dir, name));
    await fsyncDir(this.dir);
    await writeCurrent(this.dir, name);
    const previous = this.checkpointSeq;
    this.checkpointSeq = seqC;

    // Step 4: only now drop segments ending at or before seqC and checkpoints older than the previous one.
    await rotation; // the old segment must be closed before it is deleted
    for (const first of await listSeqs(this.dir, SEGMENT_NAME)) {
      // Rotation put seqC + 1 at the start of a segment, so any earlier segment ends at or before seqC.
      if (first <= seqC) await unlink(join(this.dir, segmentName(first)));
    }
    for (const seq of await listSeqs(this.dir, CHECKPOINT_NAME)) {
      if (seq !== seqC && seq !== previous) await unlink(join(this.dir, checkpointName(seq)));
    }
    await fsyncDir(this.dir);
  }

  /** Starts the writer loop on the next turn, so appends made in this turn share its first write. */
  private kick(): void {
    if (this.running || this.fatal) return;
    this.running = true;
    setImmediate(() => void this.run());
  }

  /** The single writer: one batch at a time, so appends made during an fdatasync form the next batch. */
  private async run(): Promise<void> {
    while (this.pending.length > 0 && !this.fatal) {
      const batch = this.pending.shift()!;
      this.inFlight = batch;
      try {
        if (batch.rotateTo !== undefined) await this.openSegment(batch.rotateTo);
        if (batch.chunks.length > 0) {
          const data = batch.chunks.length === 1 ? batch.chunks[0]! : Buffer.concat(batch.chunks);
          await writeAll(this.handle!, data, this.position);
          this.position += data.length;
          if (this.mode !== "none") {
            await this.handle!.datasync();
            this.datasyncCount++;
          }
        }
        batch.resolve();
      } catch (error) {
        this.fail(error instanceof Error ? error : new Error(String(error)));
      }
    }
    this.inFlight = null;
    this.running = false;
  }

  /** Closes the current segment (synced) and creates journal-<firstSeq>.wal, durable in the directory. */
  private async openSegment(firstSeq: number): Promise<void> {
    if (this.handle) {
      if (this.mode !== "none") await this.handle.datasync();
      await this.handle.close();
      this.handle = null;
    }
    this.handle = await open(join(this.dir, segmentName(firstSeq)), "wx");
    this.position = 0;
    // Records acked in this segment are only durable once its directory entry is.
    if (this.mode !== "none") await fsyncDir(this.dir);
  }

  /** Fail-stop: memory is now ahead of disk, so nothing more may be acknowledged. */
  private fail(cause: Error): void {
    if (this.fatal) return;
    const error = new JournalWriteError(this.dir, cause);
    this.fatal = error;
    if (this.timer) clearInterval(this.timer);
    for (const batch of [this.inFlight, ...this.pending]) batch?.reject(error);
    this.pending = [];
    this.options.log?.("error", `${error.message}; refusing further writes`);
    this.options.onFatal?.(error);
  }
}

/** Streams a checkpoint to `path` as CATALOG, DOCS batches and a TRAILER with the count and file CRC. */
async function writeCheckpoint(path: string, seqC: number, snapshot: CheckpointSource): Promise<number> {
  const handle = await open(path, "w");
  try {
    let crc = 0;
    let count = 0;
    let position = 0;
    let buffered: Buffer[] = [];
    let bufferedBytes = 0;
    const drain = async (): Promise<void> => {
      const data = Buffer.concat(buffered);
      buffered = [];
      bufferedBytes = 0;
      await writeAll(handle, data, position);
      position += data.length;
    };
    const put = async (type: number, body: Document): Promise<void> => {
      const frame = encodeFrame(seqC, type, toBson(body));
      crc = crc32(frame, crc);
      buffered.push(frame);
      bufferedBytes += frame.length;
      if (bufferedBytes >= CHUNK) await drain();
    };
    await put(RecordType.CATALOG, { catalog: snapshot.catalog });
    for (const [ns, docs] of snapshot.collections) {
      let batch: Document[] = [];
      let size = 0;
      for (const doc of docs) {
        const docSize = calculateObjectSize(doc);
        // Flush before a document would overflow the chunk, so a batch stays under 1 MiB or one document.
        if (batch.length > 0 && size + docSize > CHUNK) {
          await put(RecordType.DOCS, { ns, docs: batch });
          batch = [];
          size = 0;
        }
        batch.push(doc);
        size += docSize;
        count++;
      }
      if (batch.length > 0) await put(RecordType.DOCS, { ns, docs: batch });
    }
    await put(RecordType.TRAILER, { count, crc });
    await drain();
    await handle.sync();
    return position;
  } finally {
    await handle.close();
  }
}

/** Points CURRENT at `name` atomically: tmp, fsync, rename, directory fsync. */
async function writeCurrent(dir: string, name: string): Promise<void> {
  const tmp = join(dir, "CURRENT.tmp");
  const handle = await open(tmp, "w");
  try {
    await handle.writeFile(`${name}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, join(dir, "CURRENT"));
  await fsyncDir(dir);
}

/** Why a checkpoint file is unusable, or null when its frames, trailer CRC and seq all check out. */
export function verifyCheckpoint(buf: Buffer, seq: number): string | null {
  let crc = 0;
  for (let offset = 0; offset < buf.length; ) {
    const frame = readFrame(buf, offset);
    if (typeof frame === "string") return `${frame} at offset ${offset}`;
    if (frame.seq !== seq) return `record of seq ${frame.seq} at offset ${offset}`;
    const expected =
      offset === 0 ? RecordType.CATALOG : frame.type === RecordType.TRAILER ? frame.type : RecordType.DOCS;
    if (frame.type !== expected) return `record type ${frame.type} at offset ${offset}`;
    if (frame.type === RecordType.TRAILER) {
      if (frame.end !== buf.length) return `data after the trailer at offset ${frame.end}`;
      const trailer = deserialize(frame.payload, DESERIALIZE_OPTIONS);
      return trailer.crc === crc ? null : "file CRC mismatch";
    }
    crc = crc32(buf.subarray(offset, frame.end), crc);
    offset = frame.end;
  }
  return "no trailer (incomplete file)";
}

/** Feeds a verified checkpoint to the visitor. */
function replayCheckpoint(buf: Buffer, file: string, visitor: RecoveryVisitor): void {
  let count = 0;
  for (let offset = 0; offset < buf.length; ) {
    const frame = readFrame(buf, offset);
    if (typeof frame === "string") throw new JournalCorruptError(file, offset, frame); // verified: unreachable
    const body = deserialize(frame.payload, DESERIALIZE_OPTIONS);
    if (frame.type === RecordType.CATALOG) visitor.catalog(body.catalog as CatalogEntry[]);
    if (frame.type === RecordType.DOCS) {
      const docs = body.docs as Document[];
      visitor.docs(body.ns as string, docs);
      count += docs.length;
    }
    if (frame.type === RecordType.TRAILER && body.count !== count) {
      throw new JournalCorruptError(
        file,
        offset,
        `trailer counts ${body.count} documents, the file has ${count}`,
      );
    }
    offset = frame.end;
  }
}

/** Recovery step 2: loads the checkpoint CURRENT names, falling back to older ones; returns its seq. */
async function loadCheckpoint(
  dir: string,
  visitor: RecoveryVisitor,
  log: NonNullable<JournalOptions["log"]>,
): Promise<{ seq: number; bytes: number } | null> {
  let current: string;
  try {
    current = (await readFile(join(dir, "CURRENT"), "utf8")).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    // No CURRENT: no checkpoint was ever confirmed, so no segment was ever deleted.
    visitor.catalog([]);
    return null;
  }
  const named = seqOf(current, CHECKPOINT_NAME);
  if (named === null)
    log("warn", `CURRENT names no checkpoint (${JSON.stringify(current)}); trying the newest`);
  const candidates = (await listSeqs(dir, CHECKPOINT_NAME)).filter((seq) => named === null || seq <= named);
  for (const seq of candidates.reverse()) {
    const file = join(dir, checkpointName(seq));
    const buf = await readFile(file);
    const problem = verifyCheckpoint(buf, seq);
    if (problem === null) {
      if (seq !== named) log("warn", `recovering from the older checkpoint ${file}`);
      replayCheckpoint(buf, file, visitor);
      return { seq, bytes: buf.length };
    }
    log("warn", `checkpoint ${file} is unusable (${problem}); falling back to the previous one`);
  }
  throw new JournalCorruptError(join(dir, "CURRENT"), 0, `no usable checkpoint (CURRENT names ${current})`);
}

/** Cuts a segment back to `offset` durably; a segment left empty is removed instead. */
async function truncateSegment(dir: string, file: string, offset: number): Promise<void> {
  if (offset === 0) {
    await unlink(file);
  } else {
    const handle = await open(file, "r+");
    try {
      await handle.truncate(offset);
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
  await fsyncDir(dir);
}

/**
 * Recovery step 3: replays the records after the checkpoint. Returns the last seq and the bytes replayed
 * (so the checkpoint trigger survives restarts).
 */
async function replayJournal(
  dir: string,
  checkpointSeq: number,
  visitor: RecoveryVisitor,
  repair: boolean,
  log: NonNullable<JournalOptions["log"]>,
): Promise<{ seq: number; bytes: number }> {
  const segments = await listSeqs(dir, SEGMENT_NAME);
  let seq = checkpointSeq;
  let bytes = 0;
  let expected: number | null = null;
  /** Deletes the segments after index i: they hold nothing that may be replayed. */
  const dropAfter = async (i: number): Promise<void> => {
    for (const first of segments.slice(i + 1)) await unlink(join(dir, segmentName(first)));
    await fsyncDir(dir);
  };
  /** Valid frames in the segments after index i (any means a bad record here is not a torn tail). */
  const framesAfter = async (i: number): Promise<number> => {
    let count = 0;
    for (const first of segments.slice(i + 1))
      count += countFrames(await readFile(join(dir, segmentName(first))), 0);
    return count;
  };

  for (let i = 0; i < segments.length; i++) {
    const first = segments[i]!;
    const file = join(dir, segmentName(first));
    const next = segments[i + 1];
    if (next !== undefined && next <= checkpointSeq + 1) {
      // Wholly covered by the checkpoint: finish step 4 of the checkpoint that a crash interrupted.
      await unlink(file);
      continue;
    }
    const buf = await readFile(file);
    if (buf.length === 0) {
      await unlink(file); // opened but never written; its name is reused by the next segment
      continue;
    }
    for (let offset = 0; offset < buf.length; ) {
      const frame = readFrame(buf, offset);
      let problem: string | null = null;
      let record: JournalRecord | null = null;
      if (typeof frame === "string") {
        if (findNextFrame(buf, offset + 1) < 0 && (await framesAfter(i)) === 0) {
          // Torn tail: the crash interrupted this write, which was therefore never acknowledged.
          await truncateSegment(dir, file, offset);
          await dropAfter(i);
          log(
            "warn",
            `torn tail in ${file} at offset ${offset} (${frame}): dropped ${buf.length - offset} bytes`,
          );
          return { seq, bytes };
        }
        problem = `${frame}, followed by valid records`;
      } else if (offset === 0 && frame.seq !== first) {
        problem = `segment starts with seq ${frame.seq}`;
      } else if (expected !== null ? frame.seq !== expected : frame.seq > checkpointSeq + 1) {
        problem = `seq gap: expected ${expected ?? checkpointSeq + 1}, found ${frame.seq}`;
      } else if (frame.seq > checkpointSeq) {
        try {
          record = decodeRecord(frame.type, frame.payload);
        } catch (error) {
          problem = `undecodable record: ${(error as Error).message}`;
        }
      }
      if (problem !== null) {
        if (!repair) throw new JournalCorruptError(file, offset, problem);
        // The bad record itself counts as dropped when it is not a valid frame (a gap's record is one).
        const dropped =
          countFrames(buf, offset) + (typeof frame === "string" ? 1 : 0) + (await framesAfter(i));
        await truncateSegment(dir, file, offset);
        await dropAfter(i);
        log("warn", `repair: truncated ${file} at offset ${offset} (${problem}); dropped ${dropped} records`);
        return { seq, bytes };
      }
      const valid = frame as Exclude<typeof frame, string>;
      if (record) {
        visitor.record(record, valid.seq);
        bytes += valid.end - offset;
        seq = valid.seq;
      }
      expected = valid.seq + 1;
      offset = valid.end;
    }
  }
  return { seq, bytes };
}

/** Recovers dbPath (checkpoint + journal replay into `visitor`), then opens a new segment for appending. */
export async function openJournal(
  dbPath: string,
  visitor: RecoveryVisitor,
  options: JournalOptions = {},
): Promise<FileJournal> {
  await mkdir(dbPath, { recursive: true });
  const log = options.log ?? (() => {});
  for (const name of await readdir(dbPath)) {
    if (LEFTOVER_NAME.test(name)) await unlink(join(dbPath, name));
  }
  const checkpoint = await loadCheckpoint(dbPath, visitor, log);
  const checkpointSeq = checkpoint?.seq ?? null;
  const { seq, bytes } = await replayJournal(
    dbPath,
    checkpointSeq ?? 0,
    visitor,
    options.repair ?? false,
    log,
  );
  const journal = new FileJournal(dbPath, seq, checkpointSeq, bytes, options, checkpoint?.bytes ?? 0);
  await journal.start();
  return journal;
}
