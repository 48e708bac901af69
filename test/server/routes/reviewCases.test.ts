import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { ReviewCaseDTO } from "@govinfo/shared/schemas/reviewCase";
import type { AgencyDoc } from "../../../server/models/Agency.ts";
import { AuditEvent } from "../../../server/models/AuditEvent.ts";
import { createPersonalDataCipher } from "../../../server/security/personalData.ts";
import { buildAgency, buildStaff } from "../../factories/people.ts";
import { buildRequest } from "../../factories/requests.ts";
import { type Client, loginStaff } from "../../support/clients.ts";
import type { TestResponse } from "../../support/http.ts";
import { startTestServer, type TestServer } from "../../support/testServer.ts";

let server: TestServer;
let parent: AgencyDoc;
let agency: AgencyDoc;
let otherAgency: AgencyDoc;
let handler: Client;
let reviewer: Client;
let supervisor: Client;
let registrar: Client;
let outsider: Client;
let serialNo: string;
let requestId: string;

const data = <T>(response: TestResponse) => (response.body as { data: T }).data;
const fields = (response: TestResponse) =>
  (response.body as { details?: { fields?: { path: string; message: string }[] } }).details?.fields ?? [];

before(async () => {
  server = await startTestServer();
  parent = await buildAgency({ code: "RCP", level: "government" });
  agency = await buildAgency({ code: "RCA", parent });
  otherAgency = await buildAgency({ code: "RCB" });
  const login = async (grants: Parameters<typeof buildStaff>[0]) => {
    const user = await buildStaff(grants);
    return loginStaff(server, user.username, user.password);
  };
  handler = await login([{ agency, role: "handler" }]);
  reviewer = await login([{ agency, role: "reviewer" }]);
  supervisor = await login([{ agency: parent, role: "supervisor" }]);
  registrar = await login([{ agency, role: "registrar" }]);
  outsider = await login([{ agency: otherAgency, role: "admin" }]);
  const request = await buildRequest(agency, createPersonalDataCipher(randomBytes(32)));
  serialNo = request.serialNo;
  requestId = String(request._id);
});
after(async () => {
  await server.close();
});

function create(client: Client, overrides: Record<string, unknown> = {}) {
  return client.post("/api/review-cases", {
    agencyId: String(agency._id),
    caseNo: `东复〔2025〕${Math.floor(Math.random() * 1e9)}号`,
    kind: "reconsideration",
    filedDate: "2025-05-01",
    ...overrides,
  });
}

