/**
 * Pure helpers of the admin: dashboard figures and turning dialog values into lifecycle events.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  applicantMix,
  countByState,
  dueSoon,
  monthlySeries,
  onTimeRate,
  outcomeMix,
} from "../../../../../../client/admin/src/pages/dashboard/stats.ts";
import {
  buildEvent,
  correctionItems,
  feeAmount,
} from "../../../../../../client/admin/src/pages/request-detail/eventForm.ts";

const row = (overrides: Partial<Parameters<typeof countByState>[0][number]> = {}) => ({
  state: "received" as const,
  receiptDate: "2025-03-04",
  closedDate: null,
  outcome: null,
  overdue: false,
  workingDaysLeft: 10,
  applicant: { type: "natural" },
  ...overrides,
});

test("dashboard figures count states, due soon, months, mixes and the on-time rate", () => {
  const rows = [
    row(),
    row({ workingDaysLeft: 2 }),
    row({ state: "decided", outcome: "granted", closedDate: "2025-04-01", workingDaysLeft: null }),
    row({
      state: "decided",
      outcome: "withheld.thirdParty",
      closedDate: "2025-04-09",
      overdue: true,
      applicant: { type: "commercial" },
    }),
  ];
  assert.equal(countByState(rows).find((s) => s.state === "decided")?.count, 2);
  assert.equal(dueSoon(rows), 1);
  const series = monthlySeries(rows, 2025);
  assert.equal(series.received[2], 4);
  assert.equal(series.closed[3], 2);
  assert.deepEqual(
    outcomeMix(rows).map((e) => e.value),
    [1, 1],
  );
  assert.deepEqual(applicantMix(rows), [
    { name: "自然人", value: 3 },
    { name: "商业企业", value: 1 },
  ]);
  assert.equal(onTimeRate(rows), 0.5);
  assert.equal(onTimeRate([row()]), null);
});

test("补正 items are one per non-empty line", () => {
  assert.deepEqual(correctionItems("请明确时间范围\n\n  请说明文号 \n"), ["请明确时间范围", "请说明文号"]);
});

test("events are validated with the shared payload schema before sending", () => {
  const ok = buildEvent("requestCorrection", {
    date: "2025-03-05",
    items: "请明确时间范围",
    deadline: "2025-03-20",
  });
  assert.deepEqual(ok, {
    ok: true,
    event: {
      type: "requestCorrection",
      date: "2025-03-05",
      items: ["请明确时间范围"],
      deadline: "2025-03-20",
    },
  });
  const late = buildEvent("requestCorrection", { date: "2025-03-05", items: "x", deadline: "2025-03-01" });
  assert.equal(late.ok, false);
  const tooLong = buildEvent("extend", {
    date: "2025-03-05",
    workingDays: 25,
    reason: "复杂",
    approver: "李主任",
  });
  assert.ok(!tooLong.ok && tooLong.problems.some((p) => p.message.includes("20个工作日")));
});

test("the fee follows the 109号 tiers and only one method applies", () => {
  assert.equal(feeAmount({ method: "perRequest", ordinalInMonth: 10 }), 0);
  assert.equal(feeAmount({ method: "perRequest", ordinalInMonth: 11 }), 100);
  assert.equal(feeAmount({ method: "byPages", pages: 40 }), 100);
  const event = buildEvent("feeNotice", {
    date: "2025-03-05",
    delivery: "mail",
    method: "byPages",
    pages: 40,
    ordinalInMonth: 12,
  });
  assert.ok(event.ok);
  assert.deepEqual(event.event, {
    type: "feeNotice",
    date: "2025-03-05",
    delivery: "mail",
    method: "byPages",
    pages: 40,
    amount: 100,
  });
});
