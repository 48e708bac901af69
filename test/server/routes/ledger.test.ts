import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { AgencyDoc } from "../../../server/models/Agency.ts";
import { AuditEvent } from "../../../server/models/AuditEvent.ts";
import { DisclosureRequest } from "../../../server/models/DisclosureRequest.ts";
import { ReviewCase } from "../../../server/models/ReviewCase.ts";
import { generateReport } from "../../../server/reports/service.ts";
import { fireEvent } from "../../../server/services/requestTransitioner.ts";
import { buildAgency, buildStaff } from "../../factories/people.ts";
import { fixtureStaff } from "../../factories/requests.ts";
import { type Client, loginStaff } from "../../support/clients.ts";
import { startTestServer, type TestServer } from "../../support/testServer.ts";
import {
  type CaseRow,
  creditCode,
  goodCases,
  goodRows,
  idNumber,
  type Row,
  readXlsx,
  toCsv,
  toXlsx,
} from "./ledger.support.ts";

let server: TestServer;
let parent: AgencyDoc;
let agencyA: AgencyDoc;
let agencyB: AgencyDoc;
let agencyC: AgencyDoc;
let admin: Client;
let registrar: Client;
let supervisor: Client;

interface Problem {
  sheet: string;
  row: number;
  column: string;
  message: string;
}

before(async () => {
  server = await startTestServer();
  parent = await buildAgency({ code: "HD", name: "海东市人民政府", level: "government" });
  agencyA = await buildAgency({ code: "HDSTHJJ", name: "海东市生态环境局", parent });
  agencyB = await buildAgency({ code: "HDCOPY", name: "海东市复制局", parent });
  agencyC = await buildAgency({ code: "HDOTHER", name: "海东市其他局" });
  const adminUser = await buildStaff([
    { agency: agencyA, role: "admin" },
    { agency: agencyB, role: "admin" },
    { agency: agencyC, role: "admin" },
  ]);
  const registrarUser = await buildStaff([{ agency: agencyA, role: "registrar" }]);
  const supervisorUser = await buildStaff([{ agency: parent, role: "supervisor" }]);
  admin = await loginStaff(server, adminUser.username, adminUser.password);
  registrar = await loginStaff(server, registrarUser.username, registrarUser.password);
  supervisor = await loginStaff(server, supervisorUser.username, supervisorUser.password);
});
after(async () => {
  await server.close();
});

function upload(client: Client, agency: AgencyDoc, bytes: Buffer, filename: string) {
  return server.request(`/api/ledger/import?agencyId=${String(agency._id)}`, {
    method: "POST",
    headers: {
      ...client.headers,
      "Content-Type": "application/octet-stream",
      "X-Filename": encodeURIComponent(filename),
    },
    body: bytes,
  });
}

/** The administrator's explicit full export (personal data in clear), with its reason. */
const FULL = `&full=true&reason=${encodeURIComponent("核对台账")}`;

async function download(client: Client, agency: AgencyDoc, query = "") {
  const response = await fetch(`${server.baseUrl}/api/ledger/export?agencyId=${String(agency._id)}${query}`, {
    headers: client.headers,
  });
  return {
    status: response.status,
    headers: response.headers,
    bytes: Buffer.from(await response.arrayBuffer()),
  };
}

function problemsOf(body: unknown): Problem[] {
  return (body as { details: { rows: Problem[] } }).details.rows;
}

