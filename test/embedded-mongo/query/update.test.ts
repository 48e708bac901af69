import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Long, ObjectId, Timestamp } from "bson";
import {
  applyUpdate,
  documentsEqual,
  isOperatorUpdate,
} from "../../../server/embedded-mongo/src/query/update.ts";
import { assertCode } from "./helpers.ts";

const up = (
  doc: Record<string, unknown>,
  u: Record<string, unknown> | Record<string, unknown>[],
  extra: Record<string, unknown> = {},
) => applyUpdate(doc, u, { isUpsertInsert: false, ...extra });

describe("applyUpdate: operators", () => {
  it("applies $set/$inc/$push with modifiers and never mutates the input", () => {
    const doc = Object.freeze({ _id: 1, a: Object.freeze({ b: 1 }), n: 1, list: Object.freeze([1, 2, 3]) });
    const out = up(doc, {
      $set: { "a.c": 2 },
      $inc: { n: 2 },
      $push: { list: { $each: [4, 5], $slice: -2 } },
    });
    assert.deepEqual(out, { _id: 1, a: { b: 1, c: 2 }, n: 3, list: [4, 5] });
    assert.deepEqual(doc, { _id: 1, a: { b: 1 }, n: 1, list: [1, 2, 3] });
  });

  it("reports MongoDB's type errors", () => {
    const id = new ObjectId();
    assertCode(
      () => up({ _id: id, x: "s" }, { $inc: { x: 1 } }),
      14,
      /Cannot apply \$inc to a value of non-numeric type\. \{_id: ObjectId\('[0-9a-f]{24}'\)\} has the field 'x' of non-numeric type string/,
    );
    assertCode(() => up({ _id: 1, x: 1 }, { $inc: { x: "1" } }), 14);
    assertCode(
      () => up({ _id: 1, x: 1 }, { $push: { x: 2 } }),
      2,
      "The field 'x' must be an array but is of type int in document {_id: 1}",
    );
    assertCode(() => up({ _id: 1, x: 1 }, { $addToSet: { x: 2 } }), 2);
    assertCode(() => up({ _id: 1, x: 1 }, { $pull: { x: 2 } }), 2);
    assertCode(
      () => up({ _id: 1, a: 1 }, { $set: { "a.b": 1 } }),
      28,
      "Cannot create field 'b' in element {a: 1}",
    );
  });

  it("rejects unknown, empty and conflicting modifiers", () => {
    assertCode(
      () => up({ _id: 1 }, { $foo: { a: 1 } }),
      9,
      "Unknown modifier: $foo. Expected a valid update modifier or pipeline-style update specified as an array",
    );
    assertCode(() => up({ _id: 1 }, { $set: {} }), 9, /^'\$set' is empty\. You must specify a field like so/);
    assertCode(
      () => up({ _id: 1 }, { $set: { a: 1 }, $inc: { a: 1 } }),
      40,
      "Updating the path 'a' would create a conflict at 'a'",
    );
    assertCode(() => up({ _id: 1 }, { $set: { a: 1, "a.b": 2 } }), 40);
  });

  it("protects _id but allows setting it to the same value", () => {
    assertCode(
      () => up({ _id: 1 }, { $set: { _id: 2 } }),
      66,
      "Performing an update on the path '_id' would modify the immutable field '_id'",
    );
    assertCode(() => up({ _id: 1 }, { $unset: { _id: "" } }), 66);
    assert.deepEqual(up({ _id: 1, a: 1 }, { $set: { _id: 1, a: 2 } }), { _id: 1, a: 2 });
  });

  it("applies $setOnInsert only on upsert inserts", () => {
    assert.deepEqual(up({ _id: 1 }, { $set: { a: 1 }, $setOnInsert: { v: 7 } }), { _id: 1, a: 1 });
    assert.deepEqual(up({ _id: 1 }, { $set: { a: 1 }, $setOnInsert: { v: 7 } }, { isUpsertInsert: true }), {
      _id: 1,
      a: 1,
      v: 7,
    });
  });

  it("handles positional $, $[] and $[id] with arrayFilters", () => {
    const doc = {
      _id: 1,
      items: [
        { sku: "a", qty: 1 },
        { sku: "x", qty: 2 },
        { sku: "x", qty: 3 },
      ],
    };
    const pos = up(
      doc,
      { $set: { "items.$.qty": 5, "items.$.seen": true } },
      { query: { "items.sku": "x" } },
    );
    assert.deepEqual(pos.items, [
      { sku: "a", qty: 1 },
      { sku: "x", qty: 5, seen: true },
      { sku: "x", qty: 3 },
    ]);
    const all = up(doc, { $inc: { "items.$[].qty": 10 } });
    assert.deepEqual(
      (all.items as { qty: number }[]).map((i) => i.qty),
      [11, 12, 13],
    );
    const filtered = up(doc, { $set: { "items.$[e].qty": 0 } }, { arrayFilters: [{ "e.qty": { $gt: 1 } }] });
    assert.deepEqual(
      (filtered.items as { qty: number }[]).map((i) => i.qty),
      [1, 0, 0],
    );
    assertCode(
      () => up(doc, { $set: { "items.$[e].qty": 0 } }, { arrayFilters: [{ "e.qty": 1 }, { "f.qty": 1 }] }),
      9,
      /The array filter for identifier 'f' was not used in the update/,
    );
    assertCode(() => up(doc, { $set: { "items.$.qty": 0 } }, { query: { "items.sku": "zzz" } }), 2);
  });

  it("supports $unset, $rename, $min/$max, $mul, $currentDate and $pop", () => {
    const now = new Date(1_700_000_000_000);
    const out = up(
      {
        _id: 1,
        a: 1,
        b: 2,
        lo: 5,
        hi: 5,
        m: 3,
        arr: [1, 2, 3],
        id: new ObjectId("000000000000000000000001"),
      },
      {
        $unset: { a: "" },
        $rename: { b: "c" },
        $min: { lo: 2, id: new Date(0) },
        $max: { hi: 9 },
        $mul: { m: 2 },
        $currentDate: { d: true, ts: { $type: "timestamp" } },
        $pop: { arr: -1 },
      },
      { now },
    );
    assert.equal("a" in out, false);
    assert.equal(out.c, 2);
    assert.equal(out.lo, 2);
    assert.equal(out.hi, 9);
    assert.equal(out.m, 6);
    assert.ok(out.id instanceof ObjectId, "ObjectId sorts before Date, so $min keeps it");
    assert.deepEqual(out.d, now);
    assert.ok(out.ts instanceof Timestamp);
    assert.deepEqual(out.arr, [2, 3]);
  });

  it("does Long arithmetic exactly", () => {
    const out = up({ _id: 1, n: Long.fromString("9007199254740993") }, { $inc: { n: 1 } });
    assert.equal(String(out.n), "9007199254740994");
  });
});

