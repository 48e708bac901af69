import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { UserDto, UserListDto, UserWithPasswordDto } from "@govinfo/shared/schemas/user";
import { resetRateLimits } from "../../../server/middlewares/rateLimit.ts";
import { AuditEvent } from "../../../server/models/AuditEvent.ts";
import { Session } from "../../../server/models/Session.ts";
import { User } from "../../../server/models/User.ts";
import { loginStaff } from "../../support/clients.ts";
import { startTestServer, type TestServer } from "../../support/testServer.ts";
import { fails, ok, type StaffedAgency, staffedAgency } from "./requests.support.ts";

let server: TestServer;
let staff: StaffedAgency;
let other: StaffedAgency;

before(async () => {
  server = await startTestServer();
  staff = await staffedAgency(server);
  other = await staffedAgency(server);
});
after(async () => {
  await server.close();
});

const agencyId = () => String(staff.agency._id);

async function create(username: string, roles = ["handler"]): Promise<UserWithPasswordDto> {
  return ok<UserWithPasswordDto>(
    await staff.admin.post("/api/users", {
      username,
      displayName: "新同事",
      roles: roles.map((role) => ({ agencyId: agencyId(), role })),
    }),
    201,
  );
}

describe("users API: listing and scope", () => {
  it("lets the agency admin list its staff and the parent's supervisor the whole subtree", async () => {
    const list = ok<UserListDto>(await staff.admin.get("/api/users"));
    assert.ok(list.items.some((u) => u.id === staff.ids.handler));
    assert.ok(!list.items.some((u) => u.id === other.ids.handler), "no other agency's staff");
    assert.deepEqual(
      list.grantableAgencies.map((a) => a.id),
      [agencyId()],
    );
    const sup = ok<UserListDto>(await staff.supervisor.get(`/api/users?agencyId=${agencyId()}`));
    assert.ok(sup.items.some((u) => u.id === staff.ids.admin));
    assert.ok(ok<UserListDto>(await staff.supervisor.get("/api/users")).grantableAgencies.length >= 2);
  });

  it("refuses other agencies and roles without management rights", async () => {
    fails(await other.admin.get(`/api/users?agencyId=${agencyId()}`), 403);
    fails(await staff.handler.get("/api/users"), 403);
    fails(await other.admin.put(`/api/users/${staff.ids.handler}/roles`, { roles: [] }), 404);
    fails(await other.admin.post(`/api/users/${staff.ids.handler}/disable`), 404);
    const foreign = fails(
      await other.admin.post("/api/users", {
        username: "intruder",
        displayName: "越权",
        roles: [{ agencyId: agencyId(), role: "admin" }],
      }),
      403,
    );
    assert.match(foreign.message, /管理范围以外/);
    // An admin of the agency cannot grant a role at the parent government either.
    fails(
      await staff.admin.put(`/api/users/${staff.ids.handler}/roles`, {
        roles: [{ agencyId: String(staff.parent._id), role: "admin" }],
      }),
      403,
    );
  });

  it("validates with Chinese field messages and refuses $ operators", async () => {
    const bad = fails(
      await staff.admin.post("/api/users", { username: "a b", displayName: "", roles: [] }),
      400,
    );
    const paths = bad.details?.fields?.map((f) => f.path) ?? [];
    assert.deepEqual(paths.sort(), ["displayName", "roles", "username"]);
    for (const field of bad.details?.fields ?? []) assert.match(field.message, /[\u4e00-\u9fff]/);
    const injected = fails(
      await staff.admin.post("/api/users", { username: { $gt: "" }, displayName: "x", roles: [] }),
      400,
    );
    assert.match(injected.message, /\$ 开头/);
    fails(await staff.admin.get("/api/users?$where=1"), 400);
  });
});

