// Converts driver result objects (BulkWriteResult, ClientBulkWriteResult, Maps) to plain documents for matching.
import type { BulkWriteResult } from "mongodb";
import { bsonTag, type Doc, isDocument } from "./values.ts";

function mapToDocument(map: ReadonlyMap<unknown, unknown>): Doc {
  const out: Doc = {};
  for (const [key, value] of map) out[String(key)] = toResultDocument(value);
  return out;
}

/** BulkWriteResult is a type-only export of the driver: recognise it by its methods. */
function isBulkWriteResult(value: unknown): value is BulkWriteResult {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { getRawResponse?: unknown }).getRawResponse === "function" &&
    typeof (value as { getWriteErrors?: unknown }).getWriteErrors === "function"
  );
}

/** Converts a driver result (model objects, Maps) into plain documents; BSON values pass through unchanged. */
export function toResultDocument(value: unknown): unknown {
  if (isBulkWriteResult(value)) {
    return {
      insertedCount: value.insertedCount,
      matchedCount: value.matchedCount,
      modifiedCount: value.modifiedCount,
      deletedCount: value.deletedCount,
      upsertedCount: value.upsertedCount,
      upsertedIds: { ...value.upsertedIds },
      insertedIds: { ...value.insertedIds },
    };
  }
  if (value instanceof Map) return mapToDocument(value);
  if (Array.isArray(value)) return value.map(toResultDocument);
  if (
    isDocument(value) &&
    bsonTag(value) === undefined &&
    Object.getPrototypeOf(value) !== Object.prototype
  ) {
    // A model class instance (e.g. ClientBulkWriteResult): copy its enumerable fields, converting Maps.
    const out: Doc = {};
    for (const key of Object.keys(value)) {
      const field = value[key];
      if (field !== undefined) out[key] = toResultDocument(field);
    }
    return out;
  }
  return value;
}
