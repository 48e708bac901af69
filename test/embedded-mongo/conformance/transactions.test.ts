/**
 * Conformance §8 D: sessions, multi-document transactions and retryable writes (replica-set mode),
 * through mongoose 9 and the raw driver, plus the standalone refusal (D.9), DDL inside a transaction,
 * the documented deviation for a non-transactional write that meets an open transaction (§6.10), and a
 * driver commit retry provoked with the `failCommand` fail point.
 *
 * Tests that depend on the embedded server itself (its test clock, its deviation, its standalone mode)
 * are skipped when MONGO_TEST_URI points at another server.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { startEmbeddedMongo } from "@govinfo/embedded-mongo";
import {
  type Binary,
  type ClientSession,
  type CommandFailedEvent,
  type CommandStartedEvent,
  type CommandSucceededEvent,
  type Db,
  type Document,
  Long,
  MongoClient,
  MongoServerError,
  UUID,
} from "mongodb";
import mongoose, { type Connection, Schema } from "mongoose";
import { captureError, dbName, RawConnection, rawCommand, useServer } from "../support.ts";

const fx = useServer();
const external = Boolean(process.env.MONGO_TEST_URI);
const DB = dbName("txn");

/** Raw-driver documents with scalar ids. */
type Doc = { _id: number | string; n?: number; v?: unknown; key?: string };

function makeModels(c: Connection) {
  return {
    Account: c.model("Account", new Schema({ name: String, balance: Number })),
    Entry: c.model("Entry", new Schema({ group: String, n: Number })),
  };
}
let M: ReturnType<typeof makeModels>;
let conn: Connection;
let client: MongoClient;
let db: Db;

before(async () => {
  await fx.ready;
  conn = mongoose.createConnection(fx.uri, { dbName: DB, serverSelectionTimeoutMS: 5000 });
  await conn.asPromise();
  fx.onClose(() => conn.close(true));
  M = makeModels(conn);
  await M.Account.createCollection();
  await M.Entry.createCollection();
  client = await fx.client({ monitorCommands: true });
  db = client.db(DB);
  fx.onClose(() => db.dropDatabase());
});

/** A session that is ended when the test ends (aborting whatever it left open). */
function session(t: { after(fn: () => Promise<void>): void }): ClientSession {
  const s = client.startSession();
  t.after(async () => {
    if (s.inTransaction()) await s.abortTransaction().catch(() => {});
    await s.endSession();
  });
  return s;
}

/** A fresh collection, empty and existing (so no test depends on implicit creation in a transaction). */
async function freshCollection(name: string) {
  await db
    .collection(name)
    .drop()
    .catch(() => {});
  await db.createCollection(name);
  return db.collection<Doc>(name);
}

/** Asserts a server error with the given code, and the presence or absence of TransientTransactionError. */
function assertServerError(
  error: unknown,
  code: number,
  codeName: string,
  transient: boolean,
  what: string,
): asserts error is MongoServerError {
  assert.ok(error instanceof MongoServerError, `${what}: expected a MongoServerError, got ${String(error)}`);
  assert.equal(error.code, code, `${what}: code (${error.message})`);
  assert.equal(error.codeName, codeName, `${what}: codeName`);
  assert.equal(
    error.hasErrorLabel("TransientTransactionError"),
    transient,
    `${what}: TransientTransactionError label (labels ${JSON.stringify(error.errorLabels)})`,
  );
}

/** Records the commands the shared driver client sends, with their outcome, while `fn` runs. */
async function recordCommands(
  fn: () => Promise<unknown>,
  names: string[],
): Promise<{
  started: CommandStartedEvent[];
  succeeded: CommandSucceededEvent[];
  failed: CommandFailedEvent[];
}> {
  const started: CommandStartedEvent[] = [];
  const succeeded: CommandSucceededEvent[] = [];
  const failed: CommandFailedEvent[] = [];
  const onStart = (event: CommandStartedEvent) => {
    if (names.includes(event.commandName)) started.push(event);
  };
  const onSuccess = (event: CommandSucceededEvent) => {
    if (names.includes(event.commandName)) succeeded.push(event);
  };
  const onFail = (event: CommandFailedEvent) => {
    if (names.includes(event.commandName)) failed.push(event);
  };
  client.on("commandStarted", onStart);
  client.on("commandSucceeded", onSuccess);
  client.on("commandFailed", onFail);
  try {
    await fn();
  } finally {
    client.off("commandStarted", onStart);
    client.off("commandSucceeded", onSuccess);
    client.off("commandFailed", onFail);
  }
  return { started, succeeded, failed };
}

