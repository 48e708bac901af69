import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdir } from "node:fs/promises";
import { after, before, beforeEach, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { type EmbeddedMongo, startEmbeddedMongo } from "@govinfo/embedded-mongo";
import mongoose, { type Connection } from "mongoose";
import { baselineModels } from "../../../server/db/migrations/001-baseline-indexes.ts";
import { migrations } from "../../../server/db/migrations/index.ts";
import type { Migration } from "../../../server/db/migrations/migration.ts";
import {
  appliedMigrations,
  MIGRATION_LOCK,
  MigrationError,
  type MigrationRecord,
  runMigrations,
} from "../../../server/db/migrations/runner.ts";
import { createLogger } from "../../../server/logger.ts";
import type { AgencyDoc } from "../../../server/models/Agency.ts";
import { DisclosureRequest } from "../../../server/models/DisclosureRequest.ts";
import { JobLease } from "../../../server/models/JobLease.ts";
import { createPersonalDataCipher } from "../../../server/security/personalData.ts";
import { version } from "../../../server/version.ts";
import { buildAgency } from "../../factories/people.ts";
import { buildRequest } from "../../factories/requests.ts";
import { freePort } from "../../support/ports.ts";
import { repoRoot, startServerProcess, waitForExit, waitForHttpOk } from "../../support/serverProcess.ts";
import { createTempDir } from "../../support/tempDir.ts";
import { startTestServer, type TestServer } from "../../support/testServer.ts";
import { PROBES, probe, probeMigrations } from "./migrationProbes.ts";

const logger = createLogger({ level: "silent" });
const released = migrations.map((migration) => migration.id);
let server: TestServer;
let connection: Connection;

before(async () => {
  server = await startTestServer();
  connection = server.db.connection;
});
after(async () => {
  await server.close();
});

/** Runs the given migrations (this release's by default) as one more instance would. */
function run(options: { migrations?: readonly Migration[]; holder?: string; pollMs?: number } = {}) {
  return runMigrations({ connection, logger, pollMs: 20, ...options });
}

async function probeRuns(): Promise<Record<string, number>> {
  const rows = await connection.db?.collection<{ _id: string; runs: number }>(PROBES).find().toArray();
  return Object.fromEntries((rows ?? []).map((row) => [row._id, row.runs]));
}

describe("the released migrations", () => {
  beforeEach(async () => {
    await connection.dropDatabase();
  });

  it("are numbered modules whose ids are their file names, all listed, in order", async () => {
    const folder = fileURLToPath(new URL("../../../server/db/migrations/", import.meta.url));
    const files = (await readdir(folder))
      .filter((name) => /^\d{3}-.+\.ts$/.test(name))
      .sort()
      .map((name) => name.replace(/\.ts$/, ""));
    assert.deepEqual(released, files);
    for (const file of files) {
      const module = (await import(`${folder}${file}.ts`)) as { migration: Migration };
      assert.equal(module.migration.id, file);
      assert.ok(module.migration.description.length > 0);
    }
  });

  it("a fresh database gets every migration once, recorded with its release", async () => {
    const started = new Date();
    const result = await run();
    assert.deepEqual(result, { applied: released, alreadyApplied: 0 });
    const records = await appliedMigrations(connection);
    assert.deepEqual(
      records.map((record) => record._id),
      released,
    );
    for (const record of records) {
      assert.equal(record.appVersion, version);
      assert.ok(record.appliedAt >= started);
      assert.ok(record.durationMs >= 0);
      assert.match(record.holder, /:\d+:/);
    }
    // The baseline built every declared index, though dropping the database removed what autoIndex made.
    for (const model of baselineModels) {
      const existing = await model.collection.indexes();
      for (const [keys, options] of model.schema.indexes()) {
        const found = existing.find((index) => JSON.stringify(index.key) === JSON.stringify(keys));
        assert.ok(found, `${model.modelName} lacks the index ${JSON.stringify(keys)}`);
        if (options.unique) assert.equal(found.unique, true, `${model.modelName} ${JSON.stringify(keys)}`);
      }
    }
    // The lease was released at once.
    const lease = await JobLease.findById(MIGRATION_LOCK).lean();
    assert.ok(lease && lease.expiresAt.getTime() <= Date.now());
  });

  it("running again is a no-op", async () => {
    await run();
    const before = await appliedMigrations(connection);
    const leaseBefore = await JobLease.findById(MIGRATION_LOCK).lean();
    assert.deepEqual(await run(), { applied: [], alreadyApplied: released.length });
    assert.deepEqual(await appliedMigrations(connection), before);
    // An up-to-date database is not even locked.
    assert.deepEqual(await JobLease.findById(MIGRATION_LOCK).lean(), leaseBefore);
  });

  it("a database migrated by a newer release refuses to boot, and nothing is applied", async () => {
    await connection.db?.collection<MigrationRecord>("migrations").insertOne({
      _id: "999-from-a-newer-release",
      description: "未来版本的迁移",
      appliedAt: new Date("2027-01-04T02:00:00Z"),
      appVersion: "9.9.9",
      durationMs: 5,
      holder: "elsewhere",
    });
    await assert.rejects(run(), (error: unknown) => {
      assert.ok(error instanceof MigrationError);
      assert.match(error.message, /999-from-a-newer-release/);
      assert.match(error.message, /9\.9\.9/);
      assert.match(error.message, /不支持降级/);
      return true;
    });
    assert.deepEqual(
      (await appliedMigrations(connection)).map((record) => record._id),
      ["999-from-a-newer-release"],
    );
  });
});

describe("002-recompute-due-dates", () => {
  const cipher = createPersonalDataCipher(randomBytes(32));
  let agency: AgencyDoc;

  beforeEach(async () => {
    await connection.dropDatabase();
    await run({ migrations: migrations.slice(0, 1) });
    agency = await buildAgency({ code: "MIG", name: "迁移测试局" });
  });

  /** Inserts a copy of a product-made application through the driver, reshaped by `reshape`. */
  async function insertOldShaped(
    template: { _id: unknown },
    seq: number,
    reshape: (doc: Record<string, unknown>) => void,
  ): Promise<unknown> {
    const raw = await DisclosureRequest.collection.findOne({ _id: template._id as mongoose.Types.ObjectId });
    assert.ok(raw);
    const { _id, ...doc } = raw as Record<string, unknown>;
    Object.assign(doc, { seq, serialNo: `迁移〔2026〕${seq}号` });
    // Applications of older releases had no 查询码 (and a copy may not share the original's).
    delete doc.queryCode;
    reshape(doc);
    const inserted = await DisclosureRequest.collection.insertOne(doc);
    return inserted.insertedId;
  }

  it("fills in missing and stale due dates of open applications and leaves closed ones alone", async () => {
    // Received Monday 2026-03-02: twenty working days later is Monday 2026-03-30.
    const open = await buildRequest(agency, cipher, { input: { receiptDate: "2026-03-02" } });
    assert.equal(open.dueDate, "2026-03-30");
    const closed = await buildRequest(agency, cipher, {
      input: { receiptDate: "2026-03-02" },
      events: [{ type: "decide", date: "2026-03-09", outcome: "granted" }],
    });
    const missing = await insertOldShaped(open, 101, (doc) => {
      delete doc.dueDate;
    });
    const stale = await insertOldShaped(open, 102, (doc) => {
      doc.dueDate = "2026-03-27";
    });
    const closedStale = await insertOldShaped(closed, 103, (doc) => {
      doc.dueDate = "2000-01-01";
    });
    const untouchedAt = (await DisclosureRequest.collection.findOne({ _id: open._id }))?.updatedAt;

    const result = await run();
    assert.deepEqual(result.applied, ["002-recompute-due-dates"]);
    const dueOf = async (id: unknown) =>
      (await DisclosureRequest.collection.findOne({ _id: id as mongoose.Types.ObjectId }))?.dueDate;
    assert.equal(await dueOf(missing), "2026-03-30");
    assert.equal(await dueOf(stale), "2026-03-30");
    assert.equal(await dueOf(closedStale), "2000-01-01", "closed applications keep their record");
    assert.deepEqual(
      (await DisclosureRequest.collection.findOne({ _id: open._id }))?.updatedAt,
      untouchedAt,
      "a correct due date is not rewritten",
    );
  });
});

describe("the migration runner", () => {
  beforeEach(async () => {
    await connection.dropDatabase();
  });

  it("lets concurrent runners apply each migration exactly once; the others wait for it", async () => {
    const list = probeMigrations(150);
    const results = await Promise.all(
      ["a", "b", "c", "d"].map((holder) => run({ migrations: list, holder: `instance-${holder}` })),
    );
    assert.deepEqual(await probeRuns(), {
      "001-probe-in-transaction": 1,
      "002-probe-outside-transaction": 1,
    });
    const applied = results.map((result) => result.applied);
    assert.equal(applied.filter((ids) => ids.length > 0).length, 1, JSON.stringify(applied));
    assert.deepEqual(
      applied.find((ids) => ids.length > 0),
      list.map((migration) => migration.id),
    );
    assert.equal((await appliedMigrations(connection)).length, 2);
  });

  it("a failing migration stops the boot with a clear error, rolls its transaction back and is retried next time", async () => {
    const first = probe("001-probe-in-transaction", true);
    const failing = probe("002-probe-fails", true, 0, "模拟的迁移错误");
    await assert.rejects(run({ migrations: [first, failing] }), (error: unknown) => {
      assert.ok(error instanceof MigrationError);
      assert.match(error.message, /002-probe-fails/);
      assert.match(error.message, /模拟的迁移错误/);
      assert.match(error.message, /已全部回滚/);
      return true;
    });
    // The first one stays applied; the failed one left no trace of its work and no record.
    assert.deepEqual(await probeRuns(), { "001-probe-in-transaction": 1 });
    assert.deepEqual(
      (await appliedMigrations(connection)).map((record) => record._id),
      ["001-probe-in-transaction"],
    );
    const lease = await JobLease.findById(MIGRATION_LOCK).lean();
    assert.ok(lease && lease.expiresAt.getTime() <= Date.now(), "the lease is released for the next try");
    assert.match(lease?.lastError ?? "", /002-probe-fails/);

    // Next boot, with the cause fixed: only the failed migration runs.
    const fixed = probe("002-probe-fails", true);
    assert.deepEqual(await run({ migrations: [first, fixed] }), {
      applied: ["002-probe-fails"],
      alreadyApplied: 1,
    });
    assert.deepEqual(await probeRuns(), { "001-probe-in-transaction": 1, "002-probe-fails": 1 });
  });

  it("a failing migration outside a transaction says its work may be repeated", async () => {
    const failing = probe("001-probe-outside", false, 0, "索引冲突");
    await assert.rejects(run({ migrations: [failing] }), /001-probe-outside.*索引冲突.*不在事务中执行/);
    // Its work stays (no transaction to undo it) and is repeated next time; such a migration must be idempotent.
    assert.deepEqual(await probeRuns(), { "001-probe-outside": 1 });
    await run({ migrations: [probe("001-probe-outside", false)] });
    assert.deepEqual(await probeRuns(), { "001-probe-outside": 2 });
  });

  it("takes over once the lease of a crashed migrator expires", async () => {
    const expiresAt = new Date(Date.now() + 1_000);
    await JobLease.create({
      _id: MIGRATION_LOCK,
      holder: "crashed-instance",
      expiresAt,
      nextRunAt: new Date(0),
    });
    const started = Date.now();
    const result = await run({ migrations: probeMigrations(0) });
    assert.equal(result.applied.length, 2);
    assert.ok(Date.now() >= expiresAt.getTime(), "it ran before the crashed instance's lease expired");
    assert.ok(Date.now() - started < 10_000);
  });

  it("gives up with a clear error when another instance keeps the lease too long", async () => {
    await JobLease.create({
      _id: MIGRATION_LOCK,
      holder: "busy-instance",
      expiresAt: new Date(Date.now() + 60_000),
      nextRunAt: new Date(0),
    });
    await assert.rejects(
      runMigrations({ connection, logger, migrations: probeMigrations(0), pollMs: 20, waitTimeoutMs: 200 }),
      /等待超时.*busy-instance/,
    );
    assert.deepEqual(await probeRuns(), {});
  });

  it("refuses a malformed migration list", async () => {
    await assert.rejects(run({ migrations: [probe("2-short", true)] }), /迁移编号格式不正确/);
    await assert.rejects(
      run({ migrations: [probe("002-b", true), probe("001-a", true)] }),
      /未按顺序排列或重复：001-a/,
    );
  });
});

describe("separate processes", () => {
  let mongo: EmbeddedMongo;
  before(async () => {
    mongo = await startEmbeddedMongo({ inMemory: true, port: 0, host: "127.0.0.1", log: () => {} });
  });
  after(async () => {
    await mongo.close();
  });

  function uriOf(dbName: string): string {
    return mongo.uri.replace("/?", `/${dbName}?`);
  }

  it("two processes starting together apply each migration exactly once", async () => {
    const uri = uriOf("two_processes");
    const verifier = await mongoose.createConnection(uri).asPromise();
    try {
      const workers = ["p1", "p2"].map((holder) => startWorker(uri, holder));
      await Promise.all(workers.map((worker) => worker.ready));
      await verifier.db?.collection("go").insertOne({ at: new Date() });
      const results = await Promise.all(workers.map((worker) => worker.result));
      const probes = await verifier.db?.collection<{ _id: string; runs: number }>(PROBES).find().toArray();
      assert.deepEqual(Object.fromEntries((probes ?? []).map((row) => [row._id, row.runs])), {
        "001-probe-in-transaction": 1,
        "002-probe-outside-transaction": 1,
      });
      assert.deepEqual(
        results.map((result) => result.applied.length).sort(),
        [0, 2],
        JSON.stringify(results),
      );
    } finally {
      await verifier.close();
    }
  });

  it("app instances booting together on one database migrate it once; a newer database stops the boot", async () => {
    const uri = uriOf("boot");
    const dataDir = await createTempDir("migrations-boot");
    const env = { MONGODB_URI: uri, DATA_DIR: dataDir.path, DATA_KEY: randomBytes(32).toString("hex") };
    const boot = async () => {
      const port = await freePort();
      const instance = startServerProcess({
        ...env,
        PORT: String(port),
        DEMO_DATA: "off",
        LOG_LEVEL: "info",
      });
      return { instance, port };
    };
    const instances = [await boot(), await boot()];
    const verifier = await mongoose.createConnection(uri).asPromise();
    try {
      await Promise.all(
        instances.map(({ instance, port }) =>
          waitForHttpOk(`http://127.0.0.1:${port}/api/health`, instance, 60_000),
        ),
      );
      const records = await verifier.db
        ?.collection<MigrationRecord>("migrations")
        .find()
        .sort({ _id: 1 })
        .toArray();
      assert.deepEqual(
        records?.map((record) => record._id),
        released,
      );
      // Each migration was applied by exactly one of the two instances, which logged it.
      const appliedLines = instances.flatMap(({ instance }) =>
        instance
          .stdout()
          .split("\n")
          .filter((line) => line.includes('"msg":"migration applied"'))
          .map((line) => (JSON.parse(line) as { migration: string }).migration),
      );
      assert.deepEqual(appliedLines.sort(), released);
      for (const { instance } of instances) instance.child.kill("SIGTERM");
      for (const { instance } of instances) assert.equal((await waitForExit(instance, 15_000)).code, 0);

      // A release that does not know a migration the database has must not serve it.
      await verifier.db?.collection<MigrationRecord>("migrations").insertOne({
        _id: "999-from-a-newer-release",
        description: "未来版本的迁移",
        appliedAt: new Date(),
        appVersion: "9.9.9",
        durationMs: 1,
        holder: "elsewhere",
      });
      const refused = await boot();
      const exit = await waitForExit(refused.instance, 30_000);
      assert.equal(exit.code, 1);
      assert.match(
        refused.instance.stderr(),
        /启动失败 \(boot failed\): 数据库包含本版本.*999-from-a-newer-release/,
      );
    } finally {
      for (const { instance } of instances) instance.child.kill("SIGKILL");
      await verifier.close();
      await dataDir.remove();
    }
  });
});

/** Starts `migrationWorker.ts` in its own process. */
function startWorker(uri: string, holder: string) {
  const child = spawn(process.execPath, ["--import", "tsx", "test/server/db/migrationWorker.ts"], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? "", TZ: "Asia/Shanghai", MONGODB_URI: uri, HOLDER: holder },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      if (stdout.startsWith("ready\n")) resolve();
    });
    child.once("exit", () => reject(new Error(`worker exited early: ${stderr}`)));
  });
  const result = new Promise<{ applied: string[]; alreadyApplied: number }>((resolve, reject) => {
    child.once("exit", (code) => {
      const last = stdout.trim().split("\n").at(-1) ?? "";
      if (code === 0 && last.startsWith("{")) resolve(JSON.parse(last));
      else reject(new Error(`worker ${holder} exited with ${code}: ${stderr}`));
    });
  });
  return { ready, result };
}
