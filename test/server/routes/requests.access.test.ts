import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  RequestDetailDto,
  RequestListItemDto,
  RevealedApplicantDto,
} from "@govinfo/shared/schemas/requestDto";
import { AuditEvent } from "../../../server/models/AuditEvent.ts";
import { buildAgency, buildStaff } from "../../factories/people.ts";
import { anonymousClient, type Client, loginApplicant, loginStaff } from "../../support/clients.ts";
import { startTestServer, type TestServer } from "../../support/testServer.ts";
import {
  detail,
  fails,
  fire,
  fireOk,
  ok,
  register,
  type StaffedAgency,
  secrets,
  staffedAgency,
  submission,
} from "./requests.support.ts";

let server: TestServer;
let staff: StaffedAgency;
let otherAgencyStaff: Client;
let citizenA: Client;
let citizenB: Client;

before(async () => {
  server = await startTestServer();
  staff = await staffedAgency(server);
  const other = await buildAgency();
  const stranger = await buildStaff([
    { agency: other, role: "reviewer" },
    { agency: other, role: "admin" },
  ]);
  otherAgencyStaff = await loginStaff(server, stranger.username, stranger.password);
  citizenA = await loginApplicant(server, "13900000011");
  citizenB = await loginApplicant(server, "13900000012");
});
after(async () => {
  await server.close();
});

describe("requests API: who may act", () => {
  it("lets the reviewer decide but not the registrar; the parent's supervisor reads but cannot act", async () => {
    const request = await register(staff, "2025-03-03");
    const byRegistrar = fails(
      await fire(staff.registrar, request.id, { type: "decide", date: "2025-03-10", outcome: "granted" }),
      403,
    );
    assert.equal(byRegistrar.details?.reason, "lifecycle.forbidden_role");
    assert.match(byRegistrar.message, /登记人员无权作出答复/);

    const asSupervisor = await detail(staff.supervisor, request.id);
    assert.deepEqual(asSupervisor.abilities, {
      events: [],
      canAssign: false,
      canReveal: false,
      canAddNote: false,
      canUploadFiles: false,
      canAnswerAssignment: false,
    });
    const queue = ok<{ items: { id: string }[] }>(await staff.supervisor.get("/api/requests?limit=100"));
    assert.ok(
      queue.items.some((item) => item.id === request.id),
      "the subtree is in the supervisor's queue",
    );
    const bySupervisor = fails(
      await fire(staff.supervisor, request.id, { type: "decide", date: "2025-03-10", outcome: "granted" }),
      403,
    );
    assert.equal(bySupervisor.details?.reason, "lifecycle.forbidden_role");
    fails(await staff.supervisor.post(`/api/requests/${request.id}/reveal`), 403);
    fails(await staff.supervisor.post(`/api/requests/${request.id}/notes`, { text: "督办" }), 403);
    fails(await staff.supervisor.post(`/api/requests/${request.id}/assign`, { assigneeId: null }), 403);

    const decided = await fireOk(staff.reviewer, request.id, {
      type: "decide",
      date: "2025-03-10",
      outcome: "partial",
    });
    assert.equal(decided.outcome, "partial");
  });

  it("hides an agency's applications from staff of another agency (404, not 403)", async () => {
    const request = await register(staff, "2025-03-03");
    for (const path of ["", "/clock"])
      fails(await otherAgencyStaff.get(`/api/requests/${request.id}${path}`), 404);
    fails(
      await otherAgencyStaff.post(`/api/requests/${request.id}/events`, {
        event: { type: "decide", date: "2025-03-10", outcome: "granted" },
        expectedVersion: request.version,
      }),
      404,
    );
    fails(await otherAgencyStaff.post(`/api/requests/${request.id}/reveal`), 404);
    fails(await otherAgencyStaff.post(`/api/requests/${request.id}/assign`, { assigneeId: null }), 404);
    const queue = ok<{ items: unknown[] }>(await otherAgencyStaff.get("/api/requests"));
    assert.equal(queue.items.length, 0);
    fails(await otherAgencyStaff.get(`/api/requests?agencyId=${String(staff.agency._id)}`), 403);
    fails(
      await otherAgencyStaff.post("/api/requests/register", {
        ...submission(staff.agency),
        channel: "inPerson",
        receiptDate: "2025-03-03",
      }),
      403,
    );
    assert.equal((await detail(staff.reviewer, request.id)).state, "received", "nothing changed");
  });

  it("shows a citizen only their own applications; others get 404; anonymous callers get 401", async () => {
    const mine = ok<RequestDetailDto>(await citizenA.post("/api/requests", submission(staff.agency)), 201);
    fails(await citizenB.get(`/api/requests/${mine.id}`), 404);
    fails(await citizenB.get(`/api/requests/${mine.id}/clock`), 404);
    fails(await citizenB.post(`/api/requests/${mine.id}/withdraw`, {}), 404);
    fails(await citizenB.post(`/api/requests/${mine.id}/correction`, { description: "改为别的内容" }), 404);
    const listB = ok<{ items: unknown[] }>(await citizenB.get("/api/requests/mine"));
    assert.equal(listB.items.length, 0);
    const listA = ok<{ items: { id: string }[] }>(await citizenA.get("/api/requests/mine"));
    assert.deepEqual(
      listA.items.map((i) => i.id),
      [mine.id],
    );
    fails(await citizenA.get("/api/requests"), 403);
    fails(await citizenA.post(`/api/requests/${mine.id}/events`, { event: {}, expectedVersion: 0 }), 403);
    fails(await citizenA.post(`/api/requests/${mine.id}/reveal`), 403);
    const anonymous = anonymousClient(server);
    for (const path of ["/api/requests", "/api/requests/mine", `/api/requests/${mine.id}`]) {
      assert.equal((await anonymous.get(path)).status, 401, path);
    }
    assert.equal((await anonymous.post("/api/requests", submission(staff.agency))).status, 401);
    assert.equal((await detail(citizenA, mine.id)).state, "submitted", "nothing changed");
  });

  it("refuses a correction when none was requested (409) and a staff-only event for applicants", async () => {
    const mine = ok<RequestDetailDto>(await citizenA.post("/api/requests", submission(staff.agency)), 201);
    const early = fails(
      await citizenA.post(`/api/requests/${mine.id}/correction`, { description: "新的内容" }),
      409,
    );
    assert.equal(early.details?.reason, "lifecycle.invalid_state");
  });
});