/**
 * A raw wire connection for commands that carry a hand-made lsid/txnNumber: the driver replaces the
 * lsid of `db.command()` with its own implicit session's, so it cannot send them faithfully.
 */
async function rawClient(t: { after(fn: () => void): void }): Promise<(body: Document) => Promise<Document>> {
  const url = new URL(fx.uri.replace(/^mongodb(\+srv)?:/, "http:"));
  const raw = await RawConnection.open(Number(url.port || 27017), url.hostname);
  t.after(() => raw.close());
  let requestId = 0;
  return async (body) => (await rawCommand(raw, ++requestId, body)).doc;
}

/** Asserts an error reply document (ok: 0) from the raw wire. */
function assertErrorReply(
  reply: Document,
  code: number,
  codeName: string,
  labels: string[],
  what: string,
): void {
  assert.equal(reply.ok, 0, `${what}: expected an error reply, got ${JSON.stringify(reply)}`);
  assert.equal(reply.code, code, `${what}: code (${String(reply.errmsg)})`);
  assert.equal(reply.codeName, codeName, `${what}: codeName`);
  assert.deepEqual(reply.errorLabels ?? [], labels, `${what}: errorLabels`);
}

/** A reply without the per-request envelope ($clusterTime, operationTime). */
const stripEnvelope = ({ $clusterTime: _c, operationTime: _o, ...rest }: Document): Document => rest;

const sorted = <T extends Document>(docs: T[]): T[] =>
  [...docs].sort((a, b) => String(a._id).localeCompare(String(b._id)));

describe("D.1 connection.transaction (mongoose)", () => {
  test("an insert and an update commit together and are invisible outside until then", async () => {
    const { Account } = M;
    const alice = await Account.create({ name: "alice", balance: 100 });
    let insideId: unknown;
    await conn.transaction(async (s) => {
      const [bob] = await Account.create([{ name: "bob", balance: 30 }], { session: s });
      insideId = bob?._id;
      const res = await Account.updateOne({ _id: alice._id }, { $inc: { balance: -30 } }, { session: s });
      assert.equal(res.modifiedCount, 1);
      // Inside: both writes are visible.
      assert.equal((await Account.findById(alice._id).session(s).lean())?.balance, 70);
      assert.equal(await Account.countDocuments({ name: "bob" }).session(s), 1);
      // Outside: neither is.
      assert.equal((await Account.findById(alice._id).lean())?.balance, 100);
      assert.equal(await Account.countDocuments({ name: "bob" }), 0);
    });
    assert.equal((await Account.findById(alice._id).lean())?.balance, 70);
    const bob = await Account.find({ name: "bob" }).lean();
    assert.equal(bob.length, 1);
    assert.equal(String(bob[0]?._id), String(insideId));
    assert.equal(bob[0]?.balance, 30);
  });

  test("when fn throws, neither write is visible and the same error propagates", async () => {
    const { Account } = M;
    const carol = await Account.create({ name: "carol", balance: 50 });
    const boom = new Error("boom: abort the transfer");
    let ran = 0;
    const error = await captureError(() =>
      conn.transaction(async (s) => {
        ran++;
        await Account.create([{ name: "dave", balance: 50 }], { session: s });
        await Account.updateOne({ _id: carol._id }, { $inc: { balance: -50 } }, { session: s });
        assert.equal((await Account.findById(carol._id).session(s).lean())?.balance, 0);
        throw boom;
      }),
    );
    assert.equal(error, boom, "the callback's own error object must propagate");
    assert.equal(ran, 1, "a non-MongoDB error must not be retried");
    assert.equal((await Account.findById(carol._id).lean())?.balance, 50);
    assert.equal(await Account.countDocuments({ name: "dave" }), 0);
  });
});

