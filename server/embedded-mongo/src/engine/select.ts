/**
 * Runs a filter, sort, skip and limit over one collection through the planner.
 */
import { mongoError } from "../errors.ts";
import { compileFilter } from "../query/filter.ts";
import { compileSort } from "../query/sort.ts";
import type { Collation, Document } from "../types.ts";
import type { CollectionView } from "./store.ts";

/** What a read asks of a collection. */
export interface Selection {
  filter?: Document;
  sort?: Document;
  skip?: number;
  /** 0 or undefined: no limit. */
  limit?: number;
  collation?: Collation;
  variables?: Document;
  hint?: unknown;
}

/**
 * The matching documents in result order, with their canonical _id keys.
 * @param collection the collection, or undefined when it does not exist (no documents).
 * @param selection filter, sort, skip, limit, collation, let variables and hint.
 */
export function select(collection: CollectionView | undefined, selection: Selection): [string, Document][] {
  const filter = compileFilter(selection.filter, {
    collation: selection.collation,
    variables: selection.variables,
  });
  const sort = compileSort(selection.sort, selection.collation);
  if (collection) checkHint(collection, selection.hint);
  if (!collection) return [];
  const skip = selection.skip ?? 0;
  const limit = selection.limit ?? 0;
  const stopAt = !sort && limit > 0 ? skip + limit : Number.POSITIVE_INFINITY;
  const matched: [string, Document][] = [];
  // Sorted with _id among the keys (compared without collation), no two documents tie: the order
  // the candidates come in cannot show in the result.
  const anyOrder =
    sort !== null &&
    selection.sort !== undefined &&
    "_id" in selection.sort &&
    (!selection.collation || selection.collation.locale === "simple");
  for (const entry of collection.candidates(filter, selection.collation, anyOrder)) {
    if (!filter.test(entry[1])) continue;
    matched.push(entry);
    if (matched.length >= stopAt) break;
  }
  if (sort) matched.sort((a, b) => sort(a[1], b[1]));
  if (skip === 0 && (limit === 0 || matched.length <= limit)) return matched;
  return matched.slice(skip, limit > 0 ? skip + limit : undefined);
}

/** A hint must name an existing index (by name or key pattern); it never changes the result. */
export function checkHint(collection: CollectionView, hint: unknown): void {
  if (hint === undefined || hint === null) return;
  if (typeof hint === "object" && !Array.isArray(hint) && Object.keys(hint as Document).length === 0) return;
  if (typeof hint === "object" && (hint as Document).$natural !== undefined) return;
  const found =
    typeof hint === "string" || (typeof hint === "object" && !Array.isArray(hint))
      ? collection.findIndex(hint as string | Document)
      : undefined;
  if (!found) throw mongoError(2, "hint provided does not correspond to an existing index");
}
