/**
 * The write and read surface commands use, so the same handlers run inside and outside a transaction:
 * `DirectStore` changes collections at once; `TransactionStore` (transactions.ts) buffers changes in a
 * transaction's write set over its snapshot.
 */
import type { JournalOp } from "../journal/index.ts";
import type { CompiledFilter } from "../query/filter.ts";
import type { Collation, Document, IndexSpec } from "../types.ts";
import type { RawDocument } from "../wire/raw.ts";
import type { Collection } from "./collection.ts";
import type { Engine } from "./engine.ts";

/** What reads need from a collection: its identity, candidate documents and index names. */
export interface CollectionView {
  readonly db: string;
  readonly name: string;
  readonly ns: string;
  readonly options: Document;
  /**
   * Documents that may match, in natural order (in any order with `anyOrder`: the caller sorts them
   * by keys that leave no ties); callers re-test the filter.
   */
  candidates(
    filter: CompiledFilter,
    collation: Collation | undefined,
    anyOrder?: boolean,
  ): Iterable<[string, Document]>;
  /** Every visible document in natural order. */
  all(): Iterable<Document>;
  findIndex(nameOrKey: string | Document): IndexSpec | undefined;
}

/** Reads and writes as one command sees them. */
export interface Store {
  view(db: string, name: string): CollectionView | undefined;
  /**
   * Inserts a prepared document, creating the collection when missing; throws 11000 (or 112 in a
   * transaction). `raw`: the BSON it was decoded from, which the journal may write as is.
   */
  insert(db: string, name: string, doc: Document, raw?: RawDocument): void;
  /** Replaces the document with canonical id `idKey` by `next`. */
  replace(view: CollectionView, idKey: string, next: Document): void;
  /** Deletes the document with canonical id `idKey`. */
  remove(view: CollectionView, idKey: string, doc: Document): void;
  /** Creates a collection explicitly; throws 48 when it exists. */
  createCollection(db: string, name: string, options: Document): Collection;
  /** The collection for DDL such as createIndexes, created when missing. */
  ensureCollection(db: string, name: string): { collection: Collection; created: boolean };
  /** Records that an index was built on a collection. */
  indexCreated(collection: Collection, spec: IndexSpec): void;
}

/** Applies changes to the collections immediately; the command journals them as one record. */
export class DirectStore implements Store {
  private readonly engine: Engine;
  private readonly pending: Parameters<Engine["ensure"]>[2];
  private readonly journal: (op: JournalOp) => void;

  constructor(engine: Engine, pending: Parameters<Engine["ensure"]>[2], journal: (op: JournalOp) => void) {
    this.engine = engine;
    this.pending = pending;
    this.journal = journal;
  }

  view(db: string, name: string): CollectionView | undefined {
    return this.engine.get(db, name);
  }

  insert(db: string, name: string, doc: Document, raw?: RawDocument): void {
    const collection = this.engine.ensure(db, name, this.pending);
    this.engine.beforeDirectWrite(collection, null, doc);
    const idKey = collection.insert(doc);
    this.engine.afterDirectWrite(collection, idKey, undefined);
    this.journal(raw ? { op: "i", ns: collection.ns, doc, raw } : { op: "i", ns: collection.ns, doc });
  }

  replace(view: CollectionView, idKey: string, next: Document): void {
    const collection = view as Collection;
    const before = collection.get(idKey);
    this.engine.beforeDirectWrite(collection, idKey, next);
    collection.replace(idKey, next);
    this.engine.afterDirectWrite(collection, idKey, before);
    this.journal({ op: "u", ns: collection.ns, id: next._id, doc: next });
  }

  createCollection(db: string, name: string, options: Document): Collection {
    return this.engine.createCollection(db, name, options, this.pending);
  }

  ensureCollection(db: string, name: string): { collection: Collection; created: boolean } {
    const existing = this.engine.get(db, name);
    if (existing) return { collection: existing, created: false };
    return { collection: this.engine.ensure(db, name, this.pending), created: true };
  }

  indexCreated(collection: Collection, spec: IndexSpec): void {
    this.engine.noteIndexCreated(collection, spec, this.pending);
  }

  remove(view: CollectionView, idKey: string, doc: Document): void {
    const collection = view as Collection;
    this.engine.beforeDirectWrite(collection, idKey, null);
    collection.remove(idKey);
    this.engine.afterDirectWrite(collection, idKey, doc);
    this.journal({ op: "d", ns: collection.ns, id: doc._id });
  }
}
