/**
 * A real full disk (ENOSPC): the data directory lives on a 1 MiB tmpfs mounted in a private mount
 * namespace (`unshare --user --map-root-user --mount`; the network namespace is shared, so the test
 * talks to the server over loopback). Writes go on until the disk is full, then:
 *
 * - the embedded server alone (`npm run mongod`): it exits with code 70 and a stderr line that says
 *   the disk is full and names the data directory; the writes that met the full disk fail with an
 *   error instead of being acknowledged; the data directory, copied out of the tmpfs by the same
 *   shell before the namespace ends, starts again without repair and holds every acknowledged
 *   document exactly, and the in-flight ones whole or not at all;
 * - the app (`server/main.ts` with its in-process embedded database, DATA_DIR on the tmpfs, staff
 *   registering applications over HTTP): it stops at once with code 70 and a Chinese stderr line
 *   naming the full disk and the path, instead of serving on; restarted on the copy, it has every
 *   acknowledged application, consistent (`consistency.ts`), and serves again.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { defaults } from "@govinfo/config/defaults";
import { startEmbeddedMongo } from "@govinfo/embedded-mongo";
import type { RequestDetailDto } from "@govinfo/shared/schemas/requestDto";
import { BSON, type Document, MongoClient } from "mongodb";
import mongoose from "mongoose";
import { dateInChina } from "../../../server/services/calendar.ts";
import { buildAgency, buildStaff } from "../../factories/people.ts";
import { request, type TestResponse } from "../../support/http.ts";
import { freePort } from "../../support/ports.ts";
import {
  repoRoot,
  type ServerProcess,
  startServerProcess,
  waitForExit,
  waitForHttpOk,
  watchProcess,
} from "../../support/serverProcess.ts";
import { createTempDir, type TempDir } from "../../support/tempDir.ts";
import { registration } from "../routes/requests.support.ts";
import { checkConsistency } from "./consistency.ts";

/** The exit code of a server whose journal cannot be written (embedded CLI and app alike). */
const JOURNAL_FAILURE_EXIT_CODE = 70;
const TMPFS_SIZE = "1m";

/** A shell in its own user and mount namespace with a tiny tmpfs, running one server. */
interface TinyDiskProcess extends ServerProcess {
  /** Kills the whole namespace (the shell and the server) if it is still running. */
  kill(): void;
}

/**
 * Mounts a tmpfs on `mount`, runs `command` there (it sees $FAULT_MNT), and when it ends copies the
 * tmpfs to `copy` before the namespace, and the tmpfs with it, goes away. Exits with the command's code.
 */
function onTinyDisk(
  mount: string,
  copy: string,
  command: string,
  env: Record<string, string>,
): TinyDiskProcess {
  const script = [
    `mount -t tmpfs -o size=${TMPFS_SIZE} tmpfs "$FAULT_MNT" || exit 97`,
    command,
    "code=$?",
    'cp -a "$FAULT_MNT/." "$FAULT_COPY/" || exit 98',
    'exit "$code"',
  ].join("\n");
  const child = spawn("unshare", ["--user", "--map-root-user", "--mount", "sh", "-c", script], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      TZ: process.env.TZ ?? "Asia/Shanghai",
      FAULT_MNT: mount,
      FAULT_COPY: copy,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so a failed test can stop the shell and the server in it together.
    detached: true,
  });
  return {
    ...watchProcess(child),
    kill: () => {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    },
  };
}

/** Waits for `pattern` in the output, failing early if the process ends first. */
async function waitForOutput(
  proc: TinyDiskProcess,
  pattern: RegExp,
  timeoutMs: number,
): Promise<RegExpExecArray> {
  const deadline = performance.now() + timeoutMs;
  let ended = false;
  void proc.exited.then(() => {
    ended = true;
  });
  while (performance.now() < deadline) {
    const match = pattern.exec(proc.stdout());
    if (match) return match;
    if (ended) break;
    await sleep(50);
  }
  throw new Error(`no ${pattern} in the output\nstdout:\n${proc.stdout()}\nstderr:\n${proc.stderr()}`);
}

async function dirs(prefix: string): Promise<{ dir: TempDir; mount: string; copy: string }> {
  const dir = await createTempDir(prefix);
  const mount = join(dir.path, "tmpfs");
  const copy = join(dir.path, "copy");
  await mkdir(mount);
  await mkdir(copy);
  return { dir, mount, copy };
}

/** The test documents are keyed by writer and serial number. */
type Doc = Document & { _id: string };

/** Canonical Extended JSON keeps BSON types and field order, so equal strings mean identical docs. */
const canonical = (doc: Document): string => BSON.EJSON.stringify(doc, { relaxed: false });

