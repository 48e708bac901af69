/** Shell-style rendering of BSON values for error messages (E11000 dup key, update errors). */
import type { Binary, Decimal128, Long, ObjectId, Timestamp } from "bson";
import { bsonTag } from "./bson-types.ts";

/** Renders a value the way mongod prints it inside error messages. */
export function formatValue(v: unknown, compact = false): string {
  switch (typeof v) {
    case "string":
      return JSON.stringify(v);
    case "number":
      return Object.is(v, -0) ? "-0.0" : String(v);
    case "boolean":
      return String(v);
    case "undefined":
      return "undefined";
    case "bigint":
      return v.toString();
    default:
      break;
  }
  if (v === null) return "null";
  if (Array.isArray(v)) {
    if (v.length === 0) return "[]";
    const items = v.map((e) => formatValue(e, compact)).join(", ");
    return compact ? `[${items}]` : `[ ${items} ]`;
  }
  if (v instanceof Date) return `new Date(${v.getTime()})`;
  if (v instanceof RegExp) return `/${v.source}/${v.flags}`;
  switch (bsonTag(v)) {
    case undefined:
      return formatDocument(v as Record<string, unknown>, compact);
    case "ObjectId":
      return `ObjectId('${(v as ObjectId).toHexString()}')`;
    case "Long":
      return (v as Long).toString();
    case "Decimal128":
      return `NumberDecimal("${(v as Decimal128).toString()}")`;
    case "Binary": {
      const b = v as Binary;
      if (b.sub_type === 4)
        return `UUID("${(b as unknown as { toHexString(dashes: boolean): string }).toHexString(true)}")`;
      return `BinData(${b.sub_type}, ${Buffer.from(b.buffer.subarray(0, b.position)).toString("hex").toUpperCase()})`;
    }
    case "Timestamp":
      return `Timestamp(${(v as Timestamp).high >>> 0}, ${(v as Timestamp).low >>> 0})`;
    case "BSONRegExp": {
      const r = v as { pattern: string; options: string };
      return `/${r.pattern}/${r.options}`;
    }
    case "MinKey":
      return "MinKey";
    case "MaxKey":
      return "MaxKey";
    case "Int32":
    case "Double":
      return String((v as { value: number }).value);
    default:
      return String(v);
  }
}

/** `{ a: 1, b: "x" }` (E11000 style) or `{a: 1, b: "x"}` (compact, update-error style). */
export function formatDocument(doc: Record<string, unknown>, compact = false): string {
  const keys = Object.keys(doc);
  if (keys.length === 0) return "{}";
  const body = keys.map((k) => `${k}: ${formatValue(doc[k], compact)}`).join(", ");
  return compact ? `{${body}}` : `{ ${body} }`;
}
