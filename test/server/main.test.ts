import assert from "node:assert/strict";
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { freePort } from "../support/ports.ts";
import { startServerProcess, waitForExit, waitForHttpOk } from "../support/serverProcess.ts";
import { createTempDir, type TempDir } from "../support/tempDir.ts";

// Boots the real entry point as a child process, as `npm start` does, on a temp data directory.
describe("server/main.ts", () => {
  let dataDir: TempDir;
  before(async () => {
    dataDir = await createTempDir("main");
  });
  after(() => dataDir.remove());

  async function bootAndStop(): Promise<string> {
    const port = await freePort();
    const server = startServerProcess({ PORT: String(port), DATA_DIR: dataDir.path, LOG_LEVEL: "info" });
    try {
      await waitForHttpOk(`http://127.0.0.1:${port}/api/health`, server);
      const response = await fetch(`http://127.0.0.1:${port}/api/health`);
      const body = (await response.json()) as { data: { database: { mode: string; ok: boolean } } };
      assert.deepEqual(body.data.database, { mode: "embedded", ok: true });
      server.child.kill("SIGTERM");
      const exit = await waitForExit(server, 10_000);
      assert.deepEqual(exit, { code: 0, signal: null }, server.stderr());
      return server.stdout();
    } finally {
      server.child.kill("SIGKILL");
    }
  }

  test("starts on the embedded database, answers health and exits 0 on SIGTERM", async () => {
    const stdout = await bootAndStop();
    const lines = stdout
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as { msg: string; source?: string; urls?: { health: string } });
    assert.equal(lines.find((line) => line.msg === "data key ready")?.source, "generated");
    assert.match(lines.find((line) => line.msg === "listening")?.urls?.health ?? "", /\/api\/health$/);
    assert.ok(lines.some((line) => line.msg === "stopped"));
    assert.equal((await stat(join(dataDir.path, "data.key"))).mode & 0o777, 0o600);
  });

  test("a second start reuses the generated data key", async () => {
    const keyBefore = await readFile(join(dataDir.path, "data.key"), "utf8");
    const stdout = await bootAndStop();
    assert.match(stdout, /"msg":"data key ready"/);
    assert.match(stdout, /"source":"file"/);
    assert.equal(await readFile(join(dataDir.path, "data.key"), "utf8"), keyBefore);
  });

  test("an invalid PORT exits non-zero with the problem on stderr", async () => {
    const server = startServerProcess({ PORT: "abc", DATA_DIR: dataDir.path });
    const exit = await waitForExit(server, 10_000);
    assert.notEqual(exit.code, 0);
    assert.match(server.stderr(), /^PORT: must be an integer between 1 and 65535$/m);
  });

  test("a port already in use exits non-zero with a readable problem", async () => {
    const port = await freePort();
    const first = startServerProcess({ PORT: String(port), DATA_DIR: dataDir.path });
    try {
      await waitForHttpOk(`http://127.0.0.1:${port}/api/health`, first);
      const second = startServerProcess({ PORT: String(port), DATA_DIR: dataDir.path });
      const exit = await waitForExit(second, 30_000);
      assert.equal(exit.code, 1);
      assert.match(second.stderr(), /PORT: 127\.0\.0\.1:\d+ is already in use/);
      first.child.kill("SIGTERM");
      assert.equal((await waitForExit(first, 10_000)).code, 0);
    } finally {
      first.child.kill("SIGKILL");
    }
  });
});
