import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { AuditEvent } from "../../../server/models/AuditEvent.ts";
import { Session } from "../../../server/models/Session.ts";
import { User } from "../../../server/models/User.ts";
import { buildAgency, buildStaff } from "../../factories/people.ts";
import { anonymousClient, loginApplicant, loginStaff } from "../../support/clients.ts";
import { startTestServer, type TestServer } from "../../support/testServer.ts";

let server: TestServer;
let fakeWechat: Server;
const codes = new Map([["good-code", "openid-abc"]]);

before(async () => {
  fakeWechat = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const openid = codes.get(url.searchParams.get("js_code") ?? "");
    const ok =
      url.pathname === "/sns/jscode2session" && url.searchParams.get("appid") === "wx-test" && openid;
    res.setHeader("Content-Type", "application/json");
    res.end(JSON.stringify(ok ? { openid, session_key: "k" } : { errcode: 40029, errmsg: "invalid code" }));
  });
  await new Promise<void>((resolve) => fakeWechat.listen(0, "127.0.0.1", resolve));
  const port = (fakeWechat.address() as AddressInfo).port;
  server = await startTestServer({
    wechat: { appId: "wx-test", secret: "s", apiBase: `http://127.0.0.1:${port}` },
  });
});

after(async () => {
  await server.close();
  await new Promise<void>((resolve) => fakeWechat.close(() => resolve()));
});

describe("staff login", () => {
  it("logs in, reports roles and CSRF token, and stores only a token hash", async () => {
    const agency = await buildAgency({ code: "HD-EEB", name: "海东市生态环境局" });
    const staff = await buildStaff([{ agency, role: "registrar" }]);
    const client = await loginStaff(server, staff.username, staff.password);
    const me = await client.get("/api/auth/me");
    assert.equal(me.status, 200);
    const data = (me.body as { data: { kind: string; roles: { agencyCode: string; role: string }[] } }).data;
    assert.equal(data.kind, "staff");
    assert.deepEqual(
      data.roles.map((r) => [r.agencyCode, r.role]),
      [["HD-EEB", "registrar"]],
    );
    const token = client.headers.Cookie?.split("=")[1] ?? "";
    assert.equal(await Session.countDocuments({ tokenHash: token }), 0, "the raw token is never stored");
    assert.equal(await AuditEvent.countDocuments({ action: "auth.login" }), 1);
  });

  it("refuses a write without the CSRF token", async () => {
    const agency = await buildAgency();
    const staff = await buildStaff([{ agency, role: "handler" }]);
    const client = await loginStaff(server, staff.username, staff.password);
    const withoutToken = await server.request("/api/auth/logout", {
      method: "POST",
      headers: { Cookie: client.headers.Cookie ?? "" },
      json: {},
    });
    assert.equal(withoutToken.status, 403);
    assert.match((withoutToken.body as { message: string }).message, /CSRF/);
    const withToken = await client.post("/api/auth/logout");
    assert.equal(withToken.status, 200);
    assert.equal((await client.get("/api/auth/me")).status, 401, "the session ended");
  });

  it("locks the account after five wrong passwords, telling only the right password", async () => {
    const agency = await buildAgency();
    const staff = await buildStaff([{ agency, role: "handler" }]);
    const anonymous = anonymousClient(server);
    for (let i = 1; i <= 5; i++) {
      const response = await anonymous.post("/api/auth/staff/login", {
        username: staff.username,
        password: "wrong",
      });
      assert.equal(response.status, 401);
      assert.equal((response.body as { message: string }).message, "用户名或密码错误");
    }
    const right = await anonymous.post("/api/auth/staff/login", {
      username: staff.username,
      password: staff.password,
    });
    assert.equal(right.status, 403, "even the right password is refused while locked");
    await User.updateOne({ _id: staff.id }, { $set: { lockedUntil: new Date(Date.now() - 1000) } });
    assert.equal(
      (await anonymous.post("/api/auth/staff/login", { username: staff.username, password: staff.password }))
        .status,
      200,
    );
  });

  it("answers an unknown user like a wrong password and validates the body in Chinese", async () => {
    const anonymous = anonymousClient(server);
    const unknown = await anonymous.post("/api/auth/staff/login", { username: "nobody", password: "x" });
    assert.equal(unknown.status, 401);
    assert.equal((unknown.body as { message: string }).message, "用户名或密码错误");
    const empty = await anonymous.post("/api/auth/staff/login", { username: "", password: "" });
    assert.equal(empty.status, 400);
    const fields = (empty.body as { details: { fields: { path: string; message: string }[] } }).details
      .fields;
    assert.deepEqual(fields.map((f) => f.path).sort(), ["password", "username"]);
    assert.ok(fields.every((f) => /[\u4e00-\u9fff]/.test(f.message)));
  });

  it("refuses operator injection in JSON bodies", async () => {
    const response = await anonymousClient(server).post("/api/auth/staff/login", {
      username: { $gt: "" },
      password: "x",
    });
    assert.equal(response.status, 400);
    assert.equal(
      (response.body as { details: { fields: { path: string }[] } }).details.fields[0]?.path,
      "username.$gt",
    );
  });
});

