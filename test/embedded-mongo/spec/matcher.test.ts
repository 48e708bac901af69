// Unit tests of the unified-format matcher (no server needed).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Binary, BSON, Int32, Long, ObjectId, Timestamp } from "mongodb";
import { type MatchEnv, match, matchDocuments, matchExact } from "./matcher.ts";
import { parseExtendedJson } from "./values.ts";

const env: MatchEnv = {
  entity: (name) => {
    if (name === "id0") return 42;
    throw new Error(`no entity ${name}`);
  },
  sessionLsid: (name) => {
    if (name === "session0") return { id: new Binary(Buffer.alloc(16, 1), 4) };
    throw new Error(`no session ${name}`);
  },
};

const ok = (expected: unknown, actual: unknown, root = true) =>
  assert.deepEqual(match(expected, actual, { env, root }), [], "expected a match");
const ko = (expected: unknown, actual: unknown, root = true) =>
  assert.notEqual(match(expected, actual, { env, root }).length, 0, "expected a mismatch");

describe("unified matcher", () => {
  it("allows extra fields only in root-level documents", () => {
    ok({ x: 1 }, { x: 1, y: 1 });
    ko({ x: 1, y: 1 }, { x: 1 });
    ko({ x: { y: 1 } }, { x: { y: 1, z: 1 } });
    ko({ x: 1 }, { x: 1, y: 1 }, false);
  });

  it("ignores key order", () => {
    ok({ x: 1, y: 2 }, { y: 2, x: 1 }, false);
  });

  it("compares numbers flexibly across int, long and double but not decimal", () => {
    ok(1, 1.0);
    ok(1, new Long(1));
    ok(new Long(5), 5);
    ok(new Int32(3), 3);
    ko(1, 1.5);
    ko(1, "1");
    ko(BSON.Decimal128.fromString("1"), 1);
    ok(BSON.Decimal128.fromString("1.5"), BSON.Decimal128.fromString("1.5"));
  });

  it("requires arrays of the same length, elements not root-level", () => {
    ok([1, 2, 3], [1, 2, 3]);
    ko([1, 2, 3], [1, 2, 3, 4]);
    ko([{ x: 1 }], [{ x: 1, y: 1 }]);
  });

  it("matches iterable results with root-level elements", () => {
    assert.deepEqual(
      matchDocuments(
        [{ x: 1 }, { x: 2 }],
        [
          { x: 1, y: 1 },
          { x: 2, y: 2 },
        ],
      ),
      [],
    );
    assert.notEqual(matchDocuments([{ x: 1 }], [{ x: 1 }, { x: 2 }]).length, 0);
  });

  it("implements $$exists", () => {
    ok({ a: { $$exists: true } }, { a: null });
    ko({ a: { $$exists: true } }, {});
    ok({ a: { $$exists: false } }, {});
    ko({ a: { $$exists: false } }, { a: 1 });
    ok({ a: { $$exists: false } }, { a: undefined });
  });

  it("implements $$type with aliases and lists", () => {
    ok({ a: { $$type: "string" } }, { a: "x" });
    ok({ a: { $$type: ["int", "long"] } }, { a: new Long(7) });
    ok({ a: { $$type: "long" } }, { a: new Long(7) });
    ko({ a: { $$type: "int" } }, { a: new Long(7) });
    ok({ a: { $$type: "double" } }, { a: 0.25 });
    ko({ a: { $$type: "int" } }, { a: 0.25 });
    ok({ a: { $$type: "number" } }, { a: 3 });
    ok({ a: { $$type: "objectId" } }, { a: new ObjectId() });
    ok({ a: { $$type: "date" } }, { a: new Date() });
    ok({ a: { $$type: "binData" } }, { a: new Binary(Buffer.from("x")) });
    ok({ a: { $$type: "timestamp" } }, { a: new Timestamp({ t: 1, i: 1 }) });
    ok({ a: { $$type: ["string", "object"] } }, { a: { x: 1 } });
    ok({ a: { $$type: "array" } }, { a: [1, "x"] });
    ok({ a: { $$type: "null" } }, { a: null });
    ko({ a: { $$type: "string" } }, {});
  });

  it("implements $$unsetOrMatches at root and key level", () => {
    ok({ $$unsetOrMatches: { insertedId: { $$unsetOrMatches: 1 } } }, { insertedId: 1, acknowledged: true });
    ok({ a: { $$unsetOrMatches: 1 } }, {});
    ok({ a: { $$unsetOrMatches: 1 } }, { a: 1 });
    ko({ a: { $$unsetOrMatches: 1 } }, { a: 2 });
    // The operator does not change root-ness: a root-level document keeps allowing extra fields.
    ok({ $$unsetOrMatches: { x: 1 } }, { x: 1, y: 2 });
  });

  it("implements $$matchesEntity and $$sessionLsid", () => {
    ok({ a: { $$matchesEntity: "id0" } }, { a: 42 });
    ko({ a: { $$matchesEntity: "id0" } }, { a: 43 });
    ok({ lsid: { $$sessionLsid: "session0" } }, { lsid: { id: new Binary(Buffer.alloc(16, 1), 4) } });
    ko({ lsid: { $$sessionLsid: "session0" } }, { lsid: { id: new Binary(Buffer.alloc(16, 2), 4) } });
    ko({ lsid: { $$sessionLsid: "session0" } }, {});
    assert.throws(() => match({ a: { $$matchesEntity: "nope" } }, { a: 1 }, { env }));
  });

  it("implements $$lte", () => {
    ok({ a: { $$lte: 5 } }, { a: 5 });
    ok({ a: { $$lte: 5 } }, { a: new Long(2) });
    ko({ a: { $$lte: 5 } }, { a: 6 });
    ko({ a: { $$lte: 5 } }, { a: "1" });
  });

  it("implements $$matchAsDocument and $$matchAsRoot", () => {
    ok({ a: { $$matchAsDocument: { x: 1 } } }, { a: '{"x": {"$numberInt": "1"}}' });
    ko({ a: { $$matchAsDocument: { x: 1 } } }, { a: '{"x": 1, "y": 2}' });
    ok({ a: { $$matchAsDocument: { $$matchAsRoot: { x: 1 } } } }, { a: '{"x": 1, "y": 2}' });
    ok({ a: { $$matchAsRoot: { x: 1 } } }, { a: { x: 1, y: 2 } });
    ko({ a: { x: 1 } }, { a: { x: 1, y: 2 } });
  });

  it("compares BSON scalars by value", () => {
    const id = new ObjectId();
    ok(id, new ObjectId(id.toHexString()));
    ko(id, new ObjectId());
    ok(new Date(5), new Date(5));
    ko(new Date(5), new Date(6));
    ok(new Binary(Buffer.from("ab"), 4), new Binary(Buffer.from("ab"), 4));
    ko(new Binary(Buffer.from("ab"), 4), new Binary(Buffer.from("ab"), 0));
    ok(/a/i, new BSON.BSONRegExp("a", "i"));
    ok(new Timestamp({ t: 1, i: 2 }), new Timestamp({ t: 1, i: 2 }));
    ko(new Timestamp({ t: 1, i: 2 }), new Timestamp({ t: 1, i: 3 }));
    ok(null, null);
    ko(null, 0);
    ko("a", "b");
  });

  it("matches Maps as documents", () => {
    ok({ "0": { insertedId: 1 } }, new Map([[0, { insertedId: 1 }]]), false);
  });

  it("exact mode allows no extra fields and no operators", () => {
    assert.deepEqual(matchExact([{ _id: 1, x: 1 }], [{ x: 1, _id: 1 }]), []);
    assert.notEqual(matchExact([{ _id: 1 }], [{ _id: 1, x: 1 }]).length, 0);
    assert.notEqual(matchExact({ a: { $$exists: true } }, { a: 1 }).length, 0);
    assert.deepEqual(matchExact({ a: new Long(1) }, { a: 1 }), []);
  });

  it("reports paths", () => {
    const [m] = match({ a: { b: [1, { c: 2 }] } }, { a: { b: [1, { c: 3 }] } });
    assert.equal(m?.path, "a.b[1].c");
  });
});

describe("Extended JSON loading", () => {
  it("keeps longs and explicit doubles, unwraps int32", () => {
    const value = parseExtendedJson(
      '{"a": 1, "b": {"$numberLong": "2"}, "c": {"$numberDouble": "1.0"}, "d": 1.5, "e": {"$oid": "000000000000000000000001"}}',
    ) as Record<string, unknown>;
    assert.equal(value.a, 1);
    assert.ok(value.b instanceof Long);
    assert.equal((value.c as { _bsontype?: string })._bsontype, "Double");
    assert.equal(value.d, 1.5);
    assert.ok(value.e instanceof ObjectId);
  });
});
