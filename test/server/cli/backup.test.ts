import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { once } from "node:events";
import { copyFile, mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { gunzipSync, gzipSync } from "node:zlib";
import { startEmbeddedMongo } from "@govinfo/embedded-mongo";
import mongoose from "mongoose";
import { connectDatabase } from "../../../server/db/connect.ts";
import { createLogger } from "../../../server/logger.ts";
import { type CliRun, runCli } from "../../support/cli.ts";
import { freePort } from "../../support/ports.ts";
import {
  repoRoot,
  type ServerProcess,
  startServerProcess,
  waitForExit,
  waitForHttpOk,
} from "../../support/serverProcess.ts";
import { createTempDir, type TempDir } from "../../support/tempDir.ts";

const { Binary, BSONRegExp, Decimal128, Double, Int32, Long, MaxKey, MinKey, ObjectId, Timestamp } =
  mongoose.mongo;
const EJSON = mongoose.mongo.BSON.EJSON;
/** Read every value as its own BSON class, so the comparison sees int32 vs double vs int64. */
const exact = { promoteValues: false, promoteLongs: false, promoteBuffers: false, bsonRegExp: true } as const;

let dir: TempDir;
/** The seeded source (demo data + GridFS files + a probe collection), B the restore target. */
let dataA: string;
let dataB: string;
let app: ServerProcess | undefined;
let runningBackup: string;
let fullBackup: string;
/** A as it was backed up (after the platform stopped). */
let sourceImage: DatabaseImage;

/** Runs the CLI with DATA_DIR set and nothing else leaking in. */
function cli(dataDir: string, ...args: string[]): Promise<CliRun> {
  return runCli({ DATA_DIR: dataDir }, ...args);
}

/** Opens a data directory's database with the bare driver (attaching when a process serves it). */
async function openRaw(dataDir: string) {
  const server = await startEmbeddedMongo({ dbPath: join(dataDir, "mongo"), port: 0, log: () => {} });
  const client = await mongoose.mongo.MongoClient.connect(server.uri);
  return {
    db: client.db("govinfo"),
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}

/** Everything a database holds, as canonical EJSON: options, indexes and documents in `_id` order. */
interface DatabaseImage {
  collections: Record<string, { options: string; indexes: string[]; documents: string[] }>;
  /** SHA-256 of each GridFS file's bytes, by `bucket/id`. */
  files: Map<string, string>;
}

async function imageOf(dataDir: string): Promise<DatabaseImage> {
  const { db, close } = await openRaw(dataDir);
  try {
    const collections: DatabaseImage["collections"] = {};
    const files = new Map<string, string>();
    for (const info of await db.listCollections().toArray()) {
      const collection = db.collection(info.name);
      const indexes = (await collection.listIndexes(exact).toArray())
        .map((spec) => EJSON.stringify(spec, { relaxed: false }))
        .sort();
      const documents = (await collection.find({}, { ...exact, sort: { _id: 1 } }).toArray()).map((doc) =>
        EJSON.stringify(doc, { relaxed: false }),
      );
      collections[info.name] = {
        options: EJSON.stringify("options" in info ? info.options : {}, { relaxed: false }),
        indexes,
        documents,
      };
      const bucketName = /^(.+)\.files$/.exec(info.name)?.[1];
      if (!bucketName) continue;
      const bucket = new mongoose.mongo.GridFSBucket(db, { bucketName });
      for (const file of await bucket.find({}).toArray()) {
        const hash = createHash("sha256");
        for await (const chunk of bucket.openDownloadStream(file._id)) hash.update(chunk as Buffer);
        files.set(`${bucketName}/${String(file._id)}`, hash.digest("hex"));
      }
    }
    return { collections, files };
  } finally {
    await close();
  }
}

/** One hash over a database image, to show that a refused restore changed nothing. */
async function digestOf(dataDir: string): Promise<string> {
  const image = await imageOf(dataDir);
  return createHash("sha256")
    .update(JSON.stringify([image.collections, [...image.files].sort()]))
    .digest("hex");
}

/** Adds GridFS files through the platform's own services, and a collection of every BSON type. */
async function seedFilesAndProbe(dataDir: string): Promise<void> {
  const logger = createLogger({ level: "silent" });
  const database = await connectDatabase({ mongodbUri: undefined, dataDir, embeddedMongoPort: 0, logger });
  try {
    const { DisclosureRequest } = await import("../../../server/models/DisclosureRequest.ts");
    const { InfoItem } = await import("../../../server/models/InfoItem.ts");
    const { issueLetter, attachUpload } = await import("../../../server/services/documents/letterIssuer.ts");
    const { filesBucket } = await import("../../../server/services/documents/files.ts");
    const { attachFile } = await import("../../../server/services/catalogue/attachments.ts");
    type RequestDoc = import("../../../server/models/DisclosureRequest.ts").DisclosureRequestDoc;
    type ItemDoc = import("../../../server/models/InfoItem.ts").InfoItemDoc;

    const request = await DisclosureRequest.findOne({ "events.type": "register" }).lean<RequestDoc>();
    assert.ok(request, "the demo has a registered request");
    // A receipt letter (DOCX) and a 700 KB upload: three chunks, every byte value.
    await issueLetter({ ctx: null, request, kind: "receipt", edits: {} });
    const fresh = (await DisclosureRequest.findById(request._id).lean<RequestDoc>()) ?? request;
    await attachUpload({
      ctx: null,
      request: fresh,
      filename: "材料.zip",
      data: Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), randomBytes(700_000)]),
      kind: "material",
    });
    const item = await InfoItem.findOne({}).lean<ItemDoc>();
    assert.ok(item);
    await attachFile(
      null,
      item,
      "附件.pdf",
      Buffer.concat([Buffer.from("%PDF-1.7\n"), randomBytes(300_000)]),
    );
    // An empty file: a files document without chunks.
    const empty = filesBucket().openUploadStream("空文件.txt");
    await new Promise<void>((resolve, reject) => {
      empty.once("finish", () => resolve()).once("error", reject);
      empty.end();
    });

    const db = database.connection.db;
    assert.ok(db);
    await db.createCollection("backupprobe", { collation: { locale: "zh", strength: 1 } });
    const probe = db.collection("backupprobe");
    await probe.insertMany([
      {
        _id: new ObjectId(),
        int: new Int32(7),
        long: Long.fromString("9007199254740993"),
        double: new Double(1.5),
        decimal: Decimal128.fromString("1234.567890123456789"),
        date: new Date("2024-02-29T16:00:00.000Z"),
        binary: new Binary(randomBytes(40)),
        uuid: new Binary(randomBytes(16), Binary.SUBTYPE_UUID),
        regex: new BSONRegExp("^海东", "i"),
        timestamp: new Timestamp({ t: 1_700_000_000, i: 3 }),
        min: new MinKey(),
        max: new MaxKey(),
        nested: { list: [1, "二", null, { yes: true }], empty: {} },
        text: '换行\n制表\t引号"反斜杠\\ 𠮷 🏛️',
        infinity: Number.POSITIVE_INFINITY,
        small: 5e-324,
      },
      { _id: "string-id", text: "字符串主键" },
      { _id: 42, text: "数字主键" },
    ] as never[]);
    await db.command({
      createIndexes: "backupprobe",
      indexes: [
        {
          key: { text: 1 },
          name: "text_unique",
          unique: true,
          partialFilterExpression: { text: { $type: "string" } },
        },
        { key: { "nested.list": 1, date: -1 }, name: "compound" },
        { key: { int: 1 }, name: "sparse_int", sparse: true },
        { key: { date: 1 }, name: "ttl_century", expireAfterSeconds: 3_153_600_000 },
      ],
    });
  } finally {
    await database.close();
  }
}