test("the embedded server stops cleanly on a full disk and every acknowledged write survives", {
  timeout: 90_000,
}, async (t) => {
  const { dir, mount, copy } = await dirs("faults-disk-db");
  const port = await freePort();
  const dbPath = join(mount, "db");
  const proc = onTinyDisk(
    mount,
    copy,
    `node --import tsx server/embedded-mongo/src/cli.ts --dbpath "$FAULT_MNT/db" --port ${port}`,
    {},
  );
  const client = new MongoClient(`mongodb://127.0.0.1:${port}/?directConnection=true`, {
    retryWrites: false,
    serverSelectionTimeoutMS: 2_000,
    maxPoolSize: 4,
  });
  try {
    await waitForOutput(proc, /^ready /m, 30_000);
    const docs = client.db("full").collection<Doc>("docs");
    const acked = new Map<string, string>();
    const failed: { doc: Doc; error: unknown }[] = [];
    // Four writers with ~8 KB documents: several writes share each group commit, so the one that meets
    // the full disk is a batch, and every write in it must fail.
    let stop = false;
    let serial = 0;
    const writer = async (w: number): Promise<void> => {
      while (!stop) {
        serial++;
        const doc: Doc = {
          _id: `w${w}-${serial}`,
          writer: w,
          serial,
          at: new Date(),
          pad: "磁盘".repeat(1_300),
        };
        try {
          await docs.insertOne(doc);
          acked.set(doc._id, canonical(doc));
        } catch (error) {
          failed.push({ doc, error });
          stop = true;
        }
      }
    };
    await Promise.all([0, 1, 2, 3].map(writer));
    const exit = await proc.exited;
    t.diagnostic(`${acked.size} acknowledged inserts, ${failed.length} failed when the disk filled up`);

    assert.equal(exit.code, JOURNAL_FAILURE_EXIT_CODE, `exit ${JSON.stringify(exit)}\n${proc.stderr()}`);
    const line = proc
      .stderr()
      .split("\n")
      .find((l) => l.includes("disk full"));
    assert.ok(line, `no line about the full disk on stderr:\n${proc.stderr()}`);
    assert.match(line, /ENOSPC: no space left on device/);
    assert.ok(line.includes(dbPath), `the line does not name ${dbPath}: ${line}`);
    t.diagnostic(`stderr: ${line}`);
    assert.ok(acked.size > 50, `only ${acked.size} inserts before the disk was full`);
    assert.ok(failed.length >= 1, "no write failed");
    for (const { error } of failed) assert.ok(error instanceof Error, "a failed write reports an error");

    // The copy starts without repair: what was acknowledged is there exactly; in-flight writes whole or not.
    const warnings: string[] = [];
    const restarted = await startEmbeddedMongo({
      dbPath: join(copy, "db"),
      port: 0,
      log: (level, message) => {
        if (level === "warn" || level === "error") warnings.push(message);
      },
    });
    const again = new MongoClient(restarted.uri);
    try {
      const recovered = await again.db("full").collection<Doc>("docs").find({}).toArray();
      const byId = new Map(recovered.map((doc) => [String(doc._id), canonical(doc)]));
      for (const [id, doc] of acked) assert.equal(byId.get(id), doc, `acknowledged ${id} lost or changed`);
      const inFlight = new Map(failed.map(({ doc }) => [String(doc._id), canonical(doc)]));
      for (const [id, doc] of byId) {
        if (acked.has(id)) continue;
        assert.equal(inFlight.get(id), doc, `unexpected document ${id} after recovery`);
      }
      t.diagnostic(
        `recovered ${recovered.length} documents (${recovered.length - acked.size} of the failed writes had reached the disk); ` +
          `recovery warnings: ${warnings.join(" | ") || "none"}`,
      );
      // And it works as a database again.
      await again.db("full").collection<Doc>("docs").insertOne({ _id: "after", ok: true });
    } finally {
      await again.close();
      await restarted.close();
    }
  } finally {
    await client.close(true);
    proc.kill();
    await proc.exited;
    await dir.remove();
  }
});

