import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { addDays, dayOfWeek, isIsoDate } from "@govinfo/shared/calendar/date";
import {
  addWorkingDays,
  countWorkingDays,
  coveredYears,
  dayInfo,
  isWorkingDay,
  nextWorkingDay,
} from "@govinfo/shared/calendar/workdays";

describe("date strings", () => {
  it("validates real calendar dates only", () => {
    assert.equal(isIsoDate("2024-02-29"), true);
    assert.equal(isIsoDate("2025-02-29"), false);
    assert.equal(isIsoDate("2025-1-01"), false);
  });
  it("does arithmetic without time-zone drift", () => {
    assert.equal(addDays("2019-12-31", 1), "2020-01-01");
    assert.equal(addDays("2020-03-01", -1), "2020-02-29");
    assert.equal(dayOfWeek("2019-10-01"), 2); // Tuesday
    assert.equal(dayOfWeek("2025-01-26"), 0); // Sunday
  });
});

describe("working-day calendar (chinese-days data)", () => {
  it("treats 调休 make-up weekends as working days", () => {
    for (const d of [
      "2019-09-29",
      "2019-10-12",
      "2020-01-19",
      "2025-01-26",
      "2025-02-08",
      "2025-09-28",
      "2025-10-11",
    ]) {
      assert.equal(isWorkingDay(d), true, d);
      assert.equal(dayInfo(d).kind, "makeUpWorkday", d);
    }
    assert.equal(dayInfo("2025-09-28").reason, "调休上班（国庆节）");
  });

  it("treats statutory holidays, bridge days and the 2020 extension as days off", () => {
    for (const d of [
      "2019-10-01",
      "2019-10-07",
      "2020-01-24",
      "2020-01-31",
      "2020-02-02",
      "2025-01-28",
      "2025-02-04",
      "2025-10-08",
    ]) {
      assert.equal(isWorkingDay(d), false, d);
    }
    assert.equal(dayInfo("2025-01-29").reason, "法定节假日（春节）");
    assert.equal(dayInfo("2025-02-04").reason, "节假日调休放假（春节）");
  });

  it("treats ordinary weekends as days off", () => {
    assert.deepEqual(dayInfo("2025-03-08"), {
      date: "2025-03-08",
      working: false,
      kind: "weekend",
      reason: "周末",
      source: "weekday",
    });
    assert.equal(isWorkingDay("2025-03-10"), true);
  });

  it("adds working days without counting the start day", () => {
    assert.equal(addWorkingDays("2019-09-27", 0), "2019-09-27");
    assert.equal(addWorkingDays("2019-09-27", 1), "2019-09-29"); // Sunday make-up day
    assert.equal(addWorkingDays("2019-09-30", 1), "2019-10-08"); // over the whole 国庆 week
    assert.equal(nextWorkingDay("2025-01-27"), "2025-02-05");
    assert.equal(nextWorkingDay("2025-02-07"), "2025-02-08"); // Saturday make-up day
    assert.throws(() => addWorkingDays("2025-01-01", -1), RangeError);
  });

  it("counts working days in (from, to]", () => {
    assert.equal(countWorkingDays("2019-09-27", "2019-10-30"), 20);
    assert.equal(countWorkingDays("2025-01-20", "2025-01-20"), 0);
    assert.equal(countWorkingDays("2025-09-30", "2025-10-08"), 0);
  });

  it("covers 2004–2026 from the package and adds override years", () => {
    const years = coveredYears();
    assert.equal(years[0], 2004);
    assert.equal(years.at(-1), 2026);
    assert.ok(coveredYears([{ date: "2027-02-08", kind: "holiday", name: "春节" }]).includes(2027));
  });

  it("lets admin overrides win over the package and the weekday", () => {
    const overrides = [
      { date: "2027-02-08", kind: "holiday" as const, name: "春节" },
      { date: "2027-02-20", kind: "workday" as const, name: "春节" },
    ];
    assert.equal(isWorkingDay("2027-02-08"), true); // a Monday, unknown year
    assert.equal(isWorkingDay("2027-02-08", overrides), false);
    assert.equal(dayInfo("2027-02-20", overrides).reason, "调休上班（春节）");
    assert.equal(isWorkingDay("2025-10-01", [{ date: "2025-10-01", kind: "workday", name: "测试" }]), true);
  });
});
