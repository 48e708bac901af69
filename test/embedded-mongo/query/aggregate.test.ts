import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BSONRegExp, Long, ObjectId } from "bson";
import { runPipeline } from "../../../server/embedded-mongo/src/query/aggregate.ts";
import { assertCode } from "./helpers.ts";

const collections: Record<string, Record<string, unknown>[]> = {
  authors: [
    { _id: 1, name: "ann" },
    { _id: 2, name: "bob" },
  ],
};
const opts = { resolve: (name: string) => collections[name] ?? [] };

describe("runPipeline", () => {
  const posts = [
    { _id: 1, author: 1, tags: ["a", "b"], views: 5, v: 5 },
    { _id: 2, author: 2, tags: ["b"], views: 10, v: [1, 10] },
    { _id: 3, author: 1, tags: [], views: 1, v: null },
  ];

  it("matches, groups, sorts and counts", () => {
    const out = runPipeline(
      posts,
      [
        { $match: { views: { $gte: 5 } } },
        { $group: { _id: "$author", n: { $sum: 1 } } },
        { $sort: { _id: 1 } },
      ],
      opts,
    );
    assert.deepEqual(out, [
      { _id: 1, n: 1 },
      { _id: 2, n: 1 },
    ]);
    assert.deepEqual(runPipeline(posts, [{ $match: {} }, { $group: { _id: 1, n: { $sum: 1 } } }], opts), [
      { _id: 1, n: 3 },
    ]);
    assert.deepEqual(runPipeline(posts, [{ $count: "c" }], opts), [{ c: 3 }]);
  });

  it("sorts with MongoDB array keys and type order", () => {
    const desc = runPipeline(posts, [{ $sort: { v: -1 } }], opts).map((d) => d._id);
    assert.deepEqual(desc, [2, 1, 3]);
  });

  it("reads other collections through the resolver and uses let variables", () => {
    const out = runPipeline(
      posts.slice(0, 1),
      [{ $lookup: { from: "authors", localField: "author", foreignField: "_id", as: "a" } }],
      opts,
    );
    assert.deepEqual(out[0]?.a, [{ _id: 1, name: "ann" }]);
    const vars = runPipeline(posts, [{ $match: { $expr: { $eq: ["$views", "$$target"] } } }], {
      ...opts,
      variables: { target: 10 },
    });
    assert.deepEqual(
      vars.map((d) => d._id),
      [2],
    );
  });

  it("has BSON-aware $type, $toObjectId and $toString", () => {
    const id = new ObjectId();
    const [out] = runPipeline(
      [{ _id: id, l: Long.fromString("9007199254740993") }],
      [
        {
          $project: {
            t: { $type: "$_id" },
            tl: { $type: "$l" },
            m: { $type: "$nope" },
            s: { $toString: "$_id" },
            o: { $toObjectId: id.toHexString() },
          },
        },
      ],
      opts,
    );
    assert.equal(out?.t, "objectId");
    assert.equal(out?.tl, "long");
    assert.equal(out?.m, "missing");
    assert.equal(out?.s, id.toHexString());
    assert.ok(out?.o instanceof ObjectId);
  });

  it("converts BSON regexes in $match and supports $documents", () => {
    assert.equal(
      runPipeline([{ s: "Hello" }], [{ $match: { s: new BSONRegExp("^h", "i") } }], opts).length,
      1,
    );
    assert.deepEqual(runPipeline([], [{ $documents: [{ x: 1 }, { x: 2 }] }, { $match: { x: 2 } }], opts), [
      { x: 2 },
    ]);
  });

  it("refuses unknown and unsupported stages and expressions", () => {
    assertCode(
      () => runPipeline(posts, [{ $bogus: {} }], opts),
      40324,
      "Unrecognized pipeline stage name: '$bogus'",
    );
    assertCode(() => runPipeline(posts, [{ $facet: { x: [{ $bogus: 1 }] } }], opts), 40324);
    assertCode(() => runPipeline(posts, [{ $out: "x" }], opts), 238);
    assertCode(() => runPipeline(posts, [{ $geoNear: {} }], opts), 238);
    assertCode(() => runPipeline(posts, [{ $project: { x: { $nope: 1 } } }], opts), 168);
  });

  it("does not mutate its input documents", () => {
    const input = [{ _id: 1, a: { b: 1 } }];
    runPipeline(input, [{ $set: { "a.c": 2 } }, { $unset: "a.b" }], opts);
    assert.deepEqual(input, [{ _id: 1, a: { b: 1 } }]);
  });
});
