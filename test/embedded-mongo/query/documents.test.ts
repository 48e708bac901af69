import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BSONRegExp, ObjectId } from "bson";
import {
  prepareForInsert,
  validateStoredDocument,
} from "../../../server/embedded-mongo/src/query/documents.ts";
import { upsertSeed } from "../../../server/embedded-mongo/src/query/upsert.ts";
import { assertCode } from "./helpers.ts";

describe("prepareForInsert / validateStoredDocument", () => {
  it("generates or moves _id to the front without mutating", () => {
    const input = { a: 1 };
    const out = prepareForInsert(input);
    assert.ok(out._id instanceof ObjectId);
    assert.deepEqual(Object.keys(out), ["_id", "a"]);
    assert.deepEqual(input, { a: 1 });
    assert.deepEqual(Object.keys(prepareForInsert({ a: 1, _id: 5 })), ["_id", "a"]);
  });

  it("rejects bad _id values, deep nesting and huge documents", () => {
    assertCode(() => prepareForInsert({ _id: [1] }), 2, "can't use an array for _id");
    assertCode(() => prepareForInsert({ _id: new BSONRegExp("a", "") }), 2);
    assertCode(() => prepareForInsert({ _id: { $bad: 1 } }), 52);
    // MongoDB 5.0+ stores top-level $-prefixed field names (the crud spec tests insert {$a: 1}).
    assert.deepEqual(Object.keys(prepareForInsert({ _id: 1, $a: 1 })), ["_id", "$a"]);
    let deep: Record<string, unknown> = { x: 1 };
    for (let i = 0; i < 101; i++) deep = { d: deep };
    assertCode(() => prepareForInsert(deep), 2);
    assertCode(() => validateStoredDocument({ _id: 1, big: "x".repeat(17 * 1024 * 1024) }), 10334);
    validateStoredDocument({ _id: 1, ok: { nested: true } });
  });
});

describe("upsertSeed", () => {
  it("builds nested docs from equality conditions", () => {
    assert.deepEqual(upsertSeed({ "a.b": 1 }), { a: { b: 1 } });
    assert.deepEqual(upsertSeed({ slug: "u", category: { $eq: "c" }, views: { $gt: 3 } }), {
      slug: "u",
      category: "c",
    });
    assert.deepEqual(upsertSeed({ $and: [{ x: 1 }, { y: { $in: [2] } }], z: /re/ }), { x: 1, y: 2 });
    assert.deepEqual(Object.keys(upsertSeed({ a: 1, _id: 7 })), ["_id", "a"]);
    assert.deepEqual(upsertSeed(undefined), {});
  });
});
