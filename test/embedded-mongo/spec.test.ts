// Runs MongoDB's unified-format spec tests (../shared/mongo-spec-tests/<folder>, read at run time, never copied
// here) against the embedded server (or MONGO_TEST_URI) through the real driver. Every folder in REQUIRED_FOLDERS must
// pass completely and match its pins in spec-manifest.json (spec/manifest.ts): a test pinned to pass that skips, fails
// or is gone breaks the suite, as does a skip (NotImplemented included) that is not pinned with its reason; a test
// that passes beyond its pin is printed so the pin can be raised. The pins describe the embedded server, so they are
// not compared when MONGO_TEST_URI points at another server.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { checkFolder, loadManifest, pinnedCounts } from "./spec/manifest.ts";
import { formatResult, formatTotals } from "./spec/report.ts";
import { runFolders } from "./spec/runner.ts";

/** Repository root (spec folders are resolved against it, not against the current directory). */
const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const specRoot = join(repoRoot, "../shared/mongo-spec-tests");

/** The spec folders of issue 2 (crud) and issue 3 (transactions, retryable writes); each must pass completely. */
export const REQUIRED_FOLDERS: readonly string[] = ["crud", "transactions", "retryable-writes"];

describe("MongoDB unified spec tests", () => {
  const manifest = loadManifest();
  for (const folder of REQUIRED_FOLDERS) {
    const path = join(specRoot, folder);
    it(folder, async (t) => {
      assert.ok(
        existsSync(path),
        `${path} not found: the spec tests are read from ../shared/mongo-spec-tests`,
      );
      const summary = await runFolders([path]);
      t.diagnostic(`${folder}: ${formatTotals(summary)}`);
      const failures = summary.results.filter((r) => r.status === "FAIL");
      for (const failure of failures) t.diagnostic(formatResult(failure));
      assert.equal(summary.failed, 0, `${folder}: ${summary.failed} spec test(s) failed`);
      assert.ok(summary.passed > 50, `${folder}: only ${summary.passed} spec tests ran`);
      if (process.env.MONGO_TEST_URI !== undefined) return;
      const pins = manifest[folder];
      assert.ok(pins, `${folder} has no pins in spec-manifest.json`);
      const { passes, skips } = pinnedCounts(pins);
      t.diagnostic(`${folder}: pinned ${passes} passes and ${skips} skips`);
      const check = checkFolder(pins, summary.results);
      // Printed, not failed: progress is welcome, the pin should follow it.
      for (const line of check.newlyPassing) {
        t.diagnostic(`newly passing, raise the pin (npm run test:spec -- ${path} --pin): ${line}`);
        console.log(`[spec pins] newly passing: ${line}`);
      }
      assert.deepEqual(check.problems, [], `${folder} fell behind its pins:\n${check.problems.join("\n")}`);
    });
  }
});
