/**
 * Embedded MongoDB-compatible server against SQLite, side by side, on the same work:
 *   npm run bench:db [-- --quick]
 *
 * Embedded: started in-process on a temp dbPath with the default durable journal (ack after
 * fdatasync), reached through the real driver. SQLite: better-sqlite3 on a file in a temp dir, WAL
 * with synchronous=FULL (a commit is fsync'd, like an acked write), a table docs(id TEXT PRIMARY KEY,
 * body TEXT) holding JSON, and an expression index on json_extract(body,'$.k').
 *
 * Both sides get their secondary index before the bulk load, so the load pays for it on both.
 * Every result is checked against the other side, so a wrong answer cannot pass as a fast one.
 *
 * Prints a table, then, as the very last line, one JSON object with every figure.
 * `--quick` (10k docs, 100 lookups, 100 inserts) keeps it short enough for a smoke test.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { startEmbeddedMongo } from "@govinfo/embedded-mongo";
import { createRandom } from "@govinfo/shared/random";
import Database from "better-sqlite3";
import { type Document, MongoClient, ObjectId } from "mongodb";

const { values } = parseArgs({ options: { quick: { type: "boolean", default: false } } });
const quick = values.quick;
const params = {
  docs: quick ? 10_000 : 100_000,
  lookups: quick ? 100 : 1_000,
  inIds: 100,
  inRepeats: 20,
  inserts: quick ? 100 : 1_000,
  groups: 10,
};

/** A figure pair; `unit` says what one number measures. */
interface Row {
  key: string;
  label: string;
  unit: string;
  embeddedMs: number;
  sqliteMs: number;
}

const rand = createRandom(20240601).next;
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;

interface Body {
  k: string;
  g: string;
  v: number;
  name: string;
  tags: string[];
}

function makeBody(i: number): Body {
  return {
    k: `k${i.toString().padStart(7, "0")}`,
    g: `g${i % params.groups}`,
    v: i % 1000,
    name: `document number ${i}`,
    tags: ["a", `t${i % 7}`],
  };
}

const ids = Array.from({ length: params.docs }, () => new ObjectId());
const bodies = Array.from({ length: params.docs }, (_, i) => makeBody(i));
const lookupKeys = Array.from({ length: params.lookups }, () => pick(bodies).k);
const inSets = Array.from({ length: params.inRepeats }, () => {
  const set = new Set<number>();
  while (set.size < params.inIds) set.add(Math.floor(rand() * params.docs));
  return [...set];
});
const singles = Array.from({ length: params.inserts }, (_, i) => ({
  id: new ObjectId(),
  body: makeBody(params.docs + i),
}));
const warmupDocs = Array.from({ length: 1_000 }, (_, i) => ({
  id: new ObjectId(),
  body: makeBody(10_000_000 + i),
}));

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(`result mismatch: ${message}`);
}

async function time(fn: () => Promise<unknown> | unknown): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

