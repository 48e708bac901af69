import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { acquireLock, LockHeldError } from "../../../server/embedded-mongo/src/journal/index.ts";
import { tempDir } from "./helpers.ts";

const lockOf = (dir: string): { pid: number; port: number; startedAt: string } =>
  JSON.parse(readFileSync(join(dir, "mongod.lock"), "utf8"));

describe("mongod.lock", () => {
  test("records pid and port; a second acquire while the holder lives throws with its port", () => {
    const dir = tempDir();
    const lock = acquireLock(dir);
    assert.equal(lockOf(dir).pid, process.pid);
    lock.update(27123);
    assert.equal(lockOf(dir).port, 27123);
    assert.throws(
      () => acquireLock(dir),
      (error: unknown) => {
        assert.ok(error instanceof LockHeldError);
        assert.equal(error.info.pid, process.pid);
        assert.equal(error.info.port, 27123);
        return true;
      },
    );
    lock.release();
    assert.ok(!existsSync(join(dir, "mongod.lock")));
    acquireLock(dir).release();
  });

  test("a lock held by another live process is respected", async () => {
    const dir = tempDir();
    const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 30000)"], { stdio: "ignore" });
    try {
      writeFileSync(
        join(dir, "mongod.lock"),
        JSON.stringify({ pid: child.pid, port: 4000, startedAt: "then" }),
      );
      assert.throws(() => acquireLock(dir), { name: "LockHeldError" });
      assert.equal(lockOf(dir).pid, child.pid, "left untouched");
    } finally {
      child.kill();
    }
  });

  test("a stale lock (dead pid) is taken over", () => {
    const dir = tempDir();
    const dead = spawnSync(process.execPath, ["-e", ""]).pid;
    writeFileSync(join(dir, "mongod.lock"), JSON.stringify({ pid: dead, port: 4000, startedAt: "then" }));
    const lock = acquireLock(dir);
    assert.equal(lockOf(dir).pid, process.pid);
    assert.equal(lockOf(dir).port, 0);
    lock.release();
  });

  test("an unreadable lock is taken over", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "mongod.lock"), "");
    const lock = acquireLock(dir);
    assert.equal(lockOf(dir).pid, process.pid);
    lock.release();
  });

  test("release leaves a successor's lock alone", () => {
    const dir = tempDir();
    const lock = acquireLock(dir);
    writeFileSync(join(dir, "mongod.lock"), JSON.stringify({ pid: 1, port: 1, startedAt: "x" }));
    lock.release();
    assert.ok(existsSync(join(dir, "mongod.lock")));
  });
});
