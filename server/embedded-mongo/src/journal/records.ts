/**
 * Journal records and their on-disk framing (§6.11): a 24-byte little-endian header followed by one BSON
 * document. The same framing is used by checkpoint files (types 5–7).
 */

import { crc32 } from "node:zlib";
import { calculateObjectSize, deserialize, serialize, setInternalBufferSize } from "bson";
import type { Document } from "../types.ts";
import { type RawDocument, writeIdFirst } from "../wire/raw.ts";

/** One document change; `u` carries the full after-image so replay needs no update operators. */
export type JournalOp =
  /** `raw`, when present, is `doc` as BSON (from the wire), written instead of serializing `doc`. */
  | { op: "i"; ns: string; doc: Document; raw?: RawDocument }
  | { op: "u"; ns: string; id: unknown; doc: Document }
  | { op: "d"; ns: string; id: unknown };

/** What the engine journals: one write command, one transaction commit, or one DDL change. */
export type JournalRecord =
  | { type: "ops"; ops: JournalOp[]; lsid?: unknown; txnNumber?: unknown }
  | { type: "txn"; ops: JournalOp[]; lsid?: unknown; txnNumber?: unknown }
  | {
      type: "ddl";
      ddl: "create" | "drop" | "dropDatabase" | "rename" | "createIndexes" | "dropIndexes";
      ns: string;
      spec: Document;
    };

/** One collection of the checkpoint catalog. */
export interface CatalogEntry {
  ns: string;
  options: Document;
  indexes: Document[];
}

/** "EMWJ" read as a little-endian u32. */
export const MAGIC = 0x4a574d45;
/** Size of the record header in bytes. */
export const HEADER_SIZE = 24;
/** Largest payload a record may carry (the largest message a client may send). */
export const MAX_PAYLOAD = 48 * 1024 * 1024;

/** Record type codes stored in header byte 16. */
export const RecordType = {
  OPS: 1,
  TXN: 2,
  DDL: 3,
  CHECKPOINT_MARK: 4,
  CATALOG: 5,
  DOCS: 6,
  TRAILER: 7,
} as const;

/** Options every payload is read with, matching how the wire layer decodes documents. */
export const DESERIALIZE_OPTIONS = { promoteLongs: true, promoteValues: true, bsonRegExp: true } as const;

/** A frame that passed the magic, bounds and CRC checks. */
export interface Frame {
  seq: number;
  type: number;
  payload: Buffer;
  /** Offset just past the frame. */
  end: number;
}

const MAGIC_BYTES = Buffer.alloc(4);
MAGIC_BYTES.writeUInt32LE(MAGIC);

/** Frames one payload: header fields, then CRC-32 over bytes 4..19 and the payload. */
export function encodeFrame(seq: number, type: number, payload: Uint8Array): Buffer {
  if (payload.length > MAX_PAYLOAD)
    throw new RangeError(`journal payload of ${payload.length} bytes exceeds 48 MiB`);
  const frame = Buffer.allocUnsafe(HEADER_SIZE + payload.length);
  frame.writeUInt32LE(MAGIC, 0);
  frame.writeUInt32LE(payload.length, 4);
  frame.writeBigUInt64LE(BigInt(seq), 8);
  frame.writeUInt32LE(type, 16); // type in byte 16, reserved bytes 17..19 zero
  frame.set(payload, HEADER_SIZE);
  frame.writeUInt32LE(crc32(frame.subarray(HEADER_SIZE), crc32(frame.subarray(4, 20))), 20);
  return frame;
}

/** Reads the frame at `offset`, or returns why there is no valid frame there. */
export function readFrame(buf: Buffer, offset: number): Frame | string {
  if (buf.length - offset < HEADER_SIZE) return "fewer than 24 bytes left";
  if (buf.readUInt32LE(offset) !== MAGIC) return "bad magic";
  const length = buf.readUInt32LE(offset + 4);
  // The smallest BSON document is 5 bytes.
  if (length < 5 || length > MAX_PAYLOAD) return `payload length ${length} out of bounds`;
  const end = offset + HEADER_SIZE + length;
  if (end > buf.length) return "short payload";
  const payload = buf.subarray(offset + HEADER_SIZE, end);
  const crc = crc32(payload, crc32(buf.subarray(offset + 4, offset + 20)));
  if (crc !== buf.readUInt32LE(offset + 20)) return "CRC mismatch";
  const seq = buf.readBigUInt64LE(offset + 8);
  if (seq > BigInt(Number.MAX_SAFE_INTEGER)) return "seq out of range";
  return { seq: Number(seq), type: buf.readUInt8(offset + 16), payload, end };
}

