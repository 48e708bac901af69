/**
 * One collection held in memory: documents in natural (insertion) order, keyed by their canonical _id,
 * plus its secondary indexes. Stored documents are never mutated: every write stores a new object, so
 * cursors can keep references to a consistent snapshot.
 */
import { randomUUID } from "node:crypto";
import { type Binary, UUID } from "bson";
import { mongoError } from "../errors.ts";
import type { CompiledFilter } from "../query/filter.ts";
import { canonicalKey, flatKey } from "../query/keys.ts";
import type { Collation, Document, IndexSpec } from "../types.ts";
import { duplicateKeyError, Index, normalizeIndexSpec, sameIndexOptions, sameKey } from "./indexes.ts";

const ID_INDEX: IndexSpec = { v: 2, key: { _id: 1 }, name: "_id_" };

/** A collection's documents and indexes. */
export class Collection {
  readonly db: string;
  name: string;
  readonly options: Document;
  readonly uuid: Binary;
  readonly docs = new Map<string, Document>();
  readonly indexes: Index[] = [];
  /** Versions replaced since the oldest open transaction's snapshot: id → [{seq, before}] oldest first. */
  readonly history = new Map<string, { seq: number; before: Document | undefined }[]>();

  constructor(db: string, name: string, options: Document = {}, uuid?: Binary) {
    this.db = db;
    this.name = name;
    this.options = options;
    this.uuid = uuid ?? new UUID(randomUUID()).toBinary();
  }

  /** "db.collection". */
  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  /** Every index spec, `_id_` first, as listIndexes returns them. */
  indexSpecs(): IndexSpec[] {
    return [ID_INDEX, ...this.indexes.map((index) => index.spec)];
  }

  /** Finds an index by name or by key pattern. */
  findIndex(nameOrKey: string | Document): IndexSpec | undefined {
    return this.indexSpecs().find((spec) =>
      typeof nameOrKey === "string" ? spec.name === nameOrKey : sameKey(spec.key, nameOrKey),
    );
  }

  /** Every document in natural order. */
  all(): Iterable<Document> {
    return this.docs.values();
  }

  /** The document with this canonical _id key. */
  get(idKey: string): Document | undefined {
    return this.docs.get(idKey);
  }

  /** Validates an insert against every unique constraint without applying it. */
  checkInsert(doc: Document): { idKey: string; keys: (string[] | null)[] } {
    const idKey = flatKey(canonicalKey(doc._id));
    if (this.docs.has(idKey)) throw duplicateKeyError(this.ns, ID_INDEX, doc);
    const keys = this.indexes.map((index) => index.keysOf(doc));
    this.indexes.forEach((index, i) => {
      index.checkUnique(this.ns, idKey, doc, keys[i] ?? null);
    });
    return { idKey, keys };
  }

  /** Inserts a prepared document (with _id); throws 11000 and changes nothing on a duplicate. */
  insert(doc: Document): string {
    const { idKey, keys } = this.checkInsert(doc);
    this.docs.set(idKey, doc);
    this.indexes.forEach((index, i) => {
      index.add(idKey, keys[i] ?? null);
    });
    return idKey;
  }

  /** Replaces a document by a new image with the same _id; throws 11000 and changes nothing on a duplicate. */
  replace(idKey: string, next: Document): void {
    const previous = this.docs.get(idKey);
    if (!previous) throw mongoError(1, "replace of a missing document");
    const oldKeys = this.indexes.map((index) => index.keysOf(previous));
    const newKeys = this.indexes.map((index) => index.keysOf(next));
    this.indexes.forEach((index, i) => {
      index.checkUnique(this.ns, idKey, next, newKeys[i] ?? null);
    });
    this.indexes.forEach((index, i) => {
      index.remove(idKey, oldKeys[i] ?? null);
      index.add(idKey, newKeys[i] ?? null);
    });
    this.docs.set(idKey, next);
  }

  /** Removes a document. */
  remove(idKey: string): Document | undefined {
    const previous = this.docs.get(idKey);
    if (!previous) return undefined;
    for (const index of this.indexes) index.remove(idKey, index.keysOf(previous));
    this.docs.delete(idKey);
    return previous;
  }

  /** Puts a document without checks; used by recovery before indexes are built. */
  restore(doc: Document): void {
    this.docs.set(flatKey(canonicalKey(doc._id)), doc);
  }

