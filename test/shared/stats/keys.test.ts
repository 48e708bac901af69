import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  applicantColumns,
  outcomeFullLabel,
  outcomeGroups,
  outcomeKeys,
  outcomes,
  reportFormatForYear,
  table2Blocks2019,
  table2Blocks2021,
  table3Rows2019,
  table3Rows2021,
  table4Blocks,
  table4Columns,
  toOutcomeKey2019,
} from "@govinfo/shared/stats/keys";

describe("statistics keys", () => {
  it("lists the seven applicant columns in order", () => {
    assert.deepEqual(
      applicantColumns.map((c) => `${c.key}:${c.label}`),
      [
        "natural:自然人",
        "commercial:商业企业",
        "research:科研机构",
        "publicInterest:社会公益组织",
        "legalService:法律服务机构",
        "otherOrg:其他",
        "total:总计",
      ],
    );
  });

  it("has 25 table 三 rows in 2021 and 23 in 2019", () => {
    assert.equal(table3Rows2021.length, 25);
    assert.equal(table3Rows2019.length, 23);
    assert.equal(table3Rows2021[0]?.label, "一、本年新收政府信息公开申请数量");
    assert.equal(table3Rows2021.at(-1)?.label, "四、结转下年度继续办理");
    assert.equal(table3Rows2019.find((r) => r.key === "other")?.label, "（六）其他处理");
  });

  it("uses the exact labels and ledger names of statistics-keys.md", () => {
    const row = (key: string) => table3Rows2021.find((r) => r.key === key);
    assert.deepEqual(row("withheld.stateSecret"), {
      key: "withheld.stateSecret",
      label: "（三）不予公开 1.属于国家秘密",
      ledgerName: "不予公开-国家秘密",
    });
    assert.equal(row("withheld.lawProhibited")?.label, "2.其他法律行政法规禁止公开");
    assert.equal(row("unable.notHeld")?.label, "（四）无法提供 1.本机关不掌握相关政府信息");
    assert.equal(row("notProcessed.complaint")?.label, "（五）不予处理 1.信访举报投诉类申请");
    assert.equal(
      row("other.noCorrection")?.label,
      "（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    );
    assert.equal(row("partial")?.ledgerName, "部分公开");
    assert.equal(outcomeFullLabel("withheld.thirdParty"), "（三）不予公开 4.保护第三方合法权益");
  });

  it("groups every outcome exactly once, in table order", () => {
    assert.deepEqual(
      outcomeGroups.flatMap((g) => g.keys),
      [...outcomeKeys],
    );
    assert.equal(outcomeKeys.length, 21);
  });

  it("cites a legal basis for every outcome", () => {
    assert.equal(outcomes.granted.legalBasis, "《条例》第三十六条第（二）项");
    assert.match(outcomes["withheld.thirdParty"].legalBasis, /第十五条、第三十二条/);
    for (const key of outcomeKeys) assert.ok(outcomes[key].legalBasis.length > 0, key);
  });

  it("maps the three other.* rows to the 2019 single row", () => {
    assert.equal(toOutcomeKey2019("other.feeUnpaid"), "other");
    assert.equal(toOutcomeKey2019("granted"), "granted");
    assert.equal(reportFormatForYear(2020), 2019);
    assert.equal(reportFormatForYear(2021), 2021);
  });

  it("describes tables 二 and 四", () => {
    assert.equal(table4Blocks.length * table4Columns.length, 15);
    assert.equal(table2Blocks2021.length, 4);
    assert.equal(table2Blocks2019.at(-1)?.rows[0]?.label, "政府集中采购");
  });
});
