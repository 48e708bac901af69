/**
 * Keeps `bench/mobile.ts` from rotting: runs it with `--quick` (one load per page, profile and
 * encoding, Debian Chromium with a 4× slower CPU) and checks that its last line is the JSON summary
 * with first contentful paint, content time and bytes for the four pages under both network profiles,
 * and that the compressed pages really transferred fewer bytes than the same pages uncompressed.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { assertPositive, runQuickBench } from "../support/bench.ts";

const PAGES = ["h5Home", "h5Catalogue", "h5Report", "adminLogin"] as const;

test("bench/mobile.ts --quick prints a JSON summary as its last line", { timeout: 900_000 }, async () => {
  const { lines, summary } = await runQuickBench("bench/mobile.ts", 890_000);
  assert.equal(summary.cpuSlowdown, 4);
  for (const profile of ["4g", "slow"]) {
    for (const page of PAGES) {
      const figures = summary[`${profile}.${page}`] as
        | { fcpMs: number; contentMs: number; bytes: number; identityBytes: number; bytesRatio: number }
        | undefined;
      assert.ok(figures, `${profile}.${page} is missing`);
      for (const key of [
        "fcpMs",
        "contentMs",
        "bytes",
        "identityFcpMs",
        "identityBytes",
        "fcpRatio",
        "bytesRatio",
      ])
        assertPositive((figures as unknown as Record<string, unknown>)[key], `${profile}.${page}.${key}`);
      assert.ok(
        figures.fcpMs <= figures.contentMs,
        `${profile}.${page}: first paint comes before the content`,
      );
      // JavaScript, CSS and JSON compress to well under half; a page that did not was sent as it is.
      assert.ok(
        figures.bytesRatio < 0.5,
        `${profile}.${page}: ${figures.bytes} B compressed vs ${figures.identityBytes} B`,
      );
    }
  }
  assert.ok(
    lines.some((line) => line.startsWith("profile")),
    "the readable table is missing",
  );
});
