/**
 * What a clerk and a citizen hit first, over HTTP: the detail offers the agency's case workers to
 * assign (handlers first), the audit log answers sentences naming people, the citizen reads the
 * result in plain words, the 补正 items as a list with Chinese dates, the mail tracking number and
 * the letter's text on the phone, and the dashboard can ask for a report that does not exist yet
 * without a 404.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { addDays } from "@govinfo/shared/calendar/date";
import type { AuditEventDto } from "@govinfo/shared/schemas/audit";
import type { Page } from "@govinfo/shared/schemas/common";
import type { DocumentTextDto } from "@govinfo/shared/schemas/documents";
import type { RequestDetailDto, RequestListItemDto } from "@govinfo/shared/schemas/requestDto";
import { User } from "../../../server/models/User.ts";
import { type Client, loginApplicant } from "../../support/clients.ts";
import { startTestServer, type TestServer } from "../../support/testServer.ts";
import {
  fails,
  fireOk,
  ok,
  register,
  type StaffedAgency,
  staffedAgency,
  submission,
  today,
} from "./requests.support.ts";

let server: TestServer;
let staff: StaffedAgency;
let citizen: Client;

before(async () => {
  server = await startTestServer();
  staff = await staffedAgency(server);
  citizen = await loginApplicant(server, "13900000071");
});
after(async () => {
  await server.close();
});

describe("day one: assignment and the audit log", () => {
  it("offers the agency's case workers to whoever may assign, handlers first; the log names them", async () => {
    const request = await register(staff, today());
    const asRegistrar = ok<RequestDetailDto>(await staff.registrar.get(`/api/requests/${request.id}`));
    const offered = asRegistrar.assignableStaff ?? [];
    assert.ok(offered.length >= 4, JSON.stringify(offered));
    assert.equal(offered[0]?.id, staff.ids.handler, "the handler comes first");
    assert.match(offered[0]?.roleLabel ?? "", /承办人员/);
    const asHandler = ok<RequestDetailDto>(await staff.handler.get(`/api/requests/${request.id}`));
    assert.equal(asHandler.assignableStaff, undefined, "a handler does not assign");

    const assigned = ok<RequestDetailDto>(
      await staff.registrar.post(`/api/requests/${request.id}/assign`, { assigneeId: staff.ids.handler }),
    );
    assert.equal(assigned.assignee?.id, staff.ids.handler);
    const mine = ok<{ items: RequestListItemDto[] }>(await staff.handler.get("/api/requests?assignee=me"));
    assert.ok(
      mine.items.some((i) => i.id === request.id),
      "我的申请 lists it",
    );

    const handler = await User.findById(staff.ids.handler).lean();
    const registrar = await User.findById(staff.ids.registrar).lean();
    const log = ok<Page<AuditEventDto>>(await staff.admin.get("/api/audit?action=request.assign"));
    assert.equal(
      log.items[0]?.sentence,
      `${registrar?.displayName}将申请 ${request.serialNo} 指派给${handler?.displayName}承办`,
    );
    const all = ok<Page<AuditEventDto>>(await staff.admin.get("/api/audit?limit=100"));
    for (const event of all.items) {
      assert.doesNotMatch(event.sentence, /[{}"]|undefined|null|[a-z]+\.[a-z]+/, event.sentence);
      assert.match(event.sentence, /[\u4e00-\u9fff]/);
    }
  });
});

describe("day one: what the citizen reads", () => {
  it("reads the result in plain words, never table 三's counting note", async () => {
    const submitted = ok<RequestDetailDto>(
      await citizen.post("/api/requests", submission(staff.agency)),
      201,
    );
    await fireOk(staff.registrar, submitted.id, { type: "confirmReceipt", date: today() });
    await fireOk(staff.reviewer, submitted.id, {
      type: "decide",
      date: today(),
      outcome: "partial",
      documentNumber: "某依复〔2026〕1号",
    });
    const seen = ok<RequestDetailDto>(await citizen.get(`/api/requests/${submitted.id}`));
    assert.equal(seen.outcomePlain, "部分公开：部分信息依法不予公开，理由见答复书");
    const decided = seen.timeline.find((e) => e.type === "decide");
    assert.match(decided?.summary ?? "", /部分公开：部分信息依法不予公开/);
    assert.doesNotMatch(JSON.stringify(seen.timeline), /只计这一情形/);
    const forStaff = ok<RequestDetailDto>(await staff.reviewer.get(`/api/requests/${submitted.id}`));
    assert.match(forStaff.outcomeLabel ?? "", /（二）部分公开/, "staff keep the report's row");

    await fireOk(staff.registrar, submitted.id, {
      type: "deliver",
      date: today(),
      method: "mail",
      trackingNo: "EMS1234567890",
    });
    const delivered = ok<RequestDetailDto>(await citizen.get(`/api/requests/${submitted.id}`));
    assert.match(delivered.timeline.at(-1)?.summary ?? "", /邮件单号：EMS1234567890/);
  });

  it("lists the 补正 items with the deadline in Chinese", async () => {
    const submitted = ok<RequestDetailDto>(
      await citizen.post("/api/requests", submission(staff.agency)),
      201,
    );
    await fireOk(staff.registrar, submitted.id, { type: "confirmReceipt", date: today() });
    const deadline = addDays(today(), 15);
    await fireOk(staff.handler, submitted.id, {
      type: "requestCorrection",
      date: today(),
      items: ["请明确所需信息的时间范围", "请说明项目所在的县区"],
      deadline,
    });
    const seen = ok<RequestDetailDto>(await citizen.get(`/api/requests/${submitted.id}`));
    const notice = seen.timeline.find((e) => e.type === "requestCorrection");
    assert.deepEqual(notice?.correctionItems, ["请明确所需信息的时间范围", "请说明项目所在的县区"]);
    const [y, m, d] = deadline.split("-").map(Number);
    assert.ok(notice?.summary.includes(`补正期限至${y}年${m}月${d}日`), notice?.summary);
  });

  it("reads an issued letter as text on the phone; other files only download", async () => {
    const submitted = ok<RequestDetailDto>(
      await citizen.post("/api/requests", submission(staff.agency)),
      201,
    );
    await fireOk(staff.registrar, submitted.id, { type: "confirmReceipt", date: today() });
    const issued = ok<{ id: string }>(
      await staff.registrar.post(`/api/requests/${submitted.id}/letters/receipt`, {}),
      201,
    );
    const text = ok<DocumentTextDto>(
      await citizen.get(`/api/requests/${submitted.id}/documents/${issued.id}?view=text`),
    );
    assert.ok(text.title.length > 0);
    assert.ok(
      text.paragraphs.some((p) => p.includes(submitted.serialNo)),
      text.paragraphs.join("\n"),
    );
    const bad = fails(
      await citizen.get(`/api/requests/${submitted.id}/documents/${issued.id}?view=pdf`),
      400,
    );
    assert.match(bad.details?.fields?.[0]?.message ?? "", /查看方式/);
  });
});

describe("day one: the dashboard's report", () => {
  it("answers null, not 404, for a report not generated yet when asked so", async () => {
    const year = Number(today().slice(0, 4));
    const path = `/api/reports/agencies/${staff.agency._id}/${year}`;
    assert.equal(ok<null>(await staff.reviewer.get(`${path}?missing=null`)), null);
    fails(await staff.reviewer.get(path), 404);
  });
});