/** Offset of the next valid frame at or after `from` (magic followed by a valid CRC), or -1. */
export function findNextFrame(buf: Buffer, from: number): number {
  for (let at = buf.indexOf(MAGIC_BYTES, from); at >= 0; at = buf.indexOf(MAGIC_BYTES, at + 1)) {
    if (typeof readFrame(buf, at) !== "string") return at;
  }
  return -1;
}

/** Counts the valid frames at or after `from`, hopping over garbage (used to report what repair drops). */
export function countFrames(buf: Buffer, from: number): number {
  let count = 0;
  for (let at = findNextFrame(buf, from); at >= 0; at = findNextFrame(buf, at + 1)) {
    const frame = readFrame(buf, at) as Frame;
    count++;
    at = frame.end - 1;
  }
  return count;
}

/** Serializes a record into one or more (type, payload) pairs; only an oversized OPS record becomes several. */
export function encodeRecord(record: JournalRecord): { type: number; payload: Uint8Array }[] {
  if (record.type === "ddl") {
    return [{ type: RecordType.DDL, payload: toBson({ ddl: record.ddl, ns: record.ns, spec: record.spec }) }];
  }
  const type = record.type === "ops" ? RecordType.OPS : RecordType.TXN;
  const session: Document = {};
  if (record.lsid !== undefined) session.lsid = record.lsid;
  if (record.txnNumber !== undefined) session.txnNumber = record.txnNumber;
  const payload = encodeOps(session, record.ops);
  // A transaction must stay one record (all or nothing); encodeFrame rejects it if it is too large.
  if (payload.length <= MAX_PAYLOAD || type === RecordType.TXN) return [{ type, payload }];
  return splitOps(record.ops).map((ops) => ({ type, payload: encodeOps(session, ops) }));
}

/**
 * `{...session, ops}` as BSON, the same bytes toBson would give, but an insert whose document came
 * with its BSON (`raw`) is copied in rather than serialized again.
 */
function encodeOps(session: Document, ops: JournalOp[]): Uint8Array {
  if (!ops.some((op) => op.op === "i" && op.raw)) return toBson({ ...session, ops });
  const head = toBson(session); // its elements, without length and terminator, open the payload
  const bodies: (Uint8Array | null)[] = [];
  let itemsLength = 0;
  const nsBytes = new Map<string, number>();
  for (const [i, op] of ops.entries()) {
    const keyLength = String(i).length + 1;
    let bodyLength: number;
    if (op.op === "i" && op.raw) {
      let nsLength = nsBytes.get(op.ns);
      if (nsLength === undefined) {
        nsLength = Buffer.byteLength(op.ns, "utf8");
        nsBytes.set(op.ns, nsLength);
      }
      bodyLength = rawInsertLength(nsLength, op.raw);
      bodies.push(null);
    } else {
      const body = toBson(op);
      bodyLength = body.length;
      bodies.push(body);
    }
    itemsLength += 1 + keyLength + bodyLength;
  }
  const arrayLength = 4 + itemsLength + 1;
  const total = 4 + (head.length - 5) + OPS_ARRAY_NAME.length + arrayLength + 1;
  const out = Buffer.allocUnsafe(total);
  let at = out.writeInt32LE(total, 0);
  out.set(head.subarray(4, head.length - 1), at);
  at += head.length - 5;
  out.set(OPS_ARRAY_NAME, at);
  at += OPS_ARRAY_NAME.length;
  at = out.writeInt32LE(arrayLength, at);
  for (const [i, op] of ops.entries()) {
    out[at++] = 0x03;
    at += out.write(String(i), at, "latin1");
    out[at++] = 0;
    const body = bodies[i];
    if (body) {
      out.set(body, at);
      at += body.length;
    } else if (op.op === "i" && op.raw) {
      at = writeRawInsert(out, at, op.ns, nsBytes.get(op.ns) as number, op.raw);
    }
  }
  out[at++] = 0; // end of the array
  out[at] = 0; // end of the payload
  return out;
}

