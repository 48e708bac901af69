/**
 * The annual-report API over HTTP against the embedded database: draft, manual inputs, paragraph
 * edits re-checked, provenance, exports, publish refused (409 + failing checks) then accepted, the
 * public page with its revision history, a correction as a new revision, the supervisor summary, the
 * dashboard deadline, the import of a historical report, and the yearly draft job.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import type { AgencyDoc } from "../../../server/models/Agency.ts";
import { AnnualReport } from "../../../server/models/AnnualReport.ts";
import { AuditEvent } from "../../../server/models/AuditEvent.ts";
import { draftLastYearReports } from "../../../server/reports/draftJob.ts";
import { createPersonalDataCipher } from "../../../server/security/personalData.ts";
import { buildAgency, buildStaff } from "../../factories/people.ts";
import { buildRequest, registrationInput } from "../../factories/requests.ts";
import { anonymousClient, type Client, loginStaff } from "../../support/clients.ts";
import { startTestServer, type TestServer } from "../../support/testServer.ts";

const SEED = readFileSync(
  new URL("../../../../shared/seed/haidong-sthjj-2019-annual-report.txt", import.meta.url),
  "utf8",
);

let server: TestServer;
let city: AgencyDoc;
let bureau: AgencyDoc;
let admin: Client;
let supervisor: Client;
let outsider: Client;
const cipher = createPersonalDataCipher(randomBytes(32));
const base = () => `/api/reports/agencies/${String(bureau._id)}/2024`;

interface Envelope<T> {
  ok: boolean;
  data: T;
  code?: string;
  message?: string;
  details?: { reason?: string; checks?: { rule: string; message: string }[] };
}
interface ReportBody {
  status: string;
  checks: { rule: string; ok: boolean; severity: string; message: string }[];
  sections: {
    overview: { key: string; text: string; edited: boolean }[];
    problems: { text: string }[];
    other: { text: string }[];
  };
  tables: {
    two: Record<string, Record<string, number | null>>;
    three: { rows: Record<string, Record<string, number>> };
  };
  revisions: { revision: number; reason: string }[];
  publishable: boolean;
}
const body = <T>(response: { body: unknown }) => response.body as Envelope<T>;

before(async () => {
  server = await startTestServer();
  city = await buildAgency({ code: "CITY", name: "测试市人民政府", level: "government" });
  bureau = await buildAgency({ code: "BUREAU", name: "测试市生态环境局", parent: city });
  const adminUser = await buildStaff([{ agency: bureau, role: "admin" }]);
  const supervisorUser = await buildStaff([{ agency: city, role: "supervisor" }]);
  const other = await buildAgency({ code: "OTHER", name: "其他局" });
  const outsiderUser = await buildStaff([{ agency: other, role: "admin" }]);
  admin = await loginStaff(server, adminUser.username, adminUser.password);
  supervisor = await loginStaff(server, supervisorUser.username, supervisorUser.password);
  outsider = await loginStaff(server, outsiderUser.username, outsiderUser.password);
  const make = (
    date: string,
    events: Record<string, unknown>[],
    type: "natural" | "commercial" = "natural",
  ) =>
    buildRequest(bureau, cipher, {
      input: { receiptDate: date, applicant: { ...registrationInput(bureau).applicant, type } },
      events,
      today: "2025-02-01",
    });
  await make("2024-03-04", [{ type: "decide", date: "2024-03-15", outcome: "granted" }]);
  await make(
    "2024-05-06",
    [{ type: "decide", date: "2024-05-20", outcome: "unable.notHeld", ground: "notExist" }],
    "commercial",
  );
  await make("2024-12-27", []);
});

after(async () => {
  await server.close();
});

describe("annual report routes", () => {
  it("drafts the report with tables, narrative and checks; outsiders are refused", async () => {
    const refused = await outsider.post(`${base()}/draft`, {});
    assert.equal(refused.status, 403);
    const response = await admin.post(`${base()}/draft`, {});
    assert.equal(response.status, 200, JSON.stringify(response.body));
    const report = body<ReportBody>(response).data;
    assert.equal(report.status, "draft");
    assert.equal(report.tables.three.rows.newReceived?.total, 3);
    assert.equal(report.tables.three.rows.carriedForward?.total, 1);
    assert.equal(report.publishable, false, "placeholders and blank inputs remain");
    assert.ok(report.checks.some((c) => c.rule === "three.balance" && c.ok));
  });

  it("shows the applications behind a figure", async () => {
    const response = await admin.get(`${base()}/provenance?cell=three.granted.natural`);
    assert.equal(response.status, 200, JSON.stringify(response.body));
    const data = body<{ value: number; items: { number: string; outcome: string }[] }>(response).data;
    assert.equal(data.value, 1);
    assert.equal(data.items.length, 1);
    assert.equal(data.items[0]?.outcome, "granted");
  });

  it("refuses to publish while a hard check fails, listing the failures", async () => {
    const response = await admin.post(`${base()}/publish`, {});
    assert.equal(response.status, 409);
    const error = body<never>(response);
    assert.equal(error.details?.reason, "report.checks_failed");
    assert.ok((error.details?.checks ?? []).some((c) => c.rule === "sections.overview"));
  });

  it("re-reads numbers staff wrote into the narrative", async () => {
    const response = await admin.put(`${base()}/sections`, {
      overview: [{ key: "overview.request.1", text: "2024年，本局新收政府信息公开申请 30 件。" }],
    });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    const report = body<ReportBody>(response).data;
    const finding = report.checks.find((c) => c.rule === "narrative.received" && !c.ok);
    assert.ok(finding, "the edited number is checked");
    assert.match(finding.message, /30/);
    assert.match(finding.message, /为 3/);
    assert.equal(report.sections.overview.find((p) => p.key === "overview.request.1")?.edited, true);
  });

  it("publishes once the paragraphs are written, and the public page shows it", async () => {
    const draft = body<ReportBody>(await admin.get(base())).data;
    const overview = draft.sections.overview.map((p) => ({
      key: p.key,
      text:
        p.key === "overview.request.1"
          ? "2024年，本局新收政府信息公开申请 3 件，上年结转政府信息公开申请 0 件。"
          : p.text.includes("【请填写")
            ? "本局健全信息公开工作制度，加强审核把关。"
            : p.text,
    }));
    const edited = await admin.put(`${base()}/sections`, {
      overview,
      problems: ["一是主动公开的及时性有待提高。下一步将完善发布流程。"],
      other: [draft.sections.other[0]?.text ?? "本年度未收取信息处理费。"],
    });
    assert.equal(edited.status, 200, JSON.stringify(edited.body));
    await admin.put(`${base()}/inputs`, {
      two: {
        licensing: { decisions: 12 },
        penalty: { decisions: 3 },
        enforcement: { decisions: 0 },
        fees: { amountWan: 0 },
      },
    });
    const published = await admin.post(`${base()}/publish`, {});
    assert.equal(published.status, 200, JSON.stringify(published.body));
    assert.equal(body<ReportBody>(published).data.status, "published");
    const locked = await admin.put(`${base()}/inputs`, { two: { licensing: { decisions: 1 } } });
    assert.equal(locked.status, 409, "a published report is frozen");

    const list = await anonymousClient(server).get("/api/reports/public?agencyCode=BUREAU");
    assert.equal(list.status, 200);
    assert.deepEqual(
      body<{ code: string; reports: { year: number; revision: number }[] }[]>(list).data.map((a) => [
        a.code,
        a.reports.map((r) => r.year),
      ]),
      [["BUREAU", [2024]]],
    );
    const page = await anonymousClient(server).get("/api/reports/public/BUREAU/2024");
    assert.equal(page.status, 200);
    assert.match(page.headers.get("content-type") ?? "", /text\/html/);
    const html = String(page.body);
    assert.match(html, /<html lang="zh-CN">/);
    assert.match(html, /<caption>收到和处理政府信息公开申请情况<\/caption>/);
    assert.match(html, /<th scope="colgroup" colspan="5">法人或其他组织<\/th>/);
    assert.match(html, /第 1 版/);
    const json = await anonymousClient(server).get("/api/reports/public/BUREAU/2024.json");
    assert.equal(json.status, 200);
    const data = json.body as {
      agency: { code: string };
      formatVersion: string;
      tables: { two: Record<string, Record<string, number | null>> };
      provenance: Record<string, string[]>;
    };
    assert.equal(data.agency.code, "BUREAU");
    assert.equal(data.formatVersion, "2021");
    assert.equal(data.tables.two.licensing?.decisions, 12);
    assert.equal(data.provenance["three.newReceived.total"]?.length, 3);
  });

  it("corrects a published report as a new revision with its reason", async () => {
    const revise = await admin.post(`${base()}/revise`, { reason: "更正行政许可决定数量" });
    assert.equal(revise.status, 200, JSON.stringify(revise.body));
    const stillPublic = await anonymousClient(server).get("/api/reports/public/BUREAU/2024.json");
    assert.equal(
      (stillPublic.body as { tables: { two: Record<string, Record<string, number>> } }).tables.two.licensing
        ?.decisions,
      12,
    );
    await admin.put(`${base()}/inputs`, { two: { licensing: { decisions: 13 } } });
    const republished = await admin.post(`${base()}/publish`, {});
    assert.equal(republished.status, 200, JSON.stringify(republished.body));
    const revisions = body<ReportBody>(republished).data.revisions;
    assert.deepEqual(
      revisions.map((r) => [r.revision, r.reason]),
      [
        [1, ""],
        [2, "更正行政许可决定数量"],
      ],
    );
    const html = String((await anonymousClient(server).get("/api/reports/public/BUREAU/2024")).body);
    assert.match(html, /第 2 版/);
    assert.match(html, /更正行政许可决定数量/);
  });

  it("exports DOCX, XLSX and JSON to staff", async () => {
    for (const [format, type] of [
      ["docx", "wordprocessingml"],
      ["xlsx", "spreadsheetml"],
      ["json", "json"],
      ["html", "html"],
    ] as const) {
      const response = await fetch(`${server.baseUrl}${base()}/export/${format}`, { headers: admin.headers });
      assert.equal(response.status, 200, format);
      assert.match(response.headers.get("content-type") ?? "", new RegExp(type));
      const bytes = Buffer.from(await response.arrayBuffer());
      if (format === "docx" || format === "xlsx") assert.equal(bytes.subarray(0, 2).toString(), "PK");
    }
  });

  it("gives the supervisor a summary across the agencies below", async () => {
    const response = await supervisor.get(`/api/reports/summary?agencyId=${String(city._id)}&year=2024`);
    assert.equal(response.status, 200, JSON.stringify(response.body));
    const data = body<{
      agencies: { code: string; published: boolean; failingChecks: unknown[] }[];
      totals: { three: Record<string, Record<string, number>> };
    }>(response).data;
    assert.deepEqual(data.agencies.map((a) => [a.code, a.published]).sort(), [
      ["BUREAU", true],
      ["CITY", false],
    ]);
    assert.equal(data.totals.three.newReceived?.total, 3);
    const refused = await admin.get(`/api/reports/summary?agencyId=${String(city._id)}&year=2024`);
    assert.equal(refused.status, 403);
  });

  it("shows days left until the deadline of the agency's level", async () => {
    const response = await supervisor.get("/api/reports/dashboard");
    assert.equal(response.status, 200);
    const rows = body<{ code: string; deadline: string; daysLeft: number; level: string }[]>(response).data;
    const cityRow = rows.find((r) => r.code === "CITY");
    const bureauRow = rows.find((r) => r.code === "BUREAU");
    assert.match(cityRow?.deadline ?? "", /-03-31$/);
    assert.match(bureauRow?.deadline ?? "", /-01-31$/);
    assert.equal(typeof bureauRow?.daysLeft, "number");
  });

  it("imports a historical report, flags its inconsistencies and seeds next year's carried-over check", async () => {
    const response = await admin.post(`/api/reports/agencies/${String(bureau._id)}/2019/import`, {
      text: SEED,
    });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    const data = body<{ stored: boolean; checks: { rule: string; ok: boolean; message: string }[] }>(
      response,
    ).data;
    assert.equal(data.stored, true);
    assert.ok(data.checks.some((c) => c.rule === "narrative.received" && !c.ok && c.message.includes("356")));
    const draft = await admin.post(`/api/reports/agencies/${String(bureau._id)}/2020/draft`, {});
    const checks = body<ReportBody>(draft).data.checks;
    const carried = checks.find((c) => c.rule === "three.carriedOver");
    assert.ok(carried?.ok, JSON.stringify(checks));
    assert.match(carried?.message ?? "", /2019年度报告（导入）/);
  });

  it("drafts last year's report for every agency on 1 January, once, and notifies admins", async () => {
    const now = new Date("2025-01-01T02:00:00+08:00");
    const first = await draftLastYearReports(now);
    assert.ok((first.drafted ?? 0) >= 2, JSON.stringify(first));
    const again = await draftLastYearReports(now);
    assert.equal(again.drafted, 0);
    assert.equal(first.published, 1, "the published report is left alone");
    assert.equal(await AnnualReport.countDocuments({ year: 2024 }), 3, "one report per agency");
    assert.equal(await AnnualReport.countDocuments({ year: 2024, agencyId: city._id }), 1);
    const notes = await AuditEvent.countDocuments({ action: "report.draftReady" });
    assert.equal(notes, first.drafted, "one notice per drafted report, none on the second run");
  });
});
