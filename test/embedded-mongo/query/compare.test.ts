import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Binary, BSONRegExp, Decimal128, Long, MaxKey, MinKey, ObjectId, Timestamp } from "bson";
import { bsonEquals, compareValues } from "../../../server/embedded-mongo/src/query/compare.ts";
import { canonicalKey } from "../../../server/embedded-mongo/src/query/keys.ts";

describe("compareValues", () => {
  it("follows MongoDB's cross-type order (ObjectId < bool < Date)", () => {
    const ordered = [
      new MinKey(),
      null,
      1,
      "a",
      { a: 1 },
      [1],
      new Binary(Buffer.from("x")),
      new ObjectId("000000000000000000000001"),
      false,
      new Date(0),
      new Timestamp({ t: 1, i: 1 }),
      new BSONRegExp("a", ""),
      new MaxKey(),
    ];
    for (let i = 0; i < ordered.length; i++) {
      for (let j = i + 1; j < ordered.length; j++) {
        assert.equal(compareValues(ordered[i], ordered[j]), -1, `${i} < ${j}`);
        assert.equal(compareValues(ordered[j], ordered[i]), 1, `${j} > ${i}`);
      }
    }
  });

  it("treats missing as null and compares numbers across types", () => {
    assert.equal(compareValues(undefined, null), 0);
    assert.equal(compareValues(1, Long.fromNumber(1)), 0);
    assert.equal(compareValues(1, Decimal128.fromString("1.0")), 0);
    assert.equal(compareValues(Long.fromString("9007199254740993"), 9007199254740992), 1);
    assert.equal(compareValues(Number.NaN, -Infinity), -1);
    assert.equal(compareValues(2, Long.fromNumber(10)), -1);
  });

  it("compares objects field by field and arrays element-wise", () => {
    assert.equal(compareValues({ a: 1, b: 2 }, { a: 1, b: 3 }), -1);
    assert.equal(compareValues({ a: 1 }, { b: 1 }), -1);
    assert.equal(compareValues({ a: 1 }, { a: 1, b: 0 }), -1);
    assert.equal(compareValues([1, 2], [1, 3]), -1);
    assert.equal(compareValues([2], [1, 5]), 1);
  });

  it("honours collation strength 1 and 2 for strings", () => {
    assert.equal(bsonEquals("abc", "ABC"), false);
    assert.equal(bsonEquals("abc", "ABC", { locale: "en", strength: 2 }), true);
    assert.equal(bsonEquals("café", "CAFE", { locale: "en", strength: 2 }), false);
    assert.equal(bsonEquals("café", "CAFE", { locale: "en", strength: 1 }), true);
    assert.equal(compareValues("b", "A", { locale: "en", strength: 2 }), 1);
    assert.equal(bsonEquals("abc", "ABC", { locale: "simple" }), false);
  });
});

describe("canonicalKey", () => {
  it("gives 1, 1.0, Long(1) and Decimal128(1) one key; -0 equals 0", () => {
    const k = canonicalKey(1);
    assert.equal(canonicalKey(1.0), k);
    assert.equal(canonicalKey(Long.fromNumber(1)), k);
    assert.equal(canonicalKey(Decimal128.fromString("1.00")), k);
    assert.equal(canonicalKey(-0), canonicalKey(0));
    assert.equal(canonicalKey(2 ** 60), canonicalKey(Long.fromString("1152921504606846976")));
    assert.notEqual(canonicalKey(Long.fromString("9007199254740993")), canonicalKey(9007199254740992));
  });

  it("distinguishes types and keeps composite keys unambiguous", () => {
    assert.notEqual(canonicalKey("1"), canonicalKey(1));
    assert.notEqual(canonicalKey(null), canonicalKey(false));
    assert.notEqual(canonicalKey({ a: "x,", b: "y" }), canonicalKey({ a: "x", b: ",y" }));
    assert.notEqual(canonicalKey({ a: 1, b: 2 }), canonicalKey({ b: 2, a: 1 }));
    const id = new ObjectId();
    assert.equal(canonicalKey(id), canonicalKey(new ObjectId(id.toHexString())));
    assert.equal(canonicalKey({ x: [1, "a"] }), canonicalKey({ x: [Long.fromNumber(1), "a"] }));
  });

  it("folds strings under collation strength 1/2", () => {
    const c2 = { locale: "en", strength: 2 };
    assert.equal(canonicalKey("Abc", c2), canonicalKey("abc", c2));
    assert.notEqual(canonicalKey("abc", c2), canonicalKey("abç", c2));
    assert.equal(
      canonicalKey("abç", { locale: "en", strength: 1 }),
      canonicalKey("ABC", { locale: "en", strength: 1 }),
    );
    assert.notEqual(canonicalKey("Abc"), canonicalKey("abc"));
  });
});
