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
  // A 10-page Word file converted by LibreOffice, then searched and redacted: per page the ID number,
  // the phone, and the name in the table and in the page header.
  assert.equal(summary.docxPages, 10);
  assert.equal(summary.docxBoxes, 10 * 4);
  for (const key of ["convertFloorMs", "convertMs", "convertRatio", "docxRedactMs"]) {
    assertPositive(summary[key], key);
  }
});
