/** BSON type identification shared by the comparator, key encoder, $type and index code. */
import { Decimal128, Long, type ObjectId, type Timestamp } from "bson";

/** The `_bsontype` tag of a bson class instance, or undefined for plain JS values. */
export function bsonTag(v: unknown): string | undefined {
  if (typeof v !== "object" || v === null) return undefined;
  const tag = (v as { _bsontype?: unknown })._bsontype;
  return typeof tag === "string" ? tag : undefined;
}

/** MongoDB's canonical type rank (the first level of the BSON comparison order). */
export function typeRank(v: unknown): number {
  switch (typeof v) {
    case "number":
    case "bigint":
      return 10;
    case "string":
      return 15;
    case "boolean":
      return 40;
    case "undefined":
      return 5;
    case "object":
      break;
    default:
      return 100;
  }
  if (v === null) return 5;
  if (Array.isArray(v)) return 25;
  if (v instanceof Date) return 45;
  if (v instanceof RegExp) return 50;
  switch (bsonTag(v)) {
    case undefined:
      return 20;
    case "Long":
    case "Int32":
    case "Double":
    case "Decimal128":
      return 10;
    case "BSONSymbol":
      return 15;
    case "Binary":
      return 30;
    case "ObjectId":
      return 35;
    case "Timestamp":
      return 47;
    case "BSONRegExp":
      return 50;
    case "DBRef":
      return 20;
    case "Code":
      return 60;
    case "MinKey":
      return 1;
    case "MaxKey":
      return 127;
    default:
      return 20;
  }
}

/** True for every numeric BSON representation (number, Long, Int32, Double, Decimal128). */
export function isNumeric(v: unknown): boolean {
  return typeof v === "number" || typeRank(v) === 10;
}

/** The approximate JS number for any numeric BSON value (Long/Decimal128 may lose precision). */
export function toNumber(v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  if (v instanceof Long) return v.toNumber();
  if (v instanceof Decimal128) return Number(v.toString());
  const tag = bsonTag(v);
  if (tag === "Int32" || tag === "Double") return (v as { value: number }).value;
  return Number.NaN;
}

/** Timestamp as (t, i) unsigned parts. */
export function timestampParts(v: Timestamp): [number, number] {
  return [v.high >>> 0, v.low >>> 0];
}

/** The 12 raw bytes of an ObjectId as a lowercase hex string (orders like the bytes). */
export function objectIdHex(v: ObjectId): string {
  return v.toHexString();
}

/** MongoDB's `$type` name of a value as stored by this server (promoted numbers: int32 range integers are "int"). */
export function bsonTypeName(v: unknown): string {
  switch (typeof v) {
    case "undefined":
      return "missing";
    case "number":
      return Number.isInteger(v) && v >= -2147483648 && v <= 2147483647 ? "int" : "double";
    case "bigint":
      return "long";
    case "string":
      return "string";
    case "boolean":
      return "bool";
    case "function":
      return "javascript";
    default:
      break;
  }
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (v instanceof Date) return "date";
  if (v instanceof RegExp) return "regex";
  switch (bsonTag(v)) {
    case undefined:
      return "object";
    case "Long":
      return "long";
    case "Int32":
      return "int";
    case "Double":
      return "double";
    case "Decimal128":
      return "decimal";
    case "Binary":
      return "binData";
    case "ObjectId":
      return "objectId";
    case "Timestamp":
      return "timestamp";
    case "BSONRegExp":
      return "regex";
    case "BSONSymbol":
      return "symbol";
    case "Code":
      return (v as { scope?: unknown }).scope ? "javascriptWithScope" : "javascript";
    case "MinKey":
      return "minKey";
    case "MaxKey":
      return "maxKey";
    case "DBRef":
      return "object";
    default:
      return "object";
  }
}

/** BSON type aliases and their numeric codes, as accepted by `$type`. */
export const typeCodes: Record<string, number> = {
  double: 1,
  string: 2,
  object: 3,
  array: 4,
  binData: 5,
  undefined: 6,
  objectId: 7,
  bool: 8,
  date: 9,
  null: 10,
  regex: 11,
  dbPointer: 12,
  javascript: 13,
  symbol: 14,
  javascriptWithScope: 15,
  int: 16,
  timestamp: 17,
  long: 18,
  decimal: 19,
  minKey: -1,
  maxKey: 127,
};
