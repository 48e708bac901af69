/**
 * The pure table computation and the checks: counting rules at the year boundary, the 2019 fold of
 * （六）, blank table 二 cells, table 四 bases, and the narrative numbers re-read against the tables.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  checkTablesOf,
  extractNarrativeClaims,
  hasHardFailure,
  runChecks,
} from "@govinfo/shared/stats/checks";
import { computeTables, type ReportRequestInput } from "@govinfo/shared/stats/report";

const req = (
  serialNo: string,
  receiptDate: string | null,
  closedDate: string | null,
  outcome: ReportRequestInput["outcome"] = null,
  applicantType: ReportRequestInput["applicantType"] = "natural",
): ReportRequestInput => ({
  serialNo,
  applicantType,
  receiptDate,
  closedDate,
  outcome: closedDate ? (outcome ?? "granted") : null,
});

describe("computeTables", () => {
  const requests = [
    req("A", "2023-12-31", "2024-01-01"),
    req("B", "2023-12-31", "2023-12-31"),
    req("C", "2024-01-01", null),
    req("D", "2024-12-31", "2025-01-01"),
    req("E", "2025-01-01", null),
    req("F", null, null),
    req("G", "2024-06-01", "2024-06-02", "other.feeUnpaid", "legalService"),
  ];

  it("places every received application in exactly one cell of each row group, at the boundaries", () => {
    const t = computeTables({ year: 2024, formatVersion: "2021", requests, cases: [], table2: {} });
    assert.deepEqual(t.provenance["three.carriedOver.total"], ["A"]);
    assert.deepEqual(t.provenance["three.newReceived.total"], ["C", "D", "G"]);
    assert.deepEqual(t.provenance["three.closedTotal.total"], ["A", "G"]);
    assert.deepEqual(t.provenance["three.carriedForward.total"], ["C", "D"]);
    assert.equal(t.three.rows["other.feeUnpaid"]?.legalService, 1);
    assert.ok(!hasHardFailure(runChecks({ year: 2024, formatVersion: "2021", tables: checkTablesOf(t) })));
  });

  it("folds other.* into the single （六）其他处理 row in the 2019 format", () => {
    const t = computeTables({ year: 2024, formatVersion: "2019", requests, cases: [], table2: {} });
    assert.equal(t.three.rows.other?.total, 1);
    assert.equal(t.three.rows["other.feeUnpaid"], undefined);
  });

  it("keeps unfilled table 二 cells blank (null), lets manual inputs override the catalogue", () => {
    const t = computeTables({
      year: 2024,
      formatVersion: "2021",
      requests: [],
      cases: [],
      table2: {
        catalogue: { regulations: { issued: 2, repealed: 0, inForce: 5 } },
        manual: { regulations: { issued: 3 }, licensing: { decisions: null } },
      },
    });
    assert.deepEqual(t.two.regulations, { issued: 3, repealed: 0, inForce: 5 });
    assert.equal(t.two.licensing?.decisions, null);
    assert.equal(t.two.fees?.amountWan, null);
  });

  it("flags an application closed without an outcome", () => {
    const broken = [{ ...req("X", "2024-02-01", "2024-02-10"), outcome: null }];
    const t = computeTables({ year: 2024, formatVersion: "2021", requests: broken, cases: [], table2: {} });
    const checks = runChecks({
      year: 2024,
      formatVersion: "2021",
      tables: checkTablesOf(t),
      closedWithoutOutcome: t.closedWithoutOutcome,
    });
    assert.ok(checks.some((c) => c.rule === "three.balance" && !c.ok && c.severity === "hard"));
    assert.ok(checks.some((c) => c.rule === "three.closedWithoutOutcome" && c.message.includes("X")));
  });
});

describe("checks on imported tables", () => {
  it("reports each broken identity with the numbers involved", () => {
    const three: Record<string, Record<string, number | null>> = {
      newReceived: { natural: 5, total: 5 },
      carriedOver: { natural: 0, total: 0 },
      granted: { natural: 3, total: 3 },
      closedTotal: { natural: 4, total: 4 },
      carriedForward: { natural: 0, total: 0 },
    };
    const checks = runChecks({
      year: 2023,
      formatVersion: "2021",
      tables: {
        two: {},
        three,
        four: { reconsideration: { upheld: 1, corrected: 0, other: 0, pending: 0, total: 0 } },
      },
      previous: { source: "2022年度报告", formatVersion: "2021", carriedForward: { natural: 2, total: 2 } },
    });
    const messages = checks.filter((c) => !c.ok).map((c) => c.message);
    assert.ok(
      messages.some((m) => m.includes("一（5）+ 二（0）= 5") && m.includes("（七）总计（4）+ 四（0）= 4")),
    );
    assert.ok(messages.some((m) => m.includes("（七）总计为 4") && m.includes("之和为 3")));
    assert.ok(messages.some((m) => m.includes("行政复议") && m.includes("总计为 0")));
    assert.ok(messages.some((m) => m.includes("2022年度报告") && m.includes("（2）")));
  });

  it("checks the 2021 roll-forward of table 二", () => {
    const checks = runChecks({
      year: 2023,
      formatVersion: "2021",
      tables: { two: { regulations: { issued: 2, repealed: 1, inForce: 9 } }, three: {}, four: {} },
      previous: { source: "2022年度报告", formatVersion: "2021", two: { regulations: { inForce: 7 } } },
    });
    const roll = checks.find((c) => c.rule === "two.rollForward");
    assert.equal(roll?.ok, false);
    assert.match(roll?.message ?? "", /7 \+ 本年制发 2 − 本年废止 1 = 8/);
  });
});

describe("narrative numbers", () => {
  it("reads received, closed, carried and outcome numbers, and skips timeliness", () => {
    const claims = extractNarrativeClaims(
      "全年受理依申请类公开事项 356 件，目前均已办结。本年办结政府信息公开申请 20 件，其中予以公开 12 件，不予公开 3 件；结转下年度继续办理 2 件。在答复期限内按时办结 19 件。被申请行政复议 1 件。",
    );
    assert.deepEqual(
      claims.map((c) => [c.kind, c.value]),
      [
        ["received", 356],
        ["allClosed", 0],
        ["closed", 20],
        ["group.granted", 12],
        ["group.withheld", 3],
        ["carriedForward", 2],
        ["reconsideration", 1],
      ],
    );
  });

  it("ignores numbers that are not about applications (主动公开 项/条)", () => {
    assert.deepEqual(
      extractNarrativeClaims("通过主动公开目录及时公开政府信息 1448 项，发布信息 207 条，设立 10 个专栏。"),
      [],
    );
  });
});
