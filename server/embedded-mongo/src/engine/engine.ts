/**
 * The catalog (databases → collections) and the bridge between in-memory changes and the journal.
 * Every change is applied to memory synchronously and handed to the journal in the same turn; the
 * command that made it replies only once the journal says the record is durable.
 */
import type { Binary } from "bson";
import { mongoError } from "../errors.ts";
import type { CatalogEntry, Journal, JournalOp, JournalRecord, RecoveryVisitor } from "../journal/index.ts";
import { canonicalKey } from "../query/keys.ts";
import type { Document, IndexSpec } from "../types.ts";
import { Collection } from "./collection.ts";
import { applyWriteSet, Transaction } from "./transactions.ts";

/**
 * A checkpoint is written once the journal since the last one outgrows both this and the last
 * checkpoint itself: each checkpoint rewrites every document, so a fixed threshold would make a bulk
 * load quadratic (a million documents rewritten every 64 MiB), while this keeps the checkpoints'
 * total work within twice the data and replay at start-up within the size of the data.
 */
const CHECKPOINT_BYTES = 64 * 1024 * 1024;

/** Checks a database name the way mongod does. */
export function checkDbName(db: unknown): string {
  if (typeof db !== "string" || db.length === 0 || /[/\\. "$\0]/.test(db) || db.length > 63) {
    throw mongoError(73, `Invalid database name: '${String(db)}'`);
  }
  return db;
}

/** Checks a collection name the way mongod does. */
export function checkCollectionName(name: unknown): string {
  if (
    typeof name !== "string" ||
    name.length === 0 ||
    name.includes("\0") ||
    name.startsWith(".") ||
    name.includes("$")
  ) {
    throw mongoError(73, `Invalid collection name: ${String(name)}`);
  }
  return name;
}

/** The in-memory databases and their durability. */
export class Engine {
  private readonly dbs = new Map<string, Map<string, Collection>>();
  private journal: Journal | null = null;
  private checkpointing: Promise<void> | null = null;
  /** Increases with every committed document change; transactions snapshot at a value of it. */
  commitSeq = 0;
  /** Open transactions. */
  readonly transactions = new Set<Transaction>();
  private readonly collectionsWithHistory = new Set<Collection>();

  /** Connects a journal after recovery; from now on every change is journaled. */
  attachJournal(journal: Journal): void {
    this.journal = journal;
  }

  /** Opens a transaction whose snapshot is the current committed state. */
  beginTransaction(sessionKey: string, txnNumber: number, now: number): Transaction {
    const txn = new Transaction(sessionKey, txnNumber, this.commitSeq, now);
    this.transactions.add(txn);
    return txn;
  }

  /** Aborts a transaction, dropping its write set. */
  abortTransaction(txn: Transaction, reason: string): void {
    if (txn.state !== "active") return;
    txn.state = "aborted";
    txn.abortReason = reason;
    this.endTransaction(txn);
  }

  /**
   * Commits a transaction: applies its write set in one step and queues one TXN journal record.
   * @param pending the command's journal records.
   */
  commitTransaction(txn: Transaction, pending: JournalRecord[]): void {
    const { ops, changes } = applyWriteSet(this, txn, pending);
    txn.state = "committed";
    this.endTransaction(txn);
    if (ops.length === 0) return;
    const seq = ++this.commitSeq;
    for (const [collection, idKey, before] of changes) this.remember(collection, idKey, before, seq);
    pending.push({ type: "txn", ops, lsid: txn.sessionKey, txnNumber: txn.txnNumber });
  }

  /**
   * Called before a non-transactional write: MongoDB would make it wait for open transactions that
   * hold the document or the unique key; here those transactions are aborted instead (a documented
   * deviation), so the write never blocks and the transaction's next command gets 251.
   */
  beforeDirectWrite(collection: Collection, idKey: string | null, next: Document | null): void {
    if (this.transactions.size === 0) return;
    const nextKey = next ? canonicalKey(next._id) : null;
    for (const txn of [...this.transactions]) {
      const writes = txn.writes.get(collection.ns);
      if ((idKey && writes?.has(idKey)) || (nextKey && writes?.has(nextKey))) {
        this.abortTransaction(txn, "a write outside the transaction changed a document it had written");
        continue;
      }
      if (!next) continue;
      for (const index of collection.indexes) {
        const held = txn.pendingKeys.get(`${collection.ns}\0${index.spec.name}`);
        if (held && index.keysOf(next)?.some((key) => held.has(key))) {
          this.abortTransaction(txn, "a write outside the transaction took a unique key it held");
          break;
        }
      }
    }
  }

  /** DDL never waits for transactions here: those that wrote to the collection are aborted (a documented deviation). */
  private abortTransactionsOn(ns: string): void {
    for (const txn of [...this.transactions]) {
      if (txn.writes.has(ns)) this.abortTransaction(txn, `collection ${ns} was dropped or renamed`);
    }
  }

  /** Called after a non-transactional write: advances the commit sequence and keeps history for snapshots. */
  afterDirectWrite(collection: Collection, idKey: string, before: Document | undefined): void {
    const seq = ++this.commitSeq;
    if (this.transactions.size > 0) this.remember(collection, idKey, before, seq);
  }

  private remember(collection: Collection, idKey: string, before: Document | undefined, seq: number): void {
    if (this.transactions.size === 0) return;
    let entries = collection.history.get(idKey);
    if (!entries) {
      entries = [];
      collection.history.set(idKey, entries);
    }
    entries.push({ seq, before });
    this.collectionsWithHistory.add(collection);
  }

  private endTransaction(txn: Transaction): void {
    this.transactions.delete(txn);
    // History older than every open snapshot can no longer be read.
    let oldest = Number.POSITIVE_INFINITY;
    for (const open of this.transactions) oldest = Math.min(oldest, open.snapshotSeq);
    for (const collection of this.collectionsWithHistory) {
      for (const [idKey, entries] of collection.history) {
        const kept = entries.filter((entry) => entry.seq > oldest);
        if (kept.length === 0) collection.history.delete(idKey);
        else if (kept.length !== entries.length) collection.history.set(idKey, kept);
      }
      if (collection.history.size === 0) this.collectionsWithHistory.delete(collection);
    }
  }

  /** The database names that hold at least one collection. */
  databaseNames(): string[] {
    return [...this.dbs.entries()].filter(([, colls]) => colls.size > 0).map(([name]) => name);
  }

  /** The collections of a database, in creation order. */
  collections(db: string): Collection[] {
    return [...(this.dbs.get(db)?.values() ?? [])];
  }

  /** A collection, if it exists. */
  get(db: string, name: string): Collection | undefined {
    return this.dbs.get(db)?.get(name);
  }

  /** A collection, created (and journaled) when missing, as writes and createIndexes do implicitly. */
  ensure(db: string, name: string, pending: JournalRecord[]): Collection {
    const existing = this.get(db, name);
    if (existing) return existing;
    return this.createCollection(db, name, {}, pending);
  }

  /** Creates a collection; throws 48 when it exists. */
  createCollection(db: string, name: string, options: Document, pending: JournalRecord[]): Collection {
    checkDbName(db);
    checkCollectionName(name);
    if (this.get(db, name)) throw mongoError(48, `Collection ${db}.${name} already exists.`);
    const collection = new Collection(db, name, options);
    this.attach(collection);
    pending.push({ type: "ddl", ddl: "create", ns: collection.ns, spec: { options, uuid: collection.uuid } });
    return collection;
  }

  /** Makes a collection built elsewhere (inside a transaction) part of the catalog, journaling it and its indexes. */
  adopt(collection: Collection, pending: JournalRecord[]): void {
    this.attach(collection);
    pending.push({
      type: "ddl",
      ddl: "create",
      ns: collection.ns,
      spec: { options: collection.options, uuid: collection.uuid },
    });
    for (const index of collection.indexes) this.noteIndexCreated(collection, index.spec, pending);
  }

  /** Drops a collection; returns false when it did not exist. */
  dropCollection(db: string, name: string, pending: JournalRecord[]): Collection | undefined {
    const collection = this.get(db, name);
    if (!collection) return undefined;
    this.abortTransactionsOn(collection.ns);
    this.dbs.get(db)?.delete(name);
    pending.push({ type: "ddl", ddl: "drop", ns: collection.ns, spec: {} });
    return collection;
  }

  /** Drops every collection of a database. */
  dropDatabase(db: string, pending: JournalRecord[]): boolean {
    const existed = (this.dbs.get(db)?.size ?? 0) > 0;
    for (const collection of this.collections(db)) this.abortTransactionsOn(collection.ns);
    this.dbs.delete(db);
    if (existed) pending.push({ type: "ddl", ddl: "dropDatabase", ns: db, spec: {} });
    return existed;
  }

  /** Renames a collection, possibly across databases, optionally replacing the target. */
  rename(
    from: Collection,
    toDb: string,
    toName: string,
    dropTarget: boolean,
    pending: JournalRecord[],
  ): void {
    checkDbName(toDb);
    checkCollectionName(toName);
    const target = this.get(toDb, toName);
    if (target === from) throw mongoError(20, "Can't rename a collection to itself");
    if (target && !dropTarget) throw mongoError(48, "target namespace exists");
    if (target) this.dropCollection(toDb, toName, pending);
    const fromNs = from.ns;
    this.abortTransactionsOn(fromNs);
    this.dbs.get(from.db)?.delete(from.name);
    const moved = new Collection(toDb, toName, from.options, from.uuid);
    for (const [, doc] of from.docs) moved.restore(doc);
    for (const index of from.indexes) moved.restoreIndex(index.spec);
    this.attach(moved);
    pending.push({ type: "ddl", ddl: "rename", ns: fromNs, spec: { to: moved.ns, dropTarget } });
  }

  /** Records index creation in the journal. */
  noteIndexCreated(collection: Collection, spec: IndexSpec, pending: JournalRecord[]): void {
    pending.push({ type: "ddl", ddl: "createIndexes", ns: collection.ns, spec: { index: spec } });
  }

  /** Records index drops in the journal. */
  noteIndexesDropped(collection: Collection, names: string[], pending: JournalRecord[]): void {
    if (names.length > 0)
      pending.push({ type: "ddl", ddl: "dropIndexes", ns: collection.ns, spec: { names } });
  }

  /**
   * Hands the records of one command to the journal and resolves when they are durable.
   * @param records DDL records followed by at most one OPS record, in the order they happened.
   */
  async commit(records: JournalRecord[]): Promise<void> {
    const journal = this.journal;
    if (!journal || records.length === 0) return;
    let last: Promise<void> = Promise.resolve();
    for (const record of records) {
      if (record.type !== "ddl" && record.ops.length === 0) continue;
      last = journal.append(record).durable;
    }
    await last;
    const threshold = Math.max(CHECKPOINT_BYTES, journal.checkpointBytes);
    if (journal.bytesSinceCheckpoint > threshold && !this.checkpointing) {
      this.checkpointing = this.checkpoint().finally(() => {
        this.checkpointing = null;
      });
    }
  }

  /** Writes a checkpoint of the whole catalog (also done on clean shutdown). */
  async checkpoint(): Promise<void> {
    if (!this.journal) return;
    await this.journal.checkpoint(() => this.snapshot());
  }

  /** Waits for a running checkpoint, then closes the journal. */
  async close(): Promise<void> {
    await this.checkpointing;
    if (this.journal) {
      await this.checkpoint();
      await this.journal.close();
      this.journal = null;
    }
  }

  /** A recovery visitor that rebuilds this engine from a checkpoint and the journal. */
  recoveryVisitor(): RecoveryVisitor & { finish(): void } {
    const pendingIndexes = new Map<Collection, IndexSpec[]>();
    const ignore: JournalRecord[] = [];
    const collectionFor = (ns: string): Collection => {
      const [db, name] = splitNs(ns);
      const existing = this.get(db, name);
      if (existing) return existing;
      const created = new Collection(db, name);
      this.attach(created);
      return created;
    };
    return {
      catalog: (entries: CatalogEntry[]) => {
        for (const entry of entries) {
          const [db, name] = splitNs(entry.ns);
          const collection = new Collection(
            db,
            name,
            (entry.options.options as Document) ?? {},
            entry.options.uuid as Binary,
          );
          this.attach(collection);
          pendingIndexes.set(collection, entry.indexes as IndexSpec[]);
        }
      },
      docs: (ns: string, docs: Document[]) => {
        const collection = collectionFor(ns);
        for (const doc of docs) collection.restore(doc);
      },
      record: (record: JournalRecord) => {
        if (record.type === "ddl") {
          this.replayDdl(record, pendingIndexes, ignore);
          return;
        }
        for (const op of record.ops) replayOp(collectionFor(op.ns), op);
      },
      finish: () => {
        for (const [collection, specs] of pendingIndexes) {
          if (this.get(collection.db, collection.name) !== collection) continue;
          for (const spec of specs) collection.restoreIndex(spec);
        }
      },
    };
  }

  private replayDdl(
    record: Extract<JournalRecord, { type: "ddl" }>,
    pendingIndexes: Map<Collection, IndexSpec[]>,
    ignore: JournalRecord[],
  ): void {
    const [db, name] = splitNs(record.ns);
    switch (record.ddl) {
      case "create": {
        if (this.get(db, name)) return;
        const collection = new Collection(
          db,
          name,
          (record.spec.options as Document) ?? {},
          record.spec.uuid as Binary,
        );
        this.attach(collection);
        pendingIndexes.set(collection, []);
        return;
      }
      case "drop":
        this.dbs.get(db)?.delete(name);
        return;
      case "dropDatabase":
        this.dbs.delete(record.ns);
        return;
      case "rename": {
        const from = this.get(db, name);
        if (!from) return;
        const [toDb, toName] = splitNs(String(record.spec.to));
        const specs = pendingIndexes.get(from) ?? [];
        this.dbs.get(toDb)?.delete(toName);
        this.dbs.get(db)?.delete(name);
        const moved = new Collection(toDb, toName, from.options, from.uuid);
        for (const [, doc] of from.docs) moved.restore(doc);
        this.attach(moved);
        pendingIndexes.set(moved, [...specs, ...from.indexes.map((index) => index.spec)]);
        return;
      }
      case "createIndexes": {
        const collection = this.get(db, name) ?? this.ensure(db, name, ignore);
        const specs = pendingIndexes.get(collection) ?? [];
        specs.push(record.spec.index as IndexSpec);
        pendingIndexes.set(collection, specs);
        return;
      }
      case "dropIndexes": {
        const collection = this.get(db, name);
        if (!collection) return;
        const names = new Set(record.spec.names as string[]);
        pendingIndexes.set(
          collection,
          (pendingIndexes.get(collection) ?? []).filter((spec) => !names.has(spec.name)),
        );
        return;
      }
    }
  }

  private snapshot() {
    const collections: Collection[] = [];
    for (const db of this.dbs.values()) collections.push(...db.values());
    const catalog: CatalogEntry[] = collections.map((collection) => ({
      ns: collection.ns,
      options: { options: collection.options, uuid: collection.uuid },
      indexes: collection.indexes.map((index) => index.spec),
    }));
    // Documents are immutable, so copying the references now is a consistent snapshot.
    const data = collections.map((collection): [string, Document[]] => [
      collection.ns,
      [...collection.docs.values()],
    ]);
    return { catalog, collections: data };
  }

  private attach(collection: Collection): void {
    let db = this.dbs.get(collection.db);
    if (!db) {
      db = new Map();
      this.dbs.set(collection.db, db);
    }
    db.set(collection.name, collection);
  }
}

/** Splits "db.collection.with.dots" at the first dot. */
export function splitNs(ns: string): [string, string] {
  const dot = ns.indexOf(".");
  return dot < 0 ? [ns, ""] : [ns.slice(0, dot), ns.slice(dot + 1)];
}

function replayOp(collection: Collection, op: JournalOp): void {
  if (op.op === "i" || op.op === "u") {
    collection.restore(op.doc);
    return;
  }
  collection.docs.delete(canonicalKey(op.id));
}
