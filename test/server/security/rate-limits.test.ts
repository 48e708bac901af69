/**
 * Rate limits on the doors an attacker knocks on: staff login (per address, with the account lockout
 * behind it), one-time codes (per phone however it is written, per address) and their verification,
 * and online submissions (per citizen). Each limit answers 429 with `Retry-After` and a Chinese
 * message, and lets the caller in again once its window has passed (the clock is moved, not waited for).
 */
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it, type TestContext } from "node:test";
import { resetRateLimits } from "../../../server/middlewares/rateLimit.ts";
import type { AgencyDoc } from "../../../server/models/Agency.ts";
import { User } from "../../../server/models/User.ts";
import { buildAgency, buildStaff } from "../../factories/people.ts";
import { anonymousClient, type Client, loginApplicant } from "../../support/clients.ts";
import type { TestResponse } from "../../support/http.ts";
import { startTestServer, type TestServer } from "../../support/testServer.ts";
import { submission } from "../routes/requests.support.ts";

let server: TestServer;
let agency: AgencyDoc;
let anonymous: Client;

before(async () => {
  server = await startTestServer();
  agency = await buildAgency({ name: "限流测试局" });
  anonymous = anonymousClient(server);
});
after(async () => {
  await server.close();
});
beforeEach(() => {
  resetRateLimits();
});

/** Asserts a 429 with a sensible Retry-After and the Chinese message; returns the seconds to wait. */
function assertLimited(response: TestResponse, windowSeconds: number, what: string): number {
  assert.equal(response.status, 429, `${what}: ${JSON.stringify(response.body)}`);
  const body = response.body as { code: string; message: string };
  assert.equal(body.code, "rate_limited", what);
  assert.equal(body.message, "操作过于频繁，请稍后再试", what);
  const retryAfter = Number(response.headers.get("retry-after"));
  assert.ok(Number.isInteger(retryAfter), `${what}: Retry-After is whole seconds`);
  assert.ok(retryAfter >= 1 && retryAfter <= windowSeconds, `${what}: Retry-After ${retryAfter}`);
  return retryAfter;
}

/** Freezes `Date` for the server in this process, so a window can be passed by moving the clock. */
function freezeClock(t: TestContext): (seconds: number) => void {
  t.mock.timers.enable({ apis: ["Date"], now: Date.now() });
  return (seconds) => t.mock.timers.tick(seconds * 1000);
}

const login = (username: string, password: string) =>
  anonymous.post("/api/auth/staff/login", { username, password });

describe("staff login", () => {
  it("allows 20 attempts a minute from one address, then answers 429 until the minute is over", async (t) => {
    const advance = freezeClock(t);
    const staff = await buildStaff([{ agency, role: "handler" }]);
    for (let i = 0; i < 20; i++) {
      const response = await login(`nobody${i}`, "wrong-password-1");
      assert.equal(response.status, 401, `attempt ${i + 1}`);
    }
    const limited = await login(staff.username, staff.password);
    const wait = assertLimited(limited, 60, "21st login");
    assert.deepEqual(limited.headers.getSetCookie(), [], "no session for a refused attempt");
    advance(wait - 1);
    assertLimited(await login(staff.username, staff.password), 60, "a second before the window ends");
    advance(1);
    const passed = await login(staff.username, staff.password);
    assert.equal(passed.status, 200, JSON.stringify(passed.body));
  });

  it("still locks an account after 5 wrong passwords, whatever the rate limit says", async () => {
    const staff = await buildStaff([{ agency, role: "handler" }]);
    const unknown = await login(`nobody-${staff.username}`, "not-the-password-1");
    for (let i = 1; i <= 5; i++) {
      const wrong = await login(staff.username, "not-the-password-1");
      // The same answer as for an unknown user: no attempts-left count, nothing about the lock.
      assert.equal(wrong.status, 401, `wrong password ${i}`);
      assert.deepEqual(stripRequestId(wrong.body), stripRequestId(unknown.body), `wrong password ${i}`);
    }
    resetRateLimits();
    const right = await login(staff.username, staff.password);
    assert.equal(right.status, 403, "the right password does not open a locked account");
    assert.equal((right.body as { details: { reason: string } }).details.reason, "auth.locked");
    assert.match((right.body as { message: string }).message, /账户已锁定，请 15 分钟后再试/);
    const stored = await User.findById(staff.id).lean();
    assert.ok(stored?.lockedUntil && stored.lockedUntil.getTime() > Date.now(), "the lock is stored");
  });

  it("counts 15 parallel wrong passwords like 15 sequential ones and locks the account", async () => {
    const staff = await buildStaff([{ agency, role: "handler" }]);
    // Real parallel HTTP requests, each verifying the password before any failure is written back.
    const answers = await Promise.all(
      Array.from({ length: 15 }, () => login(staff.username, "not-the-password-1")),
    );
    assert.deepEqual(
      answers.map((answer) => answer.status),
      Array(15).fill(401),
    );
    const stored = await User.findById(staff.id).lean();
    assert.equal(stored?.failedLogins, 15, "every failure was counted");
    assert.ok(stored?.lockedUntil && stored.lockedUntil.getTime() > Date.now(), "the account is locked");
    resetRateLimits();
    const right = await login(staff.username, staff.password);
    assert.equal(right.status, 403, JSON.stringify(right.body));
    assert.equal((right.body as { details: { reason: string } }).details.reason, "auth.locked");
  });

  it("answers a wrong password for a known and an unknown user alike", async () => {
    const staff = await buildStaff([{ agency, role: "handler" }]);
    const known = await login(staff.username, "not-the-password-1");
    const unknown = await login(`no-such-${staff.username}`, "not-the-password-1");
    assert.equal(known.status, 401);
    assert.equal(unknown.status, 401);
    assert.deepEqual(stripRequestId(known.body), stripRequestId(unknown.body));
    assert.deepEqual(stripRequestId(known.body), {
      ok: false,
      code: "unauthorized",
      message: "用户名或密码错误",
      details: { reason: "auth.bad_credentials" },
    });
  });
});

