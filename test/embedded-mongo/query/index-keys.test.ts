import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Long, ObjectId } from "bson";
import {
  formatDupKey,
  indexKeysFor,
  keyValueFor,
} from "../../../server/embedded-mongo/src/query/index-keys.ts";
import { assertCode } from "./helpers.ts";

describe("indexKeysFor", () => {
  it("produces one key per distinct array element (multikey)", () => {
    const keys = indexKeysFor({ tags: ["a", "b", "a"] }, { tags: 1 });
    assert.equal(keys?.length, 2);
    assert.deepEqual(indexKeysFor({ tags: ["a"] }, { tags: 1 }), indexKeysFor({ tags: "a" }, { tags: 1 }));
  });

  it("normalizes numbers and treats missing as null, empty array apart", () => {
    assert.deepEqual(indexKeysFor({ v: 1 }, { v: 1 }), indexKeysFor({ v: Long.fromNumber(1) }, { v: -1 }));
    assert.deepEqual(indexKeysFor({}, { v: 1 }), indexKeysFor({ v: null }, { v: 1 }));
    assert.notDeepEqual(indexKeysFor({ v: [] }, { v: 1 }), indexKeysFor({ v: null }, { v: 1 }));
    assert.deepEqual(indexKeysFor({ a: [{ b: 1 }, { b: 2 }] }, { "a.b": 1 })?.length, 2);
  });

  it("builds compound tuples and refuses parallel arrays with 171", () => {
    assert.notDeepEqual(
      indexKeysFor({ category: "c1", slug: "s1" }, { category: 1, slug: 1 }),
      indexKeysFor({ category: "c2", slug: "s1" }, { category: 1, slug: 1 }),
    );
    assert.equal(indexKeysFor({ a: [1, 2], b: 1 }, { a: 1, b: 1 })?.length, 2);
    assertCode(
      () => indexKeysFor({ a: [1], b: [2] }, { a: 1, b: 1 }),
      171,
      "cannot index parallel arrays [b] [a]",
    );
  });

  it("skips documents missing every field of a sparse index", () => {
    assert.equal(indexKeysFor({ x: 1 }, { v: 1 }, { sparse: true }), null);
    assert.notEqual(indexKeysFor({ v: null }, { v: 1 }, { sparse: true }), null);
    assert.notEqual(indexKeysFor({ a: 1 }, { a: 1, b: 1 }, { sparse: true }), null);
    assert.equal(indexKeysFor({ c: 1 }, { a: 1, b: 1 }, { sparse: true }), null);
  });

  it("applies the index collation and refuses special index types", () => {
    const c = { locale: "en", strength: 2 };
    assert.deepEqual(
      indexKeysFor({ n: "ABC" }, { n: 1 }, { collation: c }),
      indexKeysFor({ n: "abc" }, { n: 1 }, { collation: c }),
    );
    assertCode(() => indexKeysFor({}, { t: "text" }), 238);
    assertCode(() => indexKeysFor({}, { t: "2dsphere" }), 238);
    assertCode(() => indexKeysFor({}, { t: "hashed" }), 238);
  });
});

describe("keyValueFor / formatDupKey", () => {
  it("renders the E11000 dup key in shell syntax", () => {
    const kv = keyValueFor({ name: "x", other: 1 }, { name: 1, missing: 1 });
    assert.deepEqual(kv, { name: "x", missing: null });
    assert.equal(formatDupKey({ name: "x" }), '{ name: "x" }');
    const id = new ObjectId("65a000000000000000000001");
    assert.equal(formatDupKey({ _id: id, n: 2 }), "{ _id: ObjectId('65a000000000000000000001'), n: 2 }");
  });
});
