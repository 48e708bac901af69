import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BSONRegExp, Decimal128, Long, ObjectId } from "bson";
import { compileFilter } from "../../../server/embedded-mongo/src/query/filter.ts";
import { assertCode } from "./helpers.ts";

const match = (
  filter: Record<string, unknown>,
  doc: Record<string, unknown>,
  collation?: { locale: string; strength?: number },
) => compileFilter(filter, collation ? { collation } : undefined).test(doc);

describe("compileFilter", () => {
  it("matches null against missing and arrays by element", () => {
    assert.equal(match({ x: null }, { a: 1 }), true);
    assert.equal(match({ x: null }, { x: 0 }), false);
    assert.equal(match({ tags: "a" }, { tags: ["b", "a"] }), true);
    assert.equal(match({ "a.b": null }, { a: [{ b: 1 }, { c: 2 }] }), true);
    assert.equal(match({ "items.sku": "x" }, { items: [{ sku: "y" }, { sku: "x" }] }), true);
  });

  it("strips $comment and evaluates BSON regexes", () => {
    assert.equal(match({ $comment: "hi", a: new BSONRegExp("^ab", "i") }, { a: "ABc" }), true);
    assert.equal(match({ a: { $in: [new BSONRegExp("^z"), 5] } }, { a: "zz" }), true);
    assert.equal(match({ a: { $regex: "^a", $options: "i" } }, { a: "Apple" }), true);
    assert.equal(match({ a: { $not: new BSONRegExp("^a") } }, { a: "bcd" }), true);
    assertCode(() => compileFilter({ a: new BSONRegExp("a b", "x") }), 2);
  });

  it("refuses $where, $text, geo and unknown operators", () => {
    assertCode(() => compileFilter({ $where: "this.a > 1" }), 2);
    assertCode(() => compileFilter({ $text: { $search: "x" } }), 238);
    assertCode(() => compileFilter({ loc: { $near: [0, 0] } }), 238);
    assertCode(() => compileFilter({ loc: { $geoWithin: {} } }), 238);
    assertCode(() => compileFilter({ $foo: 1 }), 2, "unknown top level operator: $foo");
    assertCode(() => compileFilter({ a: { $foo: 1 } }), 2, "unknown operator: $foo");
    assertCode(() => compileFilter({ $or: [] }), 2);
  });

  it("treats Long and Decimal128 numerically", () => {
    assert.equal(match({ v: { $gt: 5 } }, { v: Long.fromString("9007199254740993") }), true);
    assert.equal(match({ v: 1 }, { v: Decimal128.fromString("1.0") }), true);
    assert.equal(match({ v: Long.fromNumber(3) }, { v: 3 }), true);
    assert.equal(match({ v: { $in: [1, 2] } }, { v: Long.fromNumber(2) }), true);
    assert.equal(match({ v: { $gt: 5 } }, { v: "9" }), false);
  });

  it("has a BSON-aware $type", () => {
    const id = new ObjectId();
    assert.equal(match({ a: { $type: "objectId" } }, { a: id }), true);
    assert.equal(match({ a: { $type: 7 } }, { a: id }), true);
    assert.equal(match({ a: { $type: "long" } }, { a: Long.fromString("9007199254740993") }), true);
    assert.equal(match({ a: { $type: "decimal" } }, { a: Decimal128.fromString("1") }), true);
    assert.equal(match({ a: { $type: "date" } }, { a: new Date() }), true);
    assert.equal(match({ a: { $type: "number" } }, { a: 1.5 }), true);
    assert.equal(match({ a: { $type: "string" } }, { a: ["x", 1] }), true);
    assert.equal(match({ a: { $type: "array" } }, { a: [] }), true);
    assert.equal(match({ a: { $type: "null" } }, {}), false);
    assertCode(() => compileFilter({ a: { $type: "objectid" } }), 2);
  });

  it("honours collation strength 2 for equality and $in", () => {
    const c = { locale: "en", strength: 2 };
    assert.equal(match({ name: "abc" }, { name: "ABC" }, c), true);
    assert.equal(match({ name: { $in: ["x", "abc"] } }, { name: "Abc" }, c), true);
    assert.equal(match({ name: "abc" }, { name: "ABC" }), false);
  });

  it("keeps $elemMatch, $all, $and/$or/$nor and $expr working", () => {
    const doc = {
      a: [
        { b: 1, c: 2 },
        { b: 3, c: 4 },
      ],
      t: ["x", "y"],
      n: 5,
      m: 7,
    };
    assert.equal(match({ a: { $elemMatch: { b: 3, c: 4 } } }, doc), true);
    assert.equal(match({ a: { $elemMatch: { b: 1, c: 4 } } }, doc), false);
    assert.equal(match({ t: { $all: ["y", "x"] } }, doc), true);
    assert.equal(match({ $or: [{ n: 1 }, { n: 5 }] }, doc), true);
    assert.equal(match({ $nor: [{ n: 5 }] }, doc), false);
    assert.equal(match({ $expr: { $lt: ["$n", "$m"] } }, doc), true);
    assert.equal(match({ n: { $mod: [2, 1] } }, doc), true);
    assert.equal(match({ n: { $exists: true }, q: { $exists: false } }, doc), true);
  });

  it("$exists follows array elements and positions as MongoDB does", () => {
    const merged = { events: [{ payload: { a: 1 } }, { payload: { merged: ["x"] } }] };
    const emptyMerged = { events: [{ payload: {} }, { payload: { merged: [] } }] };
    const none = { events: [{ payload: { a: 1 } }] };
    const position = { "events.payload.merged.0": { $exists: true } };
    assert.equal(match(position, merged), true);
    assert.equal(match(position, emptyMerged), false, "an empty array has no element 0");
    assert.equal(match(position, none), false);
    assert.equal(match(position, { events: [] }), false);
    assert.equal(match({ "events.payload.merged": { $exists: true } }, emptyMerged), true);
    assert.equal(match({ "events.payload.merged": { $exists: false } }, none), true);
    assert.equal(match({ "a.b": { $exists: false } }, { a: [{ b: 1 }, { c: 1 }] }), false);
    assert.equal(match({ "a.b": { $exists: true } }, { a: [{ b: null }] }), true, "null is a value");
    assert.equal(match({ "a.1": { $exists: true } }, { a: [5, 6] }), true);
    assert.equal(match({ "a.b": { $exists: true } }, { a: [[{ b: 1 }]] }), false, "one level of arrays");
    assert.equal(match({ a: { $exists: 0 } }, {}), true);
  });

  it("reports planner equalities only where they are necessary", () => {
    const ids = [new ObjectId(), new ObjectId()];
    const f = compileFilter({
      a: 1,
      b: { $in: ids },
      $and: [{ c: "x" }],
      $or: [{ d: 1 }],
      e: { $gt: 1 },
      r: /x/,
      n: null,
    });
    assert.deepEqual([...f.equalities.keys()].sort(), ["a", "b", "c"]);
    assert.deepEqual(f.equalities.get("b"), ids);
    assert.equal(compileFilter({ a: { $in: [/x/, 1] } }).equalities.size, 0);
  });

  it("is close to mingo's speed over 100k documents", () => {
    const docs = Array.from({ length: 100_000 }, (_, i) => ({ _id: i, s: `n${i % 100}`, v: i }));
    const f = compileFilter({ s: "n5", v: { $gte: 10 } });
    const t = performance.now();
    const n = docs.filter((d) => f.test(d)).length;
    assert.equal(n, 999);
    assert.ok(performance.now() - t < 500);
  });
});
