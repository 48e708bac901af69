/**
 * Conformance §8 E: durability and crash safety with the CLI as a child process on a real dbPath.
 * The only internals touched are the journal files on disk (to tear or corrupt them).
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { startEmbeddedMongo } from "@govinfo/embedded-mongo";
import {
  Binary,
  BSONRegExp,
  Decimal128,
  type Document,
  Double,
  Int32,
  Long,
  MaxKey,
  MinKey,
  MongoClient,
  MongoServerError,
  Timestamp,
} from "mongodb";
import { type CliProcess, captureError, expectExit, spawnCli, tempDir } from "../support.ts";

const cleanups: (() => Promise<unknown>)[] = [];
after(async () => {
  for (const fn of cleanups.reverse()) await fn().catch(() => {});
});

async function freshDir(): Promise<string> {
  const dir = await tempDir("emdur");
  cleanups.push(dir.remove);
  return dir.path;
}

/** Starts the CLI on dbPath and waits for "ready"; the child is killed at the end of the file. */
async function startCli(dbPath: string, extra: string[] = []): Promise<{ cli: CliProcess; uri: string }> {
  const cli = spawnCli(["--dbpath", dbPath, "--port", "0", ...extra]);
  cleanups.push(() => cli.stop("SIGKILL"));
  const uri = await cli.ready;
  return { cli, uri };
}

async function connect(uri: string): Promise<MongoClient> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5000 });
  cleanups.push(() => client.close(true));
  await client.connect();
  return client;
}

/** Kills the child with SIGKILL (no shutdown, no checkpoint) and waits for it to be gone. */
async function crash(cli: CliProcess, client?: MongoClient): Promise<void> {
  const exit = await cli.stop("SIGKILL");
  assert.equal(exit.signal, "SIGKILL");
  await client?.close(true);
}

/** The journal segments, oldest first. */
function segments(dbPath: string): string[] {
  return readdirSync(dbPath)
    .filter((name) => /^journal-[0-9a-f]+\.wal$/.test(name))
    .sort()
    .map((name) => join(dbPath, name));
}

/** Inserts docs {_id: i, k: "k<i>"} one acknowledged command at a time. */
async function insertSequential(client: MongoClient, count: number): Promise<number> {
  const coll = client.db("dur").collection<Document>("docs");
  const t0 = performance.now();
  for (let i = 0; i < count; i++)
    await coll.insertOne({ _id: i as never, k: `k${i}`, pad: "p".repeat(i % 40) });
  return performance.now() - t0;
}