describe("requests API: personal data", () => {
  it("never shows a full ID number or phone in lists or details; reveal is audited every time", async () => {
    const request = await register(staff, "2025-03-03");
    const mine = ok<RequestDetailDto>(await citizenA.post("/api/requests", submission(staff.agency)), 201);
    const responses = [
      await staff.handler.get("/api/requests?limit=100"),
      await staff.handler.get(`/api/requests/${request.id}`),
      await staff.supervisor.get(`/api/requests/${request.id}`),
      await citizenA.get("/api/requests/mine"),
      await citizenA.get(`/api/requests/${mine.id}`),
    ];
    for (const response of responses) {
      const text = JSON.stringify(response.body);
      assert.equal(response.status, 200);
      for (const secret of Object.values(secrets)) assert.ok(!text.includes(secret), `${secret} leaked`);
    }
    const queue = ok<{ items: unknown[] }>(responses[0] ?? { status: 0, headers: new Headers(), body: null });
    for (const item of queue.items) RequestListItemDto.parse(item); // strict: nothing beyond the whitelist
    const shown = RequestDetailDto.parse(
      ok(responses[1] ?? { status: 0, headers: new Headers(), body: null }),
    );
    assert.equal(shown.applicant.idNumberMasked, "110105********002X");
    assert.equal(shown.applicant.phoneMasked, "138****5678");
    // The e-mail is masked like the phone in every staff view; the applicant sees their own.
    const email = "lisi@example.com";
    assert.equal(shown.email, "l***@example.com");
    for (const response of responses.slice(0, 3))
      assert.ok(!JSON.stringify(response.body).includes(email), "a staff view shows the e-mail unmasked");
    assert.equal(
      ok<RequestDetailDto>(responses[4] ?? { status: 0, headers: new Headers(), body: null }).email,
      email,
    );

    const before = await AuditEvent.countDocuments({ action: "request.reveal", targetId: request.id });
    const first = await staff.handler.post(`/api/requests/${request.id}/reveal`);
    const revealed = RevealedApplicantDto.parse(ok(first));
    assert.equal(first.headers.get("cache-control"), "no-store");
    assert.deepEqual(revealed, {
      idType: "idCard",
      idNumber: secrets.idNumber,
      phone: secrets.phone,
      address: `青海省海东市乐都区${secrets.address}`,
      email: "lisi@example.com",
    });
    ok(await staff.reviewer.post(`/api/requests/${request.id}/reveal`));
    const trail = await AuditEvent.find({ action: "request.reveal", targetId: request.id }).lean();
    assert.equal(trail.length, before + 2, "one audit event per read");
    assert.ok(trail.every((a) => a.actorKind === "staff" && a.actorId));
    assert.ok(!JSON.stringify(trail).includes(secrets.idNumber), "the audit names fields, not values");
  });

  it("keeps staff notes from the applicant", async () => {
    const mine = ok<RequestDetailDto>(await citizenA.post("/api/requests", submission(staff.agency)), 201);
    const noted = ok<RequestDetailDto>(
      await staff.handler.post(`/api/requests/${mine.id}/notes`, { text: "申请人来电催办，已解释期限" }),
    );
    assert.equal(noted.notes?.[0]?.text, "申请人来电催办，已解释期限");
    const asOwner = await citizenA.get(`/api/requests/${mine.id}`);
    assert.ok(!JSON.stringify(asOwner.body).includes("申请人来电催办"));
    assert.equal((asOwner.body as { data: { notes?: unknown } }).data.notes, undefined);
    assert.equal(await AuditEvent.countDocuments({ action: "request.note", targetId: mine.id }), 1);
  });
});

