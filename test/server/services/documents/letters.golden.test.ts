/**
 * Golden letters (issue 14 item 7): every letter the platform can issue, per kind, outcome and
 * sub-ground, for a department and a government, decided before and after 2024-01-01, rendered by the
 * real builder and DOCX renderer and read back to text, must equal its reviewed file under
 * `test/fixtures/letters/` character for character — so any change to a sentence shows up in review.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { outcomeKeys } from "@govinfo/shared/stats/keys";
import {
  GOLDEN_DIR,
  goldenFilesOnDisk,
  goldenLetters,
  replyCases,
} from "../../../fixtures/letters/matrix.ts";

const letters = await goldenLetters();

describe("golden letters", () => {
  it("has one reviewed file per letter, and no stale file", () => {
    assert.deepEqual([...letters.keys()].sort(), goldenFilesOnDisk());
  });

  it("covers every outcome of table 三 and both grounds of 予以公开 and 本机关不掌握", () => {
    assert.deepEqual([...new Set(replyCases.map((c) => c.outcome))].sort(), [...outcomeKeys].sort());
    for (const name of [
      "granted-36-1-catalogue",
      "granted-36-2-disclosable",
      "unable-notHeld-36-4-not-exist",
    ])
      assert.ok(letters.has(`reply-${name}.txt`), name);
  });

  for (const [name, text] of letters) {
    it(`${name} matches the reviewed text`, () => {
      assert.equal(text, readFileSync(new URL(name, GOLDEN_DIR), "utf8"));
    });
  }
});
