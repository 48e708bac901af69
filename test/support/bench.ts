/**
 * Runs a benchmark script with `--quick` as a child process and returns its output and the JSON
 * summary on its last line, so each benchmark's test only states what its summary must hold.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { repoRoot, watchProcess } from "./serverProcess.ts";

/**
 * Runs `bench/<name>.ts --quick` and parses the last line of stdout as JSON.
 * @param script path relative to the repository root, e.g. "bench/db.ts".
 * @param timeoutMs the child is killed after this long.
 * @param args further arguments, e.g. ["--load"].
 */
export async function runQuickBench(
  script: string,
  timeoutMs: number,
  args: string[] = [],
): Promise<{ lines: string[]; summary: Record<string, unknown> }> {
  const child = spawn(process.execPath, ["--import", "tsx", script, "--quick", ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", TZ: "Asia/Shanghai" },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so a timeout also ends any server the benchmark spawned.
    detached: true,
  });
  const run = watchProcess(child);
  const timer = setTimeout(() => {
    try {
      process.kill(-(child.pid ?? 0), "SIGKILL");
    } catch {
      // Already gone.
    }
  }, timeoutMs);
  const { code } = await run.exited;
  clearTimeout(timer);
  const stdout = run.stdout();
  assert.equal(code, 0, `${script} exited with ${code}\nstdout:\n${stdout}\nstderr:\n${run.stderr()}`);
  const lines = stdout.trimEnd().split("\n");
  return { lines, summary: JSON.parse(lines.at(-1) ?? "") as Record<string, unknown> };
}

/** Asserts that a summary value is a finite positive number. */
export function assertPositive(value: unknown, name: string): void {
  assert.ok(typeof value === "number" && Number.isFinite(value) && value > 0, `${name} = ${String(value)}`);
}
