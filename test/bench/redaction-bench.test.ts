/** Keeps `bench/redaction.ts` from rotting: runs it with `--quick` and checks its JSON summary. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { assertPositive, runQuickBench } from "../support/bench.ts";

test("bench/redaction.ts --quick prints a JSON summary as its last line", { timeout: 120_000 }, async () => {
  const { summary } = await runQuickBench("bench/redaction.ts", 110_000);
  assert.equal(summary.pages, 10);
  // Per page: the search finds the ID number, phone and name in the text and the ID number and phone in
  // the annotation (5), and the benchmark boxes the image and the annotation by hand (2).
  assert.equal(summary.boxes, 10 * 7);
  for (const key of ["floorMs", "searchMs", "applyMs", "ratio"]) assertPositive(summary[key], key);
});