async function waitForLog(server: ServerProcess, text: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!server.stdout().includes(text)) {
    if (Date.now() > deadline) throw new Error(`no "${text}" in the log\n${server.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

before(async () => {
  dir = await createTempDir("backup");
  dataA = join(dir.path, "a");
  dataB = join(dir.path, "b");
  runningBackup = join(dir.path, "running.govinfo-backup.gz");
  fullBackup = join(dir.path, "full.govinfo-backup.gz");
  const port = await freePort();
  app = startServerProcess({
    DATA_DIR: dataA,
    PORT: String(port),
    EMBEDDED_MONGO_PORT: "0",
    DEMO_DATA: "on",
    LOG_LEVEL: "info",
  });
  await waitForHttpOk(`http://127.0.0.1:${port}/api/health`, app, 90_000);
  await waitForLog(app, "demo data seeded", 180_000);
  await seedFilesAndProbe(dataA);
});

after(async () => {
  if (app && app.child.exitCode === null) {
    app.child.kill("SIGTERM");
    await waitForExit(app, 20_000).catch(() => {});
  }
  await dir.remove();
});

describe("backup and restore", () => {
  it("explains itself and rejects bad arguments with exit code 2", async () => {
    const noDir = join(dir.path, "unused");
    const [help, noFile] = await Promise.all([cli(noDir, "restore", "--help"), cli(noDir, "restore")]);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--drop.*--check.*--force/s);
    assert.equal(noFile.code, 2);
    assert.match(noFile.stderr, /请指定备份文件/);
    await assert.rejects(stat(noDir), "usage errors touch nothing");
  });

  it("backs up while the platform is running, from one snapshot, into a file that checks out", async () => {
    const running = await cli(dataA, "backup", "--out", runningBackup);
    assert.equal(running.code, 0, running.stderr);
    assert.match(running.stdout, /已完成备份/);
    assert.match(running.stdout, /同一快照/);
    assert.match(running.stdout, /GridFS 文件（files）：catalogue 1 个 293\.0 KB，files 3 个/);
    assert.match(running.stdout, /数据密钥指纹（data key fingerprint）：[0-9a-f]{16}/);
    assert.match(running.stdout, /恢复时必须使用同一数据密钥/);
    assert.deepEqual(
      (await readdir(dir.path)).filter((name) => name.endsWith(".tmp")),
      [],
      "no temporary file is left behind",
    );
    assert.equal((await stat(runningBackup)).mode & 0o077, 0, "the backup is readable by its owner only");
    const check = await cli(dataA, "restore", runningBackup, "--check");
    assert.equal(check.code, 0, check.stderr);
    assert.match(check.stdout, /备份文件校验通过/);
    assert.match(check.stdout, /数据密钥一致/);
    assert.match(check.stdout, /--check/);

    app?.child.kill("SIGTERM");
    if (app) assert.equal((await waitForExit(app, 20_000)).code, 0);
  });

  it("round-trips every collection, index and GridFS byte into a fresh data directory", async () => {
    const started = Date.now();
    const backup = await cli(dataA, "backup", "--out", fullBackup);
    assert.equal(backup.code, 0, backup.stderr);
    await mkdir(dataB, { recursive: true });
    // The operator copies the data key along with the backup: same key, same fingerprint.
    await copyFile(join(dataA, "data.key"), join(dataB, "data.key"));
    const restored = await cli(dataB, "restore", fullBackup);
    assert.equal(restored.code, 0, restored.stderr);
    assert.match(restored.stdout, /数据密钥一致/);
    assert.match(restored.stdout, /已恢复到数据库 govinfo/);
    assert.match(restored.stdout, /恢复完成/);

    const source = await imageOf(dataA);
    const copy = await imageOf(dataB);
    assert.deepEqual(Object.keys(copy.collections).sort(), Object.keys(source.collections).sort());
    let documents = 0;
    for (const [name, expected] of Object.entries(source.collections)) {
      const actual = copy.collections[name];
      assert.ok(actual, name);
      assert.equal(actual.options, expected.options, `${name} options`);
      assert.deepEqual(actual.indexes, expected.indexes, `${name} indexes`);
      assert.equal(actual.documents.length, expected.documents.length, `${name} count`);
      for (let i = 0; i < expected.documents.length; i++) {
        assert.equal(actual.documents[i], expected.documents[i], `${name} document ${i}`);
      }
      documents += expected.documents.length;
    }
    assert.ok(documents > 2000, `a realistic database (${documents} documents)`);
    assert.ok(source.collections["files.chunks"] && source.collections["catalogue.chunks"]);
    assert.equal(source.files.size, 4, "a letter, an upload, an empty file and a catalogue attachment");
    assert.deepEqual([...copy.files].sort(), [...source.files].sort());
    sourceImage = source;
    const probe = source.collections.backupprobe?.documents.join("\n") ?? "";
    for (const type of [
      "$numberLong",
      "$numberDecimal",
      "$numberDouble",
      "$binary",
      "$regularExpression",
      "$timestamp",
      "$minKey",
      "$maxKey",
      "$date",
    ]) {
      assert.ok(probe.includes(type), `the probe holds ${type}`);
    }

    // The restored indexes are the models' indexes: mongoose has nothing to create or drop. The
    // connection must not build indexes itself, which would hide a missing one.
    const server = await startEmbeddedMongo({ dbPath: join(dataB, "mongo"), port: 0, log: () => {} });
    const connection = await mongoose
      .createConnection(server.uri, { dbName: "govinfo", autoIndex: false, autoCreate: false })
      .asPromise();
    try {
      const modelsDir = join(repoRoot, "server/models");
      for (const file of await readdir(modelsDir)) await import(join(modelsDir, file));
      assert.ok(mongoose.modelNames().length >= 10);
      for (const name of mongoose.modelNames()) {
        const model = mongoose.model(name);
        const bound: import("mongoose").Model<unknown> = connection.model(
          name,
          model.schema,
          model.collection.collectionName,
        );
        const diff = await bound.diffIndexes();
        assert.deepEqual(diff, { toDrop: [], toCreate: [] }, `${name} indexes match the schema`);
      }
    } finally {
      await connection.close();
      await server.close();
    }
    const size = (await stat(fullBackup)).size;
    process.stdout.write(
      `# round trip: ${Object.keys(source.collections).length} collections, ${documents} documents, ` +
        `${source.files.size} GridFS files; backup ${size} bytes; ${Date.now() - started} ms\n`,
    );
  });

  it("refuses a non-empty target, a damaged file and another data key, changing nothing", async () => {
    const before = await digestOf(dataB);
    const raw = await readFile(fullBackup);
    const truncated = join(dir.path, "truncated.gz");
    await writeFile(truncated, raw.subarray(0, Math.floor(raw.length / 2)));
    const flipped = join(dir.path, "flipped.gz");
    const damaged = Buffer.from(raw);
    const at = Math.floor(damaged.length * 0.6);
    damaged[at] = (damaged[at] ?? 0) ^ 0x10;
    await writeFile(flipped, damaged);
    // Valid gzip around edited content: only the SHA-256 can tell.
    const tampered = join(dir.path, "tampered.gz");
    await writeFile(
      tampered,
      gzipSync(Buffer.from(gunzipSync(raw).toString("utf8").replace("海东市", "海西市"))),
    );
    const otherKey = join(dir.path, "other-key");
    await mkdir(otherKey);
    await writeFile(join(otherKey, "data.key"), `${randomBytes(32).toString("base64")}\n`, { mode: 0o600 });
    const noKey = join(dir.path, "no-key");

    const [notEmpty, cut, flip, edit, wrongKey, missingKey] = await Promise.all([
      cli(dataB, "restore", fullBackup),
      cli(dataB, "restore", truncated, "--drop"),
      cli(dataB, "restore", flipped, "--drop"),
      cli(dataB, "restore", tampered, "--drop"),
      cli(otherKey, "restore", fullBackup),
      cli(noKey, "restore", fullBackup),
    ]);
    assert.equal(notEmpty.code, 1);
    assert.match(notEmpty.stderr, /目标数据库不是空的.*agencies 4.*--drop/s);
    assert.equal(cut.code, 1);
    assert.match(cut.stderr, /备份文件不完整（被截断）.*未做任何修改/);
    assert.equal(flip.code, 1);
    assert.match(flip.stderr, /(备份文件已损坏|校验和不符).*未做任何修改/);
    assert.equal(edit.code, 1);
    assert.match(edit.stderr, /校验和不符.*未做任何修改/);
    assert.equal(wrongKey.code, 1);
    assert.match(
      wrongKey.stderr,
      /当前数据密钥（指纹 [0-9a-f]{16}）与备份时的数据密钥（指纹 [0-9a-f]{16}）不同/,
    );
    assert.match(wrongKey.stderr, /--force/);
    assert.equal(missingKey.code, 1);
    assert.match(missingKey.stderr, /当前没有数据密钥/);

    assert.equal(await digestOf(dataB), before, "the refused restores left the target as it was");
    // The key checks ran before any connection: no database was even created.
    await assert.rejects(stat(join(otherKey, "mongo")));
    await assert.rejects(stat(noKey));

    // Empty collections (what a first start leaves) do not block a restore; they are rebuilt exactly.
    const empty = await openRaw(otherKey);
    await empty.db.collection("agencies").createIndex({ name: 1 }, { name: "stale_index" });
    await empty.close();
    const forced = await cli(otherKey, "restore", fullBackup, "--force");
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stdout, /已按 --force 继续/);
    assert.match(forced.stdout, /已按备份重建原有的空集合 1 个（empty collections recreated）：agencies/);
    assert.match(forced.stdout, /已恢复到数据库 govinfo/);
    const rebuilt = await imageOf(otherKey);
    assert.deepEqual(rebuilt.collections.agencies, sourceImage.collections.agencies);
  });

  it("refuses to restore under a running server, backs up through MONGODB_URI, and --drop replaces everything", async () => {
    const before = await digestOf(dataB);
    // A standalone server has no transactions: the backup falls back to reading collection by collection.
    const mongod = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "server/embedded-mongo/src/cli.ts",
        "--dbpath",
        join(dataB, "mongo"),
        "--port",
        "0",
        "--standalone",
      ],
      { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"], env: { PATH: process.env.PATH ?? "" } },
    );
    const perCollection = join(dir.path, "per-collection.gz");
    try {
      const uri = await waitForReady(mongod);
      const [refused, external] = await Promise.all([
        cli(dataB, "restore", fullBackup, "--drop"),
        runCli(
          { DATA_DIR: dataB, MONGODB_URI: uri.replace("/?", "/govinfo?") },
          "backup",
          "--out",
          perCollection,
        ),
      ]);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /正由另一个进程（pid \d+）使用.*请先停止平台/s);
      assert.equal(external.code, 0, external.stderr);
      assert.match(external.stdout, /数据库 govinfo（MONGODB_URI）/);
      assert.match(external.stdout, /逐集合读取.*未能保持同一快照/);
    } finally {
      mongod.kill("SIGTERM");
      if (mongod.exitCode === null && mongod.signalCode === null) await once(mongod, "exit");
    }
    assert.equal(await digestOf(dataB), before, "the refused restore changed nothing");
    const { inspectBackup } = await import("../../../server/db/backup/restorer.ts");
    const [viaUri, full] = await Promise.all([inspectBackup(perCollection), inspectBackup(fullBackup)]);
    assert.equal(viaUri.manifest.consistency, "collection");
    assert.equal(viaUri.manifest.server.mode, "external");
    assert.deepEqual(viaUri.trailer.counts, full.trailer.counts);
    assert.deepEqual(viaUri.trailer.gridfs, full.trailer.gridfs);
    assert.deepEqual(
      (await readdir(dir.path)).filter((name) => name.endsWith(".tmp")),
      [],
    );

    // The backup taken while the platform ran restores too, with every GridFS file.
    const replaced = await cli(dataB, "restore", runningBackup, "--drop");
    assert.equal(replaced.code, 0, replaced.stderr);
    assert.match(
      replaced.stdout,
      new RegExp(`已先删除原有集合 ${Object.keys(sourceImage.collections).length} 个`),
    );
    const image = await imageOf(dataB);
    assert.deepEqual(
      [...image.files].sort(),
      [...sourceImage.files].sort(),
      "the running backup has every file",
    );
    assert.equal(image.collections.backupprobe?.documents.length, 3);
  });
});

