/** MongoDB's BSON comparison order (§5.2), numeric across int/double/Long/Decimal128, collation aware. */
import { type Binary, Decimal128, Long, type ObjectId, type Timestamp } from "bson";
import type { Collation } from "../types.ts";
import { bsonTag, toNumber, typeRank } from "./bson-types.ts";
import { compareStrings, effectiveCollation } from "./collation.ts";

/** Total order over BSON values: type rank first, then the value (missing sorts with null). */
export function compareValues(a: unknown, b: unknown, collation?: Collation): number {
  return cmp(a, b, effectiveCollation(collation));
}

/** BSON equality (numbers across types, field order significant, strings folded under collation). */
export function bsonEquals(a: unknown, b: unknown, collation?: Collation): boolean {
  if (a === b) return true;
  if (typeof a === "number" && typeof b === "number") return Number.isNaN(a) && Number.isNaN(b);
  if (typeof a === "string" && typeof b === "string" && !effectiveCollation(collation)) return false;
  return cmp(a, b, effectiveCollation(collation)) === 0;
}

function sign(n: number): number {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

/** Numeric order with NaN below every number and equal to itself, as in MongoDB. */
function cmpNum(x: number, y: number): number {
  if (x < y) return -1;
  if (x > y) return 1;
  if (x === y) return 0;
  const nx = Number.isNaN(x);
  const ny = Number.isNaN(y);
  return nx && ny ? 0 : nx ? -1 : 1;
}

function toBigIntExact(v: unknown): bigint | undefined {
  if (v instanceof Long) return BigInt(v.toString());
  if (typeof v === "number") return Number.isInteger(v) ? BigInt(v) : undefined;
  if (v instanceof Decimal128) {
    const s = v.toString();
    return /^-?\d+$/.test(s) ? BigInt(s) : undefined;
  }
  return undefined;
}

/** Compares numeric values; a double-precision tie involving a Long is refined exactly. */
export function compareNumbers(a: unknown, b: unknown): number {
  if (typeof a === "number" && typeof b === "number") return cmpNum(a, b);
  if (a instanceof Long && b instanceof Long) return a.compare(b);
  const x = toNumber(a);
  const y = toNumber(b);
  const c = cmpNum(x, y);
  if (c !== 0 || Number.isNaN(x) || !Number.isFinite(x)) return c;
  if (a instanceof Long || b instanceof Long) {
    const bx = toBigIntExact(a);
    const by = toBigIntExact(b);
    if (bx !== undefined && by !== undefined) return bx < by ? -1 : bx > by ? 1 : 0;
  }
  return 0;
}

function binaryBytes(v: Binary): Uint8Array {
  return v.buffer.subarray(0, v.position);
}

function compareBytes(x: Uint8Array, y: Uint8Array): number {
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return sign(d);
  }
  return sign(x.length - y.length);
}

function regexParts(v: unknown): [string, string] {
  if (v instanceof RegExp) return [v.source, v.flags];
  const r = v as { pattern: string; options: string };
  return [r.pattern, r.options];
}

function compareObjects(
  a: Record<string, unknown>,
  b: Record<string, unknown>,
  c: Collation | undefined,
): number {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  const n = Math.min(ka.length, kb.length);
  for (let i = 0; i < n; i++) {
    const fa = ka[i] as string;
    const fb = kb[i] as string;
    const va = a[fa];
    const vb = b[fb];
    const t = typeRank(va) - typeRank(vb);
    if (t !== 0) return sign(t);
    if (fa !== fb) return fa < fb ? -1 : 1;
    const d = cmp(va, vb, c);
    if (d !== 0) return d;
  }
  return sign(ka.length - kb.length);
}

function compareArrays(a: unknown[], b: unknown[], c: Collation | undefined): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const t = typeRank(a[i]) - typeRank(b[i]);
    if (t !== 0) return sign(t);
    const d = cmp(a[i], b[i], c);
    if (d !== 0) return d;
  }
  return sign(a.length - b.length);
}

function cmp(a: unknown, b: unknown, c: Collation | undefined): number {
  if (a === b) return 0;
  if (typeof a === "number" && typeof b === "number") return cmpNum(a, b);
  if (typeof a === "string" && typeof b === "string") return compareStrings(a, b, c);
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return sign(ra - rb);
  switch (ra) {
    case 1:
    case 5:
    case 127:
      return 0;
    case 10:
      return compareNumbers(a, b);
    case 15:
      return compareStrings(String(a), String(b), c);
    case 20:
      return compareObjects(a as Record<string, unknown>, b as Record<string, unknown>, c);
    case 25:
      return compareArrays(a as unknown[], b as unknown[], c);
    case 30: {
      const x = a as Binary;
      const y = b as Binary;
      if (x.position !== y.position) return sign(x.position - y.position);
      if (x.sub_type !== y.sub_type) return sign(x.sub_type - y.sub_type);
      return compareBytes(binaryBytes(x), binaryBytes(y));
    }
    case 35: {
      const x = (a as ObjectId).toHexString();
      const y = (b as ObjectId).toHexString();
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 40:
      return sign(Number(a) - Number(b));
    case 45:
      return cmpNum((a as Date).getTime(), (b as Date).getTime());
    case 47: {
      const x = a as Timestamp;
      const y = b as Timestamp;
      const d = (x.high >>> 0) - (y.high >>> 0);
      return d !== 0 ? sign(d) : sign((x.low >>> 0) - (y.low >>> 0));
    }
    case 50: {
      const [pa, fa] = regexParts(a);
      const [pb, fb] = regexParts(b);
      if (pa !== pb) return pa < pb ? -1 : 1;
      return fa < fb ? -1 : fa > fb ? 1 : 0;
    }
    case 60: {
      const x = String((a as { code: unknown }).code);
      const y = String((b as { code: unknown }).code);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    default:
      return bsonTag(a) === bsonTag(b) ? 0 : 1;
  }
}
