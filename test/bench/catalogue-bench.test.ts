/**
 * Keeps `bench/catalogue.ts` from rotting: runs it with `--quick` and checks that its last line is the
 * JSON summary with the figures the issue asks for, and that no request failed.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { assertPositive, runQuickBench } from "../support/bench.ts";

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
  const { lines, summary } = await runQuickBench("bench/catalogue.ts", 230_000);
  for (const key of KEYS) {
    const value = summary[key];
    assertPositive(value, key);
  }
  assert.equal(summary.items, 10_000);
  assert.equal(summary.non2xx, 0, "every benchmark request succeeded");
  assert.ok(
    lines.some((line) => line.startsWith("endpoint")),
    "the readable table is missing",
  );
});
