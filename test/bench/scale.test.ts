/**
 * Keeps `bench/scale.ts` from rotting: runs it with `--quick` (50 agencies × 10,000 applications) and
 * checks that its last line is the JSON summary with the figures the issue asks for, and that the
 * reports were checked exact against the floor and the full recount.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { assertPositive, runQuickBench } from "../support/bench.ts";

test("bench/scale.ts --quick prints a JSON summary as its last line", { timeout: 300_000 }, async () => {
  const { lines, summary } = await runQuickBench("bench/scale.ts", 290_000);
  assert.equal(summary.agencies, 50);
  assert.equal(summary.applications, 10_000);
  assert.equal(summary.exact, true);
  assert.equal(summary.recountCheckedAgencies, 50);
  for (const key of [
    "reportsMs",
    "floorMs",
    "restartMs",
    "rssMiB",
    "loadDocsPerSec",
    "dbRssMiB",
    "queueP99Ms",
  ])
    assertPositive(summary[key], key);
  assert.ok(
    lines.some((line) => line.startsWith("ratio (reports / floor)")),
    "the readable table with the ratio is missing",
  );
});
