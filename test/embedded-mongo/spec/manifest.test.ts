// The pins of spec-manifest.json: what breaks CI, what is only reported, and that every checked-in skip says why.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { checkFolder, loadManifest, pinnedCounts, skipCategory } from "./manifest.ts";
import type { TestResult } from "./types.ts";

const r = (description: string, status: TestResult["status"], reason?: string): TestResult => ({
  file: "crud/x.json",
  description,
  status,
  reason,
  durationMs: 1,
});
const VERSION = "runOnRequirements: needs server <= 4.2.99 (have 7.0.0)";
const MERGE = "server NotImplemented: the $merge stage is not supported by the embedded server";

describe("spec pins", () => {
  const pins = {
    "crud/x.json › a": "pass",
    "crud/x.json › b": `skip (version): ${VERSION}`,
    "crud/x.json › c": `skip (feature): ${MERGE}`,
  };

  test("the pinned outcome passes the check", () => {
    const check = checkFolder(pins, [r("a", "ok"), r("b", "skip", VERSION), r("c", "skip", MERGE)]);
    assert.deepEqual(check, { problems: [], newlyPassing: [] });
  });

  test("a pinned pass that now answers NotImplemented is a regression, not a skip", () => {
    const check = checkFolder(pins, [r("a", "skip", MERGE), r("b", "skip", VERSION), r("c", "skip", MERGE)]);
    assert.equal(check.problems.length, 1);
    assert.match(
      check.problems[0]!,
      /crud\/x\.json › a: pinned to pass, now skip \(feature\): server NotImplemented/,
    );
  });

  test("a pinned pass that fails or no longer runs breaks the check", () => {
    const failed = checkFolder(pins, [
      r("a", "FAIL", "boom"),
      r("b", "skip", VERSION),
      r("c", "skip", MERGE),
    ]);
    assert.match(failed.problems.join("\n"), /› a: failed \(boom\)/);
    const shrunk = checkFolder(pins, [r("b", "skip", VERSION), r("c", "skip", MERGE)]);
    assert.match(shrunk.problems.join("\n"), /› a: pinned pass, but did not run/);
  });

  test("an unpinned skip, a changed skip reason and an unexplained skip break the check", () => {
    const check = checkFolder(pins, [
      r("a", "ok"),
      r("b", "skip", MERGE),
      r("c", "skip", MERGE),
      r("d", "skip", "server NotImplemented: $text is not supported by the embedded server"),
      r("e", "skip", "flaky"),
    ]);
    const text = check.problems.join("\n");
    assert.match(text, /› b: skip reason changed/);
    assert.match(text, /› d: skip \(feature\).*no pin says so/);
    assert.match(text, /› e: skipped for a reason that is no version, topology, feature or known limit/);
    assert.equal(check.problems.length, 3);
  });

  test("a test passing beyond its pin is reported, not failed", () => {
    const check = checkFolder(pins, [r("a", "ok"), r("b", "ok"), r("c", "skip", MERGE), r("new", "ok")]);
    assert.deepEqual(check.problems, []);
    assert.equal(check.newlyPassing.length, 2);
    assert.match(check.newlyPassing[0]!, /› b: passes; pinned skip \(version\)/);
  });

  test("the checked-in pins cover the required folders, and every skip names a version, topology, feature or limit", () => {
    const manifest = loadManifest();
    for (const folder of ["crud", "transactions", "retryable-writes"]) {
      const folderPins = manifest[folder];
      assert.ok(folderPins, `${folder} pinned`);
      assert.ok(pinnedCounts(folderPins).passes > 50, `${folder} pins its passes`);
      for (const [key, pin] of Object.entries(folderPins)) {
        if (pin === "pass") continue;
        const match = /^skip \((version|topology|feature|driver|runner)\): (.+)$/.exec(pin);
        assert.ok(match, `${key}: ${pin}`);
        assert.equal(skipCategory(match[2]!), match[1], `${key}: category matches its reason`);
      }
    }
  });
});
