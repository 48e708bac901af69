/**
 * Conformance §8 B: CRUD semantics through mongoose 9 and the raw driver, each checked against the
 * documented MongoDB behaviour.
 */
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import {
  Binary,
  type CommandStartedEvent,
  type CommandSucceededEvent,
  type Db,
  type Document,
  Double,
  Long,
  MongoBulkWriteError,
  type MongoClient,
  MongoServerError,
  ObjectId,
  Timestamp,
} from "mongodb";
import mongoose, { type Connection, Schema } from "mongoose";
import { captureError, dbName, useServer } from "../support.ts";

const fx = useServer();
const DB = dbName("crud");

type Id = number | string | ObjectId;
/** Raw-driver documents with arbitrary _id types. */
type Doc = { _id?: Id; [key: string]: unknown };

function makeModels(c: Connection) {
  return {
    Post: c.model(
      "Post",
      new Schema({
        title: String,
        slug: { type: String, unique: true },
        views: Number,
        when: Date,
        owner: Schema.Types.ObjectId,
      }),
    ),
    Item: c.model("Item", new Schema({ title: String, views: Number, tags: [String] })),
    Article: c.model("Article", new Schema({ slug: String, category: String, title: String, views: Number })),
    Thing: c.model("Thing", new Schema({ k: String, n: Number })),
    Counted: c.model("Counted", new Schema({ g: Number }), "b12"),
    Ex: c.model("Ex", new Schema({ name: String, big: String })),
    Author: c.model("Author", new Schema({ name: String })),
    Book: c.model(
      "Book",
      new Schema({
        title: String,
        author: { type: Schema.Types.ObjectId, ref: "Author" },
        coauthors: [{ type: Schema.Types.ObjectId, ref: "Author" }],
      }),
    ),
    Bulk: c.model("Bulk", new Schema({ name: String, views: Number })),
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
  client = await fx.client({ monitorCommands: true });
  db = client.db(DB);
  fx.onClose(() => db.dropDatabase());
});

/** Records the commands a client sends and the replies it gets while `fn` runs. */
async function recordCommands(
  fn: () => Promise<unknown>,
  names: string[],
): Promise<{ started: CommandStartedEvent[]; succeeded: CommandSucceededEvent[] }> {
  const started: CommandStartedEvent[] = [];
  const succeeded: CommandSucceededEvent[] = [];
  const onStart = (event: CommandStartedEvent) => {
    if (names.includes(event.commandName)) started.push(event);
  };
  const onSuccess = (event: CommandSucceededEvent) => {
    if (names.includes(event.commandName)) succeeded.push(event);
  };
  client.on("commandStarted", onStart);
  client.on("commandSucceeded", onSuccess);
  try {
    await fn();
  } finally {
    client.off("commandStarted", onStart);
    client.off("commandSucceeded", onSuccess);
  }
  return { started, succeeded };
}

const cursorOf = (event: CommandSucceededEvent | undefined): Document =>
  ((event?.reply as Document | undefined)?.cursor ?? {}) as Document;

const writeErrorsOf = (error: MongoBulkWriteError) => [error.writeErrors].flat();

describe("B.1–B.4 basic CRUD (mongoose)", () => {
  before(async () => {
    await M.Post.init();
  });

  test("B.1 create then findById returns the same doc, _id first, ObjectId and Date kept", async () => {
    const when = new Date("2024-03-04T05:06:07.089Z");
    const owner = new ObjectId();
    const created = await M.Post.create({ title: "hello", slug: "b1", views: 3, when, owner });
    const found = await M.Post.findById(created._id).lean();
    assert.ok(found);
    assert.equal(Object.keys(found)[0], "_id");
    assert.ok(found._id instanceof ObjectId);
    assert.equal(found._id.toHexString(), created._id.toHexString());
    assert.ok(found.when instanceof Date);
    assert.equal(found.when.getTime(), when.getTime());
    assert.ok(found.owner instanceof ObjectId);
    assert.equal(found.owner.toHexString(), owner.toHexString());
    assert.equal(found.title, "hello");

    // The raw driver: a document whose _id is not first gets it moved to the front.
    await db.collection("b1raw").insertOne({ a: 1, _id: 5 } as Document);
    const raw = await db.collection("b1raw").findOne({});
    assert.deepEqual(Object.keys(raw ?? {}), ["_id", "a"]);
  });

  test("B.2 insertMany counts; ordered and unordered duplicates", async () => {
    const inserted = await M.Post.insertMany([{ slug: "m1" }, { slug: "m2" }, { slug: "m3" }]);
    assert.equal(inserted.length, 3);
    assert.equal(await M.Post.countDocuments({ slug: { $in: ["m1", "m2", "m3"] } }), 3);

    const ordered = await captureError(() =>
      M.Post.insertMany([{ slug: "o1" }, { slug: "o1" }, { slug: "o2" }], { ordered: true }),
    );
    assert.ok(ordered instanceof MongoBulkWriteError, `got ${ordered.name}`);
    assert.equal(ordered.code, 11000);
    assert.equal(ordered.result.insertedCount, 1);
    assert.equal(writeErrorsOf(ordered)[0]?.index, 1);
    assert.equal(await M.Post.countDocuments({ slug: { $in: ["o1", "o2"] } }), 1);

    const unordered = await captureError(() =>
      M.Post.insertMany([{ slug: "u1" }, { slug: "u1" }, { slug: "u2" }], { ordered: false }),
    );
    assert.ok(unordered instanceof MongoBulkWriteError, `got ${unordered.name}`);
    assert.equal(unordered.code, 11000);
    assert.equal(unordered.result.insertedCount, 2);
    const errors = writeErrorsOf(unordered);
    assert.equal(errors.length, 1);
    assert.equal(errors[0]?.index, 1);
    assert.equal(errors[0]?.code, 11000);
    assert.equal(await M.Post.countDocuments({ slug: { $in: ["u1", "u2"] } }), 2);
  });

  test("B.3 find with filter, sort, skip, limit and select", async () => {
    await M.Post.insertMany([
      { slug: "f1", title: "a", views: 5 },
      { slug: "f2", title: "b", views: 9 },
      { slug: "f3", title: "c", views: 7 },
      { slug: "f4", title: "d", views: 1 },
      { slug: "f5", title: "e", views: -1 },
    ]);
    const docs = await M.Post.find({ slug: /^f/, views: { $gte: 0 } })
      .sort({ views: -1 })
      .skip(1)
      .limit(2)
      .select("title")
      .lean();
    assert.deepEqual(
      docs.map((d) => d.title),
      ["c", "a"],
    );
    for (const doc of docs) assert.deepEqual(Object.keys(doc).sort(), ["_id", "title"]);
  });

  test("B.4 null matches missing and null; scalar matches array elements", async () => {
    const coll = db.collection<Doc>("b4");
    await coll.insertMany([
      { _id: 1, x: null },
      { _id: 2 },
      { _id: 3, x: 0 },
      { _id: 4, x: false },
      { _id: 5, x: [null, 1] },
      { _id: 6, x: [1] },
      { _id: 7, x: "" },
    ]);
    const ids = async (filter: Document) =>
      (await coll.find(filter).sort({ _id: 1 }).toArray()).map((d) => d._id as number);
    assert.deepEqual(await ids({ x: null }), [1, 2, 5]);
    assert.deepEqual(await ids({ x: { $exists: false } }), [2]);
    // $type also matches arrays holding an element of that type.
    assert.deepEqual(await ids({ x: { $type: "null" } }), [1, 5]);

    const tags = db.collection<Doc>("b4tags");
    await tags.insertMany([
      { _id: 1, tags: ["a", "b"] },
      { _id: 2, tags: "a" },
      { _id: 3, tags: ["ab"] },
      { _id: 4, tags: [["a"]] },
      { _id: 5, tags: ["b", "a"] },
      { _id: 6 },
    ]);
    const tagIds = async (filter: Document) =>
      (await tags.find(filter).sort({ _id: 1 }).toArray()).map((d) => d._id as number);
    assert.deepEqual(await tagIds({ tags: "a" }), [1, 2, 5]);
    assert.deepEqual(await tagIds({ tags: ["a", "b"] }), [1]);
    assert.deepEqual(await tagIds({ tags: ["a"] }), [4]);
    assert.deepEqual(await tagIds({ tags: { $all: ["a", "b"] } }), [1, 5]);
  });
});

