/**
 * Secrets and personal data never reach the log. A realistic day runs with the logger at `debug`
 * writing into a captured stream — staff log in (once with a wrong password), change their password,
 * a citizen asks for a one-time code and logs in with it, applies with an ID number, phone and address,
 * staff reveal the full applicant data, and things go wrong: bodies that are malformed, oversized or
 * invalid, a WeChat outage, and a 500 — then none of the secrets may appear anywhere in the log text.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { after, before, describe, it } from "node:test";
import { createPersonalDataCipher } from "../../../server/security/personalData.ts";
import { buildStaff } from "../../factories/people.ts";
import { buildRequest } from "../../factories/requests.ts";
import { anonymousClient } from "../../support/clients.ts";
import { startTestServer, type TestServer } from "../../support/testServer.ts";
import { ok, type StaffedAgency, secrets, staffedAgency, submission } from "../routes/requests.support.ts";

const lines: string[] = [];
const capture = new Writable({
  write(chunk, _encoding, done) {
    lines.push(String(chunk));
    done();
  },
});
const dataKey = randomBytes(32);
const wechatSecret = "wx-secret-4f9c2e7a1b";
/** Everything that must never be logged, by name (filled in as the day produces it). */
const mustNotLog = new Map<string, string>([
  ["data key (hex)", dataKey.toString("hex")],
  ["data key (base64)", dataKey.toString("base64")],
  ["data key (base64url)", dataKey.toString("base64url")],
  ["WeChat secret", wechatSecret],
  ["ID number", secrets.idNumber],
  ["phone", secrets.phone],
  ["address", secrets.address],
]);

let server: TestServer;
let staff: StaffedAgency;

before(async () => {
  server = await startTestServer({
    logLevel: "debug",
    logDestination: capture,
    dataKey,
    // Nothing listens there any more: every WeChat login meets an outage (connection refused).
    wechat: { appId: "wx-logs", secret: wechatSecret, apiBase: `http://127.0.0.1:${await closedPort()}` },
  });
  staff = await staffedAgency(server);
});
after(async () => {
  await server.close();
});