describe("applicant login", () => {
  it("logs in by phone and one-time code; the phone is stored encrypted", async () => {
    const client = await loginApplicant(server, "13812345678");
    const me = await client.get("/api/auth/me");
    const data = (me.body as { data: { kind: string; phoneMasked: string } }).data;
    assert.deepEqual([data.kind, data.phoneMasked], ["applicant", "138****5678"]);
    const raw = await server.db.connection.collection("applicants").findOne({});
    assert.ok(raw);
    assert.ok(!JSON.stringify(raw).includes("13812345678"), "no plain phone at rest");
  });

  it("refuses a wrong code and a bad phone number with field reasons", async () => {
    const anonymous = anonymousClient(server);
    assert.equal((await anonymous.post("/api/auth/otp/request", { phone: "13900001111" })).status, 200);
    const sent = /(\d{6})/.exec(server.sms.lastTo("13900001111") ?? "")?.[1] ?? "";
    const other = String((Number(sent) + 1) % 1_000_000).padStart(6, "0");
    const wrong = await anonymous.post("/api/auth/otp/verify", { phone: "13900001111", code: other });
    assert.equal(wrong.status, 400);
    assert.equal((wrong.body as { message: string }).message, "验证码错误");
    assert.equal(
      (await anonymous.post("/api/auth/otp/verify", { phone: "13900001111", code: sent })).status,
      200,
    );
    const badPhone = await anonymous.post("/api/auth/otp/request", { phone: "12345" });
    assert.equal(badPhone.status, 400);
    assert.match((badPhone.body as { message: string }).message, /手机号码/);
  });

  it("rate-limits code requests per phone", async () => {
    const anonymous = anonymousClient(server);
    assert.equal((await anonymous.post("/api/auth/otp/request", { phone: "13700000000" })).status, 200);
    const again = await anonymous.post("/api/auth/otp/request", { phone: "13700000000" });
    assert.equal(again.status, 429);
    assert.ok(Number(again.headers.get("retry-after")) >= 1);
  });

  it("logs in through WeChat code2Session and refuses a bad code", async () => {
    const anonymous = anonymousClient(server);
    const ok = await anonymous.post("/api/auth/wechat/login", { code: "good-code" });
    assert.equal(ok.status, 200);
    const token = (ok.body as { data: { token: string } }).data.token;
    const me = await server.request("/api/auth/me", { headers: { Authorization: `Bearer ${token}` } });
    assert.equal((me.body as { data: { kind: string } }).data.kind, "applicant");
    const again = await anonymous.post("/api/auth/wechat/login", { code: "good-code" });
    assert.equal(
      (again.body as { data: { me: { id: string } } }).data.me.id,
      (ok.body as { data: { me: { id: string } } }).data.me.id,
      "same openid, same account",
    );
    const bad = await anonymous.post("/api/auth/wechat/login", { code: "bad" });
    assert.equal(bad.status, 401);
  });

  it("records the subscribe-message templates the applicant accepted, one entry per consent", async () => {
    const anonymous = anonymousClient(server);
    const login = await anonymous.post("/api/auth/wechat/login", { code: "good-code" });
    const token = (login.body as { data: { token: string } }).data.token;
    const post = (body: unknown) =>
      server.request("/api/auth/wechat/subscriptions", {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
    const accepted = [
      { kind: "action", templateId: "TemplateAction_0123456789" },
      { kind: "result", templateId: "TemplateResult_0123456789" },
    ];
    const before = await server.db.connection.collection("applicants").findOne({ openid: "openid-abc" });
    const stored = await post({ accepted });
    assert.equal(stored.status, 200, JSON.stringify(stored.body));
    const account = await server.db.connection.collection("applicants").findOne({ openid: "openid-abc" });
    assert.deepEqual(account?.subscriptions, [
      ...(before?.subscriptions ?? []),
      "action:TemplateAction_0123456789",
      "result:TemplateResult_0123456789",
    ]);

    const badKind = await post({
      accepted: [{ kind: "everything", templateId: "TemplateAction_0123456789" }],
    });
    assert.equal(badKind.status, 400);
    assert.match((badKind.body as { message: string }).message, /通知类别不正确/);
    const badId = await post({ accepted: [{ kind: "action", templateId: "x" }] });
    assert.equal(badId.status, 400);
    assert.match((badId.body as { message: string }).message, /订阅消息模板 ID 格式不正确/);
    const after = await server.db.connection.collection("applicants").findOne({ openid: "openid-abc" });
    assert.deepEqual(after?.subscriptions, account?.subscriptions, "nothing written on bad input");
    assert.equal((await anonymous.post("/api/auth/wechat/subscriptions", { accepted })).status, 401);
  });
});

describe("docs", () => {
  it("serves an OpenAPI document listing the auth routes", async () => {
    const response = await server.request("/api/docs");
    assert.equal(response.status, 200);
    const paths = Object.keys((response.body as { paths: Record<string, unknown> }).paths);
    assert.ok(paths.includes("/api/auth/staff/login"));
  });

  it("shows a route's response schema inside the success envelope", async () => {
    const response = await server.request("/api/docs");
    type Operation = { responses: Record<string, { content?: Record<string, { schema: JsonSchema }> }> };
    type JsonSchema = { properties?: Record<string, JsonSchema>; required?: string[] };
    const doc = response.body as { paths: Record<string, Record<string, Operation>> };
    const ok = doc.paths["/api/requests/{id}"]?.get?.responses["200"]?.content?.["application/json"]?.schema;
    assert.deepEqual(ok?.required, ["ok", "data"]);
    const data = ok?.properties?.data;
    for (const field of ["serialNo", "state", "timeline", "clock", "abilities"])
      assert.ok(data?.properties?.[field], `the detail's schema lists ${field}`);
    // A file download declares no JSON body.
    const file = doc.paths["/api/catalogue/items/{id}/attachments/{attachmentId}"]?.get?.responses["200"];
    assert.equal(file?.content, undefined);
  });
});