describe("B.5 sort order", () => {
  test("mixed scalar types follow the BSON comparison order", async () => {
    const coll = db.collection<Doc>("b5");
    await coll.insertMany([
      { _id: 1 },
      { _id: 2, v: null },
      { _id: 3, v: 5 },
      { _id: 4, v: new Double(1) },
      { _id: 5, v: Long.fromNumber(1) },
      { _id: 6, v: 2.5 },
      { _id: 7, v: "abc" },
      { _id: 8, v: "B" },
      { _id: 9, v: { a: 1 } },
      { _id: 10, v: new Binary(Buffer.from([1, 2, 3])) },
      { _id: 11, v: new ObjectId("65a000000000000000000000") },
      { _id: 12, v: false },
      { _id: 13, v: true },
      { _id: 14, v: new Date("2024-01-01T00:00:00Z") },
      { _id: 15, v: new Timestamp({ t: 1, i: 1 }) },
      { _id: 16, v: /re/ },
      { _id: 17, v: 1 },
    ]);
    const asc = (await coll.find().sort({ v: 1, _id: 1 }).toArray()).map((d) => d._id);
    assert.deepEqual(asc, [1, 2, 4, 5, 17, 6, 3, 8, 7, 9, 10, 11, 12, 13, 14, 15, 16]);
    const desc = (await coll.find().sort({ v: -1, _id: 1 }).toArray()).map((d) => d._id);
    assert.deepEqual(desc, [16, 15, 14, 13, 12, 11, 10, 9, 7, 8, 3, 6, 4, 5, 17, 1, 2]);
    // 1, 1.0 and NumberLong(1) compare equal in a query too.
    const ones = (await coll.find({ v: 1 }).sort({ _id: 1 }).toArray()).map((d) => d._id);
    assert.deepEqual(ones, [4, 5, 17]);
  });

  test("array fields sort by their min (ascending) or max (descending); [] before null", async () => {
    const coll = db.collection<Doc>("b5arr");
    await coll.insertMany([
      { _id: 1, v: [3, 1] },
      { _id: 2, v: 2 },
      { _id: 3, v: [] },
      { _id: 4, v: null },
      { _id: 5 },
      { _id: 6, v: [5] },
      { _id: 7, v: [0, 10] },
    ]);
    const asc = (await coll.find().sort({ v: 1, _id: 1 }).toArray()).map((d) => d._id);
    assert.deepEqual(asc, [3, 4, 5, 7, 1, 2, 6]);
    const desc = (await coll.find().sort({ v: -1, _id: 1 }).toArray()).map((d) => d._id);
    assert.deepEqual(desc, [7, 6, 1, 2, 4, 5, 3]);
  });

  test("aggregate $sort uses the same order", async () => {
    const coll = db.collection<Doc>("b5arr");
    const asc = (await coll.aggregate([{ $sort: { v: 1, _id: 1 } }]).toArray()).map((d) => d._id);
    assert.deepEqual(asc, [3, 4, 5, 7, 1, 2, 6]);
  });
});