describe("ledger import", () => {
  it("imports an XLSX with both sheets, keeping 申请编号 and rebuilding the events", async () => {
    const response = await upload(admin, agencyA, await toXlsx(goodRows(), goodCases()), "台账.xlsx");
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.deepEqual((response.body as { data: unknown }).data, {
      imported: 11,
      skipped: 0,
      reviewCases: { imported: 3, skipped: 0 },
    });
    const stored = await DisclosureRequest.find({ agencyId: agencyA._id }).lean();
    assert.equal(stored.length, 11);
    const bySerial = new Map(stored.map((r) => [r.serialNo, r]));
    assert.ok(stored.every((r) => r.source === "ledger"));
    assert.equal(bySerial.get("T-001")?.state, "received");
    assert.equal(bySerial.get("T-002")?.state, "decided");
    assert.equal(bySerial.get("T-002")?.outcome, "granted");
    assert.equal(bySerial.get("T-002")?.closedDate, "2025-03-20");
    assert.equal(bySerial.get("T-003")?.state, "correctionRequested");
    assert.equal(bySerial.get("T-004")?.outcome, "unable.stillUnclear");
    assert.deepEqual(
      bySerial.get("T-004")?.events.map((e) => [e.type, e.date]),
      [
        ["register", "2025-03-05"],
        ["requestCorrection", "2025-03-07"],
        ["receiveCorrection", "2025-03-12"],
        ["extend", "2025-04-01"],
        ["decide", "2025-04-20"],
      ],
    );
    assert.equal(bySerial.get("T-004")?.events[3]?.payload.approver, "台账导入");
    assert.equal(bySerial.get("T-004")?.version, 4);
    assert.equal(bySerial.get("T-007")?.state, "closedWithoutProcessing");
    assert.equal(bySerial.get("T-007")?.outcome, "other.feeUnpaid");
    assert.equal(bySerial.get("T-008")?.outcome, "other.noCorrection");
    assert.equal(bySerial.get("T-009")?.state, "withdrawn");
    assert.equal(bySerial.get("T-011")?.receiptDate, "2024-12-30");
    assert.equal(bySerial.get("T-011")?.year, 2024);
    // Personal data is sealed at rest like any other record.
    const raw = await server.db.connection.collection("disclosurerequests").findOne({ serialNo: "T-001" });
    assert.ok(!JSON.stringify(raw).includes("13812345678"));

    const cases = await ReviewCase.find({ agencyId: agencyA._id }).lean();
    assert.equal(cases.length, 3);
    const linked = cases.find((c) => c.caseNo === "东复〔2025〕1号");
    assert.equal(String(linked?.requestId), String(bySerial.get("T-005")?._id));
    assert.equal(linked?.result, null);
    assert.equal(await AuditEvent.countDocuments({ action: "ledger.import", agencyId: agencyA._id }), 1);

    // Imported records are ordinary records: the transitioner can move them on.
    const open = bySerial.get("T-001");
    assert.ok(open);
    const fired = await fireEvent({
      requestId: open._id,
      input: { type: "decide", date: "2025-03-20", outcome: "granted" },
      actor: fixtureStaff,
    });
    assert.equal(fired.request.state, "decided");
  });

  it("importing the same file twice changes nothing; a conflicting row is an error for that row", async () => {
    const agency = await buildAgency({ code: "IDEM" });
    const staff = await buildStaff([{ agency, role: "admin" }]);
    const client = await loginStaff(server, staff.username, staff.password);
    const file = await toXlsx(goodRows("I"), goodCases("I"));
    assert.equal((await upload(client, agency, file, "a.xlsx")).status, 200);
    const before = await DisclosureRequest.find({ agencyId: agency._id }).sort({ serialNo: 1 }).lean();
    const second = await upload(client, agency, file, "a.xlsx");
    assert.equal(second.status, 200);
    assert.deepEqual((second.body as { data: unknown }).data, {
      imported: 0,
      skipped: 11,
      reviewCases: { imported: 0, skipped: 3 },
    });
    const afterwards = await DisclosureRequest.find({ agencyId: agency._id }).sort({ serialNo: 1 }).lean();
    assert.deepEqual(afterwards, before);
    assert.equal(await ReviewCase.countDocuments({ agencyId: agency._id }), 3);

    const changed = goodRows("I");
    (changed[4] as Row).申请内容 = "改过的申请内容";
    (changed[4] as Row).联系电话 = "13900000000";
    const conflict = await upload(client, agency, toCsv(changed), "a.csv");
    assert.equal(conflict.status, 400);
    const problems = problemsOf(conflict.body);
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.row, 6);
    assert.equal(problems[0]?.column, "申请编号");
    assert.match(problems[0]?.message ?? "", /联系电话、申请内容/);
    assert.ok(!(problems[0]?.message ?? "").includes("13900000000"), "no personal data in messages");
  });

  it("reports every error of a file with many bad rows, with row and column, and writes nothing", async () => {
    const agency = await buildAgency({ code: "BAD" });
    const staff = await buildStaff([{ agency, role: "admin" }]);
    const client = await loginStaff(server, staff.username, staff.password);
    const base = goodRows("B")[0] as Row;
    const rows: Row[] = [
      { ...base, 申请编号: "", 收到日期: "2025/03/03" }, // row 2
      { ...base, 申请编号: "B-2", 申请人类型: "个体户", 证件号码: "632102198001011230" }, // row 3
      { ...base, 申请编号: "B-3", 办理结果: "予以公开" }, // row 4
      { ...base, 申请编号: "B-4", 办结日期: "2025-03-01", 办理结果: "予以公开" }, // row 5
      {
        ...base,
        申请编号: "B-5",
        补正收到日期: "2025-03-10",
        延期告知日期: "2025-03-10",
        延期工作日数: "30",
      }, // row 6
      {
        ...base,
        申请编号: "B-6",
        征求意见开始日期: "2025-03-05",
        办结日期: "2025-03-20",
        办理结果: "予以公开",
      }, // row 7
      { ...base, 申请编号: "B-7", 办结日期: "2025-03-20", 办理结果: "其他处理-逾期不补正" }, // row 8
      { ...base, 申请编号: "B-8" }, // row 9 (valid)
      { ...base, 申请编号: "B-8" }, // row 10
      {
        ...base,
        申请编号: "B-10",
        申请人类型: "商业企业",
        证件类型: "统一社会信用代码",
        证件号码: `${creditCode("91632100MA752QKX1").slice(0, 17)}0`,
      }, // row 11
      { ...base, 申请编号: "B-11", 收到日期: "2099-01-01" }, // row 12
      { ...base, 申请编号: "B-12", 办结日期: "2025-03-20", 办理结果: "同意公开" }, // row 13
      { ...base, 申请编号: "B-13", 申请人姓名或名称: "", 申请内容: "" }, // row 14
      {
        ...base,
        申请编号: "B-14",
        补正告知日期: "2025-03-05",
        补正期限: "2025-03-04",
        电子邮箱: "not-an-email",
      }, // row 15
      {
        ...base,
        申请编号: "B-15",
        补正告知日期: "2025-03-05",
        补正期限: "2025-03-20",
        延期告知日期: "2025-03-06",
        延期工作日数: "10",
      }, // row 16
    ];
    const cases: CaseRow[] = [
      { 案件编号: "C-1", 案件类型: "信访", 立案日期: "2025-05-01" }, // row 2
      { 案件编号: "C-2", 案件类型: "行政复议", 立案日期: "2025-05-01", 结案日期: "2025-04-01", 结果: "维持" }, // row 3
      { 案件编号: "C-3", 关联申请编号: "NOPE", 案件类型: "直接起诉", 立案日期: "2025-05-01" }, // row 4
      { 案件编号: "C-4", 案件类型: "直接起诉", 立案日期: "2025-05-01", 结果: "维持" }, // row 5
    ];
    const response = await upload(client, agency, await toXlsx(rows, cases), "bad.xlsx");
    assert.equal(response.status, 400);
    assert.equal((response.body as { code: string }).code, "validation_error");
    const problems = problemsOf(response.body);
    const at = (sheet: string, row: number, column: string) =>
      problems.filter((p) => p.sheet === sheet && p.row === row && p.column === column);
    const expected: [string, number, string, RegExp][] = [
      ["申请", 2, "申请编号", /不能为空/],
      ["申请", 2, "收到日期", /YYYY-MM-DD/],
      ["申请", 3, "申请人类型", /个体户.*无法识别/],
      ["申请", 3, "证件号码", /校验位/],
      ["申请", 4, "办结日期", /填写办理结果的/],
      ["申请", 5, "办结日期", /不能早于收到日期/],
      ["申请", 6, "补正告知日期", /填写补正收到日期的/],
      ["申请", 6, "延期工作日数", /1 至 20/],
      ["申请", 7, "办结日期", /征求意见中/],
      ["申请", 8, "办理结果", /逾期不补正.*仅适用于补正中/],
      ["申请", 10, "申请编号", /与第 9 行重复/],
      ["申请", 11, "证件号码", /统一社会信用代码/],
      ["申请", 12, "收到日期", /不能晚于今天/],
      ["申请", 13, "办理结果", /同意公开.*无法识别/],
      ["申请", 14, "申请人姓名或名称", /不能为空/],
      ["申请", 14, "申请内容", /不能为空/],
      ["申请", 15, "补正期限", /应晚于补正告知日期/],
      ["申请", 15, "电子邮箱", /格式不正确/],
      ["申请", 16, "延期告知日期", /补正中.*不能延长答复期限/],
      ["复议诉讼", 2, "案件类型", /信访.*无法识别/],
      ["复议诉讼", 3, "结案日期", /不能早于立案日期/],
      ["复议诉讼", 4, "关联申请编号", /NOPE/],
      ["复议诉讼", 5, "结案日期", /填写结果的/],
    ];
    for (const [sheet, row, column, message] of expected) {
      const found = at(sheet, row, column);
      assert.ok(
        found.some((p) => message.test(p.message)),
        `expected ${sheet} row ${row} ${column} ~ ${message}; got ${JSON.stringify(problems, null, 1)}`,
      );
    }
    assert.ok(!problems.some((p) => p.row === 9), "the valid row has no problem");
    assert.ok(problems.every((p) => p.message !== "" && /[\u4e00-\u9fff]/.test(p.message)));
    assert.equal(await DisclosureRequest.countDocuments({ agencyId: agency._id }), 0);
    assert.equal(await ReviewCase.countDocuments({ agencyId: agency._id }), 0);
  });

  it("imports all rows or none: one bad row among good ones stops the whole file", async () => {
    const agency = await buildAgency({ code: "ALLORNONE" });
    const staff = await buildStaff([{ agency, role: "admin" }]);
    const client = await loginStaff(server, staff.username, staff.password);
    const rows = goodRows("N");
    (rows[10] as Row).延期工作日数 = "21";
    const response = await upload(client, agency, toCsv(rows, { bom: true }), "n.csv");
    assert.equal(response.status, 400);
    assert.deepEqual(
      problemsOf(response.body).map((p) => [p.row, p.column]),
      [[12, "延期工作日数"]],
    );
    assert.equal(await DisclosureRequest.countDocuments({ agencyId: agency._id }), 0);
  });

  it("reads CSV with and without BOM, GB18030 CSV, and XLSX date cells the same way", async () => {
    const results: unknown[] = [];
    const files: [string, Buffer | Promise<Buffer>][] = [
      ["bom.csv", toCsv(goodRows("C"), { bom: true, extraStateColumn: true })],
      ["plain.csv", toCsv(goodRows("C"), { extraStateColumn: true })],
      ["dates.xlsx", toXlsx(goodRows("C"), undefined, { dateCells: true })],
      ["gbk.csv", gb18030(toCsv(goodRows("C"), { extraStateColumn: true }).toString("utf8"))],
    ];
    for (const [name, bytes] of files) {
      const agency = await buildAgency();
      const staff = await buildStaff([{ agency, role: "admin" }]);
      const client = await loginStaff(server, staff.username, staff.password);
      const response = await upload(client, agency, await bytes, name);
      assert.equal(response.status, 200, `${name}: ${JSON.stringify(response.body)}`);
      const exported = await download(client, agency, `&format=csv${FULL}`);
      results.push(exported.bytes.toString("utf8"));
    }
    for (const result of results.slice(1)) assert.equal(result, results[0]);
  });

  it("guards the upload: roles, agency, file name, type and size", async () => {
    const file = toCsv(goodRows("G"));
    assert.equal((await upload(registrar, agencyA, file, "a.csv")).status, 403);
    assert.equal((await upload(supervisor, agencyA, file, "a.csv")).status, 403);
    const other = await buildAgency();
    assert.equal((await upload(admin, other, file, "a.csv")).status, 403);
    assert.equal((await upload(admin, agencyA, file, "a.xls")).status, 415);
    const noName = await server.request(`/api/ledger/import?agencyId=${String(agencyA._id)}`, {
      method: "POST",
      headers: { ...admin.headers, "Content-Type": "application/octet-stream" },
      body: file,
    });
    assert.equal(noName.status, 400);
    const big = await upload(admin, agencyA, Buffer.alloc(10 * 1024 * 1024 + 1, 0x41), "big.csv");
    assert.equal(big.status, 413);
    const garbage = await upload(admin, agencyA, Buffer.from("not a zip"), "x.xlsx");
    assert.equal(garbage.status, 400);
    assert.match((garbage.body as { message: string }).message, /xlsx/);
  });
});

