/**
 * 督办 (issue 17, item 4), over real HTTP against the embedded database: a supervisor issues a 督办单 on
 * an application or on an agency with a deadline in working days on the one calendar; the agency lists
 * it (on its 工作台 and on the application) and replies with the 办理情况; an unanswered one past its
 * deadline is flagged overdue and counted; bad input and callers without the role are refused.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { addWorkingDays } from "@govinfo/shared/calendar/workdays";
import type { SupervisionDto, SupervisionListDto } from "@govinfo/shared/schemas/supervision";
import mongoose from "mongoose";
import { Supervision } from "../../../server/models/Supervision.ts";
import { calendarOverrides } from "../../../server/services/calendar.ts";
import { buildAgency, buildStaff } from "../../factories/people.ts";
import { type Client, loginStaff } from "../../support/clients.ts";
import { fingerprint } from "../../support/dbFingerprint.ts";
import { startTestServer, type TestServer } from "../../support/testServer.ts";
import { fails, ok, register, type StaffedAgency, staffedAgency, today } from "./requests.support.ts";

let server: TestServer;
let x: StaffedAgency;
let outsider: Client;

before(async () => {
  server = await startTestServer();
  x = await staffedAgency(server);
  const elsewhere = await buildAgency({ level: "government" });
  const user = await buildStaff([{ agency: elsewhere, role: "supervisor" }]);
  outsider = await loginStaff(server, user.username, user.password);
});
after(async () => {
  await server.close();
});

describe("督办单", () => {
  it("is issued on an application with a working-day deadline, seen and answered by the agency", async () => {
    const application = await register(x, today());
    const issued = ok<SupervisionDto>(
      await x.supervisor.post("/api/supervisions", {
        requestId: application.id,
        reason: "申请人反映答复迟缓，请加快办理",
        workingDays: 5,
      }),
      201,
    );
    assert.equal(issued.deadline, addWorkingDays(today(), 5, await calendarOverrides()));
    assert.equal(issued.agency.id, String(x.agency._id));
    assert.equal(issued.request?.serialNo, application.serialNo);
    assert.equal(issued.statusLabel, "待反馈办理情况");
    assert.equal(issued.canReply, false, "the supervisor does not answer their own order");

    const onApplication = ok<SupervisionListDto>(
      await x.handler.get(`/api/supervisions?requestId=${application.id}`),
    );
    assert.deepEqual(
      onApplication.items.map((s) => [s.id, s.canReply]),
      [[issued.id, true]],
    );

    const replied = ok<SupervisionDto>(
      await x.registrar.post(`/api/supervisions/${issued.id}/reply`, { reply: "已于当日作出答复并送达" }),
    );
    assert.equal(replied.status, "replied");
    assert.equal(replied.reply?.text, "已于当日作出答复并送达");
    assert.equal(replied.statusLabel, "已反馈");
    const audit = ok<{ items: { sentence: string }[] }>(
      await x.admin.get(`/api/audit?agencyId=${x.agency._id}`),
    );
    assert.ok(
      audit.items.some((e) =>
        /发出督办单（申请 .+），要求于\d{4}-\d{2}-\d{2}前反馈办理情况/.test(e.sentence),
      ),
      audit.items.map((e) => e.sentence).join("\n"),
    );
    assert.ok(audit.items.some((e) => /反馈了督办单的办理情况/.test(e.sentence)));
    const again = fails(
      await x.admin.post(`/api/supervisions/${issued.id}/reply`, { reply: "再次反馈" }),
      409,
    );
    assert.match(again.message, /已反馈办理情况/);
  });

  it("flags and counts a 督办单 unanswered past its deadline", async () => {
    const onAgency = ok<SupervisionDto>(
      await x.supervisor.post("/api/supervisions", {
        agencyId: String(x.agency._id),
        reason: "主动公开栏目更新不及时",
        workingDays: 3,
      }),
      201,
    );
    assert.equal(onAgency.request, null);
    const before = ok<SupervisionListDto>(await x.admin.get(`/api/supervisions?agencyId=${x.agency._id}`));
    // Move it back in time: issued 10 days ago with a deadline that has passed.
    await Supervision.updateOne(
      { _id: onAgency.id },
      { $set: { issuedDate: "2020-01-02", deadline: "2020-01-07" } },
    );
    const listed = ok<SupervisionListDto>(await x.admin.get(`/api/supervisions?agencyId=${x.agency._id}`));
    assert.equal(listed.counts.overdue, before.counts.overdue + 1);
    const flagged = listed.items.find((s) => s.id === onAgency.id);
    assert.equal(flagged?.overdue, true);
    assert.equal(flagged?.statusLabel, "逾期未反馈");
    const overdueOnly = ok<SupervisionListDto>(await x.supervisor.get("/api/supervisions?status=overdue"));
    assert.ok(overdueOnly.items.every((s) => s.overdue));
    assert.ok(overdueOnly.items.some((s) => s.id === onAgency.id));
  });

  // Each case prepares its caller and body (fixtures included) before the database is fingerprinted.
  const agencyOrder = (extra: Record<string, unknown>) => ({ agencyId: String(x.agency._id), ...extra });
  const refused: [string, () => Promise<[Client, unknown]>, number, RegExp | null][] = [
    [
      "both an application and an agency",
      async () => [
        x.supervisor,
        agencyOrder({ requestId: (await register(x, today())).id, reason: "督办", workingDays: 3 }),
      ],
      400,
      /二者选其一/,
    ],
    ["no deadline", async () => [x.supervisor, agencyOrder({ reason: "督办" })], 400, /办理期限/],
    [
      "a deadline of 0 working days",
      async () => [x.supervisor, agencyOrder({ reason: "督办", workingDays: 0 })],
      400,
      /至少1个工作日/,
    ],
    [
      "an agency's own staff (not a supervisor)",
      async () => [x.admin, agencyOrder({ reason: "督办", workingDays: 3 })],
      403,
      null,
    ],
    [
      "a supervisor of another tree",
      async () => [outsider, agencyOrder({ reason: "督办", workingDays: 3 })],
      404,
      null,
    ],
  ];
  for (const [name, prepare, status, message] of refused) {
    it(`refuses ${name}, writing nothing`, async () => {
      const [client, body] = await prepare();
      const snapshot = await fingerprint(mongoose.connection);
      const refusal = fails(await client.post("/api/supervisions", body), status);
      if (message) assert.match(refusal.message, message);
      assert.match(refusal.message, /[\u4e00-\u9fff]/);
      assert.deepEqual(await fingerprint(mongoose.connection), snapshot);
    });
  }
});
