/** Insert/replacement document validation (§6.8): _id rules, $-prefixed names, nesting depth, 16 MiB. */
import { calculateObjectSize, ObjectId } from "bson";
import { mongoError } from "../errors.ts";
import type { Document } from "../types.ts";
import { isPlainObject } from "./paths.ts";
import { isBsonRegExp } from "./regex.ts";

/** MongoDB's maximum user document size. */
export const MAX_BSON_SIZE = 16 * 1024 * 1024;
const MAX_DEPTH = 100;

function checkDepth(v: unknown, depth: number): void {
  if (depth > MAX_DEPTH)
    throw mongoError(2, `cannot insert document because it exceeds ${MAX_DEPTH} levels of nesting`);
  if (Array.isArray(v)) {
    for (const e of v) if (typeof e === "object" && e !== null) checkDepth(e, depth + 1);
  } else if (isPlainObject(v)) {
    for (const k of Object.keys(v)) {
      const e = v[k];
      if (typeof e === "object" && e !== null) checkDepth(e, depth + 1);
    }
  }
}

function checkId(id: unknown): void {
  if (Array.isArray(id)) throw mongoError(2, "can't use an array for _id");
  if (id instanceof RegExp || isBsonRegExp(id)) throw mongoError(2, "can't use a regex for _id");
  if (id === undefined) throw mongoError(2, "can't use undefined for _id");
  if (isPlainObject(id)) {
    for (const k of Object.keys(id)) {
      if (k.startsWith("$"))
        throw mongoError(
          52,
          `_id fields may not contain '$'-prefixed fields: ${k} is not valid for storage.`,
        );
    }
  }
}

/**
 * Validates a document that is about to be stored (replacement or update after-image).
 * @param bsonSize its BSON size when known (the bytes it arrived in), saving a walk to compute it.
 */
export function validateStoredDocument(doc: Document, bsonSize?: number): void {
  if (!isPlainObject(doc)) throw mongoError(2, "document must be an object");
  // Since MongoDB 5.0 stored documents may hold $-prefixed and dotted field names (except inside _id).
  if ("_id" in doc) checkId(doc._id);
  checkDepth(doc, 1);
  const size = bsonSize ?? calculateObjectSize(doc);
  if (size > MAX_BSON_SIZE) {
    throw mongoError(
      10334,
      `BSONObj size: ${size} (0x${size.toString(16).toUpperCase()}) is invalid. Size must be between 0 and 16793600(16MB) First element: _id: ${String(doc._id)}`,
    );
  }
}

/**
 * Returns a new document with `_id` first (an ObjectId is generated when missing), validated for storage.
 * @param bsonSize the size of the bytes it arrived in, when they hold its `_id` (so the same size).
 */
export function prepareForInsert(doc: Document, bsonSize?: number): Document {
  if (!isPlainObject(doc)) throw mongoError(2, "document to insert must be an object");
  const out: Document = { _id: "_id" in doc && doc._id !== undefined ? doc._id : new ObjectId() };
  for (const k of Object.keys(doc)) if (k !== "_id") out[k] = doc[k];
  validateStoredDocument(out, bsonSize);
  return out;
}

/** Puts `_id` first without copying when it already is. */
export function idFirst(doc: Document): Document {
  const keys = Object.keys(doc);
  if (keys.length === 0 || keys[0] === "_id" || !("_id" in doc)) return doc;
  const out: Document = { _id: doc._id };
  for (const k of keys) if (k !== "_id") out[k] = doc[k];
  return out;
}