/** A loopback port that was free a moment ago and is closed now. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, "127.0.0.1", done));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((done) => probe.close(() => done()));
  return port;
}

const logText = () => lines.join("");
const entries = () =>
  lines.flatMap((line) =>
    line
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l)),
  );

describe("logs", () => {
  it("hold no password, code, token, key or personal data after a realistic day", async () => {
    const anonymous = anonymousClient(server);

    // Staff: a wrong password, a login, a failed and a successful password change.
    const firstPassword = "First-Secret-Pass-81";
    const user = await buildStaff([{ agency: staff.agency, role: "handler" }], { password: firstPassword });
    const wrongPassword = "Wrong-Secret-Pass-27";
    assert.equal(
      (await anonymous.post("/api/auth/staff/login", { username: user.username, password: wrongPassword }))
        .status,
      401,
    );
    const login = await anonymous.post("/api/auth/staff/login", {
      username: user.username,
      password: firstPassword,
    });
    assert.equal(login.status, 200);
    const cookie = (login.headers.getSetCookie()[0] ?? "").split(";")[0] ?? "";
    const sessionToken = cookie.split("=")[1] ?? "";
    const csrfToken = (login.body as { data: { csrfToken: string } }).data.csrfToken;
    assert.ok(sessionToken.length > 20 && csrfToken.length > 20);
    mustNotLog.set("staff password", firstPassword).set("wrong password", wrongPassword);
    mustNotLog.set("staff session token", sessionToken).set("CSRF token", csrfToken);
    const asHandler = (path: string, json: unknown) =>
      server.request(path, { method: "POST", headers: { Cookie: cookie, "X-CSRF-Token": csrfToken }, json });
    const newPassword = "Second-Secret-Pass-64";
    const guessed = "Guessed-Secret-Pass-39";
    mustNotLog.set("new password", newPassword).set("guessed current password", guessed);
    assert.equal(
      (await asHandler("/api/auth/password", { currentPassword: guessed, newPassword })).status,
      400,
    );
    assert.equal(
      (await asHandler("/api/auth/password", { currentPassword: firstPassword, newPassword })).status,
      200,
    );

    // A citizen: a one-time code, a wrong code, the right code.
    const phone = "13900000601";
    assert.equal((await anonymous.post("/api/auth/otp/request", { phone })).status, 200);
    const code = /(\d{6})/.exec(server.sms.lastTo(phone) ?? "")?.[1] ?? "";
    assert.match(code, /^\d{6}$/);
    const wrongCode = code === "654321" ? "123456" : "654321";
    assert.equal((await anonymous.post("/api/auth/otp/verify", { phone, code: wrongCode })).status, 400);
    const verified = await anonymous.post("/api/auth/otp/verify", { phone, code });
    assert.equal(verified.status, 200);
    const bearer = (verified.body as { data: { token: string } }).data.token;
    mustNotLog.set("citizen's phone", phone).set("citizen session token", bearer);
    const citizen = (path: string, init: RequestInit & { json?: unknown } = {}) =>
      server.request(path, {
        ...init,
        headers: { Authorization: `Bearer ${bearer}`, ...(init.headers ?? {}) },
      });

    // The application, then the same with a wrong ID number, a malformed body and an oversized one.
    const applied = await citizen("/api/requests", { method: "POST", json: submission(staff.agency) });
    const mine = ok<{ id: string }>(applied, 201);
    const badId = "110105194912310021";
    mustNotLog.set("rejected ID number", badId);
    const invalid = await citizen("/api/requests", {
      method: "POST",
      json: submission(staff.agency, {
        applicant: { ...submission(staff.agency).applicant, idNumber: badId },
      }),
    });
    assert.equal(invalid.status, 400);
    const malformed = await citizen("/api/requests", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: `{"applicant":{"idNumber":"${secrets.idNumber}","phone":"${secrets.phone}","address":"${secrets.address}"`,
    });
    assert.equal(malformed.status, 400);
    const oversized = await citizen("/api/requests", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        applicant: { idNumber: secrets.idNumber },
        description: secrets.address.repeat(400_000),
      }),
    });
    assert.equal(oversized.status, 413);

    // Staff reveal the applicant's full data (audited, never logged).
    const revealed = await staff.handler.post(`/api/requests/${mine.id}/reveal`);
    assert.equal(ok<{ idNumber: string }>(revealed).idNumber, secrets.idNumber);

    // A WeChat outage: the code and the app secret travel in the code2Session URL.
    const wechatCode = "wx-login-code-3d8b6f";
    mustNotLog.set("WeChat login code", wechatCode);
    assert.equal((await anonymous.post("/api/auth/wechat/login", { code: wechatCode })).status, 503);

    // A 500: an application sealed with another key cannot be decrypted.
    const foreign = await buildRequest(staff.agency, createPersonalDataCipher(randomBytes(32)));
    const broken = await staff.handler.post(`/api/requests/${String(foreign._id)}/reveal`);
    assert.equal(broken.status, 500);
    assert.doesNotMatch(
      JSON.stringify(broken.body),
      /Unsupported state|authenticate data|at /,
      "no stack sent",
    );

    // The day was logged (so the absence of secrets means something)...
    const logged = entries();
    const paths = new Set(logged.map((entry) => entry.path));
    for (const path of [
      "/api/auth/staff/login",
      "/api/auth/password",
      "/api/auth/otp/verify",
      "/api/requests",
    ])
      assert.ok(paths.has(path), `${path} was logged`);
    assert.ok(
      logged.some((entry) => entry.level === "debug"),
      "at debug level",
    );
    assert.ok(
      logged.some((entry) => entry.level === "error" && entry.msg === "unhandled error" && entry.err),
      "the 500 was logged with its error",
    );
    assert.ok(
      logged.some((entry) => entry.level === "error" && entry.status === 500),
      "and its request line",
    );
    assert.ok(
      logged.some((entry) => entry.level === "warn" && entry.err),
      "the WeChat outage was logged",
    );

    // ...and nothing secret is in it, in any spelling the log could hold.
    const text = logText();
    const found: string[] = [];
    for (const [what, value] of mustNotLog) if (text.includes(value)) found.push(what);
    // A six-digit code could appear inside a number or an id by chance; only a standalone one counts.
    if (new RegExp(`(?<![0-9A-Za-z.])${code}(?![0-9A-Za-z])`).test(text)) found.push("one-time code");
    if (text.includes(encodeURIComponent(secrets.address))) found.push("address (URL-encoded)");
    assert.deepEqual(found, [], `leaked into the log: ${found.join(", ")}`);
  });
});
