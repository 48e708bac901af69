import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { freePort } from "../support/ports.ts";
import {
  type ServerProcess,
  startServerProcess,
  waitForExit,
  waitForHttpOk,
} from "../support/serverProcess.ts";
import { createTempDir, type TempDir } from "../support/tempDir.ts";

// The first `npm start` on an empty data directory seeds the demo and prints the one-time logins;
// a restart finds the demo agency and seeds nothing.
describe("demo data at boot", () => {
  let dataDir: TempDir;
  before(async () => {
    dataDir = await createTempDir("demo-boot");
  });
  after(() => dataDir.remove());

  /**
   * Waits until the process has printed `pattern` (the background seeding runs after `listen`). Seeding
   * a year of applications, the catalogue and a report takes ~20 s alone but over a minute on a busy
   * 2-core CI machine running other test files beside it, hence the generous bound.
   */
  async function waitForOutput(server: ServerProcess, pattern: RegExp, timeoutMs = 240_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(server.stdout())) {
      if (Date.now() > deadline) throw new Error(`no ${pattern} within ${timeoutMs} ms\n${server.stdout()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function boot(extraEnv: Record<string, string> = {}) {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const server = startServerProcess({
      PORT: String(port),
      DATA_DIR: dataDir.path,
      LOG_LEVEL: "info",
      ...extraEnv,
    });
    const stop = async () => {
      server.child.kill("SIGTERM");
      const exit = await waitForExit(server, 15_000);
      assert.deepEqual(exit, { code: 0, signal: null }, server.stderr());
    };
    try {
      await waitForHttpOk(`${base}/api/health`, server, 30_000);
      // The scheduler starts once seeding is done (or skipped); its first run marks the end of the boot.
      await waitForOutput(server, /"msg":"job finished"/);
    } catch (error) {
      server.child.kill("SIGKILL");
      throw error;
    }
    return { server, base, stop };
  }

  async function login(base: string, username: string, password: string): Promise<number> {
    const response = await fetch(`${base}/api/auth/staff/login`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ username, password }),
    });
    await response.arrayBuffer();
    return response.status;
  }

  test("seeds once on the first start and not again on a restart", async () => {
    const first = await boot();
    const logins = [...first.server.stdout().matchAll(/^ {4}(\S+)\s+(\S{4}-\S{4}-\S{4}) /gm)].map((m) => ({
      username: m[1] ?? "",
      password: m[2] ?? "",
    }));
    await first.stop().catch(async (error: unknown) => {
      first.server.child.kill("SIGKILL");
      throw error;
    });
    assert.match(first.server.stdout(), /演示账号/);
    assert.match(first.server.stdout(), /"msg":"demo data seeded"/);
    assert.equal(logins.length, 6, first.server.stdout());
    assert.ok(logins.some((l) => l.username === "hdsthjj-dengji"));

    const second = await boot();
    try {
      assert.doesNotMatch(second.server.stdout(), /演示账号|seeding demo data/);
      // The first start's one-time password still works: the accounts were not recreated.
      const registrar = logins.find((l) => l.username === "hdsthjj-dengji");
      assert.ok(registrar);
      assert.equal(await login(second.base, registrar.username, registrar.password), 200);
    } finally {
      await second.stop();
    }
  });

  test("DEMO_DATA=off on an empty database seeds nothing", async () => {
    const empty = await createTempDir("demo-off");
    const port = await freePort();
    const server = startServerProcess({
      PORT: String(port),
      DATA_DIR: empty.path,
      LOG_LEVEL: "silent",
      DEMO_DATA: "off",
    });
    try {
      await waitForHttpOk(`http://127.0.0.1:${port}/api/health`, server, 30_000);
      const response = await fetch(`http://127.0.0.1:${port}/api/auth/staff/login`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ username: "hdsthjj-dengji", password: "x" }),
      });
      await response.arrayBuffer();
      assert.equal(response.status, 401);
      assert.doesNotMatch(server.stdout(), /演示账号/);
      server.child.kill("SIGTERM");
      assert.equal((await waitForExit(server, 15_000)).code, 0);
    } finally {
      server.child.kill("SIGKILL");
      await empty.remove();
    }
  });
});