describe("B.6–B.11 updates, upserts, deletes", () => {
  test("B.6 $set/$inc/$push $each $slice counts and result; a no-op $set is not a modification", async () => {
    const item = await M.Item.create({ title: "t", views: 1, tags: ["a", "b"] });
    const res = await M.Item.updateOne(
      { _id: item._id },
      { $set: { title: "t2" }, $inc: { views: 2 }, $push: { tags: { $each: ["c", "d"], $slice: -2 } } },
    );
    assert.equal(res.matchedCount, 1);
    assert.equal(res.modifiedCount, 1);
    const after = await M.Item.findById(item._id).lean();
    assert.deepEqual(
      { title: after?.title, views: after?.views, tags: after?.tags },
      { title: "t2", views: 3, tags: ["c", "d"] },
    );
    const again = await M.Item.updateOne({ _id: item._id }, { $set: { title: "t2" } });
    assert.equal(again.matchedCount, 1);
    assert.equal(again.modifiedCount, 0);
  });

  test("B.7 update operator errors: 14, 2, 28, 40, 66, 9; $set _id to the same value is fine", async () => {
    const coll = db.collection<Doc>("b7");
    await coll.insertOne({ _id: 1, s: "str", n: 5, a: 3, arr: [1] });
    const original = await coll.findOne({ _id: 1 });
    const cases: [Document, number][] = [
      [{ $inc: { s: 1 } }, 14],
      [{ $push: { n: 1 } }, 2],
      [{ $set: { "a.b": 1 } }, 28],
      [{ $set: { a: 1 }, $inc: { a: 1 } }, 40],
      [{ $set: { "arr.0": 1 }, $push: { arr: 2 } }, 40],
      [{ $set: { _id: 2 } }, 66],
      [{ $foo: { a: 1 } }, 9],
    ];
    for (const [update, code] of cases) {
      const error = await captureError(() => coll.updateOne({ _id: 1 }, update));
      assert.ok(error instanceof MongoServerError, `${JSON.stringify(update)}: ${error.message}`);
      assert.equal(error.code, code, `${JSON.stringify(update)}: ${error.message}`);
    }
    assert.deepEqual(await coll.findOne({ _id: 1 }), original, "failed updates leave no trace");
    const same = await coll.updateOne({ _id: 1 }, { $set: { _id: 1, n: 5 } });
    assert.equal(same.matchedCount, 1);
    assert.equal(same.modifiedCount, 0);
    // Replacement with a different _id → 66; with the same _id → ok.
    const replaceError = await captureError(() => coll.replaceOne({ _id: 1 }, { _id: 9, x: 1 }));
    assert.equal((replaceError as MongoServerError).code, 66);
    const replaced = await coll.replaceOne({ _id: 1 }, { _id: 1, x: 1 });
    assert.equal(replaced.modifiedCount, 1);
    assert.deepEqual(await coll.findOne({ _id: 1 }), { _id: 1, x: 1 });
  });

  test("B.8 findOneAndUpdate upsert with $setOnInsert, then update of the existing doc", async () => {
    const first = await M.Article.findOneAndUpdate(
      { slug: "u", category: "c" },
      { $set: { title: "T1" }, $setOnInsert: { views: 7 } },
      { upsert: true, new: true, includeResultMetadata: true },
    );
    assert.equal(first.lastErrorObject?.updatedExisting, false);
    assert.ok(first.lastErrorObject?.upserted, "upserted id reported");
    assert.equal(first.value?.slug, "u");
    assert.equal(first.value?.category, "c");
    assert.equal(first.value?.title, "T1");
    assert.equal(first.value?.views, 7);
    const second = await M.Article.findOneAndUpdate(
      { slug: "u", category: "c" },
      { $set: { title: "T2" }, $setOnInsert: { views: 99 } },
      { upsert: true, new: true, includeResultMetadata: true },
    );
    assert.equal(second.lastErrorObject?.updatedExisting, true);
    assert.equal((second.lastErrorObject as Document | undefined)?.n, 1);
    assert.equal(second.value?.views, 7, "$setOnInsert does not apply to an update");
    assert.equal(second.value?.title, "T2");
    assert.equal(String(second.value?._id), String(first.value?._id));
    assert.equal(await M.Article.countDocuments({ slug: "u" }), 1);
  });

  test("B.9 upsert seeds from the query's equality conditions", async () => {
    const coll = db.collection<Doc>("b9");
    const res = await coll.updateOne({ "a.b": 1, n: { $gt: 5 } }, { $set: { c: 1 } }, { upsert: true });
    assert.equal(res.matchedCount, 0);
    assert.equal(res.modifiedCount, 0);
    assert.equal(res.upsertedCount, 1);
    assert.ok(res.upsertedId instanceof ObjectId);
    const doc = await coll.findOne({ _id: res.upsertedId });
    assert.deepEqual(doc, { _id: res.upsertedId, a: { b: 1 }, c: 1 });

    const rep = await coll.replaceOne({ _id: 42 }, { x: 1 }, { upsert: true });
    assert.equal(rep.upsertedCount, 1);
    assert.equal(rep.upsertedId, 42);
    assert.deepEqual(await coll.findOne({ _id: 42 }), { _id: 42, x: 1 });

    const eqAnd = await coll.updateOne(
      { $and: [{ k: { $eq: "v" } }, { m: 2 }] },
      { $set: { z: true } },
      { upsert: true },
    );
    const seeded = await coll.findOne({ _id: eqAnd.upsertedId ?? undefined });
    assert.deepEqual(seeded, { _id: eqAnd.upsertedId, k: "v", m: 2, z: true });
  });

  test("B.10 positional $ changes the first match; arrayFilters change every match", async () => {
    const coll = db.collection<Doc>("b10");
    await coll.insertOne({
      _id: 1,
      items: [
        { sku: "x", qty: 1 },
        { sku: "y", qty: 2 },
        { sku: "x", qty: 3 },
      ],
    });
    const pos = await coll.updateOne({ "items.sku": "x" }, { $set: { "items.$.qty": 5 } });
    assert.equal(pos.modifiedCount, 1);
    assert.deepEqual((await coll.findOne({ _id: 1 }))?.items, [
      { sku: "x", qty: 5 },
      { sku: "y", qty: 2 },
      { sku: "x", qty: 3 },
    ]);
    await coll.insertOne({
      _id: 2,
      items: [
        { sku: "a", qty: 1 },
        { sku: "b", qty: 2 },
        { sku: "c", qty: 3 },
      ],
    });
    const filtered = await coll.updateOne(
      { _id: 2 },
      { $set: { "items.$[e].big": true } },
      { arrayFilters: [{ "e.qty": { $gt: 1 } }] },
    );
    assert.equal(filtered.modifiedCount, 1);
    assert.deepEqual((await coll.findOne({ _id: 2 }))?.items, [
      { sku: "a", qty: 1 },
      { sku: "b", qty: 2, big: true },
      { sku: "c", qty: 3, big: true },
    ]);
    await coll.updateOne({ _id: 2 }, { $inc: { "items.$[].qty": 10 } as Document });
    assert.deepEqual(
      (((await coll.findOne({ _id: 2 }))?.items ?? []) as Document[]).map((i) => i.qty),
      [11, 12, 13],
    );
    // An arrayFilters identifier that the update does not use → 9 FailedToParse.
    const unused = await captureError(() =>
      coll.updateOne({ _id: 2 }, { $set: { x: 1 } }, { arrayFilters: [{ "q.qty": 1 }] }),
    );
    assert.equal((unused as MongoServerError).code, 9);
  });

  test("B.11 deleteOne/deleteMany counts, findOneAndDelete, findOneAndReplace after", async () => {
    await M.Thing.insertMany([
      { k: "a", n: 1 },
      { k: "a", n: 2 },
      { k: "b", n: 3 },
      { k: "b", n: 4 },
      { k: "c", n: 5 },
    ]);
    const one = await M.Thing.deleteOne({ k: "a" });
    assert.equal(one.deletedCount, 1);
    assert.deepEqual(
      (await M.Thing.find({ k: "a" }).lean()).map((d) => d.n),
      [2],
      "deleteOne removes the first match in natural order",
    );
    const many = await M.Thing.deleteMany({ k: { $in: ["a", "b"] } });
    assert.equal(many.deletedCount, 3);
    const none = await M.Thing.deleteMany({ k: "zzz" });
    assert.equal(none.deletedCount, 0);
    const removed = await M.Thing.findOneAndDelete({ k: "c" }).lean();
    assert.equal(removed?.n, 5);
    assert.equal(await M.Thing.countDocuments({}), 0);
    const t = await M.Thing.create({ k: "r", n: 1 });
    const replaced = await M.Thing.findOneAndReplace(
      { _id: t._id },
      { k: "r2", n: 2 },
      { returnDocument: "after" },
    ).lean();
    assert.equal(replaced?.k, "r2");
    assert.equal(replaced?.n, 2);
    assert.equal(String(replaced?._id), String(t._id));
    const before = await M.Thing.findOneAndReplace(
      { _id: t._id },
      { k: "r3", n: 3 },
      { returnDocument: "before" },
    ).lean();
    assert.equal(before?.k, "r2");
    const missing = await M.Thing.findOneAndDelete({ k: "nothing" }).lean();
    assert.equal(missing, null);
  });
});

