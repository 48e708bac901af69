/**
 * Catalogue API: the staff workflow (create → publish → withdraw → repeal) with its audit trail,
 * public reads with HTTP caching, attachment upload and download, and bad input in Chinese.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { AgencyDoc } from "../../../server/models/Agency.ts";
import { AuditEvent } from "../../../server/models/AuditEvent.ts";
import { dateInChina } from "../../../server/services/calendar.ts";
import { cachedForUrl } from "../../../server/services/catalogue/cache.ts";
import { buildAgency, buildStaff } from "../../factories/people.ts";
import { anonymousClient, type Client, loginStaff } from "../../support/clients.ts";
import type { TestResponse } from "../../support/http.ts";
import { startTestServer, type TestServer } from "../../support/testServer.ts";

let server: TestServer;
let agency: AgencyDoc;
let other: AgencyDoc;
let handler: Client;
let registrar: Client;
let outsider: Client;
let anon: Client;

before(async () => {
  server = await startTestServer();
  agency = await buildAgency({ code: "HDSTHJJ", name: "海东市生态环境局" });
  other = await buildAgency({ code: "HDZRZYJ", name: "海东市自然资源局" });
  const login = async (on: AgencyDoc, role: "handler" | "registrar") => {
    const staff = await buildStaff([{ agency: on, role }]);
    return loginStaff(server, staff.username, staff.password);
  };
  handler = await login(agency, "handler");
  registrar = await login(agency, "registrar");
  outsider = await login(other, "handler");
  anon = anonymousClient(server);
});

after(async () => {
  await server.close();
});

interface Item {
  id: string;
  indexNo: string;
  status: string;
  validity: string;
  publishedDate: string | null;
  repealedDate: string | null;
  lateByWorkingDays: number | null;
  attachments: Array<{ id: string; name: string; contentType: string; size: number }>;
}

function data<T>(response: TestResponse): T {
  return (response.body as { data: T }).data;
}

function errorOf(response: TestResponse): {
  code: string;
  message: string;
  details?: { fields?: Array<{ path: string; message: string }> };
} {
  return response.body as { code: string; message: string };
}

const draft = (overrides: Record<string, unknown> = {}) => ({
  agencyId: String(agency._id),
  title: "海东市扬尘污染防治管理办法",
  docNumber: "海东生环发〔2019〕12号",
  category: "policyDocument",
  docKind: "regulation",
  topics: ["污染防治"],
  body: "第一条 为了防治扬尘污染，改善大气环境质量，制定本办法。",
  formedDate: "2019-03-01",
  ...overrides,
});

describe("staff workflow", () => {
  it("creates a draft with a 索引号, publishes, withdraws, republishes and repeals, auditing each step", async () => {
    const created = await handler.post("/api/catalogue/items", draft());
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const item = data<Item>(created);
    assert.match(item.indexNo, /^HDSTHJJ-2019-\d{6}$/);
    assert.equal(item.status, "draft");
    assert.equal((await anon.get(`/api/catalogue/items/${item.id}`)).status, 404, "drafts are not public");

    const second = data<Item>(await handler.post("/api/catalogue/items", draft({ title: "第二份文件" })));
    assert.equal(
      Number(second.indexNo.slice(-6)),
      Number(item.indexNo.slice(-6)) + 1,
      "sequence per agency and year",
    );

    const published = await handler.post(`/api/catalogue/items/${item.id}/publish`, {
      publishedDate: "2019-03-05",
    });
    assert.equal(published.status, 200, JSON.stringify(published.body));
    assert.equal(data<Item>(published).status, "published");
    assert.equal(data<Item>(published).lateByWorkingDays, 0);
    assert.equal((await anon.get(`/api/catalogue/items/${item.id}`)).status, 200);

    const again = await handler.post(`/api/catalogue/items/${item.id}/publish`, {});
    assert.equal(again.status, 409);

    const withdrawn = await handler.post(`/api/catalogue/items/${item.id}/withdraw`, {
      reason: "内容有误，修改后重新发布",
    });
    assert.equal(data<Item>(withdrawn).status, "withdrawn");
    assert.equal((await anon.get(`/api/catalogue/items/${item.id}`)).status, 404);

    await handler.post(`/api/catalogue/items/${item.id}/publish`, { publishedDate: "2019-03-06" });
    const edited = await handler.patch(`/api/catalogue/items/${item.id}`, {
      title: "海东市扬尘污染防治管理办法（修订）",
    });
    assert.equal(edited.status, 200, JSON.stringify(edited.body));

    const repealed = await handler.post(`/api/catalogue/items/${item.id}/repeal`, {
      repealedDate: "2020-06-30",
    });
    assert.equal(repealed.status, 200, JSON.stringify(repealed.body));
    assert.equal(data<Item>(repealed).validity, "repealed");
    const detail = data<{ validityLabel: string; repealedDate: string }>(
      await anon.get(`/api/catalogue/items/${item.id}`),
    );
    assert.equal(detail.validityLabel, "已废止");
    assert.equal(detail.repealedDate, "2020-06-30");

    const actions = (
      await AuditEvent.find({ targetType: "infoItem", targetId: item.id }).sort({ at: 1 }).lean()
    ).map((e) => e.action);
    assert.deepEqual(actions, [
      "catalogue.create",
      "catalogue.publish",
      "catalogue.withdraw",
      "catalogue.publish",
      "catalogue.update",
      "catalogue.repeal",
    ]);
  });

  it("lets only editors of the agency manage its catalogue", async () => {
    assert.equal((await anon.post("/api/catalogue/items", draft())).status, 401);
    assert.equal((await registrar.post("/api/catalogue/items", draft())).status, 403);
    const foreign = await outsider.post("/api/catalogue/items", draft());
    assert.equal(foreign.status, 403);
    assert.match(errorOf(foreign).message, /主动公开目录/);
    const item = data<Item>(await handler.post("/api/catalogue/items", draft()));
    // Another agency's staff cannot even learn that the draft exists.
    assert.equal((await outsider.post(`/api/catalogue/items/${item.id}/publish`, {})).status, 404);
    assert.equal((await outsider.get(`/api/catalogue/manage/items/${item.id}`)).status, 404);
    assert.equal((await registrar.post(`/api/catalogue/items/${item.id}/publish`, {})).status, 403);
  });
});

describe("bad input", () => {
  it("refuses an unknown category and dates out of order with Chinese field messages", async () => {
    const unknown = await handler.post("/api/catalogue/items", draft({ category: "gossip" }));
    assert.equal(unknown.status, 400);
    assert.deepEqual(errorOf(unknown).details?.fields, [{ path: "category", message: "类别不存在" }]);

    const future = await handler.post("/api/catalogue/items", draft({ formedDate: "2999-01-01" }));
    assert.equal(future.status, 400);
    assert.match(errorOf(future).message, /生成日期不能晚于今天/);

    const item = data<Item>(await handler.post("/api/catalogue/items", draft({ formedDate: "2019-05-10" })));
    const early = await handler.post(`/api/catalogue/items/${item.id}/publish`, {
      publishedDate: "2019-05-09",
    });
    assert.equal(early.status, 400);
    assert.deepEqual(errorOf(early).details?.fields, [
      { path: "publishedDate", message: "发布日期不能早于生成日期（2019-05-10）" },
    ]);

    await handler.post(`/api/catalogue/items/${item.id}/publish`, { publishedDate: "2019-05-20" });
    const repeal = await handler.post(`/api/catalogue/items/${item.id}/repeal`, {
      repealedDate: "2019-05-19",
    });
    assert.equal(repeal.status, 400);
    assert.deepEqual(errorOf(repeal).details?.fields, [
      { path: "repealedDate", message: "废止日期不能早于发布日期（2019-05-20）" },
    ]);

    const moved = await handler.patch(`/api/catalogue/items/${item.id}`, { formedDate: "2019-06-01" });
    assert.equal(moved.status, 400);
    assert.match(errorOf(moved).message, /发布日期不能早于生成日期/);

    const badDate = await handler.post("/api/catalogue/items", draft({ formedDate: "2019-02-30" }));
    assert.equal(badDate.status, 400);
    assert.match(errorOf(badDate).message, /日期不存在/);
  });

  it("accepts only http(s) links, refusing javascript: and data: with a field message", async () => {
    const message = "链接只能是以 http:// 或 https:// 开头的网址";
    for (const link of [
      "javascript:alert(document.cookie)",
      " JavaScript:alert(1)",
      "data:text/html,<script>alert(1)</script>",
      "vbscript:msgbox(1)",
      "//evil.example/x",
      "http:evil",
      "https://",
    ]) {
      const created = await handler.post("/api/catalogue/items", draft({ title: `链接测试${link}`, link }));
      assert.equal(created.status, 400, link);
      assert.deepEqual(errorOf(created).details?.fields, [{ path: "link", message }], link);
    }
    const item = data<Item & { link: string }>(
      await handler.post(
        "/api/catalogue/items",
        draft({ title: "链接测试", link: "https://www.haidong.gov.cn/a.html" }),
      ),
    );
    assert.equal(item.link, "https://www.haidong.gov.cn/a.html");
    const patched = await handler.patch(`/api/catalogue/items/${item.id}`, { link: "javascript:alert(1)" });
    assert.equal(patched.status, 400);
    assert.deepEqual(errorOf(patched).details?.fields, [{ path: "link", message }]);
    const imported = await server.request(`/api/catalogue/import?agencyId=${String(agency._id)}`, {
      method: "POST",
      headers: { ...handler.headers, "Content-Type": "text/csv" },
      body: Buffer.from("标题,类别,生成日期,链接\n导入链接测试,机构职能,2026-01-05,javascript:alert(1)\n"),
    });
    assert.equal(imported.status, 400, JSON.stringify(imported.body));
    assert.match(JSON.stringify(imported.body), /链接/);
  });

  it("answers malformed public queries with 400 in Chinese and unknown ids with 404", async () => {
    for (const query of [
      "category=nonsense",
      "year=abc",
      "year=1800",
      "limit=1000",
      "agency=xyz",
      "cursor=%%%",
    ]) {
      const response = await anon.get(`/api/catalogue/items?${query}`);
      assert.equal(response.status, 400, `${query}: ${JSON.stringify(response.body)}`);
      assert.match(errorOf(response).message, /[\u4e00-\u9fa5]/, query);
    }
    assert.equal((await anon.get("/api/catalogue/items/not-an-id")).status, 400);
    assert.equal((await anon.get("/api/catalogue/items/0123456789abcdef01234567")).status, 404);
    const injected = await anon.get("/api/catalogue/items?%24where=1");
    assert.equal(injected.status, 400);
  });
});

describe("public reads and caching", () => {
  it("lists newest first with a cursor, filters by category/topic/year, and honours If-None-Match", async () => {
    const fresh = await buildAgency({ code: "CACHE", name: "缓存测试局" });
    const staff = await buildStaff([{ agency: fresh, role: "admin" }]);
    const admin = await loginStaff(server, staff.username, staff.password);
    const dates = ["2020-01-06", "2020-03-02", "2021-05-06", "2021-05-06", "2021-07-01"];
    const ids: string[] = [];
    for (const [i, date] of dates.entries()) {
      const item = data<Item>(
        await admin.post("/api/catalogue/items", {
          agencyId: String(fresh._id),
          title: `缓存测试信息${i}`,
          category: i % 2 === 0 ? "notice" : "news",
          topics: i === 4 ? ["放管服"] : [],
          body: "正文",
          formedDate: date,
        }),
      );
      await admin.post(`/api/catalogue/items/${item.id}/publish`, { publishedDate: date });
      ids.push(item.id);
    }
    const first = await anon.get(`/api/catalogue/items?agency=${fresh._id}&limit=2`);
    assert.equal(first.status, 200);
    const page1 = data<{ items: Array<{ id: string; publishedDate: string }>; nextCursor: string }>(first);
    assert.deepEqual(
      page1.items.map((i) => i.id),
      [ids[4], ids[3]],
      "newest first, later insert first on a tie",
    );
    const page2 = data<{ items: Array<{ id: string }>; nextCursor: string }>(
      await anon.get(`/api/catalogue/items?agency=${fresh._id}&limit=2&cursor=${page1.nextCursor}`),
    );
    assert.deepEqual(
      page2.items.map((i) => i.id),
      [ids[2], ids[1]],
    );
    const page3 = data<{ items: Array<{ id: string }>; nextCursor: string | null }>(
      await anon.get(`/api/catalogue/items?agency=${fresh._id}&limit=2&cursor=${page2.nextCursor}`),
    );
    assert.deepEqual(
      page3.items.map((i) => i.id),
      [ids[0]],
    );
    assert.equal(page3.nextCursor, null);

    const byYear = data<{ items: unknown[] }>(
      await anon.get(`/api/catalogue/items?agency=${fresh._id}&year=2020`),
    );
    assert.equal(byYear.items.length, 2);
    const byCategory = data<{ items: unknown[] }>(
      await anon.get(`/api/catalogue/items?agency=${fresh._id}&category=news`),
    );
    assert.equal(byCategory.items.length, 2);
    const byTopic = data<{ items: Array<{ id: string }> }>(
      await anon.get(`/api/catalogue/items?agency=${fresh._id}&topic=${encodeURIComponent("放管服")}`),
    );
    assert.deepEqual(
      byTopic.items.map((i) => i.id),
      [ids[4]],
    );

    const etag = first.headers.get("etag") ?? "";
    assert.match(etag, /^"[A-Za-z0-9_-]+"$/, "a strong ETag");
    assert.equal(first.headers.get("cache-control"), "public, max-age=60");
    const notModified = await server.request(`/api/catalogue/items?agency=${fresh._id}&limit=2`, {
      headers: { "If-None-Match": etag },
    });
    assert.equal(notModified.status, 304);
    assert.equal(notModified.body, undefined);
    assert.equal(notModified.headers.get("etag"), etag);

    const detail = await anon.get(`/api/catalogue/items/${ids[0]}`);
    const detailTag = detail.headers.get("etag") ?? "";
    const cachedDetail = await server.request(`/api/catalogue/items/${ids[0]}`, {
      headers: { "If-None-Match": detailTag },
    });
    assert.equal(cachedDetail.status, 304);

    await admin.patch(`/api/catalogue/items/${ids[4]}`, { title: "缓存测试信息（已更正）" });
    const changed = await server.request(`/api/catalogue/items?agency=${fresh._id}&limit=2`, {
      headers: { "If-None-Match": etag },
    });
    assert.equal(changed.status, 200, "an edit changes the representation and its ETag");
    assert.notEqual(changed.headers.get("etag"), etag);
    assert.equal(
      data<{ items: Array<{ title: string }> }>(changed).items[0]?.title,
      "缓存测试信息（已更正）",
    );
  });

  it("answers a repeated public URL before routing: same bytes and headers, dropped by a write, never for bad input", async () => {
    const fresh = await buildAgency({ code: "FAST", name: "快速通道测试局" });
    const staff = await buildStaff([{ agency: fresh, role: "admin" }]);
    const admin = await loginStaff(server, staff.username, staff.password);
    const publish = async (title: string) => {
      const item = data<Item>(
        await admin.post("/api/catalogue/items", { ...draft({ agencyId: String(fresh._id) }), title }),
      );
      await admin.post(`/api/catalogue/items/${item.id}/publish`, { publishedDate: "2019-03-04" });
    };
    await publish("快速通道信息一");
    const url = `/api/catalogue/items?agency=${fresh._id}&limit=5`;
    // Every header but those that differ per response by nature.
    const perResponse = new Set(["date", "x-request-id", "connection", "keep-alive"]);
    const headersOf = (response: Response) =>
      Object.fromEntries([...response.headers].filter(([name]) => !perResponse.has(name)).sort());
    assert.equal(cachedForUrl(url), undefined, "not remembered before a route answered it");
    const routed = await fetch(`${server.baseUrl}${url}`);
    const routedBody = Buffer.from(await routed.arrayBuffer());
    assert.ok(cachedForUrl(url), "remembered once the route answered it");
    const fast = await fetch(`${server.baseUrl}${url}`);
    assert.equal(fast.status, 200);
    assert.deepEqual(Buffer.from(await fast.arrayBuffer()), routedBody);
    assert.deepEqual(headersOf(fast), headersOf(routed));
    assert.notEqual(fast.headers.get("x-request-id"), routed.headers.get("x-request-id"));
    const head = await fetch(`${server.baseUrl}${url}`, { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.deepEqual(headersOf(head), headersOf(routed));
    const etag = routed.headers.get("etag") ?? "";
    const notModified = await fetch(`${server.baseUrl}${url}`, { headers: { "If-None-Match": etag } });
    assert.equal(notModified.status, 304);
    assert.equal(notModified.headers.get("etag"), etag);
    assert.equal(notModified.headers.get("cache-control"), "public, max-age=60");
    const traced = await fetch(`${server.baseUrl}${url}`, { headers: { "X-Request-Id": "counter-0042" } });
    assert.equal(traced.headers.get("x-request-id"), "counter-0042");

    await publish("快速通道信息二");
    assert.equal(cachedForUrl(url), undefined, "a catalogue write drops every remembered URL");
    const titles = data<{ items: Array<{ title: string }> }>(await anon.get(url)).items.map((i) => i.title);
    assert.deepEqual(titles, ["快速通道信息二", "快速通道信息一"]);

    const bad = `/api/catalogue/items?agency=${fresh._id}&year=abc`;
    assert.equal((await anon.get(bad)).status, 400);
    assert.equal(cachedForUrl(bad), undefined);
    assert.equal((await anon.get(bad)).status, 400);
  });

  it("serves the category table with each category's Art. 20 item", async () => {
    const response = await anon.get("/api/catalogue/categories");
    const list = data<Array<{ key: string; label: string; art20Heading: string }>>(response);
    assert.ok(list.some((c) => c.label === "政策解读"));
    assert.equal(list.find((c) => c.key === "licensing")?.art20Heading, "第二十条第（五）项");
    assert.equal(list.find((c) => c.key === "policyDocument")?.art20Heading, "第二十条第（一）项");
  });
});

describe("attachments", () => {
  const pdf = Buffer.concat([Buffer.from("%PDF-1.4\n"), Buffer.alloc(2048, 0x20), Buffer.from("\n%%EOF\n")]);
  const upload = (id: string, name: string, bytes: Buffer, client: Client = handler) =>
    server.request(`/api/catalogue/items/${id}/attachments?name=${encodeURIComponent(name)}`, {
      method: "POST",
      headers: { ...client.headers, "Content-Type": "application/pdf" },
      body: bytes,
    });

  it("stores a PDF and serves it with its type and an RFC 5987 Chinese file name", async () => {
    const item = data<Item>(await handler.post("/api/catalogue/items", draft({ formedDate: "2019-04-01" })));
    const uploaded = await upload(item.id, "扬尘污染防治管理办法（全文）.pdf", pdf);
    assert.equal(uploaded.status, 201, JSON.stringify(uploaded.body));
    const attachment = data<Item>(uploaded).attachments[0];
    assert.ok(attachment);
    assert.equal(attachment.contentType, "application/pdf");
    assert.equal(attachment.size, pdf.length);
    const path = `/api/catalogue/items/${item.id}/attachments/${attachment.id}`;
    assert.equal((await fetch(`${server.baseUrl}${path}`)).status, 404, "not before publication");

    await handler.post(`/api/catalogue/items/${item.id}/publish`, { publishedDate: "2019-04-02" });
    const response = await fetch(`${server.baseUrl}${path}`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "application/pdf");
    assert.equal(response.headers.get("content-length"), String(pdf.length));
    assert.equal(
      response.headers.get("content-disposition"),
      `attachment; filename="${"_".repeat(14)}.pdf"; filename*=UTF-8''${encodeURIComponent("扬尘污染防治管理办法（全文）.pdf").replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`,
    );
    assert.equal(response.headers.get("x-content-type-options"), "nosniff");
    assert.deepEqual(Buffer.from(await response.arrayBuffer()), pdf);
    const etag = response.headers.get("etag") ?? "";
    const again = await fetch(`${server.baseUrl}${path}`, { headers: { "If-None-Match": etag } });
    assert.equal(again.status, 304);
    const audited = await AuditEvent.countDocuments({ action: "catalogue.attach", targetId: item.id });
    assert.equal(audited, 1);
  });

  it("refuses disguised, unknown, empty and oversized files in Chinese", async () => {
    const item = data<Item>(await handler.post("/api/catalogue/items", draft()));
    const exe = Buffer.concat([Buffer.from("MZ\x90\x00\x03\x00\x00\x00", "latin1"), Buffer.alloc(512, 0)]);
    const disguisedExe = await upload(item.id, "通知.pdf", exe);
    assert.equal(disguisedExe.status, 415);
    assert.match(errorOf(disguisedExe).message, /不支持的文件类型/);

    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.alloc(64, 1),
    ]);
    const disguisedPng = await upload(item.id, "附件.docx", png);
    assert.equal(disguisedPng.status, 415);
    assert.match(errorOf(disguisedPng).message, /文件内容与扩展名不符/);

    assert.equal((await upload(item.id, "空文件.pdf", Buffer.alloc(0))).status, 400);
    const tooBig = await upload(item.id, "大文件.pdf", Buffer.concat([pdf, Buffer.alloc(20 * 1024 * 1024)]));
    assert.equal(tooBig.status, 413);
    assert.match(errorOf(tooBig).message, /不能超过 20 MB/);

    const missingName = await server.request(`/api/catalogue/items/${item.id}/attachments`, {
      method: "POST",
      headers: { ...handler.headers, "Content-Type": "application/pdf" },
      body: pdf,
    });
    assert.equal(missingName.status, 400);
    assert.equal(
      data<Item>(await handler.get(`/api/catalogue/manage/items/${item.id}`)).attachments.length,
      0,
    );
  });
});

describe("Art. 26 list", () => {
  it("lists items published more than 20 working days after they were formed", async () => {
    const late = data<Item>(
      await handler.post("/api/catalogue/items", draft({ title: "迟发布的信息", formedDate: "2019-09-20" })),
    );
    // 2019-09-20 + 20 working days = 2019-10-23 (国庆 10-01…07 off; 09-29 and 10-12 make-up days count).
    const onTime = data<Item>(
      await handler.post(
        "/api/catalogue/items",
        draft({ title: "按时发布的信息", formedDate: "2019-09-20" }),
      ),
    );
    await handler.post(`/api/catalogue/items/${onTime.id}/publish`, { publishedDate: "2019-10-23" });
    const published = data<Item>(
      await handler.post(`/api/catalogue/items/${late.id}/publish`, { publishedDate: "2019-10-24" }),
    );
    assert.equal(published.lateByWorkingDays, 1);
    const list = data<{ items: Array<{ id: string; lateByWorkingDays: number }> }>(
      await handler.get(`/api/catalogue/late?agencyId=${agency._id}`),
    );
    assert.ok(list.items.some((i) => i.id === late.id && i.lateByWorkingDays === 1));
    assert.ok(!list.items.some((i) => i.id === onTime.id));
    assert.equal((await outsider.get(`/api/catalogue/late?agencyId=${agency._id}`)).status, 403);
    assert.ok(dateInChina() > "2019-10-24");
  });
});
