import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Long, ObjectId } from "bson";
import { compileSort } from "../../../server/embedded-mongo/src/query/sort.ts";
import { assertCode } from "./helpers.ts";

const sortIds = (docs: Record<string, unknown>[], spec: Record<string, unknown>) => {
  const cmp = compileSort(spec);
  assert.ok(cmp);
  return [...docs].sort(cmp).map((d) => d._id);
};

describe("compileSort", () => {
  it("uses the array minimum ascending and maximum descending", () => {
    const docs = [
      { _id: 1, v: 5 },
      { _id: 2, v: [1, 10] },
    ];
    assert.deepEqual(sortIds(docs, { v: 1 }), [2, 1]);
    assert.deepEqual(sortIds(docs, { v: -1 }), [2, 1]);
  });

  it("sorts an empty array before null and missing", () => {
    const docs = [{ _id: 1, v: null }, { _id: 2 }, { _id: 3, v: [] }, { _id: 4, v: 0 }];
    assert.deepEqual(sortIds(docs, { v: 1 }), [3, 1, 2, 4]);
    assert.deepEqual(sortIds(docs, { v: -1 }), [4, 1, 2, 3]);
  });

  it("follows the BSON type order across mixed values", () => {
    const docs = [
      { _id: "date", v: new Date(0) },
      { _id: "bool", v: true },
      { _id: "oid", v: new ObjectId() },
      { _id: "str", v: "a" },
      { _id: "num", v: Long.fromNumber(2) },
      { _id: "obj", v: { a: 1 } },
    ];
    assert.deepEqual(sortIds(docs, { v: 1 }), ["num", "str", "obj", "oid", "bool", "date"]);
  });

  it("handles compound keys, dotted paths and collation", () => {
    const docs = [
      { _id: 1, a: { b: 2 }, n: "b" },
      { _id: 2, a: { b: 1 }, n: "B" },
      { _id: 3, a: { b: 1 }, n: "a" },
    ];
    assert.deepEqual(sortIds(docs, { "a.b": 1, n: -1 }), [3, 2, 1]);
    const cmp = compileSort({ n: 1 }, { locale: "en", strength: 2 });
    assert.ok(cmp);
    assert.deepEqual(
      [...docs].sort(cmp).map((d) => d.n),
      ["a", "b", "B"],
    );
  });

  it("rejects bad sort values and returns null for empty specs", () => {
    assertCode(
      () => compileSort({ a: 2 }),
      2,
      "$sort key ordering must be 1 (for ascending) or -1 (for descending)",
    );
    assertCode(() => compileSort({ a: { $meta: "textScore" } }), 238);
    assert.equal(compileSort({}), null);
    assert.equal(compileSort(undefined), null);
  });
});
