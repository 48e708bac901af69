/**
 * The load test in CI: `bench/mixed.ts --load --quick` holds a fixed rate of the mixed workload for
 * 10 s against the real server process with zero errors, reports the server's RSS at the start and
 * the end, and runs a short step search. Its latencies are reported, not asserted.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { assertPositive, runQuickBench } from "../support/bench.ts";

test("a 10 s fixed-rate mixed load has no error and reports RSS", { timeout: 240_000 }, async () => {
  const { lines, summary } = await runQuickBench("bench/mixed.ts", 230_000, ["--load"]);
  assert.equal(summary.mode, "load");
  assert.equal(summary.seconds, 10);
  assert.equal(summary.requests, 150);
  assert.equal(summary.errors, 0, lines.filter((line) => line.startsWith("error:")).join("\n"));
  for (const key of ["rssStartMiB", "rssEndMiB", "rssPeakMiB", "throughput", "p99Ms"])
    assertPositive(summary[key], key);
  const steps = summary.steps as { rate: number; held: boolean }[];
  assert.ok(steps.length >= 1, "the step search ran");
  assert.equal(typeof summary.maxRateHeld, "number");
  assert.equal(summary.serverExitCode, 0, "the server shut down cleanly after the run");
});