describe("D.2 snapshot isolation", () => {
  test("T does not see commits made after it began (update, insert, delete), via _id, index and scan", async (t) => {
    const coll = await freshCollection("iso_a");
    await coll.createIndex({ v: 1 });
    await coll.insertMany([
      { _id: 1, v: 1 },
      { _id: 2, v: 2 },
      { _id: 3, v: 3 },
    ]);
    const s = session(t);
    s.startTransaction();
    // The first statement fixes the snapshot.
    assert.deepEqual(await coll.findOne({ _id: 2 }, { session: s }), { _id: 2, v: 2 });

    await coll.updateOne({ _id: 1 }, { $set: { v: 10 } });
    await coll.insertOne({ _id: 4, v: 4 });
    await coll.deleteOne({ _id: 3 });
    assert.deepEqual(await coll.find().sort({ _id: 1 }).toArray(), [
      { _id: 1, v: 10 },
      { _id: 2, v: 2 },
      { _id: 4, v: 4 },
    ]);

    // Inside T: the state as of its first statement.
    assert.deepEqual(await coll.find({}, { session: s }).sort({ _id: 1 }).toArray(), [
      { _id: 1, v: 1 },
      { _id: 2, v: 2 },
      { _id: 3, v: 3 },
    ]);
    assert.deepEqual(await coll.findOne({ _id: 1 }, { session: s }), { _id: 1, v: 1 });
    assert.deepEqual(
      await coll.findOne({ _id: 3 }, { session: s }),
      { _id: 3, v: 3 },
      "deleted after T began",
    );
    assert.equal(await coll.findOne({ _id: 4 }, { session: s }), null, "inserted after T began");
    // Through the secondary index: old key values still find the old versions, new ones find nothing.
    assert.deepEqual(await coll.find({ v: 1 }, { session: s }).toArray(), [{ _id: 1, v: 1 }]);
    assert.deepEqual(await coll.find({ v: 3 }, { session: s }).toArray(), [{ _id: 3, v: 3 }]);
    assert.deepEqual(await coll.find({ v: { $in: [10, 4] } }, { session: s }).toArray(), []);
    assert.equal(await coll.countDocuments({ v: { $gte: 1 } }, { session: s }), 3);
    assert.deepEqual((await coll.distinct("v", {}, { session: s })).sort(), [1, 2, 3]);
    await s.commitTransaction();
  });

  test("others do not see T's writes before its commit; all of them after", async (t) => {
    const coll = await freshCollection("iso_b");
    await coll.insertMany([
      { _id: 1, v: 1 },
      { _id: 2, v: 2 },
    ]);
    const s = session(t);
    s.startTransaction();
    await coll.updateOne({ _id: 1 }, { $set: { v: 100 } }, { session: s });
    await coll.insertOne({ _id: 3, v: 3 }, { session: s });
    await coll.deleteOne({ _id: 2 }, { session: s });
    assert.deepEqual(await coll.find({}, { session: s }).sort({ _id: 1 }).toArray(), [
      { _id: 1, v: 100 },
      { _id: 3, v: 3 },
    ]);
    // Another session (and no session) still reads the committed state.
    const other = session(t);
    assert.deepEqual(await coll.find({}, { session: other }).sort({ _id: 1 }).toArray(), [
      { _id: 1, v: 1 },
      { _id: 2, v: 2 },
    ]);
    other.startTransaction();
    assert.deepEqual(await coll.find({}, { session: other }).sort({ _id: 1 }).toArray(), [
      { _id: 1, v: 1 },
      { _id: 2, v: 2 },
    ]);
    assert.equal(await coll.countDocuments({ v: 100 }), 0);
    await s.commitTransaction();
    assert.deepEqual(await coll.find().sort({ _id: 1 }).toArray(), [
      { _id: 1, v: 100 },
      { _id: 3, v: 3 },
    ]);
    // `other` began before the commit: its snapshot still holds the old state.
    assert.deepEqual(await coll.find({}, { session: other }).sort({ _id: 1 }).toArray(), [
      { _id: 1, v: 1 },
      { _id: 2, v: 2 },
    ]);
    await other.commitTransaction();
  });
});

