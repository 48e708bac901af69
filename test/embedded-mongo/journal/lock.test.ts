/**
 * The data-directory lock is released by the holder's death, not judged from the pid in mongod.lock:
 * a lock file naming a live unrelated process, or the starting process itself, is taken over at once;
 * restart right after kill -9 works with no pause; of two servers racing for one directory exactly one
 * owns it and the other attaches (in process) or exits with code 3 (CLI); attaching needs a `hello`
 * over the directory's socket that returns the instance id recorded in the lock.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { describe, test } from "node:test";
import { startEmbeddedMongo } from "@govinfo/embedded-mongo";
import { MongoClient } from "mongodb";
import { acquireLock, LockHeldError } from "../../../server/embedded-mongo/src/journal/index.ts";
import { expectExit, spawnCli } from "../support.ts";
import { tempDir } from "./helpers.ts";

interface LockFile {
  pid: number;
  instanceId: string;
  socket: string;
  port: number;
  startedAt: string;
}
const lockOf = (dir: string): LockFile => JSON.parse(readFileSync(join(dir, "mongod.lock"), "utf8"));

/** A lock file as a dead server would have left it, naming `pid`. */
function staleLock(dir: string, pid: number): void {
  const stale: LockFile = {
    pid,
    instanceId: "0b5e0b5e-dead-4dea-8dea-000000000000",
    socket: join(dir, "mongod.sock"),
    port: 4000,
    startedAt: "2020-01-01T00:00:00.000Z",
  };
  writeFileSync(join(dir, "mongod.lock"), JSON.stringify(stale));
}

/** Starts on `dir` and proves it is the owner: not attached, data written through its own socket. */
async function expectOwner(dir: string, withinMs: number): Promise<void> {
  const started = performance.now();
  const server = await startEmbeddedMongo({ dbPath: dir });
  try {
    assert.equal(server.attached, false, "the starting server owns the directory");
    assert.ok(performance.now() - started < withinMs, `took ${performance.now() - started} ms`);
    assert.equal(lockOf(dir).pid, process.pid);
    const client = await MongoClient.connect(server.uri, { serverSelectionTimeoutMS: 5_000 });
    await client.db("lock").collection("c").insertOne({ ok: true });
    await client.close();
  } finally {
    await server.close();
  }
}

describe("data-directory lock", () => {
  test("records pid, instance id, socket and port; a second acquire in the same process waits, then fails", async () => {
    const dir = tempDir();
    const lock = await acquireLock(dir);
    const info = lockOf(dir);
    assert.equal(info.pid, process.pid);
    assert.equal(info.instanceId, lock.instanceId);
    assert.equal(info.socket, join(dir, "mongod.sock"));
    lock.update(27123);
    assert.equal(lockOf(dir).port, 27123);
    // The kernel lock is held, but nothing answers hello on the socket: no attach, no takeover.
    await assert.rejects(acquireLock(dir, { waitMs: 300 }), /locked by a live process that does not answer/);
    await lock.release();
    assert.ok(!existsSync(join(dir, "mongod.lock")));
    await (await acquireLock(dir)).release();
  });

  test("a lock file naming a live unrelated process is taken over at once", async () => {
    const dir = tempDir();
    const bystander = spawn(process.execPath, ["-e", "setTimeout(() => {}, 30000)"], { stdio: "ignore" });
    try {
      staleLock(dir, bystander.pid!);
      await expectOwner(dir, 5_000);
      assert.equal(bystander.exitCode, null, "the bystander was left alone");
    } finally {
      bystander.kill();
    }
  });

  test("a lock file naming the starting process itself (pid reuse after a container restart) is taken over", async () => {
    const dir = tempDir();
    staleLock(dir, process.pid);
    await expectOwner(dir, 5_000);
  });

  test("a stranger answering on the socket without the recorded instance id is not attached to", async () => {
    const dir = tempDir();
    staleLock(dir, process.pid);
    // Accepts connections but never answers hello as the owner.
    const stranger = createServer((socket) => socket.end());
    await new Promise<void>((done) => stranger.listen(join(dir, "mongod.sock"), done));
    try {
      await expectOwner(dir, 10_000);
    } finally {
      stranger.close();
    }
  });

  test("an unreadable lock file is taken over", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "mongod.lock"), "");
    await expectOwner(dir, 5_000);
  });

  test("a live owner is attached to only after the hello handshake; release leaves a successor's lock alone", async () => {
    const dir = tempDir();
    const owner = await startEmbeddedMongo({ dbPath: dir });
    try {
      const attached = await startEmbeddedMongo({ dbPath: dir });
      assert.equal(attached.attached, true);
      assert.equal(attached.socketPath, owner.socketPath);
      const client = await MongoClient.connect(attached.uri, { serverSelectionTimeoutMS: 5_000 });
      const hello = await client.db("admin").command({ hello: 1 });
      assert.equal(hello.embeddedInstanceId, lockOf(dir).instanceId);
      await client.close();
      await assert.rejects(acquireLock(dir), (error: unknown) => {
        assert.ok(error instanceof LockHeldError);
        assert.equal(error.info.instanceId, lockOf(dir).instanceId);
        return true;
      });
    } finally {
      await owner.close();
    }
    assert.ok(!existsSync(join(dir, "mongod.lock")), "a clean close removes the lock file");
  });

  test("the directory is 0700 and the socket 0600: no other local user can connect", async () => {
    const dir = tempDir();
    const server = await startEmbeddedMongo({ dbPath: dir });
    try {
      assert.equal(statSync(dir).mode & 0o777, 0o700);
      assert.equal(statSync(server.socketPath!).mode & 0o777, 0o600);
      assert.equal(server.port, 0, "no TCP port unless one is asked for");
      assert.match(server.uri, /^mongodb:\/\/%2F.*mongod\.sock\/\?directConnection=true$/);
    } finally {
      await server.close();
    }
  });
});

