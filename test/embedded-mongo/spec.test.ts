// Runs MongoDB's unified-format spec tests (../shared/mongo-spec-tests/<folder>, read at run time, never copied
// here) against the embedded server (or MONGO_TEST_URI) through the real driver. Folders in REQUIRED_FOLDERS must
// have no failures; the others only report their counts until their issue is done.
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

/** Folders that must pass completely; extend as the server catches up. */
export const REQUIRED_FOLDERS: readonly string[] = ["crud"];
/** Every folder that is run. */
const ALL_FOLDERS: readonly string[] = ["crud", "transactions", "retryable-writes"];

describe("MongoDB unified spec tests", () => {
  for (const folder of ALL_FOLDERS) {
    const path = join(specRoot, folder);
    const required = REQUIRED_FOLDERS.includes(folder);
    it(`${folder}${required ? "" : " (counts only)"}`, {
      skip: existsSync(path) ? false : `${path} not found`,
    }, async (t) => {
      const summary = await runFolders([path]);
      t.diagnostic(`${folder}: ${formatTotals(summary)}`);
      const failures = summary.results.filter((r) => r.status === "FAIL");
      for (const failure of failures) t.diagnostic(formatResult(failure));
      if (required) assert.equal(summary.failed, 0, `${folder}: ${summary.failed} spec test(s) failed`);
    });
  }
});
