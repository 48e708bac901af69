import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compileProjection } from "../../../server/embedded-mongo/src/query/projection.ts";
import { assertCode } from "./helpers.ts";

const doc = Object.freeze({
  _id: 1,
  title: "t",
  body: "b",
  views: 3,
  meta: Object.freeze({ a: 1, b: 2 }),
  scores: Object.freeze([Object.freeze({ s: 1 }), Object.freeze({ s: 7 }), Object.freeze({ s: 9 })]),
});
const project = (spec: Record<string, unknown>, filter?: Record<string, unknown>) => {
  const p = compileProjection(spec, filter ? { filter } : undefined);
  assert.ok(p);
  return p(doc);
};

describe("compileProjection", () => {
  it("includes in document order with _id first, or excludes", () => {
    assert.deepEqual(Object.keys(project({ views: 1, title: 1 })), ["_id", "title", "views"]);
    assert.deepEqual(project({ title: 1, _id: 0 }), { title: "t" });
    assert.deepEqual(project({ _id: 1 }), { _id: 1 });
    assert.deepEqual(Object.keys(project({ body: 0, scores: 0, meta: 0 })), ["_id", "title", "views"]);
    assert.deepEqual(project({ "meta.a": 1, "scores.s": 1, _id: 0 }), {
      meta: { a: 1 },
      scores: [{ s: 1 }, { s: 7 }, { s: 9 }],
    });
    assert.deepEqual(project({ "meta.a": 0, scores: 0, title: 0, body: 0, views: 0 }), {
      _id: 1,
      meta: { b: 2 },
    });
    assert.equal(compileProjection({}), null);
  });

  it("supports $slice, $elemMatch, positional and expressions", () => {
    assert.deepEqual(project({ scores: { $slice: 1 }, title: 0, body: 0, meta: 0, views: 0 }).scores, [
      { s: 1 },
    ]);
    assert.deepEqual(project({ scores: { $elemMatch: { s: { $gt: 5 } } } }), { _id: 1, scores: [{ s: 7 }] });
    assert.deepEqual(project({ "scores.$": 1 }, { "scores.s": 9 }), { _id: 1, scores: [{ s: 9 }] });
    assert.deepEqual(project({ total: { $add: ["$views", 1] }, _id: 0 }), { total: 4 });
  });

  it("refuses mixing inclusion and exclusion with 31254", () => {
    assertCode(
      () => compileProjection({ a: 1, b: 0 }),
      31254,
      "Cannot do exclusion on field b in inclusion projection",
    );
    assertCode(
      () => compileProjection({ a: 0, b: 1 }),
      31254,
      "Cannot do inclusion on field b in exclusion projection",
    );
    assertCode(() => compileProjection({ s: { $meta: "textScore" } }), 238);
  });

  it("never mutates the stored document", () => {
    const copy = structuredClone(doc);
    project({ "meta.a": 0 });
    project({ "scores.$": 1 }, { "scores.s": 7 });
    assert.deepEqual(doc, copy);
  });
});

describe("compileProjection $slice", () => {
  it("slices without turning the projection into an inclusion", () => {
    assert.deepEqual(Object.keys(project({ scores: { $slice: -1 } })), [
      "_id",
      "title",
      "body",
      "views",
      "meta",
      "scores",
    ]);
    assert.deepEqual(project({ scores: { $slice: -1 } }).scores, [{ s: 9 }]);
    assert.deepEqual(project({ scores: { $slice: [1, 1] }, title: 1 }), {
      _id: 1,
      title: "t",
      scores: [{ s: 7 }],
    });
    assert.equal(doc.scores.length, 3);
  });
});