describe("review cases", () => {
  it("lets a handler register a case linked by 申请编号, and audits it", async () => {
    const response = await create(handler, {
      caseNo: "东复〔2025〕1号",
      requestSerialNo: serialNo,
      notes: "申请人不服答复",
    });
    assert.equal(response.status, 201, JSON.stringify(response.body));
    const item = data<ReviewCaseDTO>(response);
    assert.equal(item.caseNo, "东复〔2025〕1号");
    assert.equal(item.requestId, requestId);
    assert.equal(item.requestSerialNo, serialNo);
    assert.equal(item.result, null);
    assert.equal(item.closedDate, null);
    assert.equal(await AuditEvent.countDocuments({ action: "reviewCase.create", targetId: item.id }), 1);

    const byId = await create(handler, { requestId, kind: "litigationDirect" });
    assert.equal(data<ReviewCaseDTO>(byId).requestSerialNo, serialNo);
  });

  it("refuses a duplicate case number in the same agency with 409", async () => {
    assert.equal((await create(reviewer, { caseNo: "重复-1" })).status, 201);
    const duplicate = await create(handler, { caseNo: "重复-1" });
    assert.equal(duplicate.status, 409);
    assert.match((duplicate.body as { message: string }).message, /案件编号/);
  });

  it("validates dates, the result, the kind and the link", async () => {
    const early = await create(handler, { closedDate: "2025-04-01", result: "upheld" });
    assert.equal(early.status, 400);
    assert.ok(fields(early).some((f) => f.path === "closedDate" && /不能早于立案日期/.test(f.message)));
    const noResult = await create(handler, { closedDate: "2025-06-01" });
    assert.equal(noResult.status, 400);
    assert.ok(fields(noResult).some((f) => f.path === "result"));
    const noDate = await create(handler, { result: "corrected" });
    assert.equal(noDate.status, 400);
    assert.ok(fields(noDate).some((f) => f.path === "closedDate"));
    assert.equal((await create(handler, { kind: "appeal" })).status, 400);
    assert.equal((await create(handler, { filedDate: "2025-02-30" })).status, 400);
    assert.equal((await create(handler, { filedDate: "2099-01-01" })).status, 400);
    const unknown = await create(handler, { requestSerialNo: "不存在的编号" });
    assert.equal(unknown.status, 400);
    assert.ok(fields(unknown).some((f) => f.path === "requestSerialNo"));
    assert.equal((await create(handler, { caseNo: { $gt: "" } })).status, 400);
    const closed = await create(handler, { closedDate: "2025-06-01", result: "other" });
    assert.equal(closed.status, 201);
  });

  it("closes a pending case once; closing again is a conflict", async () => {
    const item = data<ReviewCaseDTO>(await create(handler));
    const bad = await handler.post(`/api/review-cases/${item.id}/close`, {
      closedDate: "2025-04-30",
      result: "upheld",
    });
    assert.equal(bad.status, 400);
    const missing = await handler.post(`/api/review-cases/${item.id}/close`, { closedDate: "2025-06-30" });
    assert.equal(missing.status, 400);
    const closed = await reviewer.post(`/api/review-cases/${item.id}/close`, {
      closedDate: "2025-06-30",
      result: "corrected",
    });
    assert.equal(closed.status, 200);
    assert.equal(data<ReviewCaseDTO>(closed).result, "corrected");
    const again = await handler.post(`/api/review-cases/${item.id}/close`, {
      closedDate: "2025-07-01",
      result: "upheld",
    });
    assert.equal(again.status, 409);
    assert.equal(await AuditEvent.countDocuments({ action: "reviewCase.close", targetId: item.id }), 1);
  });

  it("updates a case, checking the combined record; both closure fields null reopens it", async () => {
    const item = data<ReviewCaseDTO>(await create(handler, { closedDate: "2025-06-01", result: "upheld" }));
    const half = await handler.patch(`/api/review-cases/${item.id}`, { result: null });
    assert.equal(half.status, 400);
    const before = await handler.patch(`/api/review-cases/${item.id}`, { filedDate: "2025-07-01" });
    assert.equal(before.status, 400);
    const reopened = await handler.patch(`/api/review-cases/${item.id}`, { closedDate: null, result: null });
    assert.equal(reopened.status, 200);
    assert.equal(data<ReviewCaseDTO>(reopened).result, null);
    const relinked = await handler.patch(`/api/review-cases/${item.id}`, {
      kind: "litigationAfterReconsideration",
      requestSerialNo: serialNo,
      notes: "复议后起诉",
    });
    assert.equal(relinked.status, 200);
    assert.equal(data<ReviewCaseDTO>(relinked).kind, "litigationAfterReconsideration");
    assert.equal(data<ReviewCaseDTO>(relinked).requestId, requestId);
    const audit = await AuditEvent.findOne({ action: "reviewCase.update", targetId: item.id })
      .sort({ at: -1 })
      .lean();
    assert.deepEqual(((audit?.details ?? { changed: [] }) as { changed: string[] }).changed.sort(), [
      "kind",
      "notes",
      "requestSerialNo",
    ]);
  });

  it("lets a supervisor of the parent agency read but not write; registrars and outsiders get nothing", async () => {
    const item = data<ReviewCaseDTO>(await create(handler));
    const list = await supervisor.get(`/api/review-cases?agencyId=${String(agency._id)}`);
    assert.equal(list.status, 200);
    assert.ok(data<{ items: ReviewCaseDTO[] }>(list).items.some((c) => c.id === item.id));
    assert.equal((await supervisor.get(`/api/review-cases/${item.id}`)).status, 200);
    assert.equal((await create(supervisor)).status, 403);
    assert.equal((await supervisor.patch(`/api/review-cases/${item.id}`, { notes: "x" })).status, 403);
    assert.equal(
      (
        await supervisor.post(`/api/review-cases/${item.id}/close`, {
          closedDate: "2025-06-30",
          result: "upheld",
        })
      ).status,
      403,
    );
    assert.equal((await registrar.get(`/api/review-cases?agencyId=${String(agency._id)}`)).status, 403);
    assert.equal((await outsider.get(`/api/review-cases/${item.id}`)).status, 404);
    assert.equal((await outsider.patch(`/api/review-cases/${item.id}`, { notes: "x" })).status, 404);
    assert.equal((await outsider.get(`/api/review-cases?agencyId=${String(agency._id)}`)).status, 403);
    assert.equal(data<{ items: ReviewCaseDTO[] }>(await outsider.get("/api/review-cases")).items.length, 0);
    const otherCase = await outsider.post("/api/review-cases", {
      agencyId: String(agency._id),
      caseNo: "X",
      kind: "reconsideration",
      filedDate: "2025-05-01",
    });
    assert.equal(otherCase.status, 403);
  });

  it("filters the list by kind, status and year", async () => {
    const local = await buildAgency();
    const user = await buildStaff([{ agency: local, role: "admin" }]);
    const client = await loginStaff(server, user.username, user.password);
    const add = (body: Record<string, unknown>) =>
      client.post("/api/review-cases", { agencyId: String(local._id), kind: "reconsideration", ...body });
    await add({ caseNo: "F1", filedDate: "2024-03-01" });
    await add({ caseNo: "F2", filedDate: "2025-03-01", closedDate: "2025-04-01", result: "upheld" });
    await add({ caseNo: "F3", filedDate: "2025-05-01", kind: "litigationDirect" });
    const list = async (query: string) =>
      data<{ items: ReviewCaseDTO[] }>(
        await client.get(`/api/review-cases?agencyId=${String(local._id)}${query}`),
      )
        .items.map((c) => c.caseNo)
        .sort();
    assert.deepEqual(await list(""), ["F1", "F2", "F3"]);
    assert.deepEqual(await list("&year=2025"), ["F2", "F3"]);
    assert.deepEqual(await list("&status=pending"), ["F1", "F3"]);
    assert.deepEqual(await list("&status=closed"), ["F2"]);
    assert.deepEqual(await list("&kind=litigationDirect"), ["F3"]);
  });
});
