/**
 * 上年结转 is never silently zero (issue 14 item 6): when last year's report is known (imported or
 * published) and its 四 differs from this year's 二 computed from the data, publishing is refused until
 * staff import the pending applications or record the reason, which the published report states.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { AgencyDoc } from "../../../server/models/Agency.ts";
import { AnnualReport } from "../../../server/models/AnnualReport.ts";
import { createPersonalDataCipher } from "../../../server/security/personalData.ts";
import { buildAgency, buildStaff } from "../../factories/people.ts";
import { buildRequest } from "../../factories/requests.ts";
import { type Client, loginStaff } from "../../support/clients.ts";
import { startTestServer, type TestServer } from "../../support/testServer.ts";

let server: TestServer;
const cipher = createPersonalDataCipher(randomBytes(32));

interface Report {
  status: string;
  checks: { rule: string; ok: boolean; severity: string; message: string }[];
  sections: {
    overview: { key: string; text: string }[];
    problems: { text: string }[];
    other: { text: string }[];
  };
  tables: { three: { rows: Record<string, Record<string, number>> } };
}
interface Envelope<T> {
  data: T;
  message?: string;
  details?: { checks?: { rule: string; message: string }[] };
}

before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.close();
});

/** An agency whose imported 2023 report carried 2 natural-person applications forward. */
async function agencyWithImported2023(
  code: string,
): Promise<{ agency: AgencyDoc; admin: Client; base: string }> {
  const agency = await buildAgency({ code, name: `${code}局` });
  const user = await buildStaff([{ agency, role: "admin" }]);
  const admin = await loginStaff(server, user.username, user.password);
  const row = {
    natural: 2,
    commercial: 0,
    research: 0,
    publicInterest: 0,
    legalService: 0,
    otherOrg: 0,
    total: 2,
  };
  await AnnualReport.create({
    agencyId: agency._id,
    year: 2023,
    status: "imported",
    formatVersion: "2021",
    snapshot: { tables: { three: { rows: { carriedForward: row } } } },
  });
  await buildRequest(agency, cipher, {
    input: { receiptDate: "2024-03-04" },
    events: [{ type: "decide", date: "2024-03-15", outcome: "granted" }],
    today: "2025-01-10",
  });
  return { agency, admin, base: `/api/reports/agencies/${String(agency._id)}/2024` };
}

/** Fills every placeholder and table 二 so that only the carried-over check can block. */
async function completeDraft(admin: Client, base: string): Promise<void> {
  const draft = (await admin.post(`${base}/draft`, {})).body as Envelope<Report>;
  const overview = draft.data.sections.overview.map((p) => ({
    key: p.key,
    text: p.text.includes("【请填写") ? "本局健全信息公开工作制度，加强审核把关。" : p.text,
  }));
  await admin.put(`${base}/sections`, {
    overview,
    problems: ["一是主动公开的及时性有待提高。下一步将完善发布流程。"],
  });
  const inputs = await admin.put(`${base}/inputs`, {
    two: {
      licensing: { decisions: 0 },
      penalty: { decisions: 0 },
      enforcement: { decisions: 0 },
      fees: { amountWan: 0 },
    },
  });
  assert.equal(inputs.status, 200, JSON.stringify(inputs.body));
}

describe("上年结转 check", () => {
  it("blocks publishing while 二 (0) differs from last year's 四 (2); a recorded reason is stated in 六", async () => {
    const { admin, base } = await agencyWithImported2023("CARRYA");
    await completeDraft(admin, base);
    const refused = await admin.post(`${base}/publish`, {});
    assert.equal(refused.status, 409, JSON.stringify(refused.body));
    const failing = (refused.body as Envelope<unknown>).details?.checks ?? [];
    assert.deepEqual(
      failing.map((c) => c.message),
      [
        "表三“自然人”列：2024年 二、上年结转（0）与2023年度报告（导入） 四、结转下年度继续办理（2）不一致；请导入上年结转的申请，或者记录差异原因（发布的报告将载明该原因）",
        "表三“总计”列：2024年 二、上年结转（0）与2023年度报告（导入） 四、结转下年度继续办理（2）不一致；请导入上年结转的申请，或者记录差异原因（发布的报告将载明该原因）",
      ],
    );

    const tooLong = await admin.put(`${base}/inputs`, { carriedOverReason: "因".repeat(501) });
    assert.equal(tooLong.status, 400);
    assert.equal(
      (tooLong.body as Envelope<unknown>).message,
      "carriedOverReason: 上年结转差异的原因不能超过 500 字",
    );
    const reasoned = await admin.put(`${base}/inputs`, {
      carriedOverReason: "2023年结转的2件申请已于2023年12月由原承办处室书面办结，未在本平台登记",
    });
    assert.equal(reasoned.status, 200, JSON.stringify(reasoned.body));
    const published = await admin.post(`${base}/publish`, {});
    assert.equal(published.status, 200, JSON.stringify(published.body));
    const report = (published.body as Envelope<Report>).data;
    assert.ok(
      report.sections.other.some(
        (p) =>
          p.text ===
          "2023年度报告（导入）“四、结转下年度继续办理”为 2 件，本报告“二、上年结转政府信息公开申请数量”为 0 件，差异原因：2023年结转的2件申请已于2023年12月由原承办处室书面办结，未在本平台登记。",
      ),
      JSON.stringify(report.sections.other),
    );
    const check = report.checks.find((c) => c.rule === "three.carriedOver");
    assert.equal(check?.severity, "soft");
    assert.match(check?.message ?? "", /差异原因：2023年结转的2件申请/);
  });

  it("passes once the pending applications are imported (二 = last year's 四)", async () => {
    const { agency, admin, base } = await agencyWithImported2023("CARRYB");
    for (const date of ["2023-12-20", "2023-12-27"]) {
      await buildRequest(agency, cipher, {
        input: { receiptDate: date },
        events: [{ type: "decide", date: "2024-01-10", outcome: "granted" }],
        today: "2025-01-10",
      });
    }
    await completeDraft(admin, base);
    const published = await admin.post(`${base}/publish`, {});
    assert.equal(published.status, 200, JSON.stringify(published.body));
    const report = (published.body as Envelope<Report>).data;
    assert.equal(report.tables.three.rows.carriedOver?.total, 2);
    assert.equal(report.checks.find((c) => c.rule === "three.carriedOver")?.ok, true);
    assert.ok(!report.sections.other.some((p) => p.text.includes("差异原因")));
  });
});