/** Type 0x04 (array) and the field name "ops". */
const OPS_ARRAY_NAME = Buffer.from([0x04, 0x6f, 0x70, 0x73, 0x00]);

/** Length of `{op: "i", ns, doc}`: length, "op": "i", "ns": ns, "doc": document, terminator. */
function rawInsertLength(nsLength: number, raw: RawDocument): number {
  return 4 + (1 + 3 + 4 + 2) + (1 + 3 + 4 + nsLength + 1) + (1 + 4) + raw.bytes.length + 1;
}

/** Writes `{op: "i", ns, doc}` with the document's bytes copied in (`_id` first); returns the end. */
function writeRawInsert(out: Buffer, start: number, ns: string, nsLength: number, raw: RawDocument): number {
  let at = out.writeInt32LE(rawInsertLength(nsLength, raw), start);
  out[at++] = 0x02;
  at += out.write("op\0", at, "latin1");
  at = out.writeInt32LE(2, at);
  at += out.write("i\0", at, "latin1");
  out[at++] = 0x02;
  at += out.write("ns\0", at, "latin1");
  at = out.writeInt32LE(nsLength + 1, at);
  at += out.write(ns, at, "utf8");
  out[at++] = 0;
  out[at++] = 0x03;
  at += out.write("doc\0", at, "latin1");
  at = writeIdFirst(raw, out, at);
  out[at++] = 0;
  return at;
}

/**
 * Splits the ops of one write command so that every payload fits a frame: the documents of a
 * non-transactional write are atomic one by one, so several records are as correct as one.
 */
function splitOps(ops: JournalOp[]): JournalOp[][] {
  const budget = MAX_PAYLOAD - 64 * 1024; // room for lsid, txnNumber and array keys
  const groups: JournalOp[][] = [[]];
  let size = 0;
  for (const op of ops) {
    const opSize =
      (op.op === "i" && op.raw ? op.raw.bytes.length + op.ns.length * 3 + 32 : calculateObjectSize(op)) + 16;
    if (size + opSize > budget && size > 0) {
      groups.push([]);
      size = 0;
    }
    groups[groups.length - 1]!.push(op);
    size += opSize;
  }
  return groups;
}

/** Serializes one payload; bson's shared buffer holds 17 MiB, so larger payloads retry with it grown. */
export function toBson(body: Document): Uint8Array {
  try {
    return serialize(body);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    setInternalBufferSize(calculateObjectSize(body) + 1024); // grows bson's shared buffer for good
    return serialize(body);
  }
}

/** Decodes a journal payload of type 1, 2 or 3; throws on anything else. */
export function decodeRecord(type: number, payload: Uint8Array): JournalRecord {
  const body = deserialize(payload, DESERIALIZE_OPTIONS);
  if (type === RecordType.DDL) {
    if (typeof body.ddl !== "string" || typeof body.ns !== "string") throw new Error("malformed DDL record");
    return { type: "ddl", ddl: body.ddl as "create", ns: body.ns, spec: (body.spec ?? {}) as Document };
  }
  if (type !== RecordType.OPS && type !== RecordType.TXN) throw new Error(`unexpected record type ${type}`);
  if (!Array.isArray(body.ops)) throw new Error("malformed OPS/TXN record");
  const kind = type === RecordType.OPS ? "ops" : "txn";
  const record: Exclude<JournalRecord, { type: "ddl" }> = { type: kind, ops: body.ops as JournalOp[] };
  if (body.lsid !== undefined) record.lsid = body.lsid;
  if (body.txnNumber !== undefined) record.txnNumber = body.txnNumber;
  return record;
}