describe("D.3 write conflicts", () => {
  test("two open transactions update the same doc: the second writer gets 112 and its T is aborted", async (t) => {
    const coll = await freshCollection("conflict_a");
    await coll.insertOne({ _id: "c", n: 0 });
    const s1 = session(t);
    const s2 = session(t);
    s1.startTransaction();
    s2.startTransaction();
    await coll.updateOne({ _id: "c" }, { $inc: { n: 1 } }, { session: s1 });
    const error = await captureError(() =>
      coll.updateOne({ _id: "c" }, { $inc: { n: 100 } }, { session: s2 }),
    );
    assertServerError(error, 112, "WriteConflict", true, "second writer");
    // The conflict aborted T2 on the server: its commit finds no transaction.
    assertServerError(
      await captureError(() => s2.commitTransaction()),
      251,
      "NoSuchTransaction",
      true,
      "T2 commit",
    );
    await s1.commitTransaction();
    assert.deepEqual(await coll.findOne({ _id: "c" }), { _id: "c", n: 1 });
  });

  test("a write to a doc committed by another session after T's snapshot gets 112", async (t) => {
    const coll = await freshCollection("conflict_b");
    await coll.insertOne({ _id: "c", n: 0 });
    const s1 = session(t);
    s1.startTransaction();
    assert.deepEqual(await coll.findOne({ _id: "c" }, { session: s1 }), { _id: "c", n: 0 });
    const s2 = session(t);
    await s2.withTransaction(async () => {
      await coll.updateOne({ _id: "c" }, { $inc: { n: 5 } }, { session: s2 });
    });
    assert.deepEqual(await coll.findOne({ _id: "c" }), { _id: "c", n: 5 });
    const error = await captureError(() => coll.updateOne({ _id: "c" }, { $inc: { n: 1 } }, { session: s1 }));
    assertServerError(error, 112, "WriteConflict", true, "stale writer");
    await s1.abortTransaction();
    assert.deepEqual(await coll.findOne({ _id: "c" }), { _id: "c", n: 5 });
  });

  test("withTransaction retries after 112 and finally succeeds", async (t) => {
    const coll = await freshCollection("conflict_c");
    await coll.insertOne({ _id: "c", n: 0 });
    const holder = session(t);
    const s = session(t);
    const errors: unknown[] = [];
    let calls = 0;
    const { started } = await recordCommands(
      () =>
        s.withTransaction(async () => {
          calls++;
          if (calls === 1) {
            // Another transaction holds the document while our first attempt runs...
            holder.startTransaction();
            await coll.updateOne({ _id: "c" }, { $inc: { n: 10 } }, { session: holder });
          } else if (holder.inTransaction()) {
            // ...and commits before the retry.
            await holder.commitTransaction();
          }
          try {
            await coll.updateOne({ _id: "c" }, { $inc: { n: 1 } }, { session: s });
          } catch (error) {
            errors.push(error);
            throw error;
          }
        }),
      ["update", "commitTransaction", "abortTransaction"],
    );
    assert.equal(calls, 2, "the callback should run twice: one conflict, then success");
    assert.equal(errors.length, 1);
    assertServerError(errors[0], 112, "WriteConflict", true, "first attempt");
    assert.deepEqual(await coll.findOne({ _id: "c" }), { _id: "c", n: 11 });
    // The traffic of our session: update (conflict), abort, update, commit; two different txnNumbers.
    const hexOf = (lsid: unknown) => (lsid as { id: Binary }).id.toString("hex");
    const ours = started.filter((e) => hexOf(e.command.lsid) === hexOf(s.id));
    assert.deepEqual(
      ours.map((e) => e.commandName),
      ["update", "abortTransaction", "update", "commitTransaction"],
    );
    const txnNumbers = ours.map((e) => Number(e.command.txnNumber));
    assert.equal(txnNumbers[0], txnNumbers[1]);
    assert.equal(txnNumbers[2], txnNumbers[3]);
    assert.ok(txnNumbers[2]! > txnNumbers[0]!, `txnNumbers ${txnNumbers.join(", ")}`);
  });
});

describe("D.4 unique keys across transactions", () => {
  test("a clash between two open transactions → 112; after T1 commits, a new T3 gets 11000", async (t) => {
    const coll = await freshCollection("uniq");
    await coll.createIndex({ key: 1 }, { unique: true });
    const s1 = session(t);
    const s2 = session(t);
    s1.startTransaction();
    s2.startTransaction();
    await coll.insertOne({ _id: 1, key: "x" }, { session: s1 });
    const clash = await captureError(() => coll.insertOne({ _id: 2, key: "x" }, { session: s2 }));
    assertServerError(clash, 112, "WriteConflict", true, "second inserter of key x");
    await s1.commitTransaction();
    assert.deepEqual(await coll.find().toArray(), [{ _id: 1, key: "x" }]);

    const s3 = session(t);
    s3.startTransaction();
    const dup = await captureError(() => coll.insertOne({ _id: 3, key: "x" }, { session: s3 }));
    assertServerError(dup, 11000, "DuplicateKey", false, "T3 after T1's commit");
    assert.deepEqual(dup.keyPattern, { key: 1 });
    assert.deepEqual(dup.keyValue, { key: "x" });
    await s3.abortTransaction();
    // A different key in a new transaction is fine.
    s3.startTransaction();
    await coll.insertOne({ _id: 4, key: "y" }, { session: s3 });
    await s3.commitTransaction();
    assert.deepEqual(await coll.find().sort({ _id: 1 }).toArray(), [
      { _id: 1, key: "x" },
      { _id: 4, key: "y" },
    ]);
  });
});

