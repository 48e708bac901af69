/** Canonical key strings: equal strings iff BSON-equal values (used for _id maps and hash indexes). */
import type { Binary, Decimal128, Long, ObjectId, Timestamp } from "bson";
import type { Collation } from "../types.ts";
import { bsonTag } from "./bson-types.ts";
import { effectiveCollation, foldString } from "./collation.ts";

const TWO_53 = 2 ** 53;

/** Normalized numeric text: -0 → 0, large integral doubles spelled exactly so they meet Long keys. */
export function numberKey(n: number): string {
  if (Number.isInteger(n)) {
    if (n === 0) return "0";
    return n >= TWO_53 || n <= -TWO_53 ? BigInt(n).toString() : String(n);
  }
  if (Number.isNaN(n)) return "NaN";
  return String(n);
}

function longKey(l: Long): string {
  const n = l.toNumber();
  return n < TWO_53 && n > -TWO_53 ? String(n) : l.toString();
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?(?:E([+-]?\d+))?$/i;

/** Decimal128 as an exact integer string when integral (within reach), else via the nearest double. */
function decimalKey(d: Decimal128): string {
  const s = d.toString();
  const m = DECIMAL.exec(s);
  if (!m) return s === "-Infinity" || s === "Infinity" ? numberKey(Number(s)) : "NaN";
  let digits = (m[2] ?? "") + (m[3] ?? "");
  let exp = Number(m[4] ?? 0) - (m[3]?.length ?? 0);
  digits = digits.replace(/^0+/, "");
  if (digits === "") return "0";
  while (digits.endsWith("0")) {
    digits = digits.slice(0, -1);
    exp++;
  }
  if (exp >= 0 && exp < 400) {
    const int = BigInt(digits + "0".repeat(exp));
    return (m[1] === "-" ? -int : int).toString();
  }
  return numberKey(Number(s));
}

function str(s: string, c: Collation | undefined): string {
  const f = c ? foldString(s, c) : s;
  return `${f.length}:${f}`;
}

function bytesHex(b: Binary): string {
  return Buffer.from(b.buffer.buffer, b.buffer.byteOffset, b.position).toString("hex");
}

/** Encodes one value; every composite member ends in "," and strings carry their length. */
function enc(v: unknown, c: Collation | undefined): string {
  switch (typeof v) {
    case "string":
      return `s${str(v, c)}`;
    case "number":
      return `d${numberKey(v)}`;
    case "boolean":
      return v ? "t" : "f";
    case "undefined":
      return "n";
    case "bigint":
      return `d${v.toString()}`;
    default:
      break;
  }
  if (v === null) return "n";
  if (Array.isArray(v)) {
    let out = "[";
    for (const e of v) out += `${enc(e, c)},`;
    return `${out}]`;
  }
  if (v instanceof Date) return `D${v.getTime()}`;
  if (v instanceof RegExp) return `r${str(v.source, undefined)}${v.flags}`;
  switch (bsonTag(v)) {
    case undefined:
    case "DBRef": {
      let out = "{";
      const o = v as Record<string, unknown>;
      for (const k of Object.keys(o)) out += `${k.length}:${k}${enc(o[k], c)},`;
      return `${out}}`;
    }
    case "ObjectId":
      return `o${(v as ObjectId).toHexString()}`;
    case "Long":
      return `d${longKey(v as Long)}`;
    case "Decimal128":
      return `d${decimalKey(v as Decimal128)}`;
    case "Int32":
    case "Double":
      return `d${numberKey((v as { value: number }).value)}`;
    case "Binary":
      return `b${(v as Binary).sub_type}:${bytesHex(v as Binary)}`;
    case "Timestamp":
      return `T${(v as Timestamp).high >>> 0}.${(v as Timestamp).low >>> 0}`;
    case "BSONRegExp": {
      const r = v as { pattern: string; options: string };
      return `r${str(r.pattern, undefined)}${r.options.split("").sort().join("")}`;
    }
    case "BSONSymbol":
      return `s${str(String((v as { value: unknown }).value), c)}`;
    case "Code":
      return `c${str(String((v as { code: unknown }).code), undefined)}`;
    case "MinKey":
      return "<";
    case "MaxKey":
      return ">";
    default:
      return `?${String(v)}`;
  }
}

/** Canonical key of a value; two values share a key iff they are BSON-equal (under the collation). */
export function canonicalKey(value: unknown, collation?: Collation): string {
  if (typeof value === "string" && !collation) return `s${value.length}:${value}`;
  if (typeof value === "number") return `d${numberKey(value)}`;
  return enc(value, effectiveCollation(collation));
}

/**
 * The same key, flattened: keys are built by concatenation, which V8 keeps as a tree of the pieces
 * (a rope); a key stored in a map for every document would keep its whole tree (about 160 bytes more
 * per key). Reading a character of a rope makes V8 flatten it in place into one string.
 */
export function flatKey(key: string): string {
  key.charCodeAt(key.length - 1);
  return key;
}
