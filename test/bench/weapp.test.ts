/**
 * Keeps `bench/weapp.ts` from rotting: runs it with `--quick` and checks that its last line is the
 * JSON summary with the main package, every subpackage and their ratios to WeChat's 2 MB cap.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { assertPositive, runQuickBench } from "../support/bench.ts";

test("bench/weapp.ts --quick prints a JSON summary as its last line", { timeout: 600_000 }, async () => {
  const { lines, summary } = await runQuickBench("bench/weapp.ts", 590_000);
  assert.equal(summary.capBytes, 2 * 1024 * 1024);
  for (const key of ["mainBytes", "mainRatio", "largestSubpackageBytes", "totalBytes", "totalRatio"])
    assertPositive(summary[key], key);
  const subpackages = summary.subpackages as Record<string, number>;
  assert.ok(Object.keys(subpackages).length >= 1, "app.json declares subpackages");
  for (const [root, bytes] of Object.entries(subpackages)) assertPositive(bytes, root);
  assert.equal(summary.packages, 1 + Object.keys(subpackages).length);
  assert.ok(
    lines.some((line) => line.startsWith("package")),
    "the readable table is missing",
  );
});