/** Resolves with the URI `npm run mongod` prints once it accepts connections. */
function waitForReady(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`mongod not ready\n${output}`)), 20_000);
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      output += chunk;
      const uri = /ready (mongodb:\/\/\S+)/.exec(output)?.[1];
      if (uri) {
        clearTimeout(timer);
        resolve(uri);
      }
    });
    child.once("exit", () => reject(new Error(`mongod exited\n${output}`)));
  });
}

describe("the snapshot's 60-second lifetime", () => {
  it("falls back to per-collection reads (auto) or fails cleanly (snapshot) when the transaction expires", async () => {
    const { dumpDatabase } = await import("../../../server/db/backup/dumper.ts");
    const { inspectBackup } = await import("../../../server/db/backup/restorer.ts");
    const server = await startEmbeddedMongo({ inMemory: true, port: 0, testCommands: true, log: () => {} });
    const client = await mongoose.mongo.MongoClient.connect(server.uri);
    try {
      const db = client.db("govinfo");
      await db.collection("first").insertMany([{ n: 1 }, { n: 2 }]);
      await db.collection("second").insertMany([{ n: 3 }]);
      // After the first collection the server's clock jumps past the transaction's lifetime.
      const expire = async () => {
        await db.admin().command({ embeddedAdvanceClock: 61_000 });
      };
      const file = join(dir.path, "lifetime.gz");
      const options = { client, db, file, dataKeyFingerprint: null, mode: "embedded", appVersion: "test" };
      let jumps = 0;
      const result = await dumpDatabase({
        ...options,
        consistency: "auto",
        onCollection: async () => {
          if (jumps++ === 0) await expire();
        },
      });
      assert.match(result.snapshotFallback ?? "", /lifetime|60/);
      assert.equal(result.manifest.consistency, "collection");
      assert.deepEqual((await inspectBackup(file)).trailer.counts, { first: 2, second: 1 });

      const strict = join(dir.path, "strict.gz");
      await assert.rejects(
        dumpDatabase({ ...options, file: strict, consistency: "snapshot", onCollection: expire }),
        (error: Error) => error.name === "BackupError" && /snapshot_unavailable/.test(error.message),
      );
      assert.deepEqual(
        (await readdir(dir.path)).filter((name) => name.startsWith("strict")),
        [],
        "neither the file nor its .tmp is left",
      );
    } finally {
      await client.close();
      await server.close();
    }
  });
});
