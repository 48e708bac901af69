/**
 * Keeps `bench/startup.ts` from rotting: runs it with `--quick` and checks that its last line is the
 * JSON summary with the start-up figures of the API and of the bare baseline, and their ratio.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { assertPositive, runQuickBench } from "../support/bench.ts";

test("bench/startup.ts --quick prints a JSON summary as its last line", { timeout: 180_000 }, async () => {
  const { lines, summary } = await runQuickBench("bench/startup.ts", 170_000);
  assert.equal(summary.runs, 2);
  for (const key of ["appReadyMs", "bareReadyMs", "readyRatio", "appStopMs"])
    assertPositive(summary[key], key);
  assert.equal(summary.demoSeededMs, undefined, "--quick skips the start with demo data");
  assert.ok(
    lines.some((line) => line.startsWith("operation")),
    "the readable table is missing",
  );
});
