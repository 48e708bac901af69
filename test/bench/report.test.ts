/**
 * Keeps `bench/report.ts` from rotting: runs it with `--quick` and checks that its last line is the JSON
 * summary with the required figures.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { assertPositive, runQuickBench } from "../support/bench.ts";

test("bench/report.ts --quick prints a JSON summary as its last line", { timeout: 180_000 }, async () => {
  const { lines, summary } = await runQuickBench("bench/report.ts", 170_000);
  assert.equal(summary.applications, 20_000);
  assert.equal(summary.agencies, 20);
  for (const key of ["ms", "floorMs", "ratio"]) {
    const value = summary[key];
    assertPositive(value, key);
  }
  assert.ok(
    lines.some((line) => line.startsWith("operation")),
    "the readable table is missing",
  );
});
