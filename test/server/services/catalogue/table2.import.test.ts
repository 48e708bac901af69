/**
 * Table 二 第二十条第（一）项 figures from fixtures in both report formats (with the cross-year
 * identity of the 2021 format), the demo catalogue's 2019 figures, and catalogue import: row-level
 * Chinese errors, all or nothing, idempotent by 索引号.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import ExcelJS from "exceljs";
import { seedDemoCatalogue } from "../../../../server/demo/catalogue.ts";
import type { AgencyDoc } from "../../../../server/models/Agency.ts";
import { InfoItem } from "../../../../server/models/InfoItem.ts";
import {
  createItem,
  publishItem,
  repealItem,
  withdrawItem,
} from "../../../../server/services/catalogue/items.ts";
import { catalogueTable2, table2FromItems } from "../../../../server/services/catalogue/table2.ts";
import { buildAgency, buildStaff } from "../../../factories/people.ts";
import { type Client, loginStaff } from "../../../support/clients.ts";
import type { TestResponse } from "../../../support/http.ts";
import { startTestServer, type TestServer } from "../../../support/testServer.ts";

let server: TestServer;
let agency: AgencyDoc;
let admin: Client;

before(async () => {
  server = await startTestServer();
  agency = await buildAgency({ code: "T2", name: "表二测试局" });
  const staff = await buildStaff([{ agency, role: "admin" }]);
  admin = await loginStaff(server, staff.username, staff.password);
});

after(async () => {
  await server.close();
});

async function fixture(
  docKind: "regulation" | "normative" | "other",
  formed: string,
  published: string | null,
  then?: { repealed?: string; validity?: "repealed" | "amended"; withdraw?: boolean },
): Promise<void> {
  const item = await createItem(null, {
    agencyId: String(agency._id),
    title: `${docKind}-${formed}`,
    docNumber: "",
    category: "policyDocument",
    docKind,
    topics: [],
    summary: "",
    body: "正文",
    link: "",
    formedDate: formed,
  });
  if (!published) return;
  const live = await publishItem(null, item, published);
  if (then?.withdraw) await withdrawItem(null, live, "测试");
  if (then?.repealed)
    await repealItem(null, live, { repealedDate: then.repealed, validity: then.validity ?? "repealed" });
}

describe("table 二", () => {
  before(async () => {
    await fixture("regulation", "2019-03-01", "2019-03-10"); // R1
    await fixture("regulation", "2019-12-20", "2020-01-06"); // R2: made 2019, issued 2020
    await fixture("regulation", "2018-05-01", "2018-05-10", { repealed: "2019-06-30" }); // R3
    await fixture("normative", "2019-04-01", "2019-04-03", { repealed: "2019-11-01", validity: "amended" }); // N1
    await fixture("normative", "2019-11-01", "2019-11-02"); // N2
    await fixture("normative", "2019-05-01", null); // N3 draft
    await fixture("normative", "2019-05-01", "2019-05-05", { withdraw: true }); // N4 withdrawn
    await fixture("other", "2019-05-01", "2019-05-05"); // not in table 二 （一）
  });

  it("counts the 2019 format: 本年新制作 / 本年新公开 / 对外公开总数量", async () => {
    const figures = await catalogueTable2([String(agency._id)], 2019, 2019);
    assert.deepEqual(figures, {
      format: 2019,
      year: 2019,
      regulations: { newlyMade: 2, newlyPublished: 1, publishedTotal: 2 },
      normativeDocuments: { newlyMade: 2, newlyPublished: 2, publishedTotal: 2 },
    });
  });

  it("counts the 2021 format: 本年制发 / 本年废止 / 现行有效, consistent across years", async () => {
    const ids = [String(agency._id)];
    assert.deepEqual(await catalogueTable2(ids, 2019, 2021), {
      format: 2021,
      year: 2019,
      regulations: { issued: 1, repealed: 1, inForce: 1 },
      normativeDocuments: { issued: 2, repealed: 1, inForce: 1 },
    });
    for (const year of [2019, 2020]) {
      const before = await catalogueTable2(ids, year - 1, 2021);
      const now = await catalogueTable2(ids, year, 2021);
      if (before.format !== 2021 || now.format !== 2021) throw new Error("format");
      for (const row of ["regulations", "normativeDocuments"] as const) {
        assert.equal(
          before[row].inForce + now[row].issued - now[row].repealed,
          now[row].inForce,
          `${row} ${year}`,
        );
      }
    }
    const api = await admin.get(`/api/catalogue/table2?agencyId=${agency._id}&year=2020`);
    assert.equal(api.status, 200);
    assert.deepEqual(
      (api.body as { data: unknown }).data,
      await catalogueTable2(ids, 2020),
      "2020 defaults to the 2019 format",
    );
    const bad = await admin.get(`/api/catalogue/table2?agencyId=${agency._id}&year=2020&format=2020`);
    assert.equal(bad.status, 400);
  });

  it("is a pure function of the items as well", () => {
    const figures = table2FromItems(
      [{ docKind: "regulation", formedDate: "2021-01-05", publishedDate: "2021-01-06", repealedDate: null }],
      2021,
      2021,
    );
    assert.deepEqual(figures.regulations, { issued: 1, repealed: 0, inForce: 1 });
  });

  it("gives the demo agency the seed report's 2019 figures", async () => {
    const demo = await buildAgency({ code: "HDSTHJJ", name: "海东市生态环境局" });
    const inserted = await seedDemoCatalogue(demo._id);
    assert.ok(inserted >= 1448);
    assert.equal(await seedDemoCatalogue(demo._id), 0, "seeding twice adds nothing");
    const figures = await catalogueTable2([String(demo._id)], 2019, 2019);
    assert.deepEqual(figures.regulations, { newlyMade: 11, newlyPublished: 11, publishedTotal: 11 });
    assert.deepEqual(figures.normativeDocuments, { newlyMade: 0, newlyPublished: 0, publishedTotal: 0 });
    const counts = await InfoItem.aggregate<{ _id: string; n: number }>([
      { $match: { agencyId: demo._id, publishedYear: 2019 } },
      { $group: { _id: "$category", n: { $sum: 1 } } },
    ]);
    assert.deepEqual(Object.fromEntries(counts.map((c) => [c._id, c.n])), {
      policyInterpretation: 11,
      statistics: 6,
      licensing: 314,
      emergency: 7,
      other: 1110,
    });
    const topical = await InfoItem.countDocuments({
      agencyId: demo._id,
      publishedYear: 2019,
      topics: { $in: ["污染防治", "脱贫攻坚", "放管服"] },
    });
    assert.equal(topical, 207);
    const sample = await InfoItem.findOne({ agencyId: demo._id, docNumber: "海东生环发〔2019〕12号" }).lean();
    assert.ok(sample, "plausible 文号 such as 海东生环发〔2019〕12号");
  });
});

describe("import", () => {
  const header = "索引号,标题,文号,类别,生成日期,发布日期,正文,链接,文件类型";
  const upload = (bytes: Buffer | string, agencyId = String(agency._id)): Promise<TestResponse> =>
    server.request(`/api/catalogue/import?agencyId=${agencyId}`, {
      method: "POST",
      headers: { ...admin.headers, "Content-Type": "text/csv" },
      body: typeof bytes === "string" ? Buffer.from(bytes) : bytes,
    });

  it("reports every bad row in Chinese and imports nothing", async () => {
    const before = await InfoItem.countDocuments({});
    const csv = [
      header,
      "IMP-2019-000001,关于印发实施方案的通知,海东生环发〔2019〕1号,通知公告,2019-01-02,2019-01-03,正文,,",
      ",缺少类别的信息,,不存在的类别,2019-01-02,2019-01-03,正文,,",
      ",日期颠倒的信息,,工作动态,2019-02-10,2019-02-01,正文,,",
      ",无正文的信息,,工作动态,2019-02-10,2019-02-11,,,",
      ",日期格式错误,,工作动态,2019年13月1日,,正文,,",
      "IMP-2019-000001,重复索引号,,工作动态,2019-02-10,,正文,,",
    ].join("\n");
    const response = await upload(csv);
    assert.equal(response.status, 400);
    const body = response.body as {
      message: string;
      details: { fields: Array<{ path: string; message: string }> };
    };
    assert.match(body.message, /未导入任何数据/);
    const messages = body.details.fields.map((f) => f.message);
    assert.deepEqual(messages, [
      "第 3 行：类别“不存在的类别”不存在",
      "第 4 行：发布日期不能早于生成日期（2019-02-10）",
      "第 5 行：正文和链接至少填写一项",
      "第 6 行：生成日期“2019年13月1日”无法识别，应为 YYYY-MM-DD",
      "第 7 行：索引号“IMP-2019-000001”与第 2 行重复",
    ]);
    assert.equal(await InfoItem.countDocuments({}), before, "all or nothing");
    const missing = await upload("标题,文号\n某信息,\n");
    assert.equal(missing.status, 400);
    assert.match((missing.body as { message: string }).message, /缺少必需的列：类别、生成日期/);
  });

  it("imports a CSV once: the same file again changes nothing", async () => {
    const csv = [
      header,
      "IMP-2019-000101,海东市排污许可证核发信息公示,,行政许可,2019/3/1,2019/3/4,,https://example.gov.cn/a.html,",
      ',"标题含逗号, 和""引号""的信息",海东生环发〔2019〕77号,安全及应急管理,2019.4.1,2019年4月3日,应急预案正文,,',
      ",海东市扬尘污染防治管理办法,海东市人民政府令第9号,政策文件,2019-05-01,2019-05-06,办法全文,,规章",
      ",尚未发布的草稿,,其他,2019-06-01,,草稿正文,,",
    ].join("\r\n");
    const first = await upload(`\uFEFF${csv}`);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.deepEqual(
      { ...(first.body as { data: Record<string, unknown> }).data, indexNos: undefined },
      { rows: 4, created: 4, updated: 0, unchanged: 0, indexNos: undefined },
    );
    const quoted = await InfoItem.findOne({ title: '标题含逗号, 和"引号"的信息' }).lean();
    assert.ok(quoted);
    assert.equal(quoted.category, "emergency");
    assert.equal(quoted.formedDate, "2019-04-01");
    assert.match(quoted.indexNo, /^T2-2019-\d{6}$/);
    const regulation = await InfoItem.findOne({ title: "海东市扬尘污染防治管理办法" }).lean();
    assert.equal(regulation?.docKind, "regulation");
    assert.equal((await InfoItem.findOne({ title: "尚未发布的草稿" }).lean())?.status, "draft");

    const second = await upload(csv);
    assert.equal(second.status, 200);
    const again = (second.body as { data: { created: number; updated: number; unchanged: number } }).data;
    assert.deepEqual([again.created, again.updated, again.unchanged], [0, 0, 4]);

    const changed = await upload(
      csv.replace("海东市排污许可证核发信息公示", "海东市排污许可证核发信息公示（更正）"),
    );
    const third = (changed.body as { data: { created: number; updated: number } }).data;
    assert.deepEqual([third.created, third.updated], [0, 1], "matched by 索引号, updated in place");
  });

  it("imports XLSX with date cells", async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("目录");
    sheet.addRow(["标题", "类别", "生成日期", "发布日期", "正文"]);
    sheet.addRow([
      "2019年海东市生态环境状况公报",
      "统计数据",
      new Date(Date.UTC(2019, 5, 5)),
      "2019-06-10",
      "公报全文",
    ]);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    const response = await server.request(`/api/catalogue/import?agencyId=${agency._id}`, {
      method: "POST",
      headers: {
        ...admin.headers,
        "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      },
      body: bytes,
    });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    const item = await InfoItem.findOne({ title: "2019年海东市生态环境状况公报" }).lean();
    assert.equal(item?.formedDate, "2019-06-05");
    assert.equal(item?.category, "statistics");
  });
});