describe("D.5 counting inside a transaction", () => {
  test("estimatedDocumentCount → 263; countDocuments counts T's own inserts (mongoose)", async (t) => {
    const { Entry } = M;
    await Entry.create([
      { group: "d5", n: 1 },
      { group: "d5", n: 2 },
    ]);
    const s = await conn.startSession();
    t.after(() => s.endSession());
    s.startTransaction();
    await Entry.create(
      [
        { group: "d5", n: 3 },
        { group: "d5", n: 4 },
        { group: "d5", n: 5 },
      ],
      { session: s, ordered: true },
    );
    assert.equal(await Entry.countDocuments({ group: "d5" }).session(s), 5);
    assert.equal(await Entry.countDocuments({ group: "d5", n: { $gt: 2 } }).session(s), 3);
    assert.equal(await Entry.countDocuments({ group: "d5" }), 2, "outside T");
    const error = await captureError(() => Entry.estimatedDocumentCount().session(s).exec());
    assertServerError(error, 263, "OperationNotSupportedInTransaction", false, "estimatedDocumentCount in T");
    // The refused command aborted T: its inserts are gone.
    assertServerError(
      await captureError(() => s.commitTransaction()),
      251,
      "NoSuchTransaction",
      true,
      "commit",
    );
    assert.equal(await Entry.countDocuments({ group: "d5" }), 2);
    assert.equal(await Entry.estimatedDocumentCount(), await Entry.countDocuments({}));
  });

  test("raw driver: estimatedDocumentCount in T → 263", async (t) => {
    const coll = await freshCollection("count_raw");
    await coll.insertOne({ _id: 1 });
    const s = session(t);
    s.startTransaction();
    await coll.insertOne({ _id: 2 }, { session: s });
    assert.equal(await coll.countDocuments({}, { session: s }), 2);
    const error = await captureError(() => coll.estimatedDocumentCount({ session: s }));
    assertServerError(error, 263, "OperationNotSupportedInTransaction", false, "estimatedDocumentCount");
    await s.abortTransaction();
    assert.equal(await coll.countDocuments({}), 1);
  });
});

describe("D.6 transaction lifetime (server test clock)", () => {
  test("after 61 s the next op gets 251 with TransientTransactionError", { skip: external }, async (t) => {
    const coll = await freshCollection("lifetime");
    const s = session(t);
    s.startTransaction();
    await coll.insertOne({ _id: 1 }, { session: s });
    // 59 s in: still alive.
    await db.admin().command({ embeddedAdvanceClock: 59_000 });
    assert.deepEqual(await coll.find({}, { session: s }).toArray(), [{ _id: 1 }]);
    // 61 s in: expired.
    await db.admin().command({ embeddedAdvanceClock: 2_000 });
    const error = await captureError(() => coll.find({}, { session: s }).toArray());
    assertServerError(error, 251, "NoSuchTransaction", true, "op after 61 s");
    assertServerError(
      await captureError(() => s.commitTransaction()),
      251,
      "NoSuchTransaction",
      true,
      "commit",
    );
    assert.deepEqual(await coll.find().toArray(), []);
    // A new transaction on the same session works under the shifted clock.
    s.startTransaction();
    await coll.insertOne({ _id: 2 }, { session: s });
    await s.commitTransaction();
    assert.deepEqual(await coll.find().toArray(), [{ _id: 2 }]);
  });
});

describe("D.6b an abandoned transaction stops holding its documents", () => {
  test("past 60 s the server aborts it unprompted; another writer then wins", {
    skip: external,
  }, async (t) => {
    const coll = await freshCollection("abandoned");
    await coll.insertOne({ _id: 1, v: "before" });
    const abandoned = session(t);
    abandoned.startTransaction();
    await coll.updateOne({ _id: 1 }, { $set: { v: "abandoned" } }, { session: abandoned });
    const other = session(t);
    other.startTransaction();
    assertServerError(
      await captureError(() => coll.updateOne({ _id: 1 }, { $set: { v: "other" } }, { session: other })),
      112,
      "WriteConflict",
      true,
      "while the first transaction is alive",
    );
    await other.abortTransaction().catch(() => {});
    // The first client never comes back; only time passes.
    await db.admin().command({ embeddedAdvanceClock: 61_000 });
    other.startTransaction();
    await coll.updateOne({ _id: 1 }, { $set: { v: "other" } }, { session: other });
    await other.commitTransaction();
    assert.deepEqual(await coll.find().toArray(), [{ _id: 1, v: "other" }]);
  });
});