/** A body without its per-request id, for comparing two answers. */
function stripRequestId(body: unknown): unknown {
  const { requestId: _requestId, ...rest } = body as Record<string, unknown>;
  return rest;
}

describe("one-time codes", () => {
  const requestCode = (phone: string) => anonymous.post("/api/auth/otp/request", { phone });
  const sentTo = (phone: string) => server.sms.sent.filter((message) => message.phone === phone).length;

  it("sends one code per phone a minute, however the number is written", async (t) => {
    const advance = freezeClock(t);
    const phone = "13900000201";
    assert.equal((await requestCode(phone)).status, 200);
    for (const spelling of [phone, "139 0000 0201", "+86 13900000201", "139-0000-0201", "8613900000201"]) {
      assertLimited(await requestCode(spelling), 60, `again as "${spelling}"`);
    }
    assert.equal(sentTo(phone), 1, "one text message reached the phone");
    assert.equal((await requestCode("13900000202")).status, 200, "another phone is not affected");
    advance(60);
    assert.equal((await requestCode("139 0000 0201")).status, 200, "a minute later");
    assert.equal(sentTo(phone), 2);
  });

  it("sends at most 10 codes to one phone a day", async (t) => {
    const advance = freezeClock(t);
    const phone = "13900000251";
    for (let i = 0; i < 10; i++) {
      assert.equal((await requestCode(phone)).status, 200, `code ${i + 1}`);
      advance(61);
    }
    const wait = assertLimited(await requestCode(phone), 24 * 3600, "11th code of the day");
    assert.ok(wait > 23 * 3600, `Retry-After ${wait} reaches into tomorrow`);
    assert.equal(sentTo(phone), 10);
    advance(wait);
    assert.equal((await requestCode(phone)).status, 200, "the next day");
  });

  it("sends at most 10 codes per address in ten minutes", async (t) => {
    const advance = freezeClock(t);
    for (let i = 0; i < 10; i++)
      assert.equal((await requestCode(`1390000030${i}`)).status, 200, `code ${i + 1}`);
    const wait = assertLimited(await requestCode("13900000310"), 600, "11th code");
    assert.equal(sentTo("13900000310"), 0, "no text message for a refused request");
    advance(wait);
    assert.equal((await requestCode("13900000310")).status, 200, "after the window");
  });

  it("checks at most 20 codes per address in ten minutes", async (t) => {
    const advance = freezeClock(t);
    for (let i = 0; i < 20; i++) {
      const response = await anonymous.post("/api/auth/otp/verify", { phone: "13900000401", code: "000000" });
      assert.equal(response.status, 400, `check ${i + 1}: ${JSON.stringify(response.body)}`);
    }
    const wait = assertLimited(
      await anonymous.post("/api/auth/otp/verify", { phone: "13900000402", code: "123456" }),
      600,
      "21st check",
    );
    advance(wait);
    const phone = "13900000403";
    assert.equal((await requestCode(phone)).status, 200);
    const code = /(\d{6})/.exec(server.sms.lastTo(phone) ?? "")?.[1];
    const verified = await anonymous.post("/api/auth/otp/verify", { phone, code });
    assert.equal(verified.status, 200, JSON.stringify(verified.body));
  });
});

describe("online submissions", () => {
  it("accepts 20 applications an hour from one citizen; others are not affected", async (t) => {
    const citizen = await loginApplicant(server, "13900000501");
    const other = await loginApplicant(server, "13900000502");
    const advance = freezeClock(t);
    for (let i = 0; i < 20; i++) {
      const response = await citizen.post("/api/requests", submission(agency));
      assert.equal(response.status, 201, `application ${i + 1}: ${JSON.stringify(response.body)}`);
    }
    const wait = assertLimited(
      await citizen.post("/api/requests", submission(agency)),
      3600,
      "21st application",
    );
    assert.equal((await other.post("/api/requests", submission(agency))).status, 201, "another citizen");
    const mine = (await citizen.get("/api/requests/mine?limit=100")).body as { data: { items: unknown[] } };
    assert.equal(mine.data.items.length, 20, "the refused application was not stored");
    advance(wait);
    assert.equal((await citizen.post("/api/requests", submission(agency))).status, 201, "an hour later");
  });
});
