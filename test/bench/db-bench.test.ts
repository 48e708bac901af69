/**
 * Keeps `bench/db.ts` from rotting: runs it with `--quick` and checks that its last line is the JSON
 * summary with a positive embedded, sqlite and ratio figure for every operation.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { test } from "node:test";
import { repoRoot } from "../support/serverProcess.ts";

const KEYS = ["insertMany", "indexedLookups", "idIn100", "groupSum", "singleInserts"] as const;

test("bench/db.ts --quick prints a JSON summary as its last line", { timeout: 120_000 }, async () => {
  const child = spawn(process.execPath, ["--import", "tsx", "bench/db.ts", "--quick"], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", TZ: "Asia/Shanghai" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), 110_000);
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  clearTimeout(timer);
  assert.equal(code, 0, `bench exited with ${code}\nstdout:\n${stdout}\nstderr:\n${stderr}`);

  const lines = stdout.trimEnd().split("\n");
  const summary = JSON.parse(lines.at(-1) ?? "") as Record<string, unknown>;
  for (const key of KEYS) {
    const figures = summary[key] as Record<string, unknown> | undefined;
    assert.ok(figures, `summary lacks ${key}: ${lines.at(-1)}`);
    for (const field of ["embeddedMs", "sqliteMs", "ratio"]) {
      const value = figures[field];
      assert.ok(
        typeof value === "number" && Number.isFinite(value) && value > 0,
        `${key}.${field} = ${value}`,
      );
    }
  }
  assert.ok(
    lines.some((line) => line.startsWith("operation")),
    "the readable table is missing",
  );
});
