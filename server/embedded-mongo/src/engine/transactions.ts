/**
 * Multi-document transactions with snapshot isolation. A transaction reads the committed state as of
 * its start (rebuilt from the per-collection history of changes made since) plus its own writes, and
 * buffers its writes in a write set. Conflicts are detected eagerly, first writer wins: a write to a
 * document changed since the snapshot, or held by another open transaction, fails with 112
 * WriteConflict and aborts the transaction. Commit applies the write set in one step and journals it as
 * one record.
 */
import { MongoError, mongoError } from "../errors.ts";
import type { CompiledFilter } from "../query/filter.ts";
import { canonicalKey } from "../query/keys.ts";
import type { Collation, Document, IndexSpec } from "../types.ts";
import { Collection } from "./collection.ts";
import { checkCollectionName, checkDbName, type Engine } from "./engine.ts";
import { duplicateKeyError, holdersOf } from "./indexes.ts";
import type { CollectionView, Store } from "./store.ts";

/** MongoDB's transactionLifetimeLimitSeconds default. */
export const TRANSACTION_LIFETIME_MS = 60_000;
const TRANSIENT = ["TransientTransactionError"];

/** One multi-document transaction of a session. */
export class Transaction {
  readonly sessionKey: string;
  readonly txnNumber: number;
  readonly snapshotSeq: number;
  readonly startedAt: number;
  state: "active" | "committed" | "aborted" = "active";
  abortReason = "";
  /** ns → canonical id → after-image (null = deleted). */
  readonly writes = new Map<string, Map<string, Document | null>>();
  /** Collections created inside the transaction: visible to it alone until commit. */
  readonly created = new Map<string, Collection>();
  /** ns + index name → unique keys this transaction's images hold. */
  readonly pendingKeys = new Map<string, Set<string>>();

  constructor(sessionKey: string, txnNumber: number, snapshotSeq: number, startedAt: number) {
    this.sessionKey = sessionKey;
    this.txnNumber = txnNumber;
    this.snapshotSeq = snapshotSeq;
    this.startedAt = startedAt;
  }

  /** The write set of one collection. */
  writesFor(ns: string): Map<string, Document | null> {
    let writes = this.writes.get(ns);
    if (!writes) {
      writes = new Map();
      this.writes.set(ns, writes);
    }
    return writes;
  }

  /** Size of the write set in documents (for logging and limits). */
  get size(): number {
    let n = 0;
    for (const writes of this.writes.values()) n += writes.size;
    return n;
  }
}

/** The 112 error a conflicting write gets; the transaction is aborted. */
export function writeConflict(): MongoError {
  return new MongoError(
    112,
    "WriteConflict error: this operation conflicted with another operation. Please retry your operation or multi-document transaction.",
    {},
    TRANSIENT,
  );
}

/** The 251 error for an unknown, aborted or expired transaction. */
export function noSuchTransaction(txnNumber: number, reason = ""): MongoError {
  return new MongoError(
    251,
    `Transaction with { txnNumber: ${txnNumber} } has been aborted.${reason ? ` ${reason}` : ""}`,
    {},
    TRANSIENT,
  );
}

/** A collection as a transaction sees it: the snapshot plus the transaction's own writes. */
class SnapshotView implements CollectionView {
  readonly collection: Collection;
  private readonly txn: Transaction;

  constructor(collection: Collection, txn: Transaction) {
    this.collection = collection;
    this.txn = txn;
  }

  get db(): string {
    return this.collection.db;
  }
  get name(): string {
    return this.collection.name;
  }
  get ns(): string {
    return this.collection.ns;
  }
  get options(): Document {
    return this.collection.options;
  }

  findIndex(nameOrKey: string | Document): IndexSpec | undefined {
    return this.collection.findIndex(nameOrKey);
  }

