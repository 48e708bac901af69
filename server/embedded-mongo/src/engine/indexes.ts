/**
 * Hash indexes over one collection: key extraction, uniqueness and lookups for the planner.
 */
import { mongoError } from "../errors.ts";
import { type CompiledFilter, compileFilter } from "../query/filter.ts";
import { formatDupKey, indexKeysFor, keyValueFor } from "../query/index-keys.ts";
import { canonicalKey, flatKey } from "../query/keys.ts";
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

/**
 * The holders of one key: a single canonical _id key, or a Set when several documents share the key.
 * Most keys of a large collection (unique indexes, and compound keys that end in a near-unique field)
 * have one holder; a bare string costs a fraction of a one-element Set.
 */
type Holders = string | Set<string>;

/** The ids holding a key, for iteration (a shared empty list when there are none). */
export function holdersOf(holders: Holders | undefined): Iterable<string> {
  if (holders === undefined) return NO_HOLDERS;
  return typeof holders === "string" ? [holders] : holders;
}
const NO_HOLDERS: readonly string[] = [];

function addHolder(map: Map<string, Holders>, key: string, idKey: string): void {
  const holders = map.get(key);
  if (holders === undefined) map.set(key, idKey);
  else if (typeof holders === "string") {
    if (holders !== idKey) map.set(key, new Set([holders, idKey]));
  } else holders.add(idKey);
}

function removeHolder(map: Map<string, Holders>, key: string, idKey: string): void {
  const holders = map.get(key);
  if (holders === undefined) return;
  if (typeof holders === "string") {
    if (holders === idKey) map.delete(key);
    return;
  }
  holders.delete(idKey);
  if (holders.size === 1) map.set(key, holders.values().next().value as string);
  else if (holders.size === 0) map.delete(key);
}

/**
 * The first `fields` components of a compound tuple key: tuple keys are `<len>:<key>` per field in
 * key-pattern order (index-keys.ts), so a prefix of the fields is a prefix of the string.
 */
function tuplePrefix(key: string, fields: number): string {
  let at = 0;
  for (let i = 0; i < fields; i++) {
    const colon = key.indexOf(":", at);
    at = colon + 1 + Number(key.slice(at, colon));
  }
  return key.slice(0, at);
}

/**
 * One secondary index: canonical tuple key → ids of the documents holding it. A compound index also
 * answers equality on a leading part of its fields (agency + state of agency + state + due date)
 * through a map from that prefix to ids, built the first time a query asks for it and kept up to
 * date from then on, so an index nobody queries that way costs nothing.
 */
export class Index {
  readonly spec: IndexSpec;
  readonly entries = new Map<string, Holders>();
  /** Number of leading key fields → prefix key → ids; built on demand. */
  private readonly prefixes = new Map<number, Map<string, Holders>>();
  private readonly partial: CompiledFilter | null;
  private readonly fields: string[];
  /** Every key field is a top-level field name (no dotted path): keys can skip path traversal. */
  private readonly topLevel: boolean;

  constructor(spec: IndexSpec) {
    this.spec = spec;
    this.partial = spec.partialFilterExpression ? compileFilter(spec.partialFilterExpression) : null;
    this.fields = Object.keys(spec.key);
    this.topLevel = this.fields.every(
      (field) => !field.includes(".") && typeof spec.key[field] === "number" && field !== "__proto__",
    );
  }

  /** The index keys a document contributes, or null when the index skips it (sparse, partial). */
  keysOf(doc: Document): string[] | null {
    if (this.partial && !this.partial.test(doc)) return null;
    if (this.topLevel) {
      const keys = this.topLevelKeys(doc);
      if (keys !== undefined) return keys;
    }
    const keys = indexKeysFor(doc, this.spec.key, {
      sparse: this.spec.sparse === true,
      collation: this.spec.collation,
    });
    if (keys) for (let i = 0; i < keys.length; i++) keys[i] = flatKey(keys[i] as string);
    return keys;
  }

