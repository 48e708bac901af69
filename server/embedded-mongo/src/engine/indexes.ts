/**
 * Hash indexes over one collection: key extraction, uniqueness and lookups for the planner.
 */
import { mongoError } from "../errors.ts";
import { type CompiledFilter, compileFilter } from "../query/filter.ts";
import { formatDupKey, indexKeysFor, keyValueFor } from "../query/index-keys.ts";
import { EMPTY_ARRAY, pathValues } from "../query/paths.ts";
import type { Collation, Document, IndexSpec } from "../types.ts";

/** Options createIndexes accepts and records exactly as given. */
export const INDEX_OPTIONS = new Set([
  "v",
  "key",
  "name",
  "unique",
  "sparse",
  "partialFilterExpression",
  "expireAfterSeconds",
  "collation",
  "hidden",
  "background",
  "weights",
  "default_language",
  "language_override",
  "textIndexVersion",
  "storageEngine",
  "ns",
]);

/** Partial filters may only use these operators (MongoDB returns 67 otherwise). */
const PARTIAL_OPERATORS = new Set([
  "$eq",
  "$exists",
  "$gt",
  "$gte",
  "$lt",
  "$lte",
  "$type",
  "$and",
  "$or",
  "$in",
]);

/** One secondary index: canonical tuple key → ids of the documents holding it. */
export class Index {
  readonly spec: IndexSpec;
  readonly entries = new Map<string, Set<string>>();
  private readonly partial: CompiledFilter | null;

  constructor(spec: IndexSpec) {
    this.spec = spec;
    this.partial = spec.partialFilterExpression ? compileFilter(spec.partialFilterExpression) : null;
  }

  /** The index keys a document contributes, or null when the index skips it (sparse, partial). */
  keysOf(doc: Document): string[] | null {
    if (this.partial && !this.partial.test(doc)) return null;
    return indexKeysFor(doc, this.spec.key, {
      sparse: this.spec.sparse === true,
      collation: this.spec.collation,
    });
  }

  /** Throws 11000 when another document already holds one of `keys` in a unique index. */
  checkUnique(ns: string, idKey: string, doc: Document, keys: string[] | null): void {
    if (!this.spec.unique || !keys) return;
    for (const key of keys) {
      const holders = this.entries.get(key);
      if (!holders) continue;
      for (const holder of holders) {
        if (holder !== idKey) throw duplicateKeyError(ns, this.spec, doc, key);
      }
    }
  }

  /** Records a document's keys. */
  add(idKey: string, keys: string[] | null): void {
    if (!keys) return;
    for (const key of keys) {
      let holders = this.entries.get(key);
      if (!holders) {
        holders = new Set();
        this.entries.set(key, holders);
      }
      holders.add(idKey);
    }
  }

  /** Forgets a document's keys. */
  remove(idKey: string, keys: string[] | null): void {
    if (!keys) return;
    for (const key of keys) {
      const holders = this.entries.get(key);
      if (!holders) continue;
      holders.delete(idKey);
      if (holders.size === 0) this.entries.delete(key);
    }
  }

  /** Whether the planner may answer equality on every key field from this index. */
  usableFor(equalities: Map<string, unknown[]>, collation: Collation | undefined): boolean {
    if (this.partial || this.spec.sparse || this.spec.hidden) return false;
    if (!sameCollation(this.spec.collation, collation)) return false;
    const fields = Object.keys(this.spec.key);
    for (const field of fields) {
      const type = this.spec.key[field];
      if (type !== 1 && type !== -1) return false;
      const values = equalities.get(field);
      if (!values || values.some((v) => !isPlainKeyValue(v))) return false;
    }
    return true;
  }

  /** Ids of documents whose keys match the equalities (cartesian product over compound fields). */
  lookup(equalities: Map<string, unknown[]>): Set<string> | null {
    const fields = Object.keys(this.spec.key);
    let probes: Document[] = [{}];
    for (const field of fields) {
      const values = equalities.get(field) ?? [];
      const next: Document[] = [];
      for (const probe of probes) for (const value of values) next.push(setPath({ ...probe }, field, value));
      probes = next;
      if (probes.length > 10_000) return null;
    }
    const ids = new Set<string>();
    for (const probe of probes) {
      const keys = indexKeysFor(probe, this.spec.key, { collation: this.spec.collation });
      for (const key of keys ?? []) for (const id of this.entries.get(key) ?? []) ids.add(id);
    }
    return ids;
  }
}

/**
 * Builds the E11000 error with keyPattern and keyValue, as mongoose reads them.
 * @param ns "db.collection".
 * @param spec the violated index.
 * @param doc the document that collided.
 */
export function duplicateKeyError(ns: string, spec: IndexSpec, doc: Document, collidingKey?: string) {
  const keyValue = (collidingKey && keyValueForKey(doc, spec, collidingKey)) || keyValueFor(doc, spec.key);
  return mongoError(
    11000,
    `E11000 duplicate key error collection: ${ns} index: ${spec.name} dup key: ${formatDupKey(keyValue)}`,
    { keyPattern: spec.key, keyValue },
  );
}

/**
 * The `{field: value}` tuple of a (multikey) document that produces one index key, so E11000 names
 * the value that actually collided.
 */