describe("more update operators, queries and projections (documented results)", () => {
  test("$unset, $rename, $addToSet, $pull, $pop, $min, $max, $mul, $currentDate", async () => {
    const coll = db.collection<Doc>("ops");
    await coll.insertOne({
      _id: 1,
      a: 1,
      b: 2,
      old: "x",
      set: [1, 2],
      arr: [1, 2, 3, 2],
      q: [1, 2, 3],
      lo: 5,
      hi: 5,
      m: 3,
    });
    const res = await coll.updateOne({ _id: 1 }, {
      $unset: { a: "" },
      $rename: { old: "renamed" },
      $addToSet: { set: { $each: [2, 3] } },
      $pull: { arr: 2 },
      $pop: { q: -1 },
      $min: { lo: 1 },
      $max: { hi: 9 },
      $mul: { m: 4 },
      $currentDate: { touched: true, ts: { $type: "timestamp" } },
    } as Document);
    assert.equal(res.modifiedCount, 1);
    const doc = await coll.findOne({ _id: 1 });
    assert.ok(doc);
    const { touched, ts, ...rest } = doc;
    assert.deepEqual(rest, {
      _id: 1,
      b: 2,
      renamed: "x",
      set: [1, 2, 3],
      arr: [1, 3],
      q: [2, 3],
      lo: 1,
      hi: 9,
      m: 12,
    });
    assert.ok(touched instanceof Date, "$currentDate: true sets a Date");
    assert.ok(Math.abs((touched as Date).getTime() - Date.now()) < 60_000);
    assert.ok(ts instanceof Timestamp, "$currentDate {$type: timestamp} sets a Timestamp");
    // $min/$max that do not change the value are no-ops.
    const noop = await coll.updateOne({ _id: 1 }, { $min: { lo: 3 }, $max: { hi: 2 } });
    assert.equal(noop.modifiedCount, 0);
    // $inc on a missing field creates it; $push to a missing field creates an array.
    await coll.updateOne({ _id: 1 }, { $inc: { fresh: 2 }, $push: { list: "x" } } as Document);
    const after = await coll.findOne({ _id: 1 });
    assert.equal(after?.fresh, 2);
    assert.deepEqual(after?.list, ["x"]);
  });

  test("pipeline-style update", async () => {
    const coll = db.collection<Doc>("pipeupd");
    await coll.insertOne({ _id: 1, a: 2, b: 3 });
    await coll.updateOne({ _id: 1 }, [{ $set: { sum: { $add: ["$a", "$b"] } } }, { $unset: "b" }]);
    assert.deepEqual(await coll.findOne({ _id: 1 }), { _id: 1, a: 2, sum: 5 });
  });

  test("query operators: $elemMatch, $size, $all, $regex, $not, $nor, array index paths", async () => {
    const coll = db.collection<Doc>("qops");
    await coll.insertMany([
      {
        _id: 1,
        name: "Alpha",
        arr: [1, 5],
        sub: [
          { k: "a", v: 1 },
          { k: "b", v: 2 },
        ],
      },
      { _id: 2, name: "beta", arr: [2], sub: [{ k: "a", v: 2 }] },
      { _id: 3, name: "Gamma", arr: [], sub: [] },
      { _id: 4, name: "alphabet", arr: [5, 1, 9] },
    ]);
    const ids = async (filter: Document) =>
      (await coll.find(filter).sort({ _id: 1 }).toArray()).map((d) => d._id);
    assert.deepEqual(await ids({ sub: { $elemMatch: { k: "a", v: 2 } } }), [2]);
    assert.deepEqual(
      await ids({ "sub.k": "a", "sub.v": 2 }),
      [1, 2],
      "without $elemMatch conditions may hit different elements",
    );
    assert.deepEqual(await ids({ arr: { $size: 0 } }), [3]);
    assert.deepEqual(await ids({ arr: { $all: [1, 5] } }), [1, 4]);
    assert.deepEqual(await ids({ name: { $regex: "^alpha", $options: "i" } }), [1, 4]);
    assert.deepEqual(await ids({ name: /^alpha/ }), [4]);
    assert.deepEqual(await ids({ name: { $not: /^a/i } }), [2, 3]);
    assert.deepEqual(await ids({ $nor: [{ arr: 1 }, { arr: 2 }] }), [3]);
    assert.deepEqual(await ids({ "arr.0": 5 }), [4]);
    assert.deepEqual(await ids({ "sub.1.k": "b" }), [1]);
    assert.deepEqual(await ids({ arr: { $gt: 4, $lt: 6 } }), [1, 4]);
    assert.deepEqual(await ids({ arr: { $elemMatch: { $gt: 4, $lt: 6 } } }), [1, 4]);
    assert.deepEqual(
      await ids({ arr: { $gt: 6, $lt: 8 } }),
      [4],
      "different elements may satisfy each bound",
    );
    assert.deepEqual(await ids({ arr: { $elemMatch: { $gt: 6, $lt: 8 } } }), []);
  });

  test("projections: inclusion, exclusion, dotted, $slice, $elemMatch, positional", async () => {
    const coll = db.collection<Doc>("proj");
    await coll.insertOne({
      _id: 1,
      a: 1,
      b: { c: 2, d: 3 },
      list: [1, 2, 3, 4],
      items: [{ k: 1 }, { k: 2 }, { k: 3 }],
    });
    const one = (projection: Document, filter: Document = { _id: 1 }) => coll.findOne(filter, { projection });
    assert.deepEqual(await one({ a: 1 }), { _id: 1, a: 1 });
    assert.deepEqual(await one({ a: 1, _id: 0 }), { a: 1 });
    assert.deepEqual(await one({ "b.c": 1 }), { _id: 1, b: { c: 2 } });
    assert.deepEqual(await one({ b: 0, list: 0, items: 0 }), { _id: 1, a: 1 });
    assert.deepEqual(await one({ list: { $slice: 2 }, a: 1 }), { _id: 1, a: 1, list: [1, 2] });
    assert.deepEqual(await one({ list: { $slice: -1 }, _id: 0, a: 1 }), { a: 1, list: [4] });
    assert.deepEqual(await one({ items: { $elemMatch: { k: { $gt: 1 } } } }), { _id: 1, items: [{ k: 2 }] });
    assert.deepEqual(await one({ "items.$": 1 }, { "items.k": 3 }), { _id: 1, items: [{ k: 3 }] });
    const mixed = await captureError(() => one({ a: 1, b: 0 }));
    assert.equal((mixed as MongoServerError).code, 31254);
  });

  test("insert validation: an array _id → 2", async () => {
    const coll = db.collection<Doc>("insval");
    const arrayId = await captureError(() => coll.insertOne({ _id: [1, 2] as never }));
    assert.ok(arrayId instanceof MongoServerError, arrayId.message);
    assert.equal(arrayId.code, 2);
    assert.equal(await coll.countDocuments(), 0);
  });

  test("findAndModify: sort picks the target, fields projects, new:false returns the pre-image", async () => {
    const coll = db.collection<Doc>("fam");
    await coll.insertMany([
      { _id: 1, g: "x", n: 3 },
      { _id: 2, g: "x", n: 9 },
      { _id: 3, g: "x", n: 5 },
    ]);
    const reply = await db.command({
      findAndModify: "fam",
      query: { g: "x" },
      sort: { n: -1 },
      update: { $inc: { n: 1 } },
      fields: { n: 1, _id: 0 },
    });
    assert.deepEqual(reply.value, { n: 9 });
    assert.equal(reply.lastErrorObject.n, 1);
    assert.equal(reply.lastErrorObject.updatedExisting, true);
    const post = await coll.findOneAndUpdate(
      { g: "x" },
      { $set: { t: 1 } },
      { sort: { n: 1 }, returnDocument: "after" },
    );
    assert.deepEqual(post, { _id: 1, g: "x", n: 3, t: 1 });
    const removed = await db.command({ findAndModify: "fam", query: { _id: 3 }, remove: true });
    assert.deepEqual(removed.value, { _id: 3, g: "x", n: 5 });
    assert.equal(removed.lastErrorObject.n, 1);
    const nothing = await db.command({
      findAndModify: "fam",
      query: { _id: 99 },
      update: { $set: { a: 1 } },
    });
    assert.equal(nothing.value, null);
    assert.equal(nothing.lastErrorObject.n, 0);
    assert.equal(nothing.lastErrorObject.updatedExisting, false);
  });
});