test("the app stops with a clear message when its disk is full and keeps every acknowledged application", {
  timeout: 120_000,
}, async (t) => {
  const { dir, mount, copy } = await dirs("faults-disk-app");
  const port = await freePort();
  const mongoPort = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env = {
    PORT: String(port),
    EMBEDDED_MONGO_PORT: String(mongoPort),
    DEMO_DATA: "off",
    LOG_LEVEL: "warn",
    NODE_ENV: "development",
  };
  const proc = onTinyDisk(mount, copy, 'DATA_DIR="$FAULT_MNT/data" node --import tsx server/main.ts', env);
  let restarted: ReturnType<typeof startServerProcess> | undefined;
  try {
    // The app is up once its health answers.
    const deadline = performance.now() + 60_000;
    for (;;) {
      const answered = await request(`${baseUrl}/api/health`).catch(() => null);
      if (answered?.status === 200) break;
      if (proc.child.exitCode !== null || performance.now() > deadline) {
        throw new Error(`the app did not start\nstdout:\n${proc.stdout()}\nstderr:\n${proc.stderr()}`);
      }
      await sleep(100);
    }
    // A registrar, created over the wire in the app's database.
    await mongoose.connect(`mongodb://127.0.0.1:${mongoPort}/?directConnection=true`, {
      dbName: defaults.embeddedDbName,
    });
    let agency: Awaited<ReturnType<typeof buildAgency>>;
    let login: { username: string; password: string };
    try {
      agency = await buildAgency({ name: "磁盘测试机关" });
      login = await buildStaff([{ agency, role: "registrar" }]);
    } finally {
      await mongoose.disconnect();
    }
    const session = await request(`${baseUrl}/api/auth/staff/login`, { method: "POST", json: login });
    assert.equal(session.status, 200, JSON.stringify(session.body));
    const headers = {
      Cookie: (session.headers.getSetCookie?.() ?? []).map((l) => l.split(";")[0]).join("; "),
      "X-CSRF-Token": (session.body as { data: { csrfToken: string } }).data.csrfToken,
    };

    // Three registrars' desks register long applications until the disk is full.
    const today = dateInChina();
    const acked = new Map<string, { id: string; serialNo: string }>();
    const failed: { description: string; outcome: string }[] = [];
    let firstFailureAt: number | undefined;
    let stop = false;
    let serial = 0;
    const desk = async (): Promise<void> => {
      while (!stop) {
        const description =
          `磁盘测试申请 ${++serial}：${"二〇二四年度大气污染防治专项资金使用情况".repeat(90)}`.slice(0, 2000);
        let response: TestResponse | undefined;
        let failure: unknown;
        try {
          response = await request(`${baseUrl}/api/requests/register`, {
            method: "POST",
            headers,
            json: registration(agency, today, { description }),
          });
        } catch (error) {
          failure = error;
        }
        if (response?.status === 201) {
          const created = (response.body as { data: RequestDetailDto }).data;
          acked.set(description, { id: created.id, serialNo: created.serialNo });
          continue;
        }
        firstFailureAt ??= performance.now();
        failed.push({ description, outcome: response ? `${response.status}` : String(failure) });
        stop = true;
      }
    };
    await Promise.all([desk(), desk(), desk()]);
    const exit = await proc.exited;
    const stoppedAfterMs = performance.now() - (firstFailureAt ?? performance.now());
    t.diagnostic(
      `${acked.size} applications acknowledged before the disk was full; ${failed.length} failed (${failed.map((f) => f.outcome).join("; ")}); ` +
        `the app had exited ${Math.round(stoppedAfterMs)} ms after the first failure`,
    );

    assert.equal(exit.code, JOURNAL_FAILURE_EXIT_CODE, `exit ${JSON.stringify(exit)}\n${proc.stderr()}`);
    const line = proc
      .stderr()
      .split("\n")
      .find((l) => l.includes("磁盘已满"));
    assert.ok(line, `no line about the full disk on stderr:\n${proc.stderr()}`);
    assert.match(line, /ENOSPC: no space left on device/);
    assert.ok(
      line.includes(join(mount, "data", "mongo")),
      `the line does not name the data directory: ${line}`,
    );
    t.diagnostic(`stderr: ${line}`);
    assert.ok(acked.size >= 20, `only ${acked.size} applications before the disk was full`);
    assert.ok(stoppedAfterMs < 10_000, `the app ran on for ${Math.round(stoppedAfterMs)} ms`);
    // Nothing after the full disk was acknowledged: the requests that met it got no answer at all.
    for (const { outcome } of failed) assert.doesNotMatch(outcome, /^2\d\d$/);

    // Restarted on the copy (an ordinary disk), the app has every acknowledged application.
    restarted = startServerProcess({ ...env, DATA_DIR: join(copy, "data") });
    await waitForHttpOk(`${baseUrl}/api/health`, restarted, 60_000);
    const verifier = new MongoClient(`mongodb://127.0.0.1:${mongoPort}/?directConnection=true`);
    try {
      const report = await checkConsistency(verifier.db(defaults.embeddedDbName));
      const byDescription = new Map([...report.byId.values()].map((r) => [r.description, r]));
      for (const [description, { id, serialNo }] of acked) {
        const stored = byDescription.get(description);
        assert.ok(stored, `acknowledged application ${serialNo} lost`);
        assert.equal(String(stored._id), id);
        assert.equal(stored.serialNo, serialNo);
      }
      const failedDescriptions = new Set(failed.map((f) => f.description));
      for (const description of byDescription.keys()) {
        assert.ok(
          acked.has(description) || failedDescriptions.has(description),
          "an application that was never sent",
        );
      }
      t.diagnostic(`after the restart: ${report.requests} applications, ${report.checks} consistency checks`);
    } finally {
      await verifier.close();
    }
    // And it serves writes again.
    const more = await request(`${baseUrl}/api/requests/register`, {
      method: "POST",
      headers,
      json: registration(agency, today, { description: "磁盘恢复后的申请" }),
    });
    assert.equal(more.status, 201, JSON.stringify(more.body));
    restarted.child.kill("SIGTERM");
    assert.equal((await waitForExit(restarted, 30_000)).code, 0);
    restarted = undefined;
  } finally {
    if (restarted && restarted.child.exitCode === null) {
      restarted.child.kill("SIGKILL");
      await restarted.exited;
    }
    proc.kill();
    await proc.exited;
    await dir.remove();
  }
});
