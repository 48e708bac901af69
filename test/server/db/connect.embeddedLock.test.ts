/**
 * The app over its embedded database's directory lock and Unix socket (issue 13 item 1, issue 21 item 5):
 * `connectDatabase` and `server/main.ts` start over a lock file naming a live unrelated process or the
 * process itself, restart at once after kill -9, and two apps started at once on one DATA_DIR share one
 * database (one owns it, the other attaches over the socket). By default the app's database listens on
 * no TCP port, only on `<DATA_DIR>/mongo/mongod.sock` in an owner-only directory, which another local
 * user cannot open.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import {
  chmodSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import type { pino } from "pino";
import { connectDatabase } from "../../../server/db/connect.ts";
import { createLogger } from "../../../server/logger.ts";
import { freePort } from "../../support/ports.ts";
import {
  type ServerProcess,
  startServerProcess,
  waitForExit,
  waitForHttpOk,
} from "../../support/serverProcess.ts";
import { createTempDir, type TempDir } from "../../support/tempDir.ts";

const dirs: TempDir[] = [];
after(async () => {
  for (const dir of dirs) await dir.remove();
});

async function dataDir(): Promise<string> {
  const dir = await createTempDir("emlock");
  dirs.push(dir);
  return join(dir.path, "data");
}

/** A lock file as a dead app would have left it, naming `pid`. */
function staleLock(dataDirPath: string, pid: number): void {
  const mongo = join(dataDirPath, "mongo");
  mkdirSync(mongo, { recursive: true });
  writeFileSync(
    join(mongo, "mongod.lock"),
    JSON.stringify({
      pid,
      instanceId: "0b5e0b5e-dead-4dea-8dea-000000000000",
      socket: join(mongo, "mongod.sock"),
      port: 4000,
      startedAt: "2020-01-01T00:00:00.000Z",
    }),
  );
}

/** Opens the app's database over `dataDirPath` in this process, writes and reads, closes; returns the log. */
async function bootInProcess(dataDirPath: string): Promise<string> {
  const lines: string[] = [];
  const logger = createLogger({
    level: "info",
    destination: { write: (line: string) => lines.push(line) } as unknown as pino.DestinationStream,
  });
  const db = await connectDatabase({
    mongodbUri: undefined,
    dataDir: dataDirPath,
    embeddedMongoPort: 0,
    logger,
  });
  try {
    assert.equal(await db.ping(), true);
    await db.connection.db!.collection("lockcheck").insertOne({ at: new Date() });
    assert.equal(await db.connection.db!.collection("lockcheck").countDocuments(), 1);
  } finally {
    await db.close();
  }
  return lines.join("");
}

/** TCP ports the process `pid` listens on, from /proc (Linux). */
function listeningTcpPorts(pid: number): number[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match) inodes.add(match[1]!);
    } catch {
      // closed meanwhile
    }
  }
  const ports: number[] = [];
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    for (const line of readFileSync(table, "utf8").split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      // local_address is field 1 (hex ip:port), st is field 3 (0A = LISTEN), inode is field 9.
      if (fields[3] === "0A" && inodes.has(fields[9]!))
        ports.push(Number.parseInt(fields[1]!.split(":")[1]!, 16));
    }
  }
  return ports;
}

async function startApp(dataDirPath: string): Promise<{ app: ServerProcess; port: number }> {
  const port = await freePort();
  const app = startServerProcess({
    DATA_DIR: dataDirPath,
    PORT: String(port),
    DEMO_DATA: "off",
    LOG_LEVEL: "info",
    NODE_ENV: "development",
  });
  await waitForHttpOk(`http://127.0.0.1:${port}/api/health`, app, 60_000);
  return { app, port };
}

