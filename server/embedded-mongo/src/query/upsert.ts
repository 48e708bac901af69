/** The seed document of an upsert insert, built from the query's equality conditions (§6.8). */
import { mongoError } from "../errors.ts";
import type { Collation, Document } from "../types.ts";
import { idFirst } from "./documents.ts";
import { isPlainObject } from "./paths.ts";
import { isBsonRegExp } from "./regex.ts";

const NONE = Symbol("none");

function equalityValue(val: unknown): unknown {
  if (val instanceof RegExp || isBsonRegExp(val)) return NONE;
  if (!isPlainObject(val)) return val;
  const first = Object.keys(val)[0];
  if (first === undefined || !first.startsWith("$")) return val;
  if ("$eq" in val) return val.$eq instanceof RegExp || isBsonRegExp(val.$eq) ? NONE : val.$eq;
  if (Array.isArray(val.$in) && val.$in.length === 1) {
    const only = val.$in[0];
    return only instanceof RegExp || isBsonRegExp(only) ? NONE : only;
  }
  return NONE;
}

function place(seed: Document, path: string, value: unknown): void {
  const segs = path.split(".");
  let cur = seed;
  for (let i = 0; i < segs.length - 1; i++) {
    const seg = segs[i] as string;
    const next = cur[seg];
    if (next === undefined) cur[seg] = {};
    else if (!isPlainObject(next)) {
      throw mongoError(28, `Cannot create field '${segs[i + 1]}' in element {${seg}: ${String(next)}}`);
    }
    cur = cur[seg] as Document;
  }
  const last = segs[segs.length - 1] as string;
  if (last in cur) throw mongoError(54, `cannot infer query fields to set, path '${path}' is matched twice`);
  cur[last] = value;
}

function collect(query: Document, seed: Document): void {
  for (const key of Object.keys(query)) {
    if (key === "$and" && Array.isArray(query.$and)) {
      for (const sub of query.$and) if (isPlainObject(sub)) collect(sub, seed);
      continue;
    }
    if (key.startsWith("$")) continue;
    const v = equalityValue(query[key]);
    if (v !== NONE) place(seed, key, v);
  }
}

/** Builds the upsert seed from top-level equalities, `$eq`, one-element `$in` and `$and` members. */
export function upsertSeed(query: Document | undefined, _collation?: Collation): Document {
  const seed: Document = {};
  if (query) collect(query, seed);
  return idFirst(seed);
}
