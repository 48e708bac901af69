/**
 * The live countdown of a remedy period: a deadline's last day ends at midnight China time, whatever the
 * phone's time zone; the last day and a passed deadline read differently.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { countdownText, msUntilEndOf } from "../../../../../client/miniapp/src/logic/remedy.ts";

describe("remedy countdown", () => {
  it("counts to the end of the last day in China (UTC+8)", () => {
    // 08:00 on 8 December in China; the period ends at 24:00 on 10 December there.
    const now = new Date("2026-12-08T00:00:00Z");
    assert.equal(msUntilEndOf("2026-12-10", now), (2 * 24 + 16) * 3_600_000);
    assert.equal(countdownText("2026-12-10", now), "还剩 2 天 16 小时");
  });

  it("says when today is the last day, and when the deadline has passed", () => {
    assert.equal(
      countdownText("2026-12-10", new Date("2026-12-10T10:00:00Z")),
      "今天是最后一天（还剩 6 小时）",
    );
    assert.equal(
      countdownText("2026-12-10", new Date("2026-12-10T15:30:00Z")),
      "今天是最后一天（还剩 1 小时）",
    );
    assert.equal(countdownText("2026-12-10", new Date("2026-12-10T16:00:00Z")), "已超过期限");
  });
});