function keyValueForKey(doc: Document, spec: IndexSpec, key: string): Document | null {
  const fields = Object.keys(spec.key);
  let tuples: Document[] = [{}];
  for (const field of fields) {
    const { values } = pathValues(doc, field);
    const candidates = values.length === 0 ? [null] : values.filter((value) => value !== EMPTY_ARRAY);
    tuples = tuples.flatMap((tuple) => candidates.map((value) => ({ ...tuple, [field]: value })));
    if (tuples.length > 1000) return null;
  }
  for (const tuple of tuples) {
    const probe: Document = {};
    for (const field of fields) setPath(probe, field, tuple[field]);
    if (indexKeysFor(probe, spec.key, { collation: spec.collation })?.includes(key)) return tuple;
  }
  return null;
}

/** Checks a createIndexes spec and fills in the default name. */
export function normalizeIndexSpec(raw: Document): IndexSpec {
  const key = raw.key;
  if (!key || typeof key !== "object" || Array.isArray(key) || Object.keys(key).length === 0) {
    throw mongoError(67, "Index keys cannot be an empty field.");
  }
  for (const option of Object.keys(raw)) {
    if (!INDEX_OPTIONS.has(option)) {
      throw mongoError(197, `The field '${option}' is not valid for an index specification.`);
    }
  }
  for (const [field, type] of Object.entries(key as Document)) {
    if (type === "text") throw mongoError(238, "text indexes are not supported by the embedded server");
    if (typeof type === "string")
      throw mongoError(238, `'${type}' indexes are not supported by the embedded server`);
    if (typeof type !== "number" || type === 0 || !Number.isFinite(type)) {
      throw mongoError(67, `Values in the index key pattern can't be 0 or non-numbers: ${field}`);
    }
  }
  const spec: IndexSpec = { v: 2, key: key as Document, name: "" };
  spec.name = typeof raw.name === "string" ? raw.name : defaultIndexName(key as Document);
  for (const [option, value] of Object.entries(raw)) {
    if (option === "key" || option === "name" || option === "v" || option === "ns" || option === "background")
      continue;
    if (option === "collation" && value === null) continue;
    spec[option] = value;
  }
  if (spec.partialFilterExpression !== undefined) checkPartialFilter(spec.partialFilterExpression);
  if (spec.expireAfterSeconds !== undefined) {
    if (typeof spec.expireAfterSeconds !== "number" || spec.expireAfterSeconds < 0) {
      throw mongoError(67, "TTL index 'expireAfterSeconds' option must be numeric and non-negative");
    }
    if (Object.keys(spec.key).length !== 1 || "_id" in spec.key) {
      throw mongoError(67, "TTL indexes are single-field indexes, compound indexes do not support TTL");
    }
  }
  return spec;
}

/** The default name MongoDB gives an index: field_dir joined with underscores. */
export function defaultIndexName(key: Document): string {
  return Object.entries(key)
    .map(([field, dir]) => `${field}_${String(dir)}`)
    .join("_");
}

/** Whether two index specs are the same index for createIndexes' conflict rules. */
export function sameIndexOptions(a: IndexSpec, b: IndexSpec): boolean {
  const relevant = [
    "unique",
    "sparse",
    "partialFilterExpression",
    "expireAfterSeconds",
    "collation",
    "hidden",
  ];
  return relevant.every((option) => stableJson(a[option] ?? null) === stableJson(b[option] ?? null));
}

/** Whether two key patterns are identical, field order included. */
export function sameKey(a: Document, b: Document): boolean {
  return stableJson(a) === stableJson(b);
}

function checkPartialFilter(filter: unknown): void {
  if (!filter || typeof filter !== "object" || Array.isArray(filter)) {
    throw mongoError(67, "partialFilterExpression must be an object");
  }
  for (const [key, value] of Object.entries(filter)) {
    if (key.startsWith("$") && !PARTIAL_OPERATORS.has(key)) {
      throw mongoError(
        67,
        `Error in specification ... :: caused by :: Expression not supported in partial index: ${key}`,
      );
    }
    if (key === "$exists" && value !== true) {
      throw mongoError(67, "Expression not supported in partial index: $exists: false");
    }
    if (Array.isArray(value)) {
      for (const item of value) if (item && typeof item === "object") checkPartialFilter(item);
    } else if (value && typeof value === "object" && Object.keys(value).some((k) => k.startsWith("$"))) {
      checkPartialFilter(value);
    }
  }
}

function sameCollation(a: Collation | undefined, b: Collation | undefined): boolean {
  if (!a && !b) return true;
  if (!a || !b) return a?.locale === "simple" || b?.locale === "simple";
  return a.locale === b.locale && (a.strength ?? 3) === (b.strength ?? 3);
}

function isPlainKeyValue(value: unknown): boolean {
  if (Array.isArray(value)) return false;
  if (value instanceof RegExp) return false;
  if (value && typeof value === "object") {
    const tag = (value as { _bsontype?: string })._bsontype;
    if (tag === "BSONRegExp") return false;
    if (!tag && !(value instanceof Date)) return false;
  }
  return true;
}

function setPath(doc: Document, path: string, value: unknown): Document {
  const parts = path.split(".");
  let target: Document = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    const part = parts[i] as string;
    const next: Document = { ...((target[part] as Document | undefined) ?? {}) };
    target[part] = next;
    target = next;
  }
  target[parts[parts.length - 1] as string] = value;
  return doc;
}

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
}
