import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { byPagesFee, computeFee, feeMonth, perRequestFee, perRequestMonthTotal } from "@govinfo/shared/fees";

describe("信息处理费 按件计收 (per applicant, per natural month, cumulative)", () => {
  it("charges by the ordinal of the application within the month", () => {
    const expected: Array<[number, number]> = [
      [1, 0],
      [10, 0],
      [11, 100],
      [30, 100],
      [31, 200],
      [40, 200],
      [41, 300],
      [50, 300],
      [51, 400],
      [60, 400],
      [61, 500],
    ];
    for (const [n, fee] of expected) assert.equal(perRequestFee(n), fee, `application #${n}`);
  });

  it("totals a month: 35 applications = 20 × ¥100 + 5 × ¥200", () => {
    assert.equal(perRequestMonthTotal(10), 0);
    assert.equal(perRequestMonthTotal(35), 3000);
  });

  it("rejects non-positive ordinals", () => {
    assert.throws(() => perRequestFee(0), RangeError);
    assert.throws(() => perRequestFee(1.5), RangeError);
  });

  it("groups applications by natural month", () => {
    assert.equal(feeMonth("2025-03-31"), "2025-03");
  });
});

describe("信息处理费 按量计收 (pages, marginal)", () => {
  it("applies the tiers marginally", () => {
    assert.equal(byPagesFee(0).amount, 0);
    assert.equal(byPagesFee(30).amount, 0);
    assert.equal(byPagesFee(31).amount, 10);
    assert.equal(byPagesFee(100).amount, 700); // 70 × 10
    assert.equal(byPagesFee(101).amount, 720); // 700 + 1 × 20
    assert.equal(byPagesFee(150).amount, 1700); // 700 + 50 × 20
    assert.equal(byPagesFee(200).amount, 2700); // 700 + 100 × 20
    assert.equal(byPagesFee(201).amount, 2740); // 2700 + 1 × 40
    assert.equal(byPagesFee(250).amount, 4700); // 2700 + 50 × 40
  });

  it("returns the breakdown for the notice", () => {
    assert.deepEqual(byPagesFee(150).breakdown, [
      { from: 1, to: 30, unitPrice: 0, quantity: 30, subtotal: 0 },
      { from: 31, to: 100, unitPrice: 10, quantity: 70, subtotal: 700 },
      { from: 101, to: 200, unitPrice: 20, quantity: 50, subtotal: 1000 },
    ]);
  });

  it("computes exactly one method per application", () => {
    assert.equal(computeFee({ method: "byPages", pages: 150 }).amount, 1700);
    assert.deepEqual(computeFee({ method: "perRequest", ordinalInMonth: 31 }), {
      method: "perRequest",
      amount: 200,
      breakdown: [{ from: 31, to: 31, unitPrice: 200, quantity: 1, subtotal: 200 }],
    });
  });
});
