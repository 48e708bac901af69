import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { AuditEventDto } from "@govinfo/shared/schemas/audit";
import type { Page } from "@govinfo/shared/schemas/common";
import { AuditEvent } from "../../../server/models/AuditEvent.ts";
import { startTestServer, type TestServer } from "../../support/testServer.ts";
import { fails, ok, type StaffedAgency, staffedAgency } from "./requests.support.ts";

let server: TestServer;
let staff: StaffedAgency;
let other: StaffedAgency;

before(async () => {
  server = await startTestServer();
  staff = await staffedAgency(server);
  other = await staffedAgency(server);
  const base = Date.parse("2025-03-10T02:00:00Z");
  await AuditEvent.insertMany(
    Array.from({ length: 25 }, (_, i) => ({
      at: new Date(base + i * 3600_000),
      actorKind: "staff",
      actorName: "tester",
      agencyId: staff.agency._id,
      action: i % 2 === 0 ? "request.note" : "report.draft",
      targetType: i % 2 === 0 ? "request" : "report",
      targetId: `t${i}`,
    })),
  );
  await AuditEvent.create({
    actorKind: "staff",
    agencyId: other.agency._id,
    action: "request.note",
    targetType: "request",
    targetId: "foreign",
  });
});
after(async () => {
  await server.close();
});

describe("audit API", () => {
  it("pages newest first with a cursor, only the caller's agencies", async () => {
    const first = ok<Page<AuditEventDto>>(
      await staff.admin.get("/api/audit?from=2025-03-10&to=2025-03-11&limit=10"),
    );
    assert.equal(first.items.length, 10);
    assert.equal(first.items[0]?.targetId, "t24");
    assert.ok(first.nextCursor);
    const seen = [...first.items];
    let cursor: string | null = first.nextCursor;
    while (cursor) {
      const page: Page<AuditEventDto> = ok<Page<AuditEventDto>>(
        await staff.admin.get(`/api/audit?from=2025-03-10&to=2025-03-11&limit=10&cursor=${cursor}`),
      );
      seen.push(...page.items);
      cursor = page.nextCursor;
    }
    assert.equal(seen.length, 25);
    assert.equal(new Set(seen.map((e) => e.id)).size, 25);
    assert.ok(seen.every((e) => e.agencyName === staff.agency.name));
    const all = ok<Page<AuditEventDto>>(await staff.admin.get("/api/audit?limit=100"));
    assert.ok(!all.items.some((e) => e.targetId === "foreign"));
  });

  it("filters by action, target type and day (Asia/Shanghai)", async () => {
    const notes = ok<Page<AuditEventDto>>(await staff.admin.get("/api/audit?action=request.note&limit=100"));
    assert.equal(notes.items.length, 13);
    const reports = ok<Page<AuditEventDto>>(await staff.admin.get("/api/audit?targetType=report&limit=100"));
    assert.equal(reports.items.length, 12);
    // 2025-03-10T02:00Z is 10:00 in Beijing; hours 14..24 fall on 11 March Beijing time.
    const day = ok<Page<AuditEventDto>>(
      await staff.admin.get("/api/audit?from=2025-03-11&to=2025-03-11&limit=100"),
    );
    assert.equal(day.items.length, 11);
  });

  it("lets the parent's supervisor read the subtree and refuses everyone else", async () => {
    const sup = ok<Page<AuditEventDto>>(
      await staff.supervisor.get(`/api/audit?agencyId=${String(staff.agency._id)}&limit=5`),
    );
    assert.equal(sup.items.length, 5);
    fails(await other.admin.get(`/api/audit?agencyId=${String(staff.agency._id)}`), 403);
    fails(await staff.handler.get("/api/audit"), 403);
    const bad = fails(await staff.admin.get("/api/audit?from=2025-13-01&cursor=abc"), 400);
    assert.deepEqual(bad.details?.fields?.map((f) => f.path).sort(), ["cursor", "from"]);
    fails(await staff.admin.get("/api/audit?$where=1"), 400);
  });
});
