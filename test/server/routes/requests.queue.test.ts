import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { addDays } from "@govinfo/shared/calendar/date";
import { addWorkingDays } from "@govinfo/shared/calendar/workdays";
import type { RequestDetailDto, RequestListItemDto } from "@govinfo/shared/schemas/requestDto";
import { AuditEvent } from "../../../server/models/AuditEvent.ts";
import { DisclosureRequest } from "../../../server/models/DisclosureRequest.ts";
import { type Client, loginApplicant } from "../../support/clients.ts";
import { startTestServer, type TestServer } from "../../support/testServer.ts";
import {
  fails,
  fireOk,
  ok,
  register,
  registration,
  type StaffedAgency,
  staffedAgency,
  submission,
  today,
} from "./requests.support.ts";

let server: TestServer;
let staff: StaffedAgency;
let citizen: Client;

interface Page {
  items: RequestListItemDto[];
  nextCursor: string | null;
}

before(async () => {
  server = await startTestServer();
  staff = await staffedAgency(server);
  citizen = await loginApplicant(server, "13900000031");
});
after(async () => {
  await server.close();
});

async function allPages(client: Client, query: string): Promise<RequestListItemDto[]> {
  const items: RequestListItemDto[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 50; guard++) {
    const page: Page = ok<Page>(
      await client.get(`/api/requests?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`),
    );
    items.push(...page.items);
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return items;
}

describe("requests API: the staff queue", () => {
  let ids: string[] = [];
  let overdueId = "";
  let freshId = "";

  before(async () => {
    const a = await register(staff, "2025-03-03", {
      applicant: { ...submission(staff.agency).applicant, name: "王五" },
    });
    const b = await register(staff, "2025-06-09");
    const c = await register(staff, "2025-06-09");
    const d = await register(staff, today());
    const e = ok<RequestDetailDto>(await citizen.post("/api/requests", submission(staff.agency)), 201);
    const f = ok<RequestDetailDto>(await citizen.post("/api/requests", submission(staff.agency)), 201);
    const g = await register(staff, "2024-12-02");
    await fireOk(staff.reviewer, g.id, { type: "decide", date: "2024-12-20", outcome: "granted" });
    ids = [a, b, c, d, e, f, g].map((r) => r.id);
    overdueId = a.id;
    freshId = d.id;
  });

  it("pages through every request exactly once; only 待确认 (no due date) sorts before real dates", async () => {
    for (const sort of ["dueDate", "-dueDate", "receiptDate", "-receiptDate"]) {
      const items = await allPages(staff.handler, `limit=2&sort=${sort}&scope=all`);
      assert.deepEqual(items.map((i) => i.id).sort(), [...ids].sort(), `${sort}: every request once`);
      const field = sort.replace("-", "") as "dueDate" | "receiptDate";
      const dated = items.filter((i) => i[field] !== null).map((i) => i[field] as string);
      const sorted = [...dated].sort();
      assert.deepEqual(dated, sort.startsWith("-") ? sorted.reverse() : sorted, sort);
      const firstEmpty = items.findIndex((i) => i[field] === null);
      const lastDated = items.findLastIndex((i) => i[field] !== null);
      if (sort === "dueDate") assert.ok(firstEmpty === 0, "the 待确认 group opens the default order");
      else assert.ok(firstEmpty > lastDated, `${sort}: empty dates never before real ones`);
    }
  });

  it("opens on open work only: overdue first, then by due date; closed ones behind a filter", async () => {
    const open = await allPages(staff.handler, "limit=3");
    assert.ok(open.length > 0);
    assert.ok(
      open.every((i) => i.outcome === null),
      "no closed application in the default queue",
    );
    const withDate = open.filter((i) => i.dueDate !== null);
    assert.equal(withDate[0]?.id, overdueId, "the overdue case leads the dated ones");
    assert.ok(open.slice(0, open.length - withDate.length).every((i) => i.dueDate === null));
    const closed = ok<Page>(await staff.handler.get("/api/requests?scope=closed"));
    assert.deepEqual(
      closed.items.map((i) => i.id),
      [ids[6]],
    );
  });

  it("filters by state, year, overdue, due within N working days, and searches serial or name", async () => {
    const submitted = ok<Page>(await staff.handler.get("/api/requests?state=submitted"));
    assert.equal(submitted.items.length, 2);
    assert.ok(submitted.items.every((i) => i.state === "submitted" && i.dueDate === null));

    const of2024 = ok<Page>(await staff.handler.get("/api/requests?year=2024&scope=all"));
    assert.deepEqual(
      of2024.items.map((i) => [i.state, i.outcomeLabel]),
      [["decided", "（一）予以公开"]],
    );

    const overdue = ok<Page>(await staff.handler.get("/api/requests?overdue=true&limit=100"));
    assert.ok(overdue.items.some((i) => i.id === overdueId));
    assert.ok(overdue.items.every((i) => i.overdue && !["decided", "delivered"].includes(i.state)));
    assert.ok(!overdue.items.some((i) => i.id === freshId));
    const notOverdue = ok<Page>(await staff.handler.get("/api/requests?overdue=false&limit=100"));
    assert.ok(notOverdue.items.some((i) => i.id === freshId));
    assert.ok(!notOverdue.items.some((i) => i.id === overdueId));

    const byName = ok<Page>(await staff.handler.get(`/api/requests?q=${encodeURIComponent("王")}`));
    assert.deepEqual(
      byName.items.map((i) => i.id),
      [overdueId],
    );
    const serial = byName.items[0]?.serialNo ?? "";
    const bySerial = ok<Page>(await staff.handler.get(`/api/requests?q=${encodeURIComponent(serial)}`));
    assert.deepEqual(
      bySerial.items.map((i) => i.id),
      [overdueId],
    );
    const regexLike = ok<Page>(await staff.handler.get(`/api/requests?q=${encodeURIComponent(".*")}`));
    assert.equal(regexLike.items.length, 0, "the search text is literal, not a pattern");
  });

  it("lists applications due within N working days", async () => {
    const now = today();
    const limit = addWorkingDays(now, 3);
    // Find a past receipt date whose 20th working day falls in [today, limit] (package calendar).
    let receipt = now;
    for (let i = 0; i < 60 && addWorkingDays(receipt, 20) > limit; i++) receipt = addDays(receipt, -1);
    const due = addWorkingDays(receipt, 20);
    assert.ok(due >= now && due <= limit, "a suitable receipt date exists");
    const soon = await register(staff, receipt);
    assert.equal(soon.dueDate, due);
    const dueSoon = ok<Page>(await staff.handler.get("/api/requests?dueWithin=3&limit=100"));
    assert.ok(dueSoon.items.some((i) => i.id === soon.id));
    assert.ok(!dueSoon.items.some((i) => i.id === overdueId), "overdue is not 'due soon'");
    assert.ok(dueSoon.items.every((i) => i.dueDate !== null && i.dueDate >= now && i.dueDate <= limit));
  });

  it("lists the applicant's own applications newest first, with a cursor", async () => {
    const first = ok<Page>(await citizen.get("/api/requests/mine?limit=1"));
    assert.equal(first.items.length, 1);
    assert.ok(first.nextCursor);
    const second = ok<Page>(await citizen.get(`/api/requests/mine?limit=1&cursor=${first.nextCursor}`));
    assert.equal(second.items.length, 1);
    assert.equal(second.nextCursor, null);
    assert.notEqual(first.items[0]?.id, second.items[0]?.id);
  });
});

describe("requests API: bad input", () => {
  it("answers bad queue filters with 400 and a Chinese message naming the field", async () => {
    const cases: [string, string][] = [
      ["state=archived", "state"],
      ["dueWithin=abc", "dueWithin"],
      ["dueWithin=-1", "dueWithin"],
      ["year=20", "year"],
      ["limit=0", "limit"],
      ["sort=name", "sort"],
      ["overdue=maybe", "overdue"],
      ["assignee=bob", "assignee"],
      ["agencyId=xyz", "agencyId"],
      ["cursor=garbage", "cursor"],
    ];
    for (const [query, field] of cases) {
      const error = fails(await staff.handler.get(`/api/requests?${query}`), 400);
      assert.equal(error.code, "validation_error", query);
      const problem = error.details?.fields?.[0];
      assert.equal(problem?.path, field, query);
      assert.match(problem?.message ?? "", /[\u4e00-\u9fff]/, `${query}: Chinese message`);
    }
    fails(await staff.handler.get("/api/requests/not-an-id"), 400);
  });

  it("refuses bad dates, wrong types and operator injection, and changes nothing", async () => {
    const request = await register(staff, "2025-03-03");
    const countRequests = await DisclosureRequest.countDocuments();
    const countAudit = await AuditEvent.countDocuments();
    const post = (body: unknown) => staff.reviewer.post(`/api/requests/${request.id}/events`, body);
    const event = (e: Record<string, unknown>) => ({ event: e, expectedVersion: request.version });
    const cases: [Promise<import("../../support/http.ts").TestResponse>, string, RegExp][] = [
      [
        staff.registrar.post("/api/requests/register", registration(staff.agency, "2025-02-30")),
        "receiptDate",
        /日期不存在/,
      ],
      [
        staff.registrar.post("/api/requests/register", registration(staff.agency, "2099-01-04")),
        "receiptDate",
        /不能晚于今天/,
      ],
      [
        staff.registrar.post("/api/requests/register", {
          ...registration(staff.agency, "2025-03-03"),
          applicant: { ...submission(staff.agency).applicant, idNumber: "110105194912310021" },
        }),
        "applicant.idNumber",
        /校验/,
      ],
      [
        staff.registrar.post("/api/requests/register", {
          ...registration(staff.agency, "2025-03-03"),
          applicant: { ...submission(staff.agency).applicant, name: { $ne: null } },
        }),
        "applicant.name.$ne",
        /\$/,
      ],
      [post(event({ type: "decide", date: "2025-13-01", outcome: "granted" })), "date", /日期/],
      [post(event({ type: "decide", date: "2025-03-01", outcome: "granted" })), "date", /不能早于/],
      [post(event({ type: "decide", date: "2099-03-01", outcome: "granted" })), "date", /不能晚于今天/],
      [post(event({ type: "approve", date: "2025-03-10" })), "type", /未知的事件类型/],
      [post(event({ type: "decide", date: "2025-03-10", outcome: { $gt: "" } })), "event.outcome.$gt", /\$/],
      [
        post(event({ type: "decide", date: "2025-03-10", outcome: "granted", $where: "1" })),
        "event.$where",
        /\$/,
      ],
      [
        post(event({ type: "extend", date: "2025-03-10", workingDays: 25, reason: "x", approver: "王主任" })),
        "workingDays",
        /最长不得超过20个工作日/,
      ],
      [
        post(
          event({ type: "extend", date: "2025-03-10", workingDays: "10", reason: "x", approver: "王主任" }),
        ),
        "workingDays",
        /[\u4e00-\u9fff]/,
      ],
      [
        post({ event: { type: "decide", date: "2025-03-10", outcome: "granted" }, expectedVersion: "0" }),
        "expectedVersion",
        /版本号/,
      ],
      [post({ expectedVersion: 0 }), "event", /[\u4e00-\u9fff]/],
      [post({ event: "decide", expectedVersion: 0 }), "event", /[\u4e00-\u9fff]/],
      [staff.handler.post(`/api/requests/${request.id}/notes`, { text: 5 }), "text", /备注/],
      [staff.handler.post(`/api/requests/${request.id}/notes`, { text: "   " }), "text", /备注不能为空/],
      [
        staff.registrar.post(`/api/requests/${request.id}/assign`, { assigneeId: 123 }),
        "assigneeId",
        /承办人/,
      ],
      [staff.registrar.post(`/api/requests/${request.id}/assign`, {}), "assigneeId", /承办人/],
    ];
    for (const [pending, field, message] of cases) {
      const response = await pending;
      const error = fails(response, 400);
      const problems = error.details?.fields ?? [];
      const problem = problems.find((p) => p.path === field);
      assert.ok(problem, `${field}: ${JSON.stringify(error)}`);
      assert.match(problem.message, message, field);
    }
    const notJson = await server.request(`/api/requests/${request.id}/notes`, {
      method: "POST",
      headers: { ...staff.handler.headers, "Content-Type": "application/json" },
      body: "{not json",
    });
    assert.equal(fails(notJson, 400).code, "bad_request");

    const after = await DisclosureRequest.findById(request.id).lean();
    assert.equal(after?.version, request.version);
    assert.equal(after?.state, "received");
    assert.equal(after?.notes.length, 0);
    assert.equal(after?.assigneeId, null);
    assert.equal(await DisclosureRequest.countDocuments(), countRequests, "nothing created");
    assert.equal(await AuditEvent.countDocuments(), countAudit, "nothing audited, nothing written");
  });

  it("validates the applicant's submission and correction in Chinese", async () => {
    const missing = fails(
      await citizen.post("/api/requests", { ...submission(staff.agency), applicant: { name: "李四" } }),
      400,
    );
    const paths = (missing.details?.fields ?? []).map((f) => f.path);
    assert.ok(paths.includes("applicant.type"), paths.join());
    assert.ok(missing.details?.fields?.every((f) => /[\u4e00-\u9fff]/.test(f.message)));
    const mine = ok<RequestDetailDto>(await citizen.post("/api/requests", submission(staff.agency)), 201);
    const empty = fails(await citizen.post(`/api/requests/${mine.id}/correction`, { description: "" }), 400);
    assert.equal(empty.details?.fields?.[0]?.path, "description");
    const unknownAgency = await citizen.post("/api/requests", {
      ...submission(staff.agency),
      agencyId: "0123456789abcdef01234567",
    });
    assert.equal(unknownAgency.status, 404);
  });
});