  /** The visible version of one document, or undefined. */
  get(idKey: string): Document | undefined {
    const written = this.txn.writes.get(this.ns);
    if (written?.has(idKey)) return written.get(idKey) ?? undefined;
    const history = this.collection.history.get(idKey);
    const before = history?.find((entry) => entry.seq > this.txn.snapshotSeq);
    if (before) return before.before;
    return this.collection.get(idKey);
  }

  *candidates(
    filter: CompiledFilter,
    collation: Collation | undefined,
    anyOrder?: boolean,
  ): Iterable<[string, Document]> {
    const changed = this.changedKeys();
    for (const [idKey, doc] of this.collection.candidates(filter, collation, anyOrder)) {
      if (!changed.has(idKey)) {
        yield [idKey, doc];
        continue;
      }
      const visible = this.get(idKey);
      changed.delete(idKey);
      if (visible) yield [idKey, visible];
    }
    // Documents whose visible version the current indexes may not reflect.
    for (const idKey of changed) {
      const visible = this.get(idKey);
      if (visible) yield [idKey, visible];
    }
  }

  *all(): Iterable<Document> {
    const everything: CompiledFilter = { test: () => true, equalities: new Map() };
    for (const [, doc] of this.candidates(everything, undefined)) yield doc;
  }

  private changedKeys(): Set<string> {
    const keys = new Set<string>();
    for (const [idKey, entries] of this.collection.history) {
      if (entries.some((entry) => entry.seq > this.txn.snapshotSeq)) keys.add(idKey);
    }
    for (const idKey of this.txn.writes.get(this.ns)?.keys() ?? []) keys.add(idKey);
    return keys;
  }
}

/** Reads and writes of one command inside a transaction. */
export class TransactionStore implements Store {
  private readonly engine: Engine;
  private readonly txn: Transaction;

  constructor(engine: Engine, txn: Transaction) {
    this.engine = engine;
    this.txn = txn;
  }

  view(db: string, name: string): CollectionView | undefined {
    const collection = this.engine.get(db, name) ?? this.txn.created.get(`${db}.${name}`);
    return collection ? new SnapshotView(collection, this.txn) : undefined;
  }

  createCollection(db: string, name: string, options: Document): Collection {
    if (this.engine.get(db, name) || this.txn.created.has(`${db}.${name}`)) {
      throw mongoError(48, `Collection ${db}.${name} already exists.`);
    }
    checkDbName(db);
    checkCollectionName(name);
    const collection = new Collection(db, name, options);
    this.txn.created.set(collection.ns, collection);
    return collection;
  }

  ensureCollection(db: string, name: string): { collection: Collection; created: boolean } {
    const existing = this.engine.get(db, name) ?? this.txn.created.get(`${db}.${name}`);
    if (existing) return { collection: existing, created: false };
    return { collection: this.createCollection(db, name, {}), created: true };
  }

  indexCreated(): void {
    // Indexes of collections created in the transaction are journaled with them at commit.
  }

  insert(db: string, name: string, doc: Document): void {
    // Implicit creation is allowed inside a transaction since 4.4; it becomes visible at commit.
    const { collection } = this.ensureCollection(db, name);
    const view = new SnapshotView(collection, this.txn);
    const idKey = canonicalKey(doc._id);
    this.checkOthers(collection, idKey);
    if (view.get(idKey)) {
      this.conflictIfChanged(collection, idKey);
      throw duplicateKeyError(collection.ns, { v: 2, key: { _id: 1 }, name: "_id_" }, doc);
    }
    if (collection.get(idKey) || this.changedSinceSnapshot(collection, idKey)) this.fail();
    this.write(collection, idKey, doc);
  }

  replace(view: CollectionView, idKey: string, next: Document): void {
    const collection = (view as SnapshotView).collection;
    this.checkOthers(collection, idKey);
    this.conflictIfChanged(collection, idKey);
    this.write(collection, idKey, next);
  }

  remove(view: CollectionView, idKey: string): void {
    const collection = (view as SnapshotView).collection;
    this.checkOthers(collection, idKey);
    this.conflictIfChanged(collection, idKey);
    this.txn.writesFor(collection.ns).set(idKey, null);
  }

