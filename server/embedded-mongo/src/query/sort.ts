/** Sort comparators with MongoDB's type order and array sort keys (min ascending, max descending). */
import { mongoError, notImplemented } from "../errors.ts";
import type { Collation, Document } from "../types.ts";
import { isNumeric, toNumber } from "./bson-types.ts";
import { compareValues } from "./compare.ts";
import { EMPTY_ARRAY, isPlainObject, pathValues } from "./paths.ts";

const BAD_ORDER = "$sort key ordering must be 1 (for ascending) or -1 (for descending)";

/** Reads a sort direction, accepting any numeric 1/-1 spelling (1.0, Long(1)). */
export function sortDirection(value: unknown): 1 | -1 {
  if (isPlainObject(value) && "$meta" in value) {
    if (value.$meta === "textScore") throw notImplemented("$meta textScore sort");
    throw mongoError(2, `Illegal $meta sort: ${String(value.$meta)}`);
  }
  const n = isNumeric(value) ? toNumber(value) : Number.NaN;
  if (n === 1) return 1;
  if (n === -1) return -1;
  throw mongoError(2, BAD_ORDER);
}

/** Compares two sort keys, where EMPTY_ARRAY ranks just below null. */
function compareKeys(a: unknown, b: unknown, collation: Collation | undefined): number {
  if (a === EMPTY_ARRAY || b === EMPTY_ARRAY) {
    if (a === b) return 0;
    const other = a === EMPTY_ARRAY ? b : a;
    const otherIsMinKey = compareValues(other, null) < 0;
    const emptyFirst = otherIsMinKey ? 1 : -1;
    return a === EMPTY_ARRAY ? emptyFirst : -emptyFirst;
  }
  return compareValues(a, b, collation);
}

/** The sort key of a document for one path: the min (ascending) or max (descending) of its values. */
export function sortKey(doc: Document, path: string, dir: 1 | -1, collation?: Collation): unknown {
  const top = path.includes(".") ? undefined : doc[path];
  if (!path.includes(".") && !Array.isArray(top)) return top === undefined ? null : top;
  const { values } = pathValues(doc, path);
  let best = values[0];
  for (let i = 1; i < values.length; i++) {
    const c = compareKeys(values[i], best, collation);
    if (dir === 1 ? c < 0 : c > 0) best = values[i];
  }
  return best;
}

/** Builds a comparator for a sort spec, or null when the spec is empty. */
export function compileSort(
  spec: Document | undefined,
  collation?: Collation,
): ((a: Document, b: Document) => number) | null {
  if (!spec) return null;
  const fields = Object.keys(spec);
  if (fields.length === 0) return null;
  const dirs = fields.map((f) => sortDirection(spec[f]));
  if (fields.length === 1) {
    const f = fields[0] as string;
    const d = dirs[0] as 1 | -1;
    return (a, b) => d * compareKeys(sortKey(a, f, d, collation), sortKey(b, f, d, collation), collation);
  }
  return (a, b) => {
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i] as string;
      const d = dirs[i] as 1 | -1;
      const c = compareKeys(sortKey(a, f, d, collation), sortKey(b, f, d, collation), collation);
      if (c !== 0) return d * c;
    }
    return 0;
  };
}

/** Sorts a copy of `docs` stably; keys are computed once per document (decorate-sort-undecorate). */
export function sortDocuments(docs: Document[], spec: Document, collation?: Collation): Document[] {
  const fields = Object.keys(spec);
  const dirs = fields.map((f) => sortDirection(spec[f]));
  const rows = docs.map((doc, idx) => ({
    doc,
    idx,
    keys: fields.map((f, i) => sortKey(doc, f, dirs[i] as 1 | -1, collation)),
  }));
  rows.sort((x, y) => {
    for (let i = 0; i < fields.length; i++) {
      const c = compareKeys(x.keys[i], y.keys[i], collation);
      if (c !== 0) return (dirs[i] as 1 | -1) * c;
    }
    return x.idx - y.idx;
  });
  return rows.map((r) => r.doc);
}