describe("B.12–B.14 counts, exists, populate", () => {
  test("B.12 countDocuments with skip/limit, estimatedDocumentCount, distinct flattening", async () => {
    const coll = db.collection<Doc>("b12");
    await coll.insertMany([
      { _id: 1, g: 1, tags: ["a", "b"] },
      { _id: 2, g: 1, tags: "a" },
      { _id: 3, g: 1, tags: [1] },
      { _id: 4, g: 2, tags: new Double(1) },
      { _id: 5, g: 2, tags: Long.fromNumber(1) },
      { _id: 6, g: 2, tags: [] },
      { _id: 7, g: 2 },
    ]);
    assert.equal(await coll.countDocuments({ g: 1 }), 3);
    assert.equal(await coll.countDocuments({}, { skip: 2 }), 5);
    assert.equal(await coll.countDocuments({}, { skip: 2, limit: 3 }), 3);
    assert.equal(await coll.countDocuments({ g: 2 }, { skip: 3, limit: 10 }), 1);
    assert.equal(await coll.estimatedDocumentCount(), 7);
    const values = await coll.distinct("tags");
    assert.equal(values.length, 3, `distinct dedupes 1, 1.0 and NumberLong(1): ${JSON.stringify(values)}`);
    const strings = values.filter((v) => typeof v === "string").sort();
    assert.deepEqual(strings, ["a", "b"]);
    assert.equal(values.filter((v) => Number(v) === 1).length, 1);
    assert.deepEqual((await coll.distinct("tags", { g: 1 })).filter((v) => typeof v === "string").sort(), [
      "a",
      "b",
    ]);

    assert.equal(await M.Counted.countDocuments({ g: 2 }), 4);
    assert.equal(await M.Counted.estimatedDocumentCount(), 7);
  });

  test("B.13 exists() returns only _id", async () => {
    const doc = await M.Ex.create({ name: "e", big: "x".repeat(100) });
    const found = await M.Ex.exists({ name: "e" });
    assert.ok(found);
    assert.deepEqual(Object.keys(found), ["_id"]);
    assert.equal(String(found._id), String(doc._id));
    assert.equal(await M.Ex.exists({ name: "nope" }), null);
  });

  test("B.14 populate: single ref, array refs, match", async () => {
    const [ann, bob, ben] = await M.Author.insertMany([{ name: "Ann" }, { name: "Bob" }, { name: "Ben" }]);
    assert.ok(ann && bob && ben);
    const book = await M.Book.create({ title: "B", author: ann._id, coauthors: [bob._id, ann._id, ben._id] });
    const single = await M.Book.findById(book._id).populate<{ author: { name: string } }>("author").lean();
    assert.equal(single?.author.name, "Ann");
    const arr = await M.Book.findById(book._id)
      .populate<{ coauthors: { name: string }[] }>("coauthors")
      .lean();
    assert.deepEqual(
      arr?.coauthors.map((a) => a.name),
      ["Bob", "Ann", "Ben"],
    );
    const matched = await M.Book.findById(book._id)
      .populate<{ coauthors: { name: string }[] }>({ path: "coauthors", match: { name: /^B/ } })
      .lean();
    assert.deepEqual(
      matched?.coauthors.map((a) => a.name),
      ["Bob", "Ben"],
    );
  });
});

