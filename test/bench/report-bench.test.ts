/**
 * Keeps `bench/report.ts` from rotting: runs it with `--quick` and checks that its last line is the JSON
 * summary with the required figures.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { test } from "node:test";
import { repoRoot } from "../support/serverProcess.ts";

test("bench/report.ts --quick prints a JSON summary as its last line", { timeout: 180_000 }, async () => {
  const child = spawn(process.execPath, ["--import", "tsx", "bench/report.ts", "--quick"], {
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
  const timer = setTimeout(() => child.kill("SIGKILL"), 170_000);
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  clearTimeout(timer);
  assert.equal(code, 0, `bench exited with ${code}\nstdout:\n${stdout}\nstderr:\n${stderr}`);
  const lines = stdout.trimEnd().split("\n");
  const summary = JSON.parse(lines.at(-1) ?? "") as Record<string, unknown>;
  assert.equal(summary.applications, 20_000);
  assert.equal(summary.agencies, 20);
  for (const key of ["ms", "floorMs", "ratio"]) {
    const value = summary[key];
    assert.ok(typeof value === "number" && Number.isFinite(value) && value > 0, `${key} = ${value}`);
  }
  assert.ok(
    lines.some((line) => line.startsWith("operation")),
    "the readable table is missing",
  );
});