async function idsOf(client: MongoClient): Promise<number[]> {
  return (await client.db("dur").collection<Document>("docs").find().sort({ _id: 1 }).toArray()).map(
    (d) => d._id as unknown as number,
  );
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe("E.1 / E.7 acknowledged writes survive kill -9", () => {
  test("1000 sequential fsync'd inserts, SIGKILL, restart: all present, unique index enforced", async () => {
    const dbPath = await freshDir();
    const first = await startCli(dbPath);
    const client = await connect(first.uri);
    await client.db("dur").collection("docs").createIndex({ k: 1 }, { unique: true });
    const ms = await insertSequential(client, 1000);
    console.log(
      `# 1000 sequential acknowledged inserts (sync fsync): ${ms.toFixed(0)} ms (spec target 3000 ms)`,
    );
    assert.ok(ms < 30_000, `1000 inserts took ${ms.toFixed(0)} ms`);
    await crash(first.cli, client);

    const second = await startCli(dbPath);
    const again = await connect(second.uri);
    assert.deepEqual(await idsOf(again), range(1000));
    const sample = await again
      .db("dur")
      .collection("docs")
      .findOne({ _id: 517 as never });
    assert.deepEqual(sample, { _id: 517, k: "k517", pad: "p".repeat(517 % 40) });
    const names = (await again.db("dur").collection("docs").listIndexes().toArray()).map((s) => s.name);
    assert.deepEqual(names.sort(), ["_id_", "k_1"]);
    const dup = await captureError(() => again.db("dur").collection("docs").insertOne({ k: "k42" }));
    assert.ok(dup instanceof MongoServerError);
    assert.equal(dup.code, 11000);
    const dupId = await captureError(() =>
      again
        .db("dur")
        .collection("docs")
        .insertOne({ _id: 3 as never, k: "new" }),
    );
    assert.equal((dupId as MongoServerError).code, 11000);
    // Updates and deletes are durable too.
    await again
      .db("dur")
      .collection("docs")
      .updateOne({ _id: 1 as never }, { $set: { k: "changed" } });
    await again
      .db("dur")
      .collection("docs")
      .deleteOne({ _id: 2 as never });
    await crash(second.cli, again);

    const third = await startCli(dbPath);
    const last = await connect(third.uri);
    const coll = last.db("dur").collection("docs");
    assert.equal(await coll.countDocuments(), 999);
    assert.equal((await coll.findOne({ _id: 1 as never }))?.k, "changed");
    assert.equal(await coll.findOne({ _id: 2 as never }), null);
    await coll.insertOne({ _id: 5000 as never, k: "k1" }); // k1 was freed by the update
    await third.cli.stop("SIGTERM");
  });

  test("SIGTERM shuts down cleanly (exit 0, lock released) and the data is there after restart", async () => {
    const dbPath = await freshDir();
    const first = await startCli(dbPath);
    assert.ok(existsSync(join(dbPath, "mongod.lock")), "the lock file exists while serving");
    const client = await connect(first.uri);
    await insertSequential(client, 20);
    await client.close(true);
    const exit = await first.cli.stop("SIGTERM");
    assert.equal(exit.code, 0);
    assert.equal(existsSync(join(dbPath, "mongod.lock")), false, "the lock is removed on clean shutdown");
    const second = await startCli(dbPath);
    const again = await connect(second.uri);
    assert.deepEqual(await idsOf(again), range(20));
    await second.cli.stop("SIGTERM");
  });
});

describe("E.8 documents journaled from the bytes they arrived in", () => {
  test("insertMany of every BSON type, _id last or absent, SIGKILL, restart: each document reads back as acknowledged", async () => {
    const dbPath = await freshDir();
    const first = await startCli(dbPath);
    const client = await connect(first.uri);
    const coll = client.db("dur").collection<Document>("raw");
    const docs: Document[] = [
      // The driver appends a generated _id last; the server stores _id first.
      { name: "no id", n: 1, nested: { a: [1, "二", { b: null }] } },
      {
        kind: "every type",
        double: new Double(2.5),
        whole: new Double(3),
        int: new Int32(7),
        long: Long.fromString("9007199254740993"),
        decimal: Decimal128.fromString("1.50"),
        binary: new Binary(Buffer.from("ab"), 4),
        regex: new BSONRegExp("a+", "i"),
        timestamp: new Timestamp({ t: 1, i: 2 }),
        min: new MinKey(),
        max: new MaxKey(),
        date: new Date("2024-05-01T00:00:00Z"),
        bool: false,
        nil: null,
        "12": "integer-like name",
        text: "中文",
        _id: "id last",
      },
      { _id: { compound: 1, key: "x" }, after: "id first" },
    ];
    await coll.insertMany(docs, { ordered: false });
    const before = await coll.find({}).toArray();
    assert.equal(before.length, 3);
    assert.deepEqual(Object.keys(before[0] ?? {})[0], "_id");
    await crash(first.cli, client);

    const second = await startCli(dbPath);
    const again = await connect(second.uri);
    const after = await again.db("dur").collection<Document>("raw").find({}).toArray();
    assert.deepEqual(after, before);
    // Integer-like names come first in any JavaScript object (a published deviation); _id leads the rest.
    for (const doc of after)
      assert.equal(Object.keys(doc).filter((key) => !/^\d+$/.test(key))[0], "_id", "_id is stored first");
    await second.cli.stop("SIGTERM");
  });
});

describe("E.2 torn tail", () => {
  for (const cut of [1, 23, 30]) {
    test(`truncating the newest segment by ${cut} bytes loses at most the last record`, async () => {
      const dbPath = await freshDir();
      const first = await startCli(dbPath);
      const client = await connect(first.uri);
      await insertSequential(client, 50);
      await crash(first.cli, client);
      const files = segments(dbPath);
      assert.ok(files.length > 0, "there is a journal segment");
      const newest = files.at(-1) as string;
      const size = statSync(newest).size;
      assert.ok(size > cut + 24, `newest segment has ${size} bytes`);
      truncateSync(newest, size - cut);

      const second = await startCli(dbPath);
      const again = await connect(second.uri);
      const ids = await idsOf(again);
      console.log(`# torn tail (-${cut} bytes): ${ids.length} of 50 docs recovered`);
      assert.ok(ids.length === 49 || ids.length === 50, `${ids.length} docs after a torn tail`);
      assert.deepEqual(ids, range(ids.length), "a prefix of the acknowledged inserts");
      assert.match(second.cli.stderr(), /torn|truncat/i, "a warning is logged");
      // The server keeps working and the repaired journal is clean for the next restart.
      await again
        .db("dur")
        .collection("docs")
        .insertOne({ _id: 1000 as never, k: "after" });
      await crash(second.cli, again);
      const third = await startCli(dbPath);
      const last = await connect(third.uri);
      const final = await idsOf(last);
      assert.deepEqual(final, [...ids, 1000]);
      await third.cli.stop("SIGTERM");
    });
  }
});

describe("E.3 corruption in the middle of the journal", () => {
  test("a flipped byte refuses to start; --repair starts with the records before it", async () => {
    const dbPath = await freshDir();
    const first = await startCli(dbPath);
    const client = await connect(first.uri);
    await insertSequential(client, 200);
    await crash(first.cli, client);
    const files = segments(dbPath);
    const target = files.reduce((a, b) => (statSync(b).size > statSync(a).size ? b : a));
    const bytes = readFileSync(target);
    const middle = Math.floor(bytes.length / 2);
    bytes[middle] = (bytes[middle] ?? 0) ^ 0xff;
    writeFileSync(target, bytes);

    const refused = spawnCli(["--dbpath", dbPath, "--port", "0"]);
    cleanups.push(() => refused.stop("SIGKILL"));
    const exit = await expectExit(refused, 30_000);
    assert.notEqual(exit.code, 0, "a corrupt journal must not start");
    assert.equal(exit.signal, null);
    assert.doesNotMatch(refused.stdout(), /^ready /m);
    assert.match(refused.stderr(), /corrupt/i, `message names the corruption: ${refused.stderr()}`);
    assert.equal(existsSync(join(dbPath, "mongod.lock")), false, "the refused start leaves no lock behind");

    const repaired = await startCli(dbPath, ["--repair"]);
    const again = await connect(repaired.uri);
    const ids = await idsOf(again);
    console.log(
      `# repair after a flipped byte at offset ${middle} of ${bytes.length}: kept ${ids.length} of 200 docs`,
    );
    assert.ok(ids.length > 0 && ids.length < 200, `${ids.length} docs kept by repair`);
    assert.deepEqual(ids, range(ids.length), "repair keeps exactly the records before the bad one");
    await again
      .db("dur")
      .collection("docs")
      .insertOne({ _id: 999 as never, k: "post-repair" });
    await crash(repaired.cli, again);

    // After repair the journal is consistent again: a normal start works.
    const normal = await startCli(dbPath);
    const last = await connect(normal.uri);
    assert.deepEqual(await idsOf(last), [...ids, 999]);
    await normal.cli.stop("SIGTERM");
  });
});

describe("E.6 one writer per dbPath", () => {
  test("a second CLI exits with code 3 naming the running server; in-process start attaches", async () => {
    const dbPath = await freshDir();
    const first = await startCli(dbPath);
    const port = Number(new URL(first.uri.replace(/^mongodb:/, "http:")).port);
    assert.ok(port > 0);

    const second = spawnCli(["--dbpath", dbPath, "--port", "0"]);
    cleanups.push(() => second.stop("SIGKILL"));
    const exit = await expectExit(second, 30_000);
    assert.equal(exit.code, 3);
    assert.doesNotMatch(second.stdout(), /^ready /m);
    // It names the owner's Unix socket, where attaching goes after the instance-id handshake.
    assert.match(
      second.stderr(),
      new RegExp(`mongodb://${encodeURIComponent(join(dbPath, "mongod.sock"))}`),
      second.stderr(),
    );

    const attached = await startEmbeddedMongo({ dbPath, port: 0 });
    try {
      assert.equal(attached.attached, true);
      assert.equal(attached.port, port);
      const client = await connect(attached.uri);
      await client
        .db("dur")
        .collection("docs")
        .insertOne({ _id: 1 as never, via: "attached" });
      await client.close(true);
    } finally {
      await attached.close();
    }
    // close() of an attached handle leaves the owner running.
    const owner = await connect(first.uri);
    assert.deepEqual(
      await owner
        .db("dur")
        .collection("docs")
        .findOne({ _id: 1 as never }),
      { _id: 1, via: "attached" },
    );
    await owner.close(true);
    const stopped = await first.cli.stop("SIGTERM");
    assert.equal(stopped.code, 0);
  });

  test("a stale lock (dead pid) is taken over", async () => {
    const dbPath = await freshDir();
    const first = await startCli(dbPath);
    const client = await connect(first.uri);
    await insertSequential(client, 5);
    await crash(first.cli, client);
    assert.ok(existsSync(join(dbPath, "mongod.lock")), "kill -9 leaves the lock behind");
    const second = await startCli(dbPath);
    const again = await connect(second.uri);
    assert.deepEqual(await idsOf(again), range(5));
    await second.cli.stop("SIGTERM");
  });
});