describe("users API: one-time passwords, roles, disabling", () => {
  it("creates a user whose one-time password logs in and must be changed first", async () => {
    const created = await create("newcomer1", ["handler", "registrar"]);
    assert.equal(created.user.mustChangePassword, true);
    assert.match(created.oneTimePassword, /^[A-Za-z2-9]{14}$/);
    assert.deepEqual(created.user.roles.map((r) => r.role).sort(), ["handler", "registrar"]);
    fails(
      await staff.admin.post("/api/users", {
        username: "newcomer1",
        displayName: "重名",
        roles: [{ agencyId: agencyId(), role: "handler" }],
      }),
      409,
    );

    const login = await server.request("/api/auth/staff/login", {
      method: "POST",
      json: { username: "newcomer1", password: created.oneTimePassword },
    });
    assert.equal((login.body as { data: { mustChangePassword: boolean } }).data.mustChangePassword, true);
    const client = await loginStaff(server, "newcomer1", created.oneTimePassword);
    const blocked = fails(await client.get("/api/requests"), 403);
    assert.equal(blocked.details?.reason, "auth.must_change_password");
    // Routes open to staff and applicants alike are closed too; only "who am I" stays open.
    const detail = fails(await client.get("/api/requests/0123456789abcdef01234567"), 403);
    assert.equal(detail.details?.reason, "auth.must_change_password");
    assert.equal((await client.get("/api/auth/me")).status, 200);
    const weak = fails(
      await client.post("/api/auth/password", {
        currentPassword: created.oneTimePassword,
        newPassword: "short",
      }),
      400,
    );
    assert.equal(weak.details?.fields?.[0]?.path, "newPassword");
    assert.match(weak.details?.fields?.[0]?.message ?? "", /至少 10 位/);
    fails(
      await client.post("/api/auth/password", {
        currentPassword: created.oneTimePassword,
        newPassword: "onlyletterslong",
      }),
      400,
    );
    const wrong = fails(
      await client.post("/api/auth/password", { currentPassword: "nope", newPassword: "NewPass12345" }),
      400,
    );
    assert.equal(wrong.details?.fields?.[0]?.message, "当前密码不正确");
    ok(
      await client.post("/api/auth/password", {
        currentPassword: created.oneTimePassword,
        newPassword: "NewPass12345",
      }),
    );
    ok(await client.get("/api/requests"));
    const me = ok<{ mustChangePassword: boolean }>(await client.get("/api/auth/me"));
    assert.equal(me.mustChangePassword, false);

    const audits = await AuditEvent.find({ targetId: created.user.id }).lean();
    assert.deepEqual(audits.map((a) => a.action).sort(), [
      "auth.login",
      "auth.login",
      "user.create",
      "user.password_change",
    ]);
    assert.equal(String(audits.find((a) => a.action === "user.create")?.agencyId), agencyId());
  });

  it("changes roles, keeps the last admin, and audits the change", async () => {
    const created = await create("newcomer2");
    const changed = ok<UserDto>(
      await staff.admin.put(`/api/users/${created.user.id}/roles`, {
        roles: [
          { agencyId: agencyId(), role: "reviewer" },
          { agencyId: agencyId(), role: "reviewer" },
        ],
      }),
    );
    assert.deepEqual(
      changed.roles.map((r) => r.role),
      ["reviewer"],
    );
    const event = await AuditEvent.findOne({ action: "user.roles", targetId: created.user.id }).lean();
    assert.deepEqual(event?.details, { username: "newcomer2", before: ["handler"], after: ["reviewer"] });

    const self = fails(
      await staff.admin.put(`/api/users/${staff.ids.admin}/roles`, {
        roles: [{ agencyId: agencyId(), role: "handler" }],
      }),
      409,
    );
    assert.equal(self.details?.reason, "user.last_admin");
    assert.match(self.message, /唯一的机关管理员/);
    fails(await staff.admin.post(`/api/users/${staff.ids.admin}/disable`), 409);
  });

  it("disabling ends the user's sessions; enabling and resetting the password let them back in", async () => {
    resetRateLimits();
    const created = await create("newcomer3");
    const client = await loginStaff(server, "newcomer3", created.oneTimePassword);
    ok(
      await client.post("/api/auth/password", {
        currentPassword: created.oneTimePassword,
        newPassword: "Another12345",
      }),
    );
    ok(await client.get("/api/requests"));

    const disabled = ok<UserDto>(await staff.admin.post(`/api/users/${created.user.id}/disable`));
    assert.equal(disabled.disabled, true);
    assert.equal(await Session.countDocuments({ userId: created.user.id }), 0);
    fails(await client.get("/api/requests"), 401);
    await assert.rejects(loginStaff(server, "newcomer3", "Another12345"), /401/);

    ok(await staff.admin.post(`/api/users/${created.user.id}/enable`));
    const again = await loginStaff(server, "newcomer3", "Another12345");
    const reset = ok<UserWithPasswordDto>(
      await staff.admin.post(`/api/users/${created.user.id}/reset-password`),
    );
    assert.notEqual(reset.oneTimePassword, created.oneTimePassword);
    fails(await again.get("/api/requests"), 401);
    const fresh = await loginStaff(server, "newcomer3", reset.oneTimePassword);
    fails(await fresh.get("/api/requests"), 403);
    const actions = (await AuditEvent.find({ targetId: created.user.id }).lean()).map((a) => a.action);
    for (const action of ["user.disable", "user.enable", "user.password_reset"])
      assert.ok(actions.includes(action), action);
  });

  it("lets no one grant a power they do not hold", async () => {
    // The agency administrator promoting themselves to supervisor (then moving every deadline).
    const self = fails(
      await staff.admin.put(`/api/users/${staff.ids.admin}/roles`, {
        roles: [
          { agencyId: agencyId(), role: "admin" },
          { agencyId: agencyId(), role: "supervisor" },
        ],
      }),
      403,
    );
    assert.match(self.message, /上级机关的监督人员/);
    // Nor a colleague, nor a new user.
    fails(
      await staff.admin.put(`/api/users/${staff.ids.handler}/roles`, {
        roles: [{ agencyId: agencyId(), role: "supervisor" }],
      }),
      403,
    );
    fails(
      await staff.admin.post("/api/users", {
        username: "would.be.supervisor",
        displayName: "越权",
        roles: [{ agencyId: agencyId(), role: "supervisor" }],
      }),
      403,
    );
    // A grant is judged at its own agency: a role at the parent government is not X's to give.
    fails(
      await staff.admin.put(`/api/users/${staff.ids.handler}/roles`, {
        roles: [
          { agencyId: agencyId(), role: "handler" },
          { agencyId: String(staff.parent._id), role: "handler" },
        ],
      }),
      403,
    );
    const stored = await User.findById(staff.ids.admin, { roles: 1 }).lean();
    assert.deepEqual(
      stored?.roles.map((grant) => grant.role),
      ["admin"],
      "nothing was granted",
    );
    assert.equal(await User.exists({ username: "would.be.supervisor" }), null);
    // The supervisor of the parent government may make someone supervisor of X; X's administrator may
    // then still edit that user's other roles, but not take the supervision away.
    const promoted = await create("promoted.by.city");
    ok<UserDto>(
      await staff.supervisor.put(`/api/users/${promoted.user.id}/roles`, {
        roles: [
          { agencyId: agencyId(), role: "handler" },
          { agencyId: agencyId(), role: "supervisor" },
        ],
      }),
    );
    ok<UserDto>(
      await staff.admin.put(`/api/users/${promoted.user.id}/roles`, {
        roles: [
          { agencyId: agencyId(), role: "reviewer" },
          { agencyId: agencyId(), role: "supervisor" },
        ],
      }),
    );
    fails(
      await staff.admin.put(`/api/users/${promoted.user.id}/roles`, {
        roles: [{ agencyId: agencyId(), role: "reviewer" }],
      }),
      403,
    );
    // Nobody on the platform makes a supervisor of the root: that is the CLI's.
    fails(
      await staff.supervisor.put(`/api/users/${promoted.user.id}/roles`, {
        roles: [
          { agencyId: agencyId(), role: "reviewer" },
          { agencyId: agencyId(), role: "supervisor" },
          { agencyId: String(staff.parent._id), role: "supervisor" },
        ],
      }),
      403,
    );
  });
});