  /**
   * The common case of keysOf without path traversal: top-level fields, none holding an array
   * (undefined sends the document to the general multikey path). Same keys as indexKeysFor.
   */
  private topLevelKeys(doc: Document): string[] | null | undefined {
    const collation = this.spec.collation;
    const fields = this.fields;
    if (fields.length === 1) {
      const field = fields[0] as string;
      const value = doc[field];
      if (Array.isArray(value)) return undefined;
      if (this.spec.sparse && !(field in doc)) return null;
      return [flatKey(canonicalKey(value === undefined ? null : value, collation))];
    }
    let key = "";
    let present = false;
    for (const field of fields) {
      const value = doc[field];
      if (Array.isArray(value)) return undefined;
      if (field in doc) present = true;
      const part = canonicalKey(value === undefined ? null : value, collation);
      key += `${part.length}:${part}`;
    }
    if (this.spec.sparse && !present) return null;
    return [flatKey(key)];
  }

  /** Throws 11000 when another document already holds one of `keys` in a unique index. */
  checkUnique(ns: string, idKey: string, doc: Document, keys: string[] | null): void {
    if (!this.spec.unique || !keys) return;
    for (const key of keys) {
      for (const holder of holdersOf(this.entries.get(key))) {
        if (holder !== idKey) throw duplicateKeyError(ns, this.spec, doc, key);
      }
    }
  }

  /** Records a document's keys. */
  add(idKey: string, keys: string[] | null): void {
    if (!keys) return;
    for (const key of keys) addHolder(this.entries, key, idKey);
    for (const [fields, map] of this.prefixes)
      for (const key of keys) addHolder(map, tuplePrefix(key, fields), idKey);
  }

  /** Forgets a document's keys (all of them: a multikey document's prefixes go with it). */
  remove(idKey: string, keys: string[] | null): void {
    if (!keys) return;
    for (const key of keys) removeHolder(this.entries, key, idKey);
    for (const [fields, map] of this.prefixes)
      for (const key of keys) removeHolder(map, tuplePrefix(key, fields), idKey);
  }

  /**
   * How many leading key fields the planner may answer from this index: each has equality or $in on
   * plain values (0 when the index cannot be used; the field count when it answers every field).
   */
  coveredFields(equalities: Map<string, unknown[]>, collation: Collation | undefined): number {
    if (this.partial || this.spec.sparse || this.spec.hidden) return 0;
    if (!sameCollation(this.spec.collation, collation)) return 0;
    let covered = 0;
    for (const field of this.fields) {
      const type = this.spec.key[field];
      if (type !== 1 && type !== -1) break;
      const values = equalities.get(field);
      if (!values || values.some((v) => !isPlainKeyValue(v))) break;
      covered++;
    }
    return covered;
  }

  /** Whether the planner may answer equality on every key field from this index. */
  usableFor(equalities: Map<string, unknown[]>, collation: Collation | undefined): boolean {
    return this.coveredFields(equalities, collation) === this.fields.length;
  }

  /**
   * Ids of documents whose keys match the equalities on the first `fields` key fields (all of them by
   * default; cartesian product over compound fields), or null when there are too many probes or more
   * than `most` ids (a scan of the collection is then cheaper than collecting them).
   */
  lookup(
    equalities: Map<string, unknown[]>,
    fields: number = this.fields.length,
    most: number = Number.POSITIVE_INFINITY,
  ): Set<string> | null {
    const used = this.fields.slice(0, fields);
    let probes: Document[] = [{}];
    for (const field of used) {
      const values = equalities.get(field) ?? [];
      const next: Document[] = [];
      for (const probe of probes) for (const value of values) next.push(setPath({ ...probe }, field, value));
      probes = next;
      if (probes.length > 10_000) return null;
    }
    const whole = fields === this.fields.length;
    const map = whole ? this.entries : this.prefixMap(fields);
    const pattern: Document = {};
    for (const field of used) pattern[field] = this.spec.key[field];
    const ids = new Set<string>();
    for (const probe of probes) {
      const keys = indexKeysFor(probe, pattern, { collation: this.spec.collation }) ?? [];
      for (const raw of keys) {
        // A one-field key is the bare value key; prefixes of compound keys are framed (see tuplePrefix).
        const key = used.length === 1 && !whole ? `${raw.length}:${raw}` : raw;
        for (const id of holdersOf(map.get(key))) ids.add(id);
        if (ids.size > most) return null;
      }
    }
    return ids;
  }

  private prefixMap(fields: number): Map<string, Holders> {
    let map = this.prefixes.get(fields);
    if (!map) {
      map = new Map();
      for (const [key, holders] of this.entries) {
        const prefix = tuplePrefix(key, fields);
        for (const id of holdersOf(holders)) addHolder(map, prefix, id);
      }
      this.prefixes.set(fields, map);
    }
    return map;
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