describe("B.15 cursors", () => {
  before(async () => {
    await db.collection("b15").insertMany(Array.from({ length: 300 }, (_, i) => ({ _id: i as never, i })));
  });

  test("250 docs: find returns 101, then one getMore returns 149 with id 0", async () => {
    let docs: Document[] = [];
    const seen = await recordCommands(async () => {
      docs = await db
        .collection("b15")
        .find({ i: { $lt: 250 } })
        .sort({ _id: 1 })
        .toArray();
    }, ["find", "getMore"]);
    assert.deepEqual(
      docs.map((d) => d.i),
      Array.from({ length: 250 }, (_, i) => i),
    );
    assert.deepEqual(
      seen.started.map((e) => e.commandName),
      ["find", "getMore"],
    );
    assert.equal(seen.started[1]?.command.batchSize, undefined, "the driver sends no batchSize");
    const [find, getMore] = seen.succeeded;
    assert.equal(cursorOf(find).firstBatch.length, 101);
    assert.ok(Long.fromValue(cursorOf(find).id).toString() !== "0", "the first batch leaves the cursor open");
    assert.equal(cursorOf(find).ns, `${DB}.b15`);
    assert.equal(cursorOf(getMore).nextBatch.length, 149);
    assert.equal(Long.fromValue(cursorOf(getMore).id).toString(), "0");
  });

  test("limit 150: 101 then 49", async () => {
    let docs: Document[] = [];
    const seen = await recordCommands(async () => {
      docs = await db.collection("b15").find().sort({ _id: 1 }).limit(150).toArray();
    }, ["find", "getMore"]);
    assert.equal(docs.length, 150);
    assert.deepEqual(
      seen.succeeded.map((e) => (cursorOf(e).firstBatch ?? cursorOf(e).nextBatch).length),
      [101, 49],
    );
    assert.equal(Long.fromValue(cursorOf(seen.succeeded[1]).id).toString(), "0");
  });

  test("batchSize 50 over 300 docs: find plus 5 getMores of 50", async () => {
    let count = 0;
    const seen = await recordCommands(async () => {
      for await (const _ of db.collection("b15").find().batchSize(50)) count++;
    }, ["find", "getMore"]);
    assert.equal(count, 300);
    assert.equal(seen.started[0]?.command.batchSize, 50);
    const getMores = seen.started.filter((e) => e.commandName === "getMore");
    for (const g of getMores) assert.equal(g.command.batchSize, 50);
    // A server that notices exhaustion closes the cursor with the 5th getMore (measured); one that
    // does not needs a 6th, empty one. Either way every non-empty batch holds exactly 50.
    assert.ok(getMores.length === 5 || getMores.length === 6, `${getMores.length} getMores`);
    const sizes = seen.succeeded.map((e) => (cursorOf(e).firstBatch ?? cursorOf(e).nextBatch).length);
    assert.deepEqual(sizes.slice(0, 6), [50, 50, 50, 50, 50, 50]);
  });

  test("aggregate cursor with batchSize 100 pages the same way", async () => {
    let count = 0;
    const seen = await recordCommands(async () => {
      const cursor = db.collection("b15").aggregate([{ $match: { i: { $gte: 50 } } }], { batchSize: 100 });
      for await (const _ of cursor) count++;
    }, ["aggregate", "getMore"]);
    assert.equal(count, 250);
    const sizes = seen.succeeded.map((e) => (cursorOf(e).firstBatch ?? cursorOf(e).nextBatch).length);
    assert.deepEqual(sizes.slice(0, 3), [100, 100, 50]);
  });

  test("closing early sends killCursors; a later getMore on that id → 43", async () => {
    const cursor = db.collection("b15").find().batchSize(10);
    let id: Long | undefined;
    const seen = await recordCommands(async () => {
      await cursor.next();
      id = cursor.id;
      await cursor.close();
    }, ["find", "killCursors"]);
    assert.ok(id && !id.isZero(), "the cursor was open");
    const kill = seen.started.find((e) => e.commandName === "killCursors");
    assert.ok(kill, "killCursors was sent");
    assert.equal(kill.command.killCursors, "b15");
    const killReply = seen.succeeded.find((e) => e.commandName === "killCursors");
    assert.deepEqual(
      (((killReply?.reply ?? {}) as Document).cursorsKilled as Long[]).map((l) =>
        Long.fromValue(l).toString(),
      ),
      [id.toString()],
    );
    const error = await captureError(() => db.command({ getMore: id, collection: "b15" }));
    assert.ok(error instanceof MongoServerError);
    assert.equal(error.code, 43);
    assert.equal(error.codeName, "CursorNotFound");
  });

  test("findOne uses singleBatch and leaves no open cursor", async () => {
    const seen = await recordCommands(() => db.collection("b15").findOne({ i: 7 }), ["find"]);
    assert.equal(seen.started[0]?.command.singleBatch, true);
    assert.equal(Long.fromValue(cursorOf(seen.succeeded[0]).id).toString(), "0");
  });

  test("getMore naming another collection fails and the cursor keeps working", async () => {
    const reply = await db.command({ find: "b15", filter: {}, sort: { _id: 1 }, batchSize: 5 });
    const id = reply.cursor.id;
    const error = await captureError(() => db.command({ getMore: id, collection: "other" }));
    assert.ok(error instanceof MongoServerError);
    assert.notEqual(error.code, 43, "the cursor exists; only its namespace differs");
    const next = await db.command({ getMore: id, collection: "b15", batchSize: 5 });
    assert.deepEqual(
      next.cursor.nextBatch.map((d: Document) => d.i),
      [5, 6, 7, 8, 9],
    );
    await db.command({ killCursors: "b15", cursors: [id] });
  });
});

