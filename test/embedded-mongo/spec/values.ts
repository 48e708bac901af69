// BSON value helpers shared by the unified-format runner: Extended JSON loading, type names, numeric comparison
// and printing. Nothing here talks to a server.
import { BSON } from "mongodb";

const { EJSON } = BSON;

/** A plain document (string keys, unknown values). */
export type Doc = Record<string, unknown>;

/** Marker for "the key is not present" when matching a field of a document. */
export const ABSENT: unique symbol = Symbol("absent");

/** Reads the `_bsontype` tag of a BSON wrapper object, if any. */
export function bsonTag(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const tag: unknown = (value as { _bsontype?: unknown })._bsontype;
  return typeof tag === "string" ? tag : undefined;
}

/** True for a plain document: an object that is not an array, a BSON wrapper, a Date, a RegExp, bytes or a Map. */
export function isDocument(value: unknown): value is Doc {
  if (typeof value !== "object" || value === null) return false;
  if (Array.isArray(value)) return false;
  if (
    value instanceof Date ||
    value instanceof RegExp ||
    value instanceof Uint8Array ||
    value instanceof Map
  ) {
    return false;
  }
  const tag = bsonTag(value);
  return tag === undefined || tag === "DBRef";
}

/**
 * Deep copy of documents and arrays (BSON wrappers are shared, other objects become plain documents). Used to snapshot
 * command documents when an event fires: the driver later mutates objects it shares between commands.
 */
export function cloneDocument<T>(value: T): T {
  if (Array.isArray(value)) return value.map(cloneDocument) as T;
  if (isDocument(value) && bsonTag(value) === undefined) {
    // Plain objects and driver option classes (ReadConcern, WriteConcern) become plain documents.
    const out: Doc = {};
    for (const [k, v] of Object.entries(value)) out[k] = cloneDocument(v);
    return out as T;
  }
  return value;
}

/** Reads a key of a document-like object (including getters of class instances) or ABSENT. */
export function getField(container: object, key: string): unknown {
  if (!(key in container)) return ABSENT;
  const value: unknown = (container as Record<string, unknown>)[key];
  return value === undefined ? ABSENT : value;
}

/** Own enumerable keys whose value is not undefined. */
export function presentKeys(value: object): string[] {
  return Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined);
}

/**
 * Converts values decoded with canonical Extended JSON into the values the driver should send: Int32 → number
 * (the driver encodes integral numbers as int32), non-integral Double → number, integral Double kept as Double (so
 * that `{"$numberDouble": "1.0"}` stays a double on the wire), Long kept as Long.
 */
export function normalizeEjson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalizeEjson);
  const tag = bsonTag(value);
  if (tag === "Int32") return Number((value as { value: number }).value);
  if (tag === "Double") {
    const n = Number((value as { value: number }).value);
    return Number.isInteger(n) && !Object.is(n, -0) ? value : n;
  }
  if (isDocument(value) && tag === undefined) {
    const out: Doc = {};
    for (const [k, v] of Object.entries(value)) out[k] = normalizeEjson(v);
    return out;
  }
  return value;
}

/** Parses Extended JSON text (relaxed or canonical) into normalized driver values. */
export function parseExtendedJson(text: string): unknown {
  const parsed: unknown = EJSON.parse(text, { relaxed: false });
  return normalizeEjson(parsed);
}

/** Numeric value of a number-like BSON value (number, bigint, Int32, Double, Long), or undefined. */
export function numericValue(value: unknown): number | bigint | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return value;
  const tag = bsonTag(value);
  if (tag === "Int32" || tag === "Double") return Number((value as { value: number }).value);
  if (tag === "Long") return BigInt((value as { toString(): string }).toString());
  return undefined;
}

/** Compares two numeric values: negative, zero or positive; NaN equals NaN. */
export function compareNumbers(a: number | bigint, b: number | bigint): number {
  if (typeof a === "bigint" && typeof b === "bigint") return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "number" && typeof b === "number") {
    if (Number.isNaN(a) && Number.isNaN(b)) return 0;
    return a < b ? -1 : a > b ? 1 : a === b ? 0 : Number.NaN;
  }
  // Mixed bigint and number: compare exactly when the number is integral.
  const n = typeof a === "number" ? a : (b as number);
  const big = typeof a === "bigint" ? a : (b as bigint);
  const sign = typeof a === "number" ? 1 : -1;
  if (Number.isInteger(n)) {
    const nb = BigInt(n);
    return sign * (nb < big ? -1 : nb > big ? 1 : 0);
  }
  const bn = Number(big);
  return sign * (n < bn ? -1 : n > bn ? 1 : Number.NaN);
}

/**
 * BSON type names (as used by the `$type` query operator) that a value may have. A plain JS integer may be an
 * int, a long or a double on the wire (the driver decodes all three to `number`), so it answers to all three.
 */
export function bsonTypeNames(value: unknown): string[] {
  if (value === null) return ["null"];
  if (value === undefined) return ["undefined"];
  if (typeof value === "string") return ["string"];
  if (typeof value === "boolean") return ["bool"];
  if (typeof value === "number") return Number.isInteger(value) ? ["int", "long", "double"] : ["double"];
  if (typeof value === "bigint") return ["long"];
  if (Array.isArray(value)) return ["array"];
  if (value instanceof Date) return ["date"];
  if (value instanceof RegExp) return ["regex"];
  if (value instanceof Uint8Array) return ["binData"];
  switch (bsonTag(value)) {
    case "ObjectId":
      return ["objectId"];
    case "Binary":
      return ["binData"];
    case "Long":
      return ["long"];
    case "Int32":
      return ["int"];
    case "Double":
      return ["double"];
    case "Decimal128":
      return ["decimal"];
    case "Timestamp":
      return ["timestamp"];
    case "BSONRegExp":
      return ["regex"];
    case "Code":
      return (value as { scope?: unknown }).scope ? ["javascriptWithScope"] : ["javascript"];
    case "MinKey":
      return ["minKey"];
    case "MaxKey":
      return ["maxKey"];
    case "BSONSymbol":
      return ["symbol"];
    case "DBPointer":
      return ["dbPointer"];
    default:
      return ["object"];
  }
}

/** Renders a value as relaxed Extended JSON for messages. */
export function show(value: unknown): string {
  if (value === ABSENT) return "<absent>";
  if (value === undefined) return "undefined";
  if (value instanceof Map) return `Map ${show(Object.fromEntries(value))}`;
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  try {
    return EJSON.stringify(value as Doc, { relaxed: true });
  } catch {
    return String(value);
  }
}