describe("data-directory lock across processes", () => {
  test("restart immediately after kill -9: the next start owns the directory and has the data", async () => {
    const dir = tempDir();
    for (let round = 0; round < 3; round++) {
      const cli = spawnCli(["--dbpath", dir, "--port", "none"]);
      const uri = await cli.ready;
      const client = await MongoClient.connect(uri, { serverSelectionTimeoutMS: 5_000 });
      const docs = client.db("lock").collection<{ _id: number }>("c");
      assert.equal(await docs.countDocuments(), round, "every earlier acknowledged write survived");
      await docs.insertOne({ _id: round });
      await client.close(true);
      const exit = await cli.stop("SIGKILL");
      assert.equal(exit.signal, "SIGKILL");
      assert.ok(existsSync(join(dir, "mongod.lock")), "kill -9 leaves the lock file behind");
      // No pause: the kernel released the lock with the process.
    }
    const last = spawnCli(["--dbpath", dir, "--port", "none"]);
    const client = await MongoClient.connect(await last.ready, { serverSelectionTimeoutMS: 5_000 });
    assert.equal(await client.db("lock").collection("c").countDocuments(), 3);
    await client.close(true);
    assert.equal((await last.stop("SIGTERM")).code, 0);
  });

  test("two CLIs racing for one directory: exactly one serves it, the other exits with code 3", async () => {
    for (let round = 0; round < 3; round++) {
      const dir = tempDir();
      const racers = [0, 1].map(() => spawnCli(["--dbpath", dir, "--port", "none"]));
      try {
        const outcomes = await Promise.all(
          racers.map((cli) =>
            cli.ready.then(
              () => "ready" as const,
              () => expectExit(cli, 5_000),
            ),
          ),
        );
        const ready = outcomes.filter((o) => o === "ready");
        const exits = outcomes.filter((o) => o !== "ready");
        assert.equal(ready.length, 1, `exactly one owner: ${JSON.stringify(outcomes)}`);
        assert.deepEqual(
          exits.map((e) => (e as { code: number | null }).code),
          [3],
        );
        const loser = racers.find((cli) => !/^ready /m.test(cli.stdout()))!;
        assert.match(loser.stderr(), /already served by another process at mongodb:\/\/%2F.*mongod\.sock/);
      } finally {
        for (const cli of racers) await cli.stop("SIGTERM");
      }
    }
  });

  test("two servers starting in two processes at once: one owns, the other attaches and shares its data", async () => {
    const dir = tempDir();
    const script = `
      import { startEmbeddedMongo } from "@govinfo/embedded-mongo";
      const server = await startEmbeddedMongo({ dbPath: ${JSON.stringify(dir)} });
      process.stdout.write(JSON.stringify({ attached: server.attached, uri: server.uri }) + "\\n");
      process.stdin.on("end", () => server.close().then(() => process.exit(0)));
      process.stdin.resume();
    `;
    const children = [0, 1].map(() =>
      spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
        cwd: join(import.meta.dirname, "../../.."),
        stdio: ["pipe", "pipe", "inherit"],
      }),
    );
    try {
      const reports = await Promise.all(
        children.map(
          (child) =>
            new Promise<{ attached: boolean; uri: string }>((resolve, reject) => {
              let out = "";
              child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
                out += chunk;
                if (out.includes("\n")) resolve(JSON.parse(out));
              });
              child.once("exit", (code) => reject(new Error(`exited ${code} before reporting`)));
            }),
        ),
      );
      assert.deepEqual(reports.map((r) => r.attached).sort(), [false, true]);
      assert.equal(reports[0]!.uri, reports[1]!.uri, "both reach the owner's socket");
      const client = await MongoClient.connect(reports[0]!.uri, { serverSelectionTimeoutMS: 5_000 });
      await client.db("lock").collection("c").insertOne({ from: "test" });
      await client.close();
    } finally {
      // The attached one first, so the owner is not closed under it.
      for (const child of children) child.stdin!.end();
      await Promise.all(children.map((child) => new Promise((done) => child.once("exit", done))));
    }
  });
});