describe("the app over the embedded database's lock", () => {
  test("connectDatabase takes over a lock naming a live unrelated process", async () => {
    const dir = await dataDir();
    const bystander = spawn(process.execPath, ["-e", "setTimeout(() => {}, 30000)"], { stdio: "ignore" });
    try {
      staleLock(dir, bystander.pid!);
      const log = await bootInProcess(dir);
      assert.match(log, /embedded database started/);
      assert.doesNotMatch(log, /already served by another process/);
    } finally {
      bystander.kill();
    }
  });

  test("connectDatabase takes over a lock naming its own process id", async () => {
    const dir = await dataDir();
    staleLock(dir, process.pid);
    const log = await bootInProcess(dir);
    assert.match(log, /embedded database started/);
  });

  test("server/main.ts restarts at once after kill -9 and listens on no TCP port for its database", async () => {
    const dir = await dataDir();
    for (let round = 0; round < 2; round++) {
      const { app, port } = await startApp(dir);
      try {
        assert.deepEqual(listeningTcpPorts(app.child.pid!), [port], "only the HTTP port is open on TCP");
        const lock = JSON.parse(readFileSync(join(dir, "mongo", "mongod.lock"), "utf8"));
        assert.equal(lock.pid, app.child.pid);
        assert.equal(lock.port, 0);
        assert.equal(statSync(join(dir, "mongo")).mode & 0o777, 0o700);
        assert.equal(statSync(join(dir, "mongo", "mongod.sock")).mode & 0o777, 0o600);
      } finally {
        app.child.kill("SIGKILL");
        await waitForExit(app, 30_000);
      }
    }
  });

  test("two apps started at once on one DATA_DIR: one owns the database, the other attaches over its socket", async () => {
    const dir = await dataDir();
    const started = await Promise.all([startApp(dir), startApp(dir)]);
    try {
      const logs = started.map(({ app }) => app.stdout() + app.stderr());
      const owners = logs.filter((log) => /embedded database started/.test(log));
      const attached = logs.filter((log) => /already served by another process/.test(log));
      assert.equal(owners.length, 1, logs.join("\n----\n"));
      assert.equal(attached.length, 1, logs.join("\n----\n"));
      assert.match(attached[0]!, /mongod\.sock/);
      for (const { port } of started) {
        const health = await fetch(`http://127.0.0.1:${port}/api/health`);
        assert.equal(health.status, 200);
      }
    } finally {
      // The attached one first: it depends on the owner.
      const ordered = [...started].sort((a) =>
        /already served by another process/.test(a.app.stdout() + a.app.stderr()) ? -1 : 1,
      );
      for (const { app } of ordered) {
        app.child.kill("SIGTERM");
        assert.equal((await waitForExit(app, 30_000)).code, 0);
      }
    }
  });

  test("another local user cannot open the database socket", async () => {
    const dir = await dataDir();
    const { app } = await startApp(dir);
    try {
      const socket = join(dir, "mongo", "mongod.sock");
      assert.equal(statSync(join(dir, "mongo")).mode & 0o777, 0o700);
      assert.equal(statSync(socket).mode & 0o777, 0o600);
      if (process.getuid?.() === 0) {
        // Let the other user reach the directory, so that each layer is tried on its own.
        for (let path = join(dir); path.length > 1; path = join(path, "..")) {
          if (path === "/tmp" || path === "/") break;
          chmodSync(path, 0o755);
        }
        const tryConnect = () =>
          spawnSync(
            process.execPath,
            [
              "-e",
              `require("node:net").connect(${JSON.stringify(socket)}).on("connect", () => { console.log("connected"); process.exit(0); }).on("error", (e) => { console.log(e.code); process.exit(1); })`,
            ],
            { uid: 65534, gid: 65534, encoding: "utf8", timeout: 10_000 },
          );
        const blockedByDirectory = tryConnect();
        assert.equal(blockedByDirectory.stdout.trim(), "EACCES", blockedByDirectory.stderr);
        chmodSync(join(dir, "mongo"), 0o755);
        const blockedBySocket = tryConnect();
        chmodSync(join(dir, "mongo"), 0o700);
        assert.equal(blockedBySocket.stdout.trim(), "EACCES", blockedBySocket.stderr);
      }
    } finally {
      app.child.kill("SIGTERM");
      assert.equal((await waitForExit(app, 30_000)).code, 0);
    }
  });
});