describe("requests API: assignment", () => {
  it("assigns to a handler of the agency, filters by assignee, and refuses outsiders", async () => {
    const request = await register(staff, "2025-03-03");
    const assigned = ok<RequestDetailDto>(
      await staff.registrar.post(`/api/requests/${request.id}/assign`, { assigneeId: staff.ids.handler }),
    );
    assert.equal(assigned.assignee?.id, staff.ids.handler);
    assert.match(assigned.assignee?.name ?? "", /工作人员/);
    const mine = ok<{ items: { id: string }[] }>(
      await staff.handler.get("/api/requests?assignee=me&limit=100"),
    );
    assert.ok(mine.items.some((i) => i.id === request.id));
    const unassigned = ok<{ items: { id: string }[] }>(
      await staff.handler.get("/api/requests?assignee=none&limit=100"),
    );
    assert.ok(!unassigned.items.some((i) => i.id === request.id));
    const byId = ok<{ items: { id: string }[] }>(
      await staff.handler.get(`/api/requests?assignee=${staff.ids.handler}&limit=100`),
    );
    assert.ok(byId.items.some((i) => i.id === request.id));

    const outsider = await buildStaff([{ agency: await buildAgency(), role: "handler" }]);
    const refused = fails(
      await staff.registrar.post(`/api/requests/${request.id}/assign`, { assigneeId: String(outsider.id) }),
      400,
    );
    assert.equal(refused.details?.fields?.[0]?.path, "assigneeId");
    fails(await staff.handler.post(`/api/requests/${request.id}/assign`, { assigneeId: null }), 403);
    const cleared = ok<RequestDetailDto>(
      await staff.reviewer.post(`/api/requests/${request.id}/assign`, { assigneeId: null }),
    );
    assert.equal(cleared.assignee, null);
    assert.equal(await AuditEvent.countDocuments({ action: "request.assign", targetId: request.id }), 2);
  });
});

describe("requests API: concurrency and machine refusals", () => {
  it("lets one of two concurrent decisions win; the other gets 409 and nothing is half-written", async () => {
    const request = await register(staff, "2025-03-03");
    const second = await loginStaff(
      server,
      ...(await buildStaff([{ agency: staff.agency, role: "reviewer" }]).then(
        (s) => [s.username, s.password] as const,
      )),
    );
    const decide = (client: Client, outcome: string) =>
      client.post(`/api/requests/${request.id}/events`, {
        event: {
          type: "decide",
          date: "2025-03-10",
          outcome,
          ...(outcome === "unable.notHeld" ? { ground: "notExist" } : {}),
        },
        expectedVersion: request.version,
      });
    const results = await Promise.all([decide(staff.reviewer, "granted"), decide(second, "unable.notHeld")]);
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 409]);
    const loser = results.find((r) => r.status === 409)?.body as {
      message: string;
      details: { reason: string };
    };
    assert.match(loser.message, /已被他人处理|不能作出答复/);
    const after = await detail(staff.reviewer, request.id);
    assert.equal(after.timeline.filter((t) => t.type === "decide").length, 1);
    assert.equal(await AuditEvent.countDocuments({ action: "request.decide", targetId: request.id }), 1);
  });

  it("answers a stale version, a wrong state and a repeated once-only event with 409 and a reason", async () => {
    const request = await register(staff, "2025-03-03");
    const stale = fails(
      await staff.reviewer.post(`/api/requests/${request.id}/events`, {
        event: { type: "decide", date: "2025-03-10", outcome: "granted" },
        expectedVersion: request.version + 5,
      }),
      409,
    );
    assert.equal(stale.details?.reason, "request.state_changed");
    const wrongState = fails(
      await fire(staff.handler, request.id, { type: "deliver", date: "2025-03-10", method: "mail" }),
      409,
    );
    assert.equal(wrongState.details?.reason, "lifecycle.invalid_state");
    assert.match(wrongState.message, /当前状态“已收到申请”下不能送达答复/);
    const extension = {
      type: "extend",
      date: "2025-03-20",
      workingDays: 5,
      reason: "需调档",
      approver: "王主任",
    };
    await fireOk(staff.reviewer, request.id, extension);
    const twice = fails(await fire(staff.reviewer, request.id, extension), 409);
    assert.equal(twice.details?.reason, "lifecycle.already_done");
    assert.match(twice.message, /只能延长一次/);
  });
});