  /** Adds an index, building it over the existing documents; a unique violation leaves no trace. */
  createIndex(raw: Document): "created" | "exists" {
    const spec = normalizeIndexSpec(raw);
    for (const existing of this.indexSpecs()) {
      if (existing.name === spec.name) {
        if (!sameKey(existing.key, spec.key)) {
          throw mongoError(
            86,
            `An existing index has the same name as the requested index. When index names are not specified, they are auto generated and can cause conflicts. Please refer to our documentation. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(existing)}`,
          );
        }
        if (!sameIndexOptions(existing, spec)) {
          throw mongoError(
            85,
            `An equivalent index already exists with the same name but different options. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(existing)}`,
          );
        }
        return "exists";
      }
      if (sameKey(existing.key, spec.key) && stableCollation(existing) === stableCollation(spec)) {
        if (sameIndexOptions(existing, spec) && existing.name === "_id_") return "exists";
        throw mongoError(85, `Index already exists with a different name: ${existing.name}`);
      }
    }
    if ("_id" in spec.key && Object.keys(spec.key).length === 1 && spec.unique === false) {
      throw mongoError(67, "The field 'unique' is not valid for an _id index specification.");
    }
    const index = new Index(spec);
    for (const [idKey, doc] of this.docs) {
      const keys = index.keysOf(doc);
      index.checkUnique(this.ns, idKey, doc, keys);
      index.add(idKey, keys);
    }
    this.indexes.push(index);
    return "created";
  }

  /** Rebuilds an index recorded in the journal or a checkpoint (recovery). */
  restoreIndex(spec: IndexSpec): void {
    if (spec.name === "_id_") return;
    const index = new Index(spec);
    for (const [idKey, doc] of this.docs) index.add(idKey, index.keysOf(doc));
    this.indexes.push(index);
  }

  /** Drops one index by name; `_id_` cannot be dropped. */
  dropIndex(name: string): void {
    if (name === "_id_") throw mongoError(72, "cannot drop _id index");
    const position = this.indexes.findIndex((index) => index.spec.name === name);
    if (position < 0) throw mongoError(27, `index not found with name [${name}]`);
    this.indexes.splice(position, 1);
  }

  /**
   * The documents a filter may match, narrowed through `_id` or an index when the filter has equality
   * or $in on its fields (all of them, or else the longest leading part of a compound index's); the
   * caller still tests every candidate. `anyOrder` skips restoring natural order (the caller sorts
   * with `_id` as the last key, so no two documents tie).
   */
  candidates(
    filter: CompiledFilter,
    collation: Collation | undefined,
    anyOrder = false,
  ): Iterable<[string, Document]> {
    const idValues = filter.equalities.get("_id");
    if (
      idValues &&
      (!collation || collation.locale === "simple" || idValues.every((v) => typeof v !== "string"))
    ) {
      return this.pick(new Set(idValues.map((value) => canonicalKey(value))), anyOrder);
    }
    const plan = this.plan(filter, collation);
    if (plan) {
      // Past an eighth of the collection, pick would scan it anyway: scan without collecting ids.
      const ids = plan.index.lookup(filter.equalities, plan.fields, this.docs.size / 8);
      if (ids) return this.pick(ids, anyOrder);
    }
    return this.docs.entries();
  }

  /** The name of the index the planner would use, for explain. */
  plannedIndex(filter: CompiledFilter, collation: Collation | undefined): string | null {
    if (filter.equalities.has("_id")) return "_id_";
    return this.plan(filter, collation)?.index.spec.name ?? null;
  }

  /** The first index answering every key field, else the one answering the most leading fields. */
  private plan(
    filter: CompiledFilter,
    collation: Collation | undefined,
  ): { index: Index; fields: number } | null {
    let best: { index: Index; fields: number } | null = null;
    for (const index of this.indexes) {
      const fields = index.coveredFields(filter.equalities, collation);
      if (fields === 0) continue;
      if (fields === Object.keys(index.spec.key).length) return { index, fields };
      if (!best || fields > best.fields) best = { index, fields };
    }
    return best;
  }

  private *pick(ids: Set<string>, anyOrder: boolean): Iterable<[string, Document]> {
    // Keep natural order so results do not depend on whether an index was used.
    if (ids.size * 8 >= this.docs.size) {
      for (const entry of this.docs) if (ids.has(entry[0])) yield entry;
      return;
    }
    const found: [string, Document][] = [];
    for (const id of ids) {
      const doc = this.docs.get(id);
      if (doc) found.push([id, doc]);
    }
    if (found.length > 1 && !anyOrder) {
      const order = new Map<string, number>();
      let i = 0;
      for (const key of this.docs.keys()) {
        if (ids.has(key)) order.set(key, i);
        i++;
      }
      found.sort((a, b) => (order.get(a[0]) ?? 0) - (order.get(b[0]) ?? 0));
    }
    yield* found;
  }
}

function stableCollation(spec: IndexSpec): string {
  return JSON.stringify(spec.collation ?? null);
}
