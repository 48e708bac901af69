/**
 * Keeps `bench/catalogue.ts` from rotting: runs it with `--quick` and checks that its last line is the
 * JSON summary with the figures the issues ask for (three alternating rounds against bare Koa with
 * the median ratio and its spread, cold search after start, uncached reads), that the list page went
 * out compressed from the cache, and that no request failed.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { assertPositive, runQuickBench } from "../support/bench.ts";

const KEYS = [
  "listRps",
  "bareRps",
  "listRatio",
  "listRatioMin",
  "listRatioMax",
  "listP99Ms",
  "listCpuUsPerRequest",
  "bareCpuUsPerRequest",
  "searchP95Ms",
  "coldSearchFirstMs",
  "coldSearchP99Ms",
  "listUncachedRps",
  "searchUncachedP95Ms",
  "searchIndexMs",
] as const;

test("bench/catalogue.ts --quick prints a JSON summary as its last line", { timeout: 300_000 }, async () => {
  const { lines, summary } = await runQuickBench("bench/catalogue.ts", 290_000);
  for (const key of KEYS) assertPositive(summary[key], key);
  assert.equal(summary.items, 10_000);
  assert.equal(summary.rounds, 3);
  const ratios = summary.listRatios as number[];
  assert.equal(ratios.length, 3, "three alternating rounds");
  assert.ok(
    (summary.listRatioMin as number) <= (summary.listRatio as number) &&
      (summary.listRatio as number) <= (summary.listRatioMax as number),
    "the median lies within the spread",
  );
  assert.equal(summary.listEncoding, "br", "the list page goes out brotli-compressed, as Chromium asks");
  assert.equal(summary.non2xx, 0, "every benchmark request succeeded");
  assert.ok(
    lines.some((line) => line.startsWith("endpoint")),
    "the readable table is missing",
  );
});