describe("ledger export", () => {
  it("round trip: import → export → import → export gives the same file, cell by cell", async () => {
    const source = await buildAgency({ code: "RT1", name: "往返甲局" });
    const copy = await buildAgency({ code: "RT2", name: "往返乙局" });
    const staff = await buildStaff([
      { agency: source, role: "admin" },
      { agency: copy, role: "admin" },
    ]);
    const client = await loginStaff(server, staff.username, staff.password);
    assert.equal(
      (await upload(client, source, await toXlsx(goodRows("R"), goodCases("R")), "r.xlsx")).status,
      200,
    );
    const first = await download(client, source, FULL);
    assert.equal(first.status, 200);
    assert.match(first.headers.get("content-type") ?? "", /spreadsheetml/);
    const disposition = first.headers.get("content-disposition") ?? "";
    assert.match(disposition, /^attachment; filename="ledger\.xlsx"; filename\*=UTF-8''/);
    assert.ok(decodeURIComponent(disposition.split("''")[1] ?? "").includes("往返甲局"));

    const imported = await upload(client, copy, first.bytes, "export.xlsx");
    assert.equal(imported.status, 200, JSON.stringify(imported.body));
    const second = await download(client, copy, FULL);
    const a = await readXlsx(first.bytes);
    const b = await readXlsx(second.bytes);
    assert.deepEqual(Object.keys(a), ["申请", "复议诉讼"]);
    assert.equal(a.申请?.length, 12);
    assert.equal(a.复议诉讼?.length, 4);
    assert.deepEqual(a.申请?.[0]?.slice(-3), ["答复期限", "是否超期", "当前状态"]);
    for (const sheet of ["申请", "复议诉讼"]) {
      const rowsA = a[sheet] ?? [];
      const rowsB = b[sheet] ?? [];
      assert.equal(rowsB.length, rowsA.length, sheet);
      for (const [r, row] of rowsA.entries()) {
        for (const [c, cell] of row.entries()) {
          assert.equal(rowsB[r]?.[c], cell, `${sheet} row ${r + 1} column ${c + 1}`);
        }
      }
    }
    // And the export imports back into its own agency as "nothing to do".
    const again = await upload(client, source, first.bytes, "export.xlsx");
    assert.deepEqual((again.body as { data: unknown }).data, {
      imported: 0,
      skipped: 11,
      reviewCases: { imported: 0, skipped: 3 },
    });

    // CSV: same rows, UTF-8 with BOM, formula-looking text neutralised, and it round-trips too.
    const csv = await download(client, source, `&format=csv${FULL}`);
    assert.match(csv.headers.get("content-type") ?? "", /text\/csv/);
    assert.deepEqual([...csv.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    assert.ok(csv.bytes.toString("utf8").includes("'=SUM(A1:A2)"));
    const csvCopy = await buildAgency({ code: "RT3" });
    const csvStaff = await buildStaff([{ agency: csvCopy, role: "admin" }]);
    const csvClient = await loginStaff(server, csvStaff.username, csvStaff.password);
    assert.equal((await upload(csvClient, csvCopy, csv.bytes, "export.csv")).status, 200);
    const csvAgain = await download(csvClient, csvCopy, `&format=csv${FULL}`);
    assert.equal(csvAgain.bytes.toString("utf8"), csv.bytes.toString("utf8"));
  });

  it("filters by year of receipt, derives 答复期限/是否超期/当前状态, and is audited", async () => {
    const agency = await buildAgency({ code: "YEAR" });
    const staff = await buildStaff([{ agency, role: "admin" }]);
    const client = await loginStaff(server, staff.username, staff.password);
    assert.equal((await upload(client, agency, await toXlsx(goodRows("Y")), "y.xlsx")).status, 200);
    const only2024 = await readXlsx((await download(client, agency, `&year=2024${FULL}`)).bytes);
    assert.deepEqual(
      only2024.申请?.slice(1).map((r) => r[0]),
      ["Y-011"],
    );
    const all = await readXlsx((await download(client, agency, FULL)).bytes);
    const header = all.申请?.[0] ?? [];
    const row = (serial: string) => {
      const cells = all.申请?.find((r) => r[0] === serial) ?? [];
      return Object.fromEntries(header.map((h, i) => [h, cells[i]]));
    };
    // Received Monday 2025-03-03: 20 working days from 03-04 end on 03-31.
    assert.equal(row("Y-001").答复期限, "2025-03-31");
    assert.equal(row("Y-001").当前状态, "已收到申请");
    assert.equal(row("Y-002").是否超期, "否");
    assert.equal(row("Y-002").当前状态, "已答复");
    assert.equal(row("Y-003").当前状态, "补正中");
    assert.equal(row("Y-009").当前状态, "已撤回");
    assert.equal(row("Y-001").证件号码, idNumber("63210219800101123"));
    assert.ok((await AuditEvent.countDocuments({ action: "ledger.export", agencyId: agency._id })) >= 2);
  });

  it("accepts an imported extension decided after the period ran out, but the reply is late", async () => {
    const agency = await buildAgency({ code: "LATEEXT" });
    const staff = await buildStaff([{ agency, role: "admin" }]);
    const client = await loginStaff(server, staff.username, staff.password);
    const [base] = goodRows("L");
    const late: Row = {
      ...base,
      申请编号: "L-LATE",
      // Received Monday 2025-03-03: the 20 working days ended on 03-31; the extension came on 04-02.
      延期告知日期: "2025-04-02",
      延期工作日数: "20",
      办结日期: "2025-04-18",
      办理结果: "予以公开",
    };
    const imported = await upload(client, agency, await toXlsx([late]), "late.xlsx");
    assert.equal(imported.status, 200, JSON.stringify(imported.body));
    const stored = await DisclosureRequest.findOne({ serialNo: "L-LATE" }).lean();
    assert.equal(stored?.dueDate, "2025-03-31", "the late extension does not move the due date");
    assert.ok(
      stored?.events.some((e) => e.type === "extend"),
      "what happened is kept",
    );
    const sheet = await readXlsx((await download(client, agency)).bytes);
    const header = sheet.申请?.[0] ?? [];
    const cells = sheet.申请?.find((r) => r[0] === "L-LATE") ?? [];
    const row = Object.fromEntries(header.map((h, i) => [h, cells[i]]));
    assert.equal(row.答复期限, "2025-03-31");
    assert.equal(row.是否超期, "是");
    assert.equal(row.延期告知日期, "2025-04-02", "the export still states the extension as recorded");
    const report = await generateReport(
      { _id: agency._id, code: agency.code, name: agency.name, level: "department" },
      2025,
      { previous: null },
    );
    assert.deepEqual(report.facts.timeliness.late, ["L-LATE"], "counts as late in 按时办结率");
    assert.equal(report.facts.timeliness.onTime, 0);
  });

  it("lets a supervisor of a parent agency export, but not a registrar or an outsider", async () => {
    assert.equal((await download(supervisor, agencyA)).status, 200);
    // The supervisor's file has the applicants' personal data masked, as in every staff view, and a
    // supervisor may not ask for it in clear; the agency's own administrator (a caseworker under the
    // reveal rule) gets it in full when asking for it with a reason.
    const inClear = "&full=true&reason=%E5%BD%92%E6%A1%A3"; // 归档
    assert.equal((await download(supervisor, agencyA, inClear)).status, 403);
    for (const format of ["csv", "xlsx"] as const) {
      const bySupervisor = await download(supervisor, agencyA, `&format=${format}`);
      const byAdmin = await download(admin, agencyA, `&format=${format}${inClear}`);
      assert.equal(bySupervisor.status, 200);
      assert.equal(byAdmin.status, 200);
      const rowsOf = async (bytes: Buffer) =>
        format === "csv" ? bytes.toString("utf8") : JSON.stringify((await readXlsx(bytes)).申请);
      const masked = await rowsOf(bySupervisor.bytes);
      const full = await rowsOf(byAdmin.bytes);
      for (const secret of [
        idNumber("63210219800101123"),
        "13812345678",
        "青海省海东市乐都区碾伯镇1号",
        "zhangsan@example.com",
      ]) {
        assert.ok(full.includes(secret), `${format}: the admin's export holds ${secret}`);
        assert.ok(!masked.includes(secret), `${format}: the supervisor's export leaks ${secret}`);
      }
      assert.ok(masked.includes("138****5678"), `${format}: the phone is masked`);
      assert.ok(masked.includes("z*******@example.com"), `${format}: the e-mail is masked`);
    }
    const audited = await AuditEvent.findOne({ action: "ledger.export", agencyId: agencyA._id })
      .sort({ at: -1 })
      .lean();
    assert.equal(((audited?.details ?? {}) as { full?: boolean }).full, true);
    assert.equal((await download(registrar, agencyA)).status, 403);
    const outsider = await buildStaff([{ agency: agencyC, role: "reviewer" }]);
    const client = await loginStaff(server, outsider.username, outsider.password);
    assert.equal((await download(client, agencyA)).status, 403);
    assert.equal((await download(admin, agencyA, "&format=pdf")).status, 400);
  });

  it("masks personal data by default; the full export is an administrator's choice with a reason, audited", async () => {
    const agency = await buildAgency({ code: "MSK", name: "遮蔽局" });
    const staff = await buildStaff([{ agency, role: "admin" }]);
    const client = await loginStaff(server, staff.username, staff.password);
    assert.equal((await upload(client, agency, await toXlsx(goodRows("M")), "m.xlsx")).status, 200);
    const first = async (query: string) => {
      const sheet = (await readXlsx((await download(client, agency, query)).bytes)).申请 ?? [];
      const header = sheet[0] ?? [];
      return Object.fromEntries(header.map((h, i) => [h, sheet[1]?.[i] ?? ""]));
    };
    const masked = await first("");
    const full = await first(FULL);
    assert.match(masked.证件号码 ?? "", /^\d{6}\*+[\dX]{4}$/);
    assert.match(masked.联系电话 ?? "", /\*{4}/);
    assert.ok((full.证件号码 ?? "").length > 0);
    assert.doesNotMatch(full.证件号码 ?? "", /\*/);

    const noReason = await download(client, agency, "&full=true");
    assert.equal(noReason.status, 400);
    assert.match(noReason.bytes.toString("utf8"), /导出理由/);
    assert.equal(
      (await download(supervisor, agencyA, FULL)).status,
      403,
      "a supervisor gets the masked one only",
    );
    assert.equal((await download(supervisor, agencyA)).status, 200);
    const audits = await AuditEvent.find({ action: "ledger.export", agencyId: agency._id })
      .sort({ at: 1 })
      .lean();
    assert.deepEqual(
      audits.map((a) => [(a.details as { full?: boolean }).full, (a.details as { reason?: string }).reason]),
      [
        [false, undefined],
        [true, "核对台账"],
      ],
    );
  });
});

// Excel on Chinese Windows saves "CSV" in GB18030; only CJK, ASCII and the full-width marks are used here.
function gb18030(text: string): Buffer {
  const bytes: number[] = [];
  const decoder = new TextDecoder("gb18030");
  const table = new Map<string, number[]>();
  // Build the reverse mapping lazily over the two-byte GBK range.
  for (let hi = 0x81; hi <= 0xfe; hi++) {
    for (let lo = 0x40; lo <= 0xfe; lo++) {
      if (lo === 0x7f) continue;
      const ch = decoder.decode(Uint8Array.of(hi, lo));
      if (ch.length === 1 && !table.has(ch)) table.set(ch, [hi, lo]);
    }
  }
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x80) bytes.push(code);
    else {
      const pair = table.get(ch);
      if (!pair) throw new Error(`not encodable in GBK: ${ch}`);
      bytes.push(...pair);
    }
  }
  return Buffer.from(bytes);
}