  private write(collection: Collection, idKey: string, doc: Document): void {
    const own = this.txn.writesFor(collection.ns);
    const held: [string, string[]][] = [];
    for (const index of collection.indexes) {
      if (!index.spec.unique) continue;
      const keys = index.keysOf(doc);
      if (!keys) continue;
      for (const key of keys) {
        for (const holder of holdersOf(index.entries.get(key))) {
          if (holder === idKey || own.has(holder)) continue;
          if (this.changedSinceSnapshot(collection, holder)) this.fail();
          throw duplicateKeyError(collection.ns, index.spec, doc);
        }
        for (const other of this.engine.transactions) {
          if (other !== this.txn && other.pendingKeys.get(`${collection.ns}\0${index.spec.name}`)?.has(key))
            this.fail();
        }
      }
      for (const [otherId, image] of own) {
        if (otherId === idKey || !image) continue;
        const otherKeys = index.keysOf(image);
        if (otherKeys?.some((key) => keys.includes(key)))
          throw duplicateKeyError(collection.ns, index.spec, doc);
      }
      held.push([`${collection.ns}\0${index.spec.name}`, keys]);
    }
    for (const [slot, keys] of held) {
      let set = this.txn.pendingKeys.get(slot);
      if (!set) {
        set = new Set();
        this.txn.pendingKeys.set(slot, set);
      }
      for (const key of keys) set.add(key);
    }
    own.set(idKey, doc);
  }

  private checkOthers(collection: Collection, idKey: string): void {
    for (const other of this.engine.transactions) {
      if (other !== this.txn && other.writes.get(collection.ns)?.has(idKey)) this.fail();
    }
  }

  private conflictIfChanged(collection: Collection, idKey: string): void {
    if (this.changedSinceSnapshot(collection, idKey)) this.fail();
  }

  private changedSinceSnapshot(collection: Collection, idKey: string): boolean {
    return collection.history.get(idKey)?.some((entry) => entry.seq > this.txn.snapshotSeq) ?? false;
  }

  private fail(): never {
    this.engine.abortTransaction(this.txn, "write conflict");
    throw writeConflict();
  }
}

/**
 * Applies a transaction's write set to the collections, all or nothing.
 * @returns the journal ops of the commit.
 */
export function applyWriteSet(
  engine: Engine,
  txn: Transaction,
  pending: Parameters<Engine["ensure"]>[2],
): { ops: import("../journal/index.ts").JournalOp[]; changes: [Collection, string, Document | undefined][] } {
  const ops: import("../journal/index.ts").JournalOp[] = [];
  const changes: [Collection, string, Document | undefined][] = [];
  const undo: (() => void)[] = [];
  for (const [ns, created] of txn.created) {
    if (engine.get(created.db, created.name)) {
      throw new MongoError(
        112,
        `Collection ${ns} was created by another operation during the transaction`,
        {},
        TRANSIENT,
      );
    }
  }
  for (const created of txn.created.values()) engine.adopt(created, pending);
  try {
    for (const [ns, writes] of txn.writes) {
      const dot = ns.indexOf(".");
      const collection = engine.ensure(ns.slice(0, dot), ns.slice(dot + 1), pending);
      for (const [idKey, image] of writes) {
        const before = collection.get(idKey);
        if (image === null) {
          if (!before) continue;
          collection.remove(idKey);
          undo.push(() => collection.insert(before));
          ops.push({ op: "d", ns, id: before._id });
        } else if (before) {
          collection.replace(idKey, image);
          undo.push(() => collection.replace(idKey, before));
          ops.push({ op: "u", ns, id: image._id, doc: image });
        } else {
          collection.insert(image);
          undo.push(() => collection.remove(idKey));
          ops.push({ op: "i", ns, doc: image });
        }
        changes.push([collection, idKey, before]);
      }
    }
  } catch (error) {
    for (const step of undo.reverse()) step();
    throw error instanceof MongoError ? error : mongoError(1, String(error));
  }
  return { ops, changes };
}
