/**
 * The admin's access flags come from the roles /auth/me returns, per chosen agency.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { accessOf, agenciesOf } from "../../../../client/admin/src/access.ts";
import { buildHash, parseHash } from "../../../../client/admin/src/hashRoute.ts";

const grant = (agencyId: string, role: "registrar" | "handler" | "reviewer" | "admin" | "supervisor") => ({
  agencyId,
  agencyCode: agencyId.toUpperCase(),
  agencyName: `机关${agencyId}`,
  role,
});

test("roles are grouped by agency in the server's order", () => {
  const agencies = agenciesOf({
    roles: [grant("a", "registrar"), grant("b", "admin"), grant("a", "handler")],
  });
  assert.deepEqual(
    agencies.map((a) => [a.agencyId, a.roles]),
    [
      ["a", ["registrar", "handler"]],
      ["b", ["admin"]],
    ],
  );
});

test("flags follow the roles held in the chosen agency", () => {
  const me = { roles: [grant("a", "registrar"), grant("b", "admin")] };
  const inA = accessOf(me, "a");
  assert.equal(inA.current?.agencyId, "a");
  assert.equal(inA.canRegister, true);
  assert.equal(inA.canPublishReports, false);
  assert.equal(inA.canReadReports, false);
  const inB = accessOf(me, "b");
  assert.equal(inB.canRegister, false);
  assert.equal(inB.canPublishReports, true);
  assert.equal(inB.canImportLedger, true);
});

test("an unknown agency falls back to the first one; no roles means nothing", () => {
  assert.equal(accessOf({ roles: [grant("a", "handler")] }, "zzz").current?.agencyId, "a");
  const none = accessOf({ roles: [] });
  assert.equal(none.current, null);
  assert.equal(none.canSeeRequests, false);
});

test("supervisors read reports and the summary but do not write them", () => {
  const access = accessOf({ roles: [grant("a", "supervisor")] });
  assert.equal(access.canReadReports, true);
  assert.equal(access.canReadSummary, true);
  assert.equal(access.canWriteReports, false);
  assert.equal(access.canEditCalendar, false, "only a supervisor of the root agency changes the calendar");
  assert.equal(
    accessOf({ roles: [grant("a", "supervisor")], canEditDeploymentSettings: true }).canEditCalendar,
    true,
  );
  assert.equal(
    accessOf({ roles: [grant("a", "admin")] }).canEditCalendar,
    false,
    "the calendar moves every agency's deadlines",
  );
});

test("hash routes round-trip with their query", () => {
  const hash = buildHash("/requests", { state: "received", q: "", dueWithin: 3 });
  assert.equal(hash, "#/requests?state=received&dueWithin=3");
  assert.deepEqual(parseHash(hash), {
    path: "/requests",
    segments: ["requests"],
    query: { state: "received", dueWithin: "3" },
  });
  assert.deepEqual(parseHash("").segments, []);
});
