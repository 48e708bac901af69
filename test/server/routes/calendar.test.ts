import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { CalendarDaysDto, CalendarOverrideDto } from "@govinfo/shared/schemas/calendar";
import type { ClockDto, RequestListItemDto } from "@govinfo/shared/schemas/requestDto";
import { AuditEvent } from "../../../server/models/AuditEvent.ts";
import { buildStaff } from "../../factories/people.ts";
import { anonymousClient, loginApplicant, loginStaff } from "../../support/clients.ts";
import { startTestServer, type TestServer } from "../../support/testServer.ts";
import { fails, ok, register, type StaffedAgency, staffedAgency } from "./requests.support.ts";

let server: TestServer;
let staff: StaffedAgency;

before(async () => {
  server = await startTestServer();
  staff = await staffedAgency(server);
});
after(async () => {
  await server.close();
});

describe("calendar API: days", () => {
  it("classifies 国庆 2025: make-up Sunday and Saturday, the holiday week, weekends", async () => {
    const { days, coveredYears } = ok<CalendarDaysDto>(
      await staff.handler.get("/api/calendar/days?from=2025-09-27&to=2025-10-12"),
    );
    assert.equal(days.length, 16);
    const at = (date: string) => days.find((d) => d.date === date);
    assert.deepEqual(
      [at("2025-09-27")?.kind, at("2025-09-28")?.kind, at("2025-10-01")?.kind, at("2025-10-11")?.kind],
      ["weekend", "makeUpWorkday", "holiday", "makeUpWorkday"],
    );
    assert.equal(at("2025-09-28")?.working, true);
    assert.equal(at("2025-10-08")?.working, false);
    assert.equal(at("2025-10-09")?.working, true);
    assert.ok(coveredYears.includes(2025));
  });

  it("refuses bad ranges with Chinese field messages", async () => {
    for (const [query, field] of [
      ["from=2025-10-12&to=2025-09-27", "to"],
      ["from=2025-01-01&to=2026-06-01", "to"],
      ["from=2025-02-30&to=2025-03-01", "from"],
      ["from=2025-01-01", "to"],
    ] as const) {
      const error = fails(await staff.handler.get(`/api/calendar/days?${query}`), 400);
      assert.equal(error.details?.fields?.[0]?.path, field, query);
      assert.match(error.details?.fields?.[0]?.message ?? "", /[\u4e00-\u9fff]/);
    }
    assert.equal(
      (await anonymousClient(server).get("/api/calendar/days?from=2025-01-01&to=2025-01-31")).status,
      401,
    );
  });
});

