import { ObjectId } from "bson";
import { Query } from "mingo";
import { compileFilter } from "../server/embedded-mongo/src/query/filter.ts";
const docs = Array.from({ length: 100000 }, (_, i) => ({ _id: new ObjectId(), n: i, s: `name${i % 100}`, tags: ["a", `t${i % 7}`], sub: { x: i % 10 } }));
for (const filt of [{ s: "name5", n: { $gte: 10 } }, { "sub.x": { $in: [1, 2] }, tags: "t3" }, {n: {$lt: 500}}]) {
  const f = compileFilter(filt); const q = new Query(filt);
  for (let r = 0; r < 4; r++) {
    let t = performance.now(); const c = docs.filter((d) => f.test(d)).length; const a = performance.now() - t;
    t = performance.now(); const c2 = docs.filter((d) => q.test(d)).length; const b = performance.now() - t;
    if (r === 3) console.log(JSON.stringify(filt), c, c2, a.toFixed(1), b.toFixed(1));
  }
}