describe("B.16 bulkWrite", () => {
  test("Model.bulkWrite mix gives the right counts and upsertedIds keyed by op index", async () => {
    await M.Bulk.insertMany([
      { name: "A", views: 1 },
      { name: "B", views: 2 },
      { name: "C", views: 3 },
    ]);
    const res = await M.Bulk.bulkWrite([
      { insertOne: { document: { name: "D", views: 4 } } },
      { updateOne: { filter: { name: "A" }, update: { $set: { views: 10 } } } },
      { updateMany: { filter: { views: { $gte: 2, $lt: 5 } }, update: { $inc: { views: 1 } } } },
      { deleteOne: { filter: { name: "C" } } },
      { replaceOne: { filter: { name: "E" }, replacement: { name: "E", views: 0 }, upsert: true } },
    ]);
    assert.equal(res.insertedCount, 1);
    assert.equal(res.matchedCount, 4);
    assert.equal(res.modifiedCount, 4);
    assert.equal(res.deletedCount, 1);
    assert.equal(res.upsertedCount, 1);
    assert.deepEqual(Object.keys(res.upsertedIds), ["4"]);
    const final = await M.Bulk.find().sort({ name: 1 }).lean();
    assert.deepEqual(
      final.map((d) => [d.name, d.views]),
      [
        ["A", 10],
        ["B", 3],
        ["D", 5],
        ["E", 0],
      ],
    );
    assert.equal(String(final[3]?._id), String(res.upsertedIds[4]));
  });

  test("raw update command reports upserted [{index,_id}] and n including upserts", async () => {
    const reply = await db.command({
      update: "b16raw",
      updates: [
        { q: { _id: 1 }, u: { $set: { a: 1 } }, upsert: true },
        { q: { _id: 1 }, u: { $set: { a: 2 } } },
        { q: { _id: 2 }, u: { b: 1 }, upsert: true },
      ],
    });
    assert.equal(reply.ok, 1);
    assert.equal(reply.n, 3);
    assert.equal(reply.nModified, 1);
    assert.deepEqual(reply.upserted, [
      { index: 0, _id: 1 },
      { index: 2, _id: 2 },
    ]);
  });
});

