/**
 * Keeps `bench/catalogue.ts` from rotting: runs it with `--quick` and checks that its last line is the
 * JSON summary with the figures the issue asks for, and that no request failed.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { test } from "node:test";
import { repoRoot } from "../support/serverProcess.ts";

const KEYS = [
  "listRps",
  "bareRps",
  "listRatio",
  "listP99Ms",
  "searchP95Ms",
  "listColdRps",
  "searchColdP95Ms",
] as const;

test("bench/catalogue.ts --quick prints a JSON summary as its last line", { timeout: 240_000 }, async () => {
  const child = spawn(process.execPath, ["--import", "tsx", "bench/catalogue.ts", "--quick"], {
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
  const timer = setTimeout(() => child.kill("SIGKILL"), 230_000);
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  clearTimeout(timer);
  assert.equal(code, 0, `bench exited with ${code}\nstdout:\n${stdout}\nstderr:\n${stderr}`);

  const lines = stdout.trimEnd().split("\n");
  const summary = JSON.parse(lines.at(-1) ?? "") as Record<string, unknown>;
  for (const key of KEYS) {
    const value = summary[key];
    assert.ok(typeof value === "number" && Number.isFinite(value) && value > 0, `${key} = ${String(value)}`);
  }
  assert.equal(summary.items, 10_000);
  assert.equal(summary.non2xx, 0, "every benchmark request succeeded");
  assert.ok(
    lines.some((line) => line.startsWith("endpoint")),
    "the readable table is missing",
  );
});