describe("applyUpdate: replacement and pipeline", () => {
  it("keeps the old _id and refuses another one", () => {
    assert.deepEqual(up({ _id: 1, a: 1 }, { b: 2 }), { _id: 1, b: 2 });
    assertCode(
      () => up({ _id: 1 }, { _id: 2, b: 2 }),
      66,
      /^After applying the update, the \(immutable\) field '_id' was found to have been altered to _id: 2/,
    );
    assertCode(() => up({ _id: 1 }, { $bad: 1, b: 2 }), 9);
  });

  it("runs allowed pipeline stages and rejects others", () => {
    assert.deepEqual(up({ _id: 1, a: 2 }, [{ $set: { b: { $add: ["$a", 1] } } }, { $unset: "a" }]), {
      _id: 1,
      b: 3,
    });
    assertCode(() => up({ _id: 1 }, [{ $match: {} }]), 72);
  });
});

describe("isOperatorUpdate / documentsEqual", () => {
  it("classifies updates and compares strictly", () => {
    assert.equal(isOperatorUpdate({ $set: { a: 1 } }), true);
    assert.equal(isOperatorUpdate({ a: 1 }), false);
    assert.equal(documentsEqual({ a: 1, b: 2 }, { a: 1, b: 2 }), true);
    assert.equal(documentsEqual({ a: 1, b: 2 }, { b: 2, a: 1 }), false);
    assert.equal(documentsEqual({ a: 1 }, { a: Long.fromNumber(1) }), false);
    const id = new ObjectId();
    assert.equal(
      documentsEqual({ _id: id, d: new Date(5) }, { _id: new ObjectId(id.toHexString()), d: new Date(5) }),
      true,
    );
  });
});
