/** Dotted-path value extraction with MongoDB's multikey array traversal, for sort and index keys. */
import { bsonTag } from "./bson-types.ts";

/** Stands for an empty array at the end of a path: sorts before null and indexes apart from null. */
export const EMPTY_ARRAY: unique symbol = Symbol("emptyArray");

/** True for a plain (sub)document, as opposed to arrays, dates, regexes and bson class instances. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return (
    typeof v === "object" &&
    v !== null &&
    !Array.isArray(v) &&
    !(v instanceof Date) &&
    !(v instanceof RegExp) &&
    bsonTag(v) === undefined
  );
}

function isDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Values reachable at `path` (arrays expanded, missing → null) plus the dotted prefixes that were arrays. */
export interface PathValues {
  values: unknown[];
  arrays: string[];
}

/** Collects the key values of `path` in `doc` the way MongoDB's key generator does. */
export function pathValues(doc: unknown, path: string, trackArrays = false): PathValues {
  const parts = path.split(".");
  const out: PathValues = { values: [], arrays: [] };
  visit(doc, parts, 0, out, trackArrays);
  return out;
}

function noteArray(parts: string[], i: number, out: PathValues, track: boolean): void {
  if (!track) return;
  const prefix = parts.slice(0, i).join(".");
  if (!out.arrays.includes(prefix)) out.arrays.push(prefix);
}

function visit(v: unknown, parts: string[], i: number, out: PathValues, track: boolean): void {
  if (i === parts.length) {
    if (Array.isArray(v)) {
      noteArray(parts, i, out, track);
      if (v.length === 0) out.values.push(EMPTY_ARRAY);
      else for (const e of v) out.values.push(e);
    } else {
      out.values.push(v === undefined ? null : v);
    }
    return;
  }
  const part = parts[i] as string;
  if (Array.isArray(v)) {
    if (isDigits(part)) {
      visit(v[Number(part)], parts, i + 1, out, track);
      return;
    }
    noteArray(parts, i, out, track);
    const before = out.values.length;
    for (const e of v) if (isPlainObject(e)) visit(e[part], parts, i + 1, out, track);
    if (out.values.length === before) out.values.push(null);
    return;
  }
  if (isPlainObject(v)) {
    visit(v[part], parts, i + 1, out, track);
    return;
  }
  out.values.push(null);
}

/**
 * Whether `path` reaches a value in `doc` as MongoDB's `$exists` sees it: each array on the way is
 * searched element by element (a numeric part also names an array position), null is a value, and
 * only a missing field is not. mingo answers `a.b.0` on an array `a` with an array of misses, which
 * it then counts as present.
 */
export function pathExists(doc: unknown, path: string): boolean {
  return reaches(doc, path.split("."), 0);
}

function reaches(v: unknown, parts: string[], i: number): boolean {
  if (i === parts.length) return v !== undefined;
  const part = parts[i] as string;
  if (Array.isArray(v)) {
    if (isDigits(part) && reaches(v[Number(part)], parts, i + 1)) return true;
    return v.some((e) => isPlainObject(e) && reaches(e[part], parts, i + 1));
  }
  return isPlainObject(v) && reaches(v[part], parts, i + 1);
}
