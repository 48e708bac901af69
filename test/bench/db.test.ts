/**
 * Keeps `bench/db.ts` from rotting: runs it with `--quick` and checks that its last line is the JSON
 * summary with a positive embedded, sqlite and ratio figure for every operation.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { assertPositive, runQuickBench } from "../support/bench.ts";

const KEYS = ["insertMany", "indexedLookups", "idIn100", "groupSum", "singleInserts"] as const;

test("bench/db.ts --quick prints a JSON summary as its last line", { timeout: 120_000 }, async () => {
  const { lines, summary } = await runQuickBench("bench/db.ts", 110_000);
  for (const key of KEYS) {
    const figures = summary[key] as Record<string, unknown> | undefined;
    assert.ok(figures, `summary lacks ${key}: ${lines.at(-1)}`);
    for (const field of ["embeddedMs", "sqliteMs", "ratio"]) {
      const value = figures[field];
      assertPositive(value, `${key}.${field}`);
    }
  }
  assert.ok(
    lines.some((line) => line.startsWith("operation")),
    "the readable table is missing",
  );
});
