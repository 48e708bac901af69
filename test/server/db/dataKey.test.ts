import assert from "node:assert/strict";
import { chmod, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, test } from "node:test";
import { decodeDataKey } from "@govinfo/config/env";
import { DataKeyError, ensureDataKey } from "../../../server/db/dataKey.ts";
import { createTempDir, type TempDir } from "../../support/tempDir.ts";

let dir: TempDir;
beforeEach(async () => {
  dir = await createTempDir("datakey");
});
afterEach(() => dir.remove());

test("the first start generates a 32-byte key file readable only by its owner", async () => {
  const result = await ensureDataKey({ configured: undefined, dataDir: dir.path });
  assert.equal(result.source, "generated");
  assert.equal(result.key.length, 32);
  const path = join(dir.path, "data.key");
  assert.equal(result.path, path);
  assert.equal((await stat(path)).mode & 0o777, 0o600);
  assert.deepEqual(decodeDataKey(await readFile(path, "utf8")), result.key);
});

test("later starts read the same key back", async () => {
  const first = await ensureDataKey({ configured: undefined, dataDir: dir.path });
  const second = await ensureDataKey({ configured: undefined, dataDir: dir.path });
  assert.equal(second.source, "file");
  assert.deepEqual(second.key, first.key);
  assert.equal(second.insecureMode, undefined);
});

test("DATA_KEY wins and no file is written", async () => {
  const configured = Buffer.alloc(32, 9);
  const result = await ensureDataKey({ configured, dataDir: dir.path });
  assert.equal(result.source, "env");
  assert.equal(result.key, configured);
  await assert.rejects(stat(join(dir.path, "data.key")), { code: "ENOENT" });
});

test("a corrupt key file stops the boot instead of being replaced", async () => {
  await writeFile(join(dir.path, "data.key"), "garbage\n", { mode: 0o600 });
  await assert.rejects(ensureDataKey({ configured: undefined, dataDir: dir.path }), DataKeyError);
  assert.equal(await readFile(join(dir.path, "data.key"), "utf8"), "garbage\n");
});

test("a key file readable by others is flagged", async () => {
  await ensureDataKey({ configured: undefined, dataDir: dir.path });
  await chmod(join(dir.path, "data.key"), 0o644);
  const result = await ensureDataKey({ configured: undefined, dataDir: dir.path });
  assert.equal(result.insecureMode, "0644");
});

test("concurrent first starts agree on one key", async () => {
  const results = await Promise.all(
    [1, 2, 3, 4].map(() => ensureDataKey({ configured: undefined, dataDir: dir.path })),
  );
  const keys = new Set(results.map((result) => result.key.toString("hex")));
  assert.equal(keys.size, 1);
});
