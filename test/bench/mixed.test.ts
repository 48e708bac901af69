/**
 * Keeps `bench/mixed.ts` from rotting: runs the mixed workload with `--quick` against the real server
 * process and checks the JSON summary: every request answered as expected, every kind of work was
 * sent, latencies and the server's memory are reported. No timing threshold: speed is measured, not
 * asserted.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { assertPositive, runQuickBench } from "../support/bench.ts";

test("bench/mixed.ts --quick runs the mixed workload without an error", { timeout: 180_000 }, async () => {
  const { lines, summary } = await runQuickBench("bench/mixed.ts", 170_000);
  assert.equal(summary.mode, "mixed");
  assert.equal(summary.requests, 50);
  assert.equal(summary.errors, 0, lines.filter((line) => line.startsWith("error:")).join("\n"));
  const kinds = summary.kinds as Record<string, { count: number; errors: number; p99Ms: number }>;
  assert.deepEqual(Object.keys(kinds).sort(), ["apply", "browse", "search", "staff"]);
  for (const [kind, figures] of Object.entries(kinds)) {
    assertPositive(figures.count, `${kind}.count`);
    assertPositive(figures.p99Ms, `${kind}.p99Ms`);
  }
  for (const key of ["p50Ms", "p99Ms", "healthP99Ms", "p99Ratio", "throughput", "rssStartMiB", "rssEndMiB"])
    assertPositive(summary[key], key);
  assert.equal(summary.serverExitCode, 0, "the server shut down cleanly after the run");
});
