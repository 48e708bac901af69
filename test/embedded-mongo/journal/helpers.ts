/** Shared fixtures for the journal tests: temp dirs, a recording visitor and a tiny document model. */

import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type {
  CatalogEntry,
  JournalRecord,
  RecoveryVisitor,
} from "../../../server/embedded-mongo/src/journal/index.ts";
import { type Frame, readFrame } from "../../../server/embedded-mongo/src/journal/records.ts";
import type { Document } from "../../../server/embedded-mongo/src/types.ts";

const created: string[] = [];
process.on("exit", () => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

/** A fresh empty directory under the OS temp dir, removed when the test process exits. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "emj-test-"));
  created.push(dir);
  return dir;
}

/** Namespace → (_id as JSON → document): enough to compare recovered state with the live state. */
export type Model = Map<string, Map<string, Document>>;

/** Applies one journal record the way the engine would replay it. */
export function applyRecord(model: Model, record: JournalRecord): void {
  if (record.type === "ddl") return;
  for (const op of record.ops) {
    let coll = model.get(op.ns);
    if (!coll) {
      coll = new Map();
      model.set(op.ns, coll);
    }
    if (op.op === "i") coll.set(JSON.stringify(op.doc._id), op.doc);
    else if (op.op === "u") coll.set(JSON.stringify(op.id), op.doc);
    else coll.delete(JSON.stringify(op.id));
  }
}

/** A visitor that records every call and rebuilds a Model. */
export function recorder(): {
  visitor: RecoveryVisitor;
  catalogs: CatalogEntry[][];
  docs: [string, Document[]][];
  records: { seq: number; record: JournalRecord }[];
  model: Model;
} {
  const result = {
    catalogs: [] as CatalogEntry[][],
    docs: [] as [string, Document[]][],
    records: [] as { seq: number; record: JournalRecord }[],
    model: new Map() as Model,
  };
  const visitor: RecoveryVisitor = {
    catalog(entries) {
      result.catalogs.push(entries);
    },
    docs(ns, docs) {
      result.docs.push([ns, docs]);
      applyRecord(result.model, { type: "ops", ops: docs.map((doc) => ({ op: "i", ns, doc })) });
    },
    record(record, seq) {
      result.records.push({ seq, record });
      applyRecord(result.model, record);
    },
  };
  return { visitor, ...result };
}

/** A one-insert OPS record. */
export function insert(n: number, ns = "db.c"): JournalRecord {
  return { type: "ops", ops: [{ op: "i", ns, doc: { _id: n, n, pad: "x".repeat(n % 50) } }] };
}

/** Every valid frame in a file, with its start offset. */
export function framesOf(path: string): (Frame & { start: number })[] {
  const buf = readFileSync(path);
  const frames: (Frame & { start: number })[] = [];
  for (let offset = 0; offset < buf.length; ) {
    const frame = readFrame(buf, offset);
    if (typeof frame === "string") throw new Error(`${path}: ${frame} at ${offset}`);
    frames.push({ ...frame, start: offset });
    offset = frame.end;
  }
  return frames;
}

/** The journal segments in dir, sorted. */
export function segments(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith(".wal"))
    .sort();
}

/** Collects log lines. */
export function logSink(): { log: (level: string, message: string) => void; lines: string[] } {
  const lines: string[] = [];
  return { log: (level, message) => lines.push(`${level}: ${message}`), lines };
}
