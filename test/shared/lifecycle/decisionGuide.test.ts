import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  type GuideQuestionKey,
  guideAnswers,
  guideQuestionKeys,
  guideQuestions,
  walkGuide,
} from "@govinfo/shared/lifecycle/decisionGuide";
import { decisionGroundOutcome, replyOutcomeKeys } from "@govinfo/shared/schemas/requestEvent";
import { outcomes } from "@govinfo/shared/stats/keys";

/** Every complete path through the guide: the answers and where they end. */
function paths(corrected: boolean) {
  const found: { answers: Partial<Record<GuideQuestionKey, string>>; asked: GuideQuestionKey[] }[] = [];
  const visit = (answers: Partial<Record<GuideQuestionKey, string>>) => {
    const walk = walkGuide(answers, corrected);
    if (walk.result || walk.notReply) {
      found.push({ answers, asked: walk.asked });
      return;
    }
    const open = walk.asked.at(-1) as GuideQuestionKey;
    for (const answer of guideAnswers(open, corrected)) visit({ ...answers, [open]: answer.key });
  };
  visit({});
  return found;
}

describe("decision guide", () => {
  it("asks the legal test in order: 补正, 政府信息, 本机关负责, 存在, 能否公开, 如何提供", () => {
    assert.deepEqual(
      guideQuestions.map((q) => q.key),
      [...guideQuestionKeys],
    );
    const granted = walkGuide({
      correction: "clear",
      governmentInfo: "yes",
      responsible: "yes",
      exists: "yes",
      disclosable: "all",
      provide: "disclosable",
    });
    assert.deepEqual(granted.asked, [...guideQuestionKeys]);
    assert.deepEqual(granted.result, { outcome: "granted", ground: "disclosable" });
  });

  it("ends every path at a reply outcome whose ground fits it, asking each question at most once in order", () => {
    for (const path of paths(true)) {
      const walk = walkGuide(path.answers, true);
      const order = path.asked.map((key) => guideQuestionKeys.indexOf(key));
      assert.deepEqual(
        order,
        [...order].sort((a, b) => a - b),
        JSON.stringify(path),
      );
      if (!walk.result) continue;
      assert.ok((replyOutcomeKeys as readonly string[]).includes(walk.result.outcome));
      if (walk.result.ground) assert.equal(decisionGroundOutcome[walk.result.ground], walk.result.outcome);
    }
  });

  it("reaches every reply outcome but 其他, each through the question its article answers", () => {
    const reached = new Set(paths(true).flatMap((p) => walkGuide(p.answers, true).result?.outcome ?? []));
    const expected = replyOutcomeKeys.filter((key) => key !== "other.other");
    assert.deepEqual([...reached].sort(), [...expected].sort());
    const notHeld = walkGuide({ correction: "clear", governmentInfo: "yes", responsible: "no" });
    assert.deepEqual(notHeld.result, { outcome: "unable.notHeld", ground: "notResponsible" });
    const missing = walkGuide({
      correction: "clear",
      governmentInfo: "yes",
      responsible: "yes",
      exists: "no",
    });
    assert.deepEqual(missing.result, { outcome: "unable.notHeld", ground: "notExist" });
  });

  it("offers 补正后仍不明确 only after a 补正, and sends an unclear application to 补正 instead of a reply", () => {
    assert.ok(!guideAnswers("correction").some((a) => a.key === "stillUnclear"));
    assert.equal(walkGuide({ correction: "stillUnclear" }).result, null);
    assert.deepEqual(walkGuide({ correction: "stillUnclear" }, true).result, {
      outcome: "unable.stillUnclear",
    });
    const unclear = walkGuide({ correction: "unclear" });
    assert.equal(unclear.result, null);
    assert.match(unclear.notReply ?? "", /一次性告知补正/);
  });

  it("drops later answers when an earlier one changes the path (no stale outcome)", () => {
    const walk = walkGuide({
      correction: "clear",
      governmentInfo: "complaint",
      responsible: "yes",
      exists: "yes",
      disclosable: "all",
      provide: "disclosable",
    });
    assert.deepEqual(walk.asked, ["correction", "governmentInfo"]);
    assert.deepEqual(walk.result, { outcome: "notProcessed.complaint" });
  });

  it("labels results with the outcome's own legal basis (one source of truth)", () => {
    const answer = guideAnswers("disclosable").find((a) => a.key === "thirdParty");
    assert.ok(answer?.label.includes(outcomes["withheld.thirdParty"].legalBasis));
  });
});
