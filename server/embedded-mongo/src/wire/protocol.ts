/**
 * MongoDB wire framing: parses OP_MSG and the legacy OP_QUERY handshake, builds OP_MSG and OP_REPLY replies.
 */
import { type DeserializeOptions, deserialize, serialize } from "bson";
import type { Document } from "../types.ts";
import { rememberRaw } from "./raw.ts";

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_MSG = 2013;
export const MAX_MESSAGE_BYTES = 48_000_000;

const FLAG_CHECKSUM = 1;
const FLAG_MORE_TO_COME = 2;
const FLAG_EXHAUST_ALLOWED = 1 << 16;
/** Bits 0-15 are "required": a receiver must close on an unknown one. */
const KNOWN_REQUIRED_BITS = FLAG_CHECKSUM | FLAG_MORE_TO_COME;

/** Options that keep BSON values faithful enough for matching (see the README's deviations). */
export const deserializeOptions: DeserializeOptions = {
  promoteLongs: true,
  promoteValues: true,
  promoteBuffers: false,
  bsonRegExp: true,
};

/** A decoded request: the command document with kind-1 sequences merged in. */
export interface WireRequest {
  requestId: number;
  opCode: number;
  command: Document;
  /** For OP_MSG: the client asked for no reply. */
  moreToCome: boolean;
  /** For OP_QUERY: the target collection, e.g. "admin.$cmd". */
  fullCollectionName?: string;
}

/** Thrown when a frame is malformed; the connection is closed. */
export class ProtocolError extends Error {}

/** Reads the int32 message length at the start of a frame. */
export function frameLength(buffer: Buffer): number {
  return buffer.readInt32LE(0);
}

/**
 * Decodes one complete frame.
 * @param frame the whole message including its 16-byte header.
 */
export function decodeFrame(frame: Buffer): WireRequest {
  if (frame.length < 16) throw new ProtocolError("frame shorter than its header");
  const requestId = frame.readInt32LE(4);
  const opCode = frame.readInt32LE(12);
  if (opCode === OP_MSG) return decodeMsg(frame, requestId);
  if (opCode === OP_QUERY) return decodeQuery(frame, requestId);
  throw new ProtocolError(`unsupported opCode ${opCode}`);
}

function decodeMsg(frame: Buffer, requestId: number): WireRequest {
  const flags = frame.readUInt32LE(16);
  if ((flags & 0xffff & ~KNOWN_REQUIRED_BITS) !== 0)
    throw new ProtocolError(`unknown required flag bits ${flags}`);
  const end = flags & FLAG_CHECKSUM ? frame.length - 4 : frame.length;
  let offset = 20;
  let body: Document | undefined;
  const sequences = new Map<string, Document[]>();
  while (offset < end) {
    const kind = frame[offset];
    offset += 1;
    if (kind === 0) {
      if (body) throw new ProtocolError("more than one kind-0 section");
      const size = readDocSize(frame, offset, end);
      body = deserialize(frame.subarray(offset, offset + size), deserializeOptions);
      offset += size;
    } else if (kind === 1) {
      if (offset + 4 > end) throw new ProtocolError("truncated document sequence");
      const size = frame.readInt32LE(offset);
      const sectionEnd = offset + size;
      if (size < 5 || sectionEnd > end) throw new ProtocolError("bad document sequence size");
      const nameEnd = frame.indexOf(0, offset + 4);
      if (nameEnd < 0 || nameEnd >= sectionEnd) throw new ProtocolError("bad document sequence identifier");
      const identifier = frame.toString("utf8", offset + 4, nameEnd);
      if (sequences.has(identifier)) throw new ProtocolError(`duplicate document sequence '${identifier}'`);
      const docs: Document[] = [];
      const raws: Buffer[] = [];
      let pos = nameEnd + 1;
      while (pos < sectionEnd) {
        const docSize = readDocSize(frame, pos, sectionEnd);
        const bytes = frame.subarray(pos, pos + docSize);
        docs.push(deserialize(bytes, deserializeOptions));
        raws.push(bytes);
        pos += docSize;
      }
      rememberRaw(docs, raws);
      sequences.set(identifier, docs);
      offset = sectionEnd;
    } else {
      throw new ProtocolError(`unknown section kind ${kind}`);
    }
  }
  if (!body) throw new ProtocolError("OP_MSG without a body section");
  for (const [identifier, docs] of sequences) {
    if (identifier in body)
      throw new ProtocolError(`document sequence '${identifier}' duplicates a body field`);
    body[identifier] = docs;
  }
  return { requestId, opCode: OP_MSG, command: body, moreToCome: (flags & FLAG_MORE_TO_COME) !== 0 };
}

function decodeQuery(frame: Buffer, requestId: number): WireRequest {
  let offset = 20;
  const nameEnd = frame.indexOf(0, offset);
  if (nameEnd < 0) throw new ProtocolError("OP_QUERY without a collection name");
  const fullCollectionName = frame.toString("utf8", offset, nameEnd);
  offset = nameEnd + 1 + 8;
  const size = readDocSize(frame, offset, frame.length);
  let command = deserialize(frame.subarray(offset, offset + size), deserializeOptions);
  // Legacy clients may wrap the command as {$query: {...}, $readPreference: ...}.
  if (command.$query && typeof command.$query === "object") command = command.$query as Document;
  return { requestId, opCode: OP_QUERY, command, moreToCome: false, fullCollectionName };
}

function readDocSize(frame: Buffer, offset: number, end: number): number {
  if (offset + 5 > end) throw new ProtocolError("truncated BSON document");
  const size = frame.readInt32LE(offset);
  if (size < 5 || offset + size > end) throw new ProtocolError("BSON document size out of bounds");
  return size;
}

let nextResponseId = 1;

/**
 * Encodes an OP_MSG reply.
 * @param responseTo the request id being answered.
 * @param reply the reply document.
 */
export function encodeMsg(responseTo: number, reply: Document): Buffer {
  const body = serialize(reply);
  const header = Buffer.alloc(21);
  header.writeInt32LE(16 + 4 + 1 + body.length, 0);
  header.writeInt32LE(nextResponseId++ & 0x7fffffff, 4);
  header.writeInt32LE(responseTo, 8);
  header.writeInt32LE(OP_MSG, 12);
  header.writeUInt32LE(0, 16);
  header[20] = 0;
  return Buffer.concat([header, body]);
}

/**
 * Encodes an OP_REPLY (the answer to a legacy OP_QUERY handshake).
 * @param responseTo the request id being answered.
 * @param reply the reply document.
 */
export function encodeReply(responseTo: number, reply: Document): Buffer {
  const body = serialize(reply);
  const header = Buffer.alloc(36);
  header.writeInt32LE(36 + body.length, 0);
  header.writeInt32LE(nextResponseId++ & 0x7fffffff, 4);
  header.writeInt32LE(responseTo, 8);
  header.writeInt32LE(OP_REPLY, 12);
  header.writeInt32LE(0, 16);
  header.writeBigInt64LE(0n, 20);
  header.writeInt32LE(0, 28);
  header.writeInt32LE(1, 32);
  return Buffer.concat([header, body]);
}

export { FLAG_EXHAUST_ALLOWED };