describe("D.7 commit and abort after commit", () => {
  test("a commitTransaction retry after success → ok; abortTransaction after commit → 256", async (t) => {
    const coll = await freshCollection("commit_twice");
    const s = session(t);
    s.startTransaction();
    await coll.insertOne({ _id: 1, v: "once" }, { session: s });
    const { started, succeeded, failed } = await recordCommands(async () => {
      await s.commitTransaction();
      await s.commitTransaction();
    }, ["commitTransaction"]);
    assert.equal(started.length, 2, "the driver re-sends commitTransaction");
    assert.equal(succeeded.length, 2);
    assert.equal(failed.length, 0);
    assert.equal(started[0]?.command.txnNumber?.toString(), started[1]?.command.txnNumber?.toString());
    assert.deepEqual(await coll.find().toArray(), [{ _id: 1, v: "once" }]);

    // The driver refuses abort after commit locally, so send it by hand under the same lsid/txnNumber.
    const lsid = started[0]?.command.lsid as Document;
    assert.equal(
      (lsid.id as Binary).toString("hex"),
      (s.id as { id: Binary }).id.toString("hex"),
      "commit sent with the session's lsid",
    );
    const txnNumber = started[0]?.command.txnNumber as Long;
    assert.ok(Long.isLong(txnNumber), "txnNumber is a Long");
    const run = await rawClient(t);
    const control = (name: string) => run({ [name]: 1, lsid, txnNumber, autocommit: false, $db: "admin" });
    assertErrorReply(
      await control("abortTransaction"),
      256,
      "TransactionCommitted",
      [],
      "abort after commit",
    );
    // A third commit, by hand, is still ok (idempotent), and the abort changed nothing.
    assert.equal((await control("commitTransaction")).ok, 1);
    assert.deepEqual(await coll.find().toArray(), [{ _id: 1, v: "once" }]);
    // An older txnNumber on that session is refused.
    const older = await run({
      commitTransaction: 1,
      lsid,
      txnNumber: Long.fromNumber(txnNumber.toNumber() - 1),
      autocommit: false,
      $db: "admin",
    });
    assertErrorReply(older, 225, "TransactionTooOld", [], "commit of an older txnNumber");
  });
});