describe("B.17 aggregation", () => {
  before(async () => {
    await db.collection<Doc>("sales").insertMany([
      { _id: 1, item: "a", price: 10, qty: 2, date: new Date("2024-01-01T20:00:00Z"), tags: ["x", "y"] },
      { _id: 2, item: "b", price: 20, qty: 1, date: new Date("2024-01-02T02:00:00Z"), tags: ["x"] },
      { _id: 3, item: "a", price: 5, qty: 10, date: new Date("2024-01-03T12:30:00Z"), tags: [] },
    ]);
    await db.collection<Doc>("items").insertMany([
      { _id: "a", name: "Apple" },
      { _id: "b", name: "Banana" },
    ]);
  });
  const run = (pipeline: Document[]) => db.collection("sales").aggregate(pipeline).toArray();

  test("$match + $group + $sort", async () => {
    assert.deepEqual(
      await run([
        { $match: { price: { $gt: 0 } } },
        { $group: { _id: "$item", total: { $sum: { $multiply: ["$price", "$qty"] } }, n: { $sum: 1 } } },
        { $sort: { total: -1 } },
      ]),
      [
        { _id: "a", total: 70, n: 2 },
        { _id: "b", total: 20, n: 1 },
      ],
    );
  });

  test("$facet with $count and $group", async () => {
    assert.deepEqual(
      await run([
        {
          $facet: {
            count: [{ $count: "n" }],
            byItem: [{ $group: { _id: "$item" } }, { $sort: { _id: 1 } }],
          },
        },
      ]),
      [{ count: [{ n: 3 }], byItem: [{ _id: "a" }, { _id: "b" }] }],
    );
  });

  test("$lookup + $project", async () => {
    assert.deepEqual(
      await run([
        { $lookup: { from: "items", localField: "item", foreignField: "_id", as: "info" } },
        { $project: { _id: 1, name: { $arrayElemAt: ["$info.name", 0] } } },
        { $sort: { _id: 1 } },
      ]),
      [
        { _id: 1, name: "Apple" },
        { _id: 2, name: "Banana" },
        { _id: 3, name: "Apple" },
      ],
    );
  });

  test("$unwind, with and without preserveNullAndEmptyArrays", async () => {
    assert.deepEqual(await run([{ $unwind: "$tags" }, { $project: { tags: 1 } }]), [
      { _id: 1, tags: "x" },
      { _id: 1, tags: "y" },
      { _id: 2, tags: "x" },
    ]);
    assert.deepEqual(
      await run([
        { $unwind: { path: "$tags", preserveNullAndEmptyArrays: true } },
        { $project: { tags: 1 } },
      ]),
      [{ _id: 1, tags: "x" }, { _id: 1, tags: "y" }, { _id: 2, tags: "x" }, { _id: 3 }],
    );
  });

  test("$count and $bucket", async () => {
    assert.deepEqual(await run([{ $match: { item: "a" } }, { $count: "n" }]), [{ n: 2 }]);
    const buckets = await run([
      {
        $bucket: {
          groupBy: "$price",
          boundaries: [0, 10, 30],
          default: "other",
          output: { count: { $sum: 1 } },
        },
      },
    ]);
    // Lower bounds are inclusive, upper bounds exclusive: price 10 falls in [10, 30).
    assert.deepEqual(buckets, [
      { _id: 0, count: 1 },
      { _id: 10, count: 2 },
    ]);
    for (const bucket of buckets) assert.equal(Object.keys(bucket)[0], "_id", "_id comes first");
    assert.deepEqual(
      await run([
        {
          $bucket: {
            groupBy: "$price",
            boundaries: [0, 10, 30],
            default: "other",
            output: { count: { $sum: 1 }, items: { $push: "$item" } },
          },
        },
      ]),
      [
        { _id: 0, count: 1, items: ["a"] },
        { _id: 10, count: 2, items: ["a", "b"] },
      ],
    );
  });

  test("$dateToString with a timezone", async () => {
    assert.deepEqual(
      await run([
        { $match: { _id: 1 } },
        {
          $project: {
            utc: { $dateToString: { date: "$date", format: "%Y-%m-%d %H:%M" } },
            cn: { $dateToString: { date: "$date", format: "%Y-%m-%d %H:%M", timezone: "Asia/Shanghai" } },
            ist: { $dateToString: { date: "$date", format: "%H:%M", timezone: "+05:30" } },
          },
        },
      ]),
      [{ _id: 1, utc: "2024-01-01 20:00", cn: "2024-01-02 04:00", ist: "01:30" }],
    );
  });

  test("unknown stage → 40324; unknown expression operator → 168", async () => {
    const stage = await captureError(() => run([{ $nosuch: {} }]));
    assert.equal((stage as MongoServerError).code, 40324);
    const op = await captureError(() => run([{ $addFields: { x: { $nosuch: 1 } } }]));
    assert.equal((op as MongoServerError).code, 168);
  });
});

describe("B.18 collation", () => {
  test("strength 2 matches case-insensitively", async () => {
    const coll = db.collection<Doc>("b18");
    await coll.insertMany([
      { _id: 1, name: "abc" },
      { _id: 2, name: "ABC" },
      { _id: 3, name: "Abc" },
      { _id: 4, name: "abd" },
    ]);
    const ids = async (collation?: Document) =>
      (
        await coll
          .find({ name: "abc" }, collation ? { collation: collation as never } : {})
          .sort({ _id: 1 })
          .toArray()
      ).map((d) => d._id);
    assert.deepEqual(await ids(), [1]);
    assert.deepEqual(await ids({ locale: "en", strength: 2 }), [1, 2, 3]);
    assert.equal(await coll.countDocuments({ name: "ABC" }, { collation: { locale: "en", strength: 2 } }), 3);
  });

  test("a unique index with strength 2 rejects a case variant", async () => {
    const coll = db.collection<Doc>("b18u");
    await coll.createIndex({ name: 1 }, { unique: true, collation: { locale: "en", strength: 2 } });
    await coll.insertOne({ name: "abc" });
    const error = await captureError(() => coll.insertOne({ name: "Abc" }));
    assert.equal((error as MongoServerError).code, 11000);
    await coll.insertOne({ name: "abd" });
    assert.equal(await coll.countDocuments(), 2);
  });
});
