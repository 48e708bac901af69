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

describe("runPipeline: the compiled $group fast path agrees with mingo", () => {
  const agency = [new ObjectId(), new ObjectId()];
  const docs = [
    { _id: 1, a: agency[0], s: "x1", d: "2024-01-02", c: null, t: { k: "natural" }, n: 1 },
    { _id: 2, a: agency[1], s: "x2", d: "2024-02-03", t: { k: "commercial" }, n: 1.0 },
    { _id: 3, a: agency[0], s: "x|3", d: "2023-12-31", c: "2024-01-05", t: {}, n: 2 },
    { _id: 4, s: "x4", d: "2024-03-01", c: "2024-03-02", t: { k: "research" }, n: 2 },
  ];
  const specs: Record<string, unknown>[] = [
    { _id: "$a", rows: { $push: { $concat: ["$d", "|", { $ifNull: ["$c", "~"] }, "|", "$s"] } } },
    { _id: "$a", s: { $push: "$s" }, d: { $push: "$d" }, n: { $sum: 1 } },
    { _id: { a: "$a", k: "$t.k" }, count: { $sum: 1 } },
    { _id: "$n", count: { $sum: 2 } },
    { _id: null, k: { $push: { $ifNull: ["$t.k", "$c", "natural"] } } },
    { _id: "$a", joined: { $push: { $concat: ["$s", "$c"] } } },
    // Fall back to mingo: a missing value pushed, a non-string in $concat, an array on the path.
    { _id: "$a", c: { $push: "$c" } },
    { _id: "$a", bad: { $push: { $concat: ["$s", "$n"] } } },
  ];
  for (const spec of specs) {
    it(`$group ${JSON.stringify(spec)}`, () => {
      const viaMingo = (() => {
        try {
          return runPipeline(docs, [{ $match: {} }, { $group: spec }], opts);
        } catch (error) {
          return (error as { code?: number }).code;
        }
      })();
      const compiled = (() => {
        try {
          return runPipeline(docs, [{ $group: spec }], opts);
        } catch (error) {
          return (error as { code?: number }).code;
        }
      })();
      assert.deepEqual(compiled, viaMingo);
    });
  }

  it("an array on a grouped path is left to mingo", () => {
    const withArray = [...docs, { _id: 5, a: [agency[0], agency[1]], s: "x5" }];
    assert.deepEqual(
      runPipeline(withArray, [{ $group: { _id: "$a", s: { $push: "$s" } } }], opts),
      runPipeline(withArray, [{ $match: {} }, { $group: { _id: "$a", s: { $push: "$s" } } }], opts),
    );
  });

  it("a leading $match the planner applied is not tested again, but is still parsed", () => {
    const input = docs.slice(0, 2);
    const out = runPipeline(input, [{ $match: { s: "x2" } }, { $group: { _id: null, n: { $sum: 1 } } }], {
      ...opts,
      prefiltered: true,
    });
    assert.deepEqual(out, [{ _id: null, n: 2 }]);
    assert.throws(() =>
      runPipeline(input, [{ $match: { s: { $bogus: 1 } } }, { $group: { _id: null } }], {
        ...opts,
        prefiltered: true,
      }),
    );
  });
});
