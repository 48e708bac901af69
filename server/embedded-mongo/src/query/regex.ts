/** BSON regex → JS RegExp conversion for evaluation (the `x` flag is refused, §5.3). */
import { BSONRegExp } from "bson";
import { mongoError } from "../errors.ts";
import { isPlainObject } from "./paths.ts";

const ALLOWED_FLAGS = new Set(["i", "m", "s", "u"]);

/** Builds a JS RegExp from a pattern and MongoDB options, refusing flags JS cannot honour. */
export function makeRegExp(pattern: string, options: string): RegExp {
  let flags = "";
  for (const f of options) {
    if (f === "x")
      throw mongoError(2, "the 'x' (extended) regex flag is not supported by the embedded server");
    if (!ALLOWED_FLAGS.has(f)) throw mongoError(2, `invalid flag in regex options: ${f}`);
    if (!flags.includes(f)) flags += f;
  }
  try {
    return new RegExp(pattern, flags);
  } catch (err) {
    throw mongoError(2, `Regular expression is invalid: ${(err as Error).message}`);
  }
}

/** True for a BSONRegExp as produced by `bsonRegExp: true` deserialization. */
export function isBsonRegExp(v: unknown): v is BSONRegExp {
  return (
    v instanceof BSONRegExp ||
    (typeof v === "object" && v !== null && (v as { _bsontype?: unknown })._bsontype === "BSONRegExp")
  );
}

/** Converts a BSONRegExp (or checks a RegExp) for evaluation; other values pass through. */
export function toRegExp(v: unknown): unknown {
  if (isBsonRegExp(v)) return makeRegExp(v.pattern, v.options);
  if (v instanceof RegExp) return makeRegExp(v.source, v.flags);
  return v;
}

/** Deep copy that converts every BSONRegExp to RegExp (for aggregation expressions). */
export function convertRegexesDeep(v: unknown): unknown {
  if (isBsonRegExp(v)) return makeRegExp(v.pattern, v.options);
  if (Array.isArray(v)) return v.map(convertRegexesDeep);
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = convertRegexesDeep(x);
    return out;
  }
  return v;
}