describe("D.8b a retryable write resent while its first attempt is still being applied", {
  skip: external,
}, () => {
  test("the resend waits for the first attempt and gets its reply: applied once, no duplicate key", async () => {
    // A journaled server: the first attempt then waits for its fdatasync, and the resend arrives meanwhile.
    const dataDir = mkdtempSync(join(tmpdir(), "emb-retry-"));
    const journaled = await startEmbeddedMongo({ dbPath: dataDir, port: 0 });
    const url = new URL(journaled.uri.replace(/^mongodb:/, "http:"));
    const [first, second] = [
      await RawConnection.open(Number(url.port), url.hostname),
      await RawConnection.open(Number(url.port), url.hostname),
    ];
    try {
      const lsid = { id: new UUID() };
      const documents = Array.from({ length: 3000 }, (_, i) => ({ _id: i, pad: "x".repeat(200) }));
      const insert = (raw: RawConnection, requestId: number) =>
        rawCommand(raw, requestId, { insert: "c", documents, lsid, txnNumber: Long.fromNumber(1), $db: DB });
      // As a driver does after a socket timeout: the same write on another connection, the first unanswered.
      const replies = await Promise.all([insert(first, 1), insert(second, 1)]);
      for (const reply of replies) assert.deepEqual(stripEnvelope(reply.doc), { n: 3000, ok: 1 });
      const count = await rawCommand(first, 2, { count: "c", $db: DB });
      assert.equal(count.doc.n, 3000);
    } finally {
      first.close();
      second.close();
      await journaled.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe("D.8 retryable writes", () => {
  test("the same insert resent with the same lsid and txnNumber replays the reply and inserts once", async (t) => {
    const coll = await freshCollection("retryable");
    const run = await rawClient(t);
    const lsid = { id: new UUID() };
    const insert = (txnNumber: number) =>
      run({
        insert: coll.collectionName,
        documents: [
          { _id: "r1", v: 1 },
          { _id: "r2", v: 2 },
        ],
        ordered: true,
        lsid,
        txnNumber: Long.fromNumber(txnNumber),
        $db: DB,
      });
    const first = await insert(5);
    assert.deepEqual(stripEnvelope(first), { n: 2, ok: 1 });
    const second = await insert(5);
    // Executed again, the insert would report a duplicate-key write error; the stored reply says n: 2.
    assert.deepEqual(stripEnvelope(second), stripEnvelope(first));
    assert.deepEqual(await coll.find().sort({ _id: 1 }).toArray(), [
      { _id: "r1", v: 1 },
      { _id: "r2", v: 2 },
    ]);

    assertErrorReply(await insert(4), 225, "TransactionTooOld", [], "lower txnNumber");

    // A higher txnNumber is a new write: it executes and meets the duplicates.
    const newer = await insert(6);
    assert.equal(newer.ok, 1);
    assert.equal(newer.n, 0);
    assert.deepEqual(
      (newer.writeErrors as Document[]).map((e) => [e.index, e.code]),
      [[0, 11000]],
      "ordered insert stops at the first duplicate",
    );
    // ...and 5 is now too old as well.
    assertErrorReply(await insert(5), 225, "TransactionTooOld", [], "retry of 5 after 6");
    // Another session is independent: its txnNumber 1 is a new write.
    const fresh = await run({
      insert: coll.collectionName,
      documents: [{ _id: "r3", v: 3 }],
      lsid: { id: new UUID() },
      txnNumber: Long.fromNumber(1),
      $db: DB,
    });
    assert.deepEqual(stripEnvelope(fresh), { n: 1, ok: 1 });
    assert.equal(await coll.countDocuments({}), 3);
  });
});

describe("D.9 standalone mode", { skip: external }, () => {
  test("a command with txnNumber → 20 IllegalOperation; mongoose connection.transaction rejects", async () => {
    const standalone = await startEmbeddedMongo({ inMemory: true, port: 0, mode: "standalone" });
    let sconn: Connection | undefined;
    try {
      const raw = new MongoClient(standalone.uri, { serverSelectionTimeoutMS: 5000 });
      try {
        await raw.connect();
        const sdb = raw.db("alone");
        const error = await captureError(() =>
          sdb.command({
            insert: "c",
            documents: [{ _id: 1 }],
            lsid: { id: new UUID() },
            txnNumber: Long.fromNumber(1),
          }),
        );
        assertServerError(error, 20, "IllegalOperation", false, "txnNumber on standalone");
        assert.match(error.message, /Transaction numbers are only allowed on a replica set member or mongos/);
        assert.deepEqual(await sdb.collection("c").find().toArray(), []);
      } finally {
        await raw.close(true);
      }

      sconn = mongoose.createConnection(standalone.uri, { dbName: "alone", serverSelectionTimeoutMS: 5000 });
      await sconn.asPromise();
      const Thing = sconn.model("Thing", new Schema({ name: String }));
      let ran = 0;
      const txError = await captureError(() =>
        sconn!.transaction(async (s) => {
          ran++;
          await Thing.create([{ name: "never" }], { session: s });
        }),
      );
      // The driver rewrites code 20 on a write into its "does not support retryable writes" error and
      // keeps the server's reply as originalError.
      assert.ok(txError instanceof MongoServerError, String(txError));
      assert.match(txError.message, /does not support retryable writes/);
      assertServerError(
        (txError.errorResponse as { originalError?: unknown }).originalError,
        20,
        "IllegalOperation",
        false,
        "mongoose transaction on standalone (server reply)",
      );
      assert.equal(ran, 1);
      assert.equal(await Thing.countDocuments({}), 0);
      // Plain writes still work there.
      await Thing.create({ name: "plain" });
      assert.equal(await Thing.countDocuments({}), 1);
    } finally {
      await sconn?.close(true);
      await standalone.close();
    }
  });
});

describe("DDL inside a transaction", () => {
  test("a collection created in T is invisible outside until commit", async (t) => {
    const name = "created_in_txn";
    await db
      .collection(name)
      .drop()
      .catch(() => {});
    const coll = db.collection<Doc>(name);
    const s = session(t);
    s.startTransaction();
    await coll.insertOne({ _id: 1, v: "a" }, { session: s });
    assert.deepEqual(await coll.find({}, { session: s }).toArray(), [{ _id: 1, v: "a" }]);
    const listed = async () => (await db.listCollections({ name }, { nameOnly: true }).toArray()).length;
    assert.equal(await listed(), 0, "listed before commit");
    assert.deepEqual(await coll.find().toArray(), []);
    await s.commitTransaction();
    assert.equal(await listed(), 1, "not listed after commit");
    assert.deepEqual(await coll.find().toArray(), [{ _id: 1, v: "a" }]);
  });

  test("a collection created in T is gone after abort", async (t) => {
    const name = "aborted_in_txn";
    await db
      .collection(name)
      .drop()
      .catch(() => {});
    const coll = db.collection<Doc>(name);
    const s = session(t);
    s.startTransaction();
    await coll.insertOne({ _id: 1 }, { session: s });
    await coll.insertOne({ _id: 2 }, { session: s });
    assert.equal(await coll.countDocuments({}, { session: s }), 2);
    await s.abortTransaction();
    assert.equal((await db.listCollections({ name }, { nameOnly: true }).toArray()).length, 0);
    assert.deepEqual(await coll.find().toArray(), []);
    // The name is free: a plain insert creates it now.
    await coll.insertOne({ _id: 3 });
    assert.deepEqual(await coll.find().toArray(), [{ _id: 3 }]);
  });
});

describe("documented deviation: a non-transactional write never blocks on an open transaction", () => {
  test("it aborts the transaction that wrote the doc: the write wins, T's commit → 251", {
    skip: external,
  }, async (t) => {
    const coll = await freshCollection("deviation");
    await coll.insertMany([
      { _id: "d", v: 0 },
      { _id: "e", v: 0 },
    ]);
    const s = session(t);
    s.startTransaction();
    await coll.updateOne({ _id: "d" }, { $set: { v: "txn" } }, { session: s });
    await coll.updateOne({ _id: "e" }, { $set: { v: "txn" } }, { session: s });
    // On mongod this would wait for T; here it goes ahead at once.
    const outside = await coll.updateOne({ _id: "d" }, { $set: { v: "outside" } });
    assert.equal(outside.modifiedCount, 1);
    const nextOp = await captureError(() => coll.findOne({ _id: "e" }, { session: s }));
    assertServerError(nextOp, 251, "NoSuchTransaction", true, "T's next op");
    assertServerError(
      await captureError(() => s.commitTransaction()),
      251,
      "NoSuchTransaction",
      true,
      "commit",
    );
    assert.deepEqual(sorted(await coll.find().toArray()), [
      { _id: "d", v: "outside" },
      { _id: "e", v: 0 },
    ]);
  });

  test("a document T only read does not abort T", { skip: external }, async (t) => {
    const coll = await freshCollection("deviation_read");
    await coll.insertMany([
      { _id: "r", v: 0 },
      { _id: "w", v: 0 },
    ]);
    const s = session(t);
    s.startTransaction();
    assert.deepEqual(await coll.findOne({ _id: "r" }, { session: s }), { _id: "r", v: 0 });
    await coll.updateOne({ _id: "w" }, { $set: { v: 1 } }, { session: s });
    await coll.updateOne({ _id: "r" }, { $set: { v: "outside" } });
    await s.commitTransaction();
    assert.deepEqual(sorted(await coll.find().toArray()), [
      { _id: "r", v: "outside" },
      { _id: "w", v: 1 },
    ]);
  });
});

describe("fail point failCommand on commitTransaction", () => {
  test("a retryable error on commit: the driver retries once and the commit succeeds once", async (t) => {
    const coll = await freshCollection("fp_commit");
    const admin = db.admin();
    await admin.command({
      configureFailPoint: "failCommand",
      mode: { times: 1 },
      data: { failCommands: ["commitTransaction"], errorCode: 189 },
    });
    t.after(() => admin.command({ configureFailPoint: "failCommand", mode: "off" }));
    const s = session(t);
    let calls = 0;
    const { started, succeeded, failed } = await recordCommands(
      () =>
        s.withTransaction(async () => {
          calls++;
          await coll.insertOne({ _id: 1, v: "committed" }, { session: s });
        }),
      ["commitTransaction", "abortTransaction", "insert"],
    );
    assert.equal(calls, 1, "a commit retry does not re-run the callback");
    assert.deepEqual(
      started.map((e) => e.commandName),
      ["insert", "commitTransaction", "commitTransaction"],
    );
    assert.equal(failed.length, 1);
    const firstFailure = failed[0]?.failure as MongoServerError;
    assert.equal(firstFailure.code, 189);
    assert.ok(
      firstFailure.hasErrorLabel("RetryableWriteError"),
      `labels ${JSON.stringify(firstFailure.errorLabels)}`,
    );
    assert.deepEqual(
      succeeded.map((e) => e.commandName),
      ["insert", "commitTransaction"],
    );
    // The retried commit carries majority write concern (transactions spec) and the same txnNumber.
    assert.equal((started[2]?.command.writeConcern as Document | undefined)?.w, "majority");
    assert.equal(started[1]?.command.txnNumber?.toString(), started[2]?.command.txnNumber?.toString());
    assert.deepEqual(await coll.find().toArray(), [{ _id: 1, v: "committed" }]);
  });
});