async function main(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), "govinfo-bench-db-"));
  const rows: Row[] = [];
  let pingMs = 0;
  const add = (key: string, label: string, unit: string, embeddedMs: number, sqliteMs: number) =>
    rows.push({ key, label, unit, embeddedMs, sqliteMs });

  const server = await startEmbeddedMongo({ dbPath: join(root, "mongo"), port: 0 });
  const client = new MongoClient(server.uri);
  const sqlite = new Database(join(root, "sqlite.db"));
  try {
    await client.connect();
    const db = client.db("bench");
    const coll = db.collection("docs");
    const warm = db.collection("warmup");

    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("synchronous = FULL");
    check(sqlite.pragma("journal_mode", { simple: true }) === "wal", "sqlite is not in WAL mode");
    check(sqlite.pragma("synchronous", { simple: true }) === 2, "sqlite synchronous is not FULL");
    for (const table of ["docs", "warmup"]) {
      sqlite.exec(`CREATE TABLE ${table} (id TEXT PRIMARY KEY, body TEXT NOT NULL)`);
      sqlite.exec(`CREATE INDEX ${table}_k ON ${table} (json_extract(body, '$.k'))`);
    }
    await coll.createIndex({ k: 1 });
    await warm.createIndex({ k: 1 });

    const insertInto = (table: string) => sqlite.prepare(`INSERT INTO ${table} (id, body) VALUES (?, ?)`);
    const sqliteInsertMany = (table: string, rowsIn: { id: ObjectId; body: Body }[]) => {
      const insert = insertInto(table);
      sqlite.transaction(() => {
        for (const row of rowsIn) insert.run(row.id.toHexString(), JSON.stringify(row.body));
      })();
    };
    const mongoDoc = (id: ObjectId, body: Body): Document => ({ _id: id, ...body });

    // Warm-up: a small load and a few reads on side tables, so JIT, pools and files are ready.
    await warm.insertMany(warmupDocs.map((d) => mongoDoc(d.id, d.body)));
    sqliteInsertMany("warmup", warmupDocs);
    for (const d of warmupDocs.slice(0, 20)) {
      await warm.findOne({ k: d.body.k });
      sqlite.prepare("SELECT id, body FROM warmup WHERE json_extract(body, '$.k') = ?").get(d.body.k);
    }

    // Baseline: one command's round trip through the driver, which every single-op figure includes.
    const admin = client.db("admin");
    for (let i = 0; i < 20; i++) await admin.command({ ping: 1 });
    pingMs =
      (await time(async () => {
        for (let i = 0; i < params.lookups; i++) await admin.command({ ping: 1 });
      })) / params.lookups;

    // (a) bulk load.
    const mongoDocs = ids.map((id, i) => mongoDoc(id, bodies[i]!));
    const aMongo = await time(() => coll.insertMany(mongoDocs));
    const aSqlite = await time(() =>
      sqliteInsertMany(
        "docs",
        ids.map((id, i) => ({ id, body: bodies[i]! })),
      ),
    );
    check((await coll.countDocuments()) === params.docs, "embedded count after insertMany");
    check(
      (sqlite.prepare("SELECT count(*) AS n FROM docs").get() as { n: number }).n === params.docs,
      "sqlite count after insert",
    );
    add("insertMany", `insertMany ${params.docs} docs`, "total", aMongo, aSqlite);

    // (b) lookups by the secondary indexed field.
    const byK = sqlite.prepare("SELECT id, body FROM docs WHERE json_extract(body, '$.k') = ?");
    for (const k of lookupKeys.slice(0, 10)) {
      await coll.findOne({ k });
      byK.all(k);
    }
    let bMongoFound = 0;
    const bMongo = await time(async () => {
      for (const k of lookupKeys) bMongoFound += (await coll.find({ k }).toArray()).length;
    });
    let bSqliteFound = 0;
    const bSqlite = await time(() => {
      for (const k of lookupKeys) {
        const found = byK.all(k) as { id: string; body: string }[];
        for (const row of found) JSON.parse(row.body);
        bSqliteFound += found.length;
      }
    });
    check(bMongoFound === params.lookups, `embedded found ${bMongoFound} of ${params.lookups} lookups`);
    check(bSqliteFound === params.lookups, `sqlite found ${bSqliteFound} of ${params.lookups} lookups`);
    add("indexedLookups", `${params.lookups} lookups by indexed k`, "total", bMongo, bSqlite);

    // (c) _id $in 100 ids, per query.
    const placeholders = Array.from({ length: params.inIds }, () => "?").join(",");
    const byIds = sqlite.prepare(`SELECT id, body FROM docs WHERE id IN (${placeholders})`);
    await coll.find({ _id: { $in: inSets[0]!.map((i) => ids[i]!) } }).toArray();
    byIds.all(...inSets[0]!.map((i) => ids[i]!.toHexString()));
    let cMongoFound = 0;
    const cMongo = await time(async () => {
      for (const set of inSets)
        cMongoFound += (await coll.find({ _id: { $in: set.map((i) => ids[i]!) } }).toArray()).length;
    });
    let cSqliteFound = 0;
    const cSqlite = await time(() => {
      for (const set of inSets) {
        const found = byIds.all(...set.map((i) => ids[i]!.toHexString())) as { id: string; body: string }[];
        for (const row of found) JSON.parse(row.body);
        cSqliteFound += found.length;
      }
    });
    const inTotal = params.inIds * params.inRepeats;
    check(cMongoFound === inTotal, `embedded $in found ${cMongoFound} of ${inTotal}`);
    check(cSqliteFound === inTotal, `sqlite IN found ${cSqliteFound} of ${inTotal}`);
    add(
      "idIn100",
      `_id $in ${params.inIds} ids (x${params.inRepeats})`,
      "per query",
      cMongo / params.inRepeats,
      cSqlite / params.inRepeats,
    );

    // (d) $group by a 10-valued field, summing a number.
    const pipeline = [{ $group: { _id: "$g", total: { $sum: "$v" }, n: { $sum: 1 } } }];
    const groupSql = sqlite.prepare(
      "SELECT json_extract(body, '$.g') AS g, SUM(json_extract(body, '$.v')) AS total, count(*) AS n FROM docs GROUP BY g",
    );
    await warm.aggregate(pipeline).toArray();
    sqlite.prepare("SELECT json_extract(body, '$.g') AS g, count(*) FROM warmup GROUP BY g").all();
    let dMongoRows: Document[] = [];
    const dMongo = await time(async () => {
      dMongoRows = await coll.aggregate(pipeline).toArray();
    });
    let dSqliteRows: { g: string; total: number; n: number }[] = [];
    const dSqlite = await time(() => {
      dSqliteRows = groupSql.all() as { g: string; total: number; n: number }[];
    });
    const norm = (rowsIn: { g: unknown; total: unknown; n: unknown }[]) =>
      JSON.stringify(
        rowsIn
          .map((r) => [String(r.g), Number(r.total), Number(r.n)])
          .sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
      );
    const mongoGroups = norm(dMongoRows.map((r) => ({ g: r._id, total: r.total, n: r.n })));
    check(dMongoRows.length === params.groups, `embedded $group returned ${dMongoRows.length} groups`);
    check(mongoGroups === norm(dSqliteRows), `group results differ: ${mongoGroups} vs ${norm(dSqliteRows)}`);
    add("groupSum", `$group by 10 values, $sum over ${params.docs}`, "total", dMongo, dSqlite);

    // (e) sequential acknowledged single inserts (each one durable before the next).
    for (const d of warmupDocs.slice(0, 20)) {
      await warm.insertOne({ _id: new ObjectId(), ...d.body, k: `w${d.body.k}` });
      insertInto("warmup").run(
        new ObjectId().toHexString(),
        JSON.stringify({ ...d.body, k: `w${d.body.k}` }),
      );
    }
    const eMongo = await time(async () => {
      for (const d of singles) await coll.insertOne(mongoDoc(d.id, d.body));
    });
    const single = insertInto("docs");
    const eSqlite = await time(() => {
      for (const d of singles) single.run(d.id.toHexString(), JSON.stringify(d.body));
    });
    const expectedCount = params.docs + params.inserts;
    check((await coll.countDocuments()) === expectedCount, "embedded count after single inserts");
    check(
      (sqlite.prepare("SELECT count(*) AS n FROM docs").get() as { n: number }).n === expectedCount,
      "sqlite count after single inserts",
    );
    add("singleInserts", `${params.inserts} sequential acked inserts`, "total", eMongo, eSqlite);
  } finally {
    sqlite.close();
    await client.close();
    await server.close();
    await rm(root, { recursive: true, force: true });
  }

  const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));
  const table = rows.map((r) => [
    r.label,
    r.unit,
    fmt(r.embeddedMs),
    fmt(r.sqliteMs),
    `${(r.embeddedMs / r.sqliteMs).toFixed(2)}x`,
  ]);
  const header = ["operation", "unit", "embedded ms", "sqlite ms", "embedded/sqlite"];
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 || i === 1 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join("  ");
  console.log(
    `embedded-mongo (durable journal, fsync) vs better-sqlite3 (WAL, synchronous=FULL)${quick ? " --quick" : ""}`,
  );
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of table) console.log(line(row));
  console.log(`embedded round trip (ping through the driver): ${fmt(pingMs)} ms per command`);

  const round = (ms: number) => Math.round(ms * 1000) / 1000;
  const json: Record<string, unknown> = { params, embeddedPingMs: round(pingMs) };
  for (const r of rows) {
    json[r.key] = {
      embeddedMs: round(r.embeddedMs),
      sqliteMs: round(r.sqliteMs),
      ratio: Math.round((r.embeddedMs / r.sqliteMs) * 1000) / 1000,
    };
  }
  console.log(JSON.stringify(json));
}

await main();