describe("calendar API: overrides", () => {
  // In person Thu 2025-09-25 → due Wed 2025-10-29 (see requests.clock.test.ts for the counting).
  it("lets a supervisor change a day; the clock and the stored due date follow", async () => {
    const request = await register(staff, "2025-09-25");
    assert.equal(request.dueDate, "2025-10-29");

    // A weekday made a holiday pushes the 20th working day one day later: due Thu 10-30.
    const set = ok<CalendarOverrideDto>(
      await staff.supervisor.put("/api/calendar/overrides/2025-10-20", { kind: "holiday", name: "测试放假" }),
    );
    assert.deepEqual(set, { date: "2025-10-20", kind: "holiday", name: "测试放假" });
    let clock = ok<ClockDto>(await staff.handler.get(`/api/requests/${request.id}/clock`));
    assert.equal(clock.dueDate, "2025-10-30");
    assert.equal(
      clock.explanation.find((d) => d.date === "2025-10-20")?.reason,
      "法定节假日（测试放假），不计入",
    );
    const queue = ok<{ items: RequestListItemDto[] }>(
      await staff.handler.get("/api/requests?overdue=true&limit=100"),
    );
    assert.equal(queue.items.find((i) => i.id === request.id)?.dueDate, "2025-10-30");
    const stored = await server.db.connection
      .collection("disclosurerequests")
      .findOne({ serialNo: request.serialNo });
    assert.equal(stored?.dueDate, "2025-10-30", "the queue's stored due date was recomputed");

    // A make-up Sunday is added before it (10-20 stays a holiday): … 10-17 =12 ·
    // 10-19 Sun =13 · 10-20 off · 21 =14 · 22 =15 · 23 =16 · 24 =17 · 27 =18 · 28 =19 · 10-29 =20.
    ok(
      await staff.supervisor.put("/api/calendar/overrides/2025-10-19", { kind: "workday", name: "测试调休" }),
    );
    clock = ok<ClockDto>(await staff.handler.get(`/api/requests/${request.id}/clock`));
    assert.equal(clock.dueDate, "2025-10-29");
    const list = ok<CalendarOverrideDto[]>(await staff.handler.get("/api/calendar/overrides"));
    assert.deepEqual(
      list.map((o) => o.date),
      ["2025-10-19", "2025-10-20"],
    );

    ok(await staff.supervisor.delete("/api/calendar/overrides/2025-10-20"));
    ok(await staff.supervisor.delete("/api/calendar/overrides/2025-10-19"));
    clock = ok<ClockDto>(await staff.handler.get(`/api/requests/${request.id}/clock`));
    assert.equal(clock.dueDate, "2025-10-29", "back to the package calendar");
    fails(await staff.supervisor.delete("/api/calendar/overrides/2025-10-19"), 404);

    const actions = (await AuditEvent.find({ targetType: "calendarOverride" }).sort({ at: 1 }).lean()).map(
      (a) => `${a.action} ${a.targetId}`,
    );
    assert.deepEqual(actions, [
      "calendar.override.set 2025-10-20",
      "calendar.override.set 2025-10-19",
      "calendar.override.delete 2025-10-20",
      "calendar.override.delete 2025-10-19",
    ]);
  });

  it("refuses other roles and bad bodies", async () => {
    fails(
      await staff.handler.put("/api/calendar/overrides/2027-01-04", { kind: "holiday", name: "元旦" }),
      403,
    );
    fails(await staff.registrar.delete("/api/calendar/overrides/2027-01-04"), 403);
    // An agency's own administrator would move every other agency's deadlines too.
    fails(
      await staff.admin.put("/api/calendar/overrides/2027-01-04", { kind: "holiday", name: "元旦" }),
      403,
    );
    const citizen = await loginApplicant(server, "13900000041");
    fails(await citizen.put("/api/calendar/overrides/2027-01-04", { kind: "holiday", name: "元旦" }), 403);
    fails(await anonymousClient(server).get("/api/calendar/overrides"), 401);
    for (const [path, body, field] of [
      ["/api/calendar/overrides/2027-02-30", { kind: "holiday", name: "春节" }, "date"],
      ["/api/calendar/overrides/2027-02-01", { kind: "vacation", name: "春节" }, "kind"],
      ["/api/calendar/overrides/2027-02-01", { kind: "holiday", name: "" }, "name"],
      ["/api/calendar/overrides/2027-02-01", { kind: "holiday", name: { $gt: "" } }, "name.$gt"],
    ] as const) {
      const error = fails(await staff.supervisor.put(path, body), 400);
      assert.equal(error.details?.fields?.[0]?.path, field);
    }
    assert.deepEqual(ok<CalendarOverrideDto[]>(await staff.admin.get("/api/calendar/overrides")), []);
  });

  it("lets only a supervisor of the root change it, and shows the change in every supervisor's audit log", async () => {
    // The supervisor of a department's subtree (not of the root) would move every other agency's deadlines.
    const below = await buildStaff([{ agency: staff.agency, role: "supervisor" }]);
    const subtreeSupervisor = await loginStaff(server, below.username, below.password);
    const refused = fails(
      await subtreeSupervisor.put("/api/calendar/overrides/2027-01-05", { kind: "holiday", name: "测试" }),
      403,
    );
    assert.match(refused.message, /最上级机关的监督人员/);
    fails(await subtreeSupervisor.delete("/api/calendar/overrides/2027-01-05"), 403);
    const me = ok<{ canEditDeploymentSettings?: boolean }>(await subtreeSupervisor.get("/api/auth/me"));
    assert.equal(me.canEditDeploymentSettings, false);
    assert.equal(
      ok<{ canEditDeploymentSettings?: boolean }>(await staff.supervisor.get("/api/auth/me"))
        .canEditDeploymentSettings,
      true,
    );

    ok(
      await staff.supervisor.put("/api/calendar/overrides/2027-01-06", { kind: "holiday", name: "审计测试" }),
    );
    // Stored without an agency, the change is still found by the supervisors it concerns.
    for (const reader of [staff.supervisor, subtreeSupervisor]) {
      const log = ok<{ items: { action: string; targetId: string; agencyName: string }[] }>(
        await reader.get("/api/audit?action=calendar.override.set&limit=100"),
      );
      const found = log.items.find((item) => item.targetId === "2027-01-06");
      assert.ok(found, "the calendar change is in the supervisor's audit log");
      assert.equal(found.agencyName, "全平台");
    }
    ok(await staff.supervisor.delete("/api/calendar/overrides/2027-01-06"));
    const deletions = ok<{ items: { action: string; targetId: string }[] }>(
      await subtreeSupervisor.get("/api/audit?action=calendar.override.delete&limit=100"),
    );
    assert.ok(deletions.items.some((item) => item.targetId === "2027-01-06"));
  });
});
