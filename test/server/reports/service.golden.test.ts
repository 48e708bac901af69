/**
 * Golden tests of the annual report, through the real seams: applications built by the real creator and
 * transitioner on the embedded database, then collect + build, then the DOCX and XLSX read back.
 * (a) demo data mirroring the seed report (海东市生态环境局 2019) reproduces its tables 二 and 四;
 * (b) the synthetic golden year matches its hand-written tables.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { outcomeKeys } from "@govinfo/shared/stats/keys";
import ExcelJS from "exceljs";
import JSZip from "jszip";
import type { Types } from "mongoose";
import type { AgencyDoc } from "../../../server/models/Agency.ts";
import { InfoItem } from "../../../server/models/InfoItem.ts";
import { ReviewCase } from "../../../server/models/ReviewCase.ts";
import { auditReportText } from "../../../server/reports/audit/parse.ts";
import { renderDocx } from "../../../server/reports/export/docx.ts";
import { renderXlsx, XLSX_GRID_FIRST_ROW } from "../../../server/reports/export/xlsx.ts";
import { generateReport, type ReportAgency } from "../../../server/reports/service.ts";
import { createPersonalDataCipher } from "../../../server/security/personalData.ts";
import { createRequest } from "../../../server/services/requestCreator.ts";
import { buildAgency } from "../../factories/people.ts";
import { buildRequest, fixtureStaff, registrationInput } from "../../factories/requests.ts";
import {
  expectedFees,
  expectedFour,
  expectedFourWithCarryOver,
  expectedProvenance,
  expectedThree,
  expectedTimeliness,
  goldenCases,
  goldenRequests,
  goldenToday,
  goldenYear,
} from "../../fixtures/golden-year.ts";
import { startTestServer, type TestServer } from "../../support/testServer.ts";

const SEED = readFileSync(
  new URL("../../../../shared/seed/haidong-sthjj-2019-annual-report.txt", import.meta.url),
  "utf8",
);
const columns = [
  "natural",
  "commercial",
  "research",
  "publicInterest",
  "legalService",
  "otherOrg",
  "total",
] as const;

let server: TestServer;
const cipher = createPersonalDataCipher(randomBytes(32));
const serialOf = new Map<string, string>();
let golden: ReportAgency;

before(async () => {
  server = await startTestServer();
  const agency = await buildAgency({ code: "GOLD", name: "金标准市测试局" });
  golden = { _id: agency._id, code: agency.code, name: agency.name, level: "department" };
  for (const item of goldenRequests) {
    const input = registrationInput(agency, {
      receiptDate: item.date,
      channel: item.first === "submit" ? "online" : "inPerson",
      applicant: {
        ...registrationInput(agency).applicant,
        type: item.type,
        name: item.type === "natural" ? "张三" : "某单位",
      },
    });
    const doc =
      item.first === "submit"
        ? await createRequest({
            intake: input,
            first: { type: "submit", date: item.date, channel: "online" },
            actor: fixtureStaff,
            applicantAccountId: null,
            cipher,
            today: goldenToday,
          })
        : await buildRequest(agency, cipher, { input, events: item.events, today: goldenToday });
    serialOf.set(item.id, doc.serialNo);
  }
  await ReviewCase.create(goldenCases.map((c) => ({ ...c, agencyId: agency._id })));
});

after(async () => {
  await server.close();
});

describe("golden year (2024, 2021 format)", () => {
  it("computes table 三 exactly as worked out by hand, every outcome key included", async () => {
    const { model } = await generateReport(golden, goldenYear, { previous: null });
    assert.equal(model.formatVersion, "2021");
    for (const key of outcomeKeys) assert.ok(expectedThree[key], `fixture covers ${key}`);
    for (const [row, expected] of Object.entries(expectedThree)) {
      const actual = columns.map((c) => model.tables.three.rows[row]?.[c]);
      assert.deepEqual(actual, expected, `row ${row}`);
    }
    assert.deepEqual(model.tables.four, expectedFour);
  });

  it("keeps the applications behind each cell", async () => {
    const { model } = await generateReport(golden, goldenYear, { previous: null });
    for (const [cell, ids] of Object.entries(expectedProvenance)) {
      assert.deepEqual(
        [...(model.provenance[cell] ?? [])].sort(),
        ids.map((id) => serialOf.get(id)).sort(),
        cell,
      );
    }
    assert.deepEqual(model.provenance["four.reconsideration.pending"], ["K3"]);
  });

  it("counts timeliness from the clock's due dates (调休, 补正 restart, consultation, extension) and fees paid", async () => {
    const { facts } = await generateReport(golden, goldenYear, { previous: null });
    assert.equal(facts.timeliness.measured, expectedTimeliness.measured);
    assert.equal(facts.timeliness.onTime, expectedTimeliness.onTime);
    assert.deepEqual(
      facts.timeliness.late,
      expectedTimeliness.late.map((id) => serialOf.get(id)),
    );
    assert.equal(facts.fees.collectedYuan, expectedFees.collectedYuan);
    assert.deepEqual(
      facts.fees.serialNos,
      expectedFees.ids.map((id) => serialOf.get(id)),
    );
  });

  it("counts carried-over review cases when the basis says so, and states the basis", async () => {
    const { model } = await generateReport(golden, goldenYear, {
      previous: null,
      table4Basis: "includeCarriedOver",
    });
    assert.deepEqual(model.tables.four, expectedFourWithCarryOver);
    assert.equal(model.table4Basis, "includeCarriedOver");
  });

  it("passes every table check, and its drafted narrative agrees with the tables", async () => {
    const { model } = await generateReport(golden, goldenYear, { previous: null });
    const failed = model.checks.filter(
      (c) => !c.ok && !c.rule.startsWith("sections.") && c.rule !== "two.blank",
    );
    assert.deepEqual(failed, []);
    const narrative = model.checks.filter((c) => c.rule.startsWith("narrative."));
    assert.ok(
      narrative.length >= 6,
      `narrative numbers were re-read: ${narrative.map((c) => c.rule).join(",")}`,
    );
    const text = model.sections.overview.map((p) => p.text).join("");
    assert.match(text, /新收政府信息公开申请 25 件，上年结转政府信息公开申请 3 件/);
    assert.match(text, /本年办结政府信息公开申请 25 件/);
    assert.match(text, /按时办结 23 件/);
    assert.match(model.sections.other[0]?.text ?? "", /收取信息处理费 100 元/);
  });

  it("prints the tables in the 2019 format when asked (（六）其他处理 as one row)", async () => {
    const { model } = await generateReport(golden, goldenYear, { previous: null, formatVersion: "2019" });
    assert.equal(model.tables.three.rows.other?.total, 3);
    assert.equal(model.tables.three.rows["other.other"], undefined);
    assert.equal(model.tables.three.rows.closedTotal?.total, 25);
  });

  it("writes a DOCX whose tables carry the official merged headers, labels and figures", async () => {
    const { model } = await generateReport(golden, goldenYear, { previous: null });
    const zip = await JSZip.loadAsync(await renderDocx(model));
    const xml = (await zip.file("word/document.xml")?.async("string")) ?? "";
    const tables = xml
      .split("<w:tbl>")
      .slice(1)
      .map((t) => t.split("</w:tbl>")[0] ?? "");
    assert.equal(tables.length, 3, "tables 二, 三, 四");
    const rowsOf = (table: string) =>
      table
        .split("<w:tr>")
        .slice(1)
        .map((row) =>
          row
            .split("<w:tc>")
            .slice(1)
            .map((cell) => [...cell.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((m) => m[1]).join("")),
        );
    const three = rowsOf(tables[1] ?? "");
    assert.equal(three[0]?.[0], "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）");
    assert.deepEqual(three[1], ["", "自然人", "法人或其他组织", "总计"]);
    assert.match(tables[1] ?? "", /<w:gridSpan w:val="5"\/>/, "法人或其他组织 spans five columns");
    assert.match(tables[1] ?? "", /<w:vMerge w:val="restart"\/>/);
    const byLabel = new Map(three.map((cells) => [cells.find((c) => c !== "") ?? "", cells]));
    const received = three.find((cells) => cells.includes("一、本年新收政府信息公开申请数量"));
    assert.deepEqual(received?.slice(-7), expectedThree.newReceived?.map(String));
    const outcomeStart = three.find((cells) => cells.includes("三、本年度办理结果"));
    assert.deepEqual(outcomeStart?.slice(0, 2), ["三、本年度办理结果", "（一）予以公开"]);
    assert.deepEqual(outcomeStart?.slice(-7), expectedThree.granted?.map(String));
    const secret = three.find((cells) => cells.includes("1.属于国家秘密"));
    assert.deepEqual(
      secret?.slice(0, 3),
      ["", "（三）不予公开", "1.属于国家秘密"],
      "vertical merge continues down the rows",
    );
    const fee = three.find((cells) =>
      cells.some((c) => c.startsWith("2.申请人逾期未按收费通知要求缴纳费用")),
    );
    assert.deepEqual(fee?.slice(-7), expectedThree["other.feeUnpaid"]?.map(String));
    assert.deepEqual(three.at(-1), [
      "四、结转下年度继续办理",
      ...(expectedThree.carriedForward ?? []).map(String),
    ]);
    assert.ok(byLabel.size > 20);
    const four = rowsOf(tables[2] ?? "");
    assert.deepEqual(four[0], ["行政复议", "行政诉讼"]);
    assert.deepEqual(four[1], ["", "未经复议直接起诉", "复议后起诉"], "行政复议 spans two header rows");
    assert.deepEqual(four[3], ["1", "1", "0", "1", "3", "0", "0", "1", "0", "1", "0", "0", "0", "1", "1"]);
    assert.match(xml, /金标准市测试局/);
    assert.match(xml, /2024年政府信息公开工作年度报告/);
    for (const heading of [
      "一、总体情况",
      "二、主动公开政府信息情况",
      "三、收到和处理政府信息公开申请情况",
      "四、政府信息公开行政复议、行政诉讼情况",
      "五、存在的主要问题及改进情况",
      "六、其他需要报告的事项",
    ])
      assert.ok(xml.includes(heading), heading);
    assert.match(xml, /仿宋_GB2312/);
    assert.match(xml, /<w:sz w:val="32"\/>/, "body in 三号 (16pt)");
  });

  it("writes an XLSX with merged headers and numbers as numbers", async () => {
    const { model } = await generateReport(golden, goldenYear, { previous: null });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(
      (await renderXlsx(model)) as unknown as Parameters<typeof workbook.xlsx.load>[0],
    );
    const sheet = workbook.getWorksheet("表三 依申请公开");
    assert.ok(sheet);
    const top = XLSX_GRID_FIRST_ROW;
    assert.equal(
      sheet.getCell(top, 1).value,
      "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
    );
    assert.equal(sheet.getCell(top + 1, 5).value, "法人或其他组织");
    assert.equal(sheet.getCell(top + 1, 9).isMerged, true);
    assert.equal(sheet.getCell(top + 2, 4).value, "自然人", "自然人 spans two header rows");
    assert.equal(sheet.getCell(top + 3, 1).value, "一、本年新收政府信息公开申请数量");
    for (let c = 0; c < 7; c++)
      assert.strictEqual(sheet.getCell(top + 3, 4 + c).value, expectedThree.newReceived?.[c]);
    assert.equal(sheet.getCell(top + 5, 1).value, "三、本年度办理结果");
    assert.equal(
      sheet.getCell(top + 26, 1).value,
      "三、本年度办理结果",
      "the outcome label spans down to （七）总计",
    );
    assert.equal(sheet.getCell(top + 26, 2).value, "（七）总计");
    assert.strictEqual(sheet.getCell(top + 26, 10).value, 25);
    const four = workbook.getWorksheet("表四 复议诉讼");
    assert.strictEqual(four?.getCell(top + 3, 5).value, 3);
    const two = workbook.getWorksheet("表二 主动公开");
    const licensing = [...Array(30).keys()].map((i) => two?.getCell(top + i, 1).value).indexOf("行政许可");
    assert.ok(licensing > 0);
    assert.equal(two?.getCell(top + licensing, 2).value, null, "blank manual input stays blank");
  });
});

describe("demo data mirroring the seed report (海东市生态环境局 2019)", () => {
  let agency: AgencyDoc;
  before(async () => {
    agency = await buildAgency({ code: "HD-SEED", name: "海东市生态环境局" });
    const items = Array.from({ length: 11 }, (_, i) => ({
      agencyId: agency._id as Types.ObjectId,
      indexNo: `HD-SEED-2019-${String(i + 1).padStart(6, "0")}`,
      title: `海东市生态环境局规章${i + 1}`,
      category: "policyDocument",
      docKind: "regulation",
      formedDate: "2019-03-01",
      publishedDate: "2019-03-05",
      publishedYear: 2019,
      status: "published",
    }));
    await InfoItem.insertMany(items);
  });

  it("reproduces the seed's tables 二 and 四, with table 三 consistent", async () => {
    const seed = auditReportText(SEED).parsed;
    const ref: ReportAgency = { _id: agency._id, code: agency.code, name: agency.name, level: "department" };
    const { model } = await generateReport(ref, 2019, {
      previous: null,
      manual: {
        licensing: { previousYear: 274, change: 82, decisions: 314 },
        otherServices: { previousYear: 0, change: 0, decisions: 0 },
        penalty: { previousYear: 3, change: 4, decisions: 7 },
        enforcement: { previousYear: 0, change: 1, decisions: 1 },
        procurement: { projects: 3, amountYuan: 21665720 },
      },
    });
    assert.equal(model.formatVersion, "2019");
    assert.deepEqual(model.tables.two, seed.tables.two);
    // The seed leaves table 四 blank; with no review cases every generated cell is 0 (blank ≠ 0 is
    // flagged on the seed, the generator writes the zeros).
    for (const [block, cells] of Object.entries(model.tables.four))
      for (const [column, value] of Object.entries(cells)) {
        assert.equal(value, 0);
        assert.ok([null, 0].includes(seed.tables.four[block]?.[column] ?? null));
      }
    for (const [row, cells] of Object.entries(seed.tables.three)) {
      for (const column of columns) {
        const seedCell = cells[column];
        if (seedCell !== null && seedCell !== undefined)
          assert.equal(model.tables.three.rows[row]?.[column], seedCell, `${row}.${column}`);
      }
    }
    const hard = model.checks.filter(
      (c) => !c.ok && c.severity === "hard" && !c.rule.startsWith("sections."),
    );
    assert.deepEqual(hard, []);
  });

  it("audits the seed text: the narrative's 356 applications contradict table 三's zeros", () => {
    const { checks } = auditReportText(SEED);
    const finding = checks.find((c) => c.rule === "narrative.received" && !c.ok);
    assert.ok(finding, JSON.stringify(checks, null, 1));
    assert.equal(finding.severity, "hard");
    assert.match(finding.message, /受理依申请类公开事项 356 件/);
    assert.match(finding.message, /为 0/);
    assert.match(finding.message, /274 \+ 82/);
  });
});
