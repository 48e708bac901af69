// Runs MongoDB's unified-format spec tests (../shared/mongo-spec-tests/<folder>, read at run time, never copied
// here) against the embedded server (or MONGO_TEST_URI) through the real driver. Every folder in REQUIRED_FOLDERS must
// pass completely.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { formatResult, formatTotals } from "./spec/report.ts";
import { runFolders } from "./spec/runner.ts";

/** Repository root (spec folders are resolved against it, not against the current directory). */
const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const specRoot = join(repoRoot, "../shared/mongo-spec-tests");

/** The spec folders of issue 2 (crud) and issue 3 (transactions, retryable writes); each must pass completely. */
export const REQUIRED_FOLDERS: readonly string[] = ["crud", "transactions", "retryable-writes"];

describe("MongoDB unified spec tests", () => {
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
    });
  }
});
