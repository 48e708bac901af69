/**
 * Behind a proxy (TRUST_PROXY=on) the client's address is the one the proxy appended, the last entry
 * of X-Forwarded-For: entries a client writes into the header itself must not buy it a fresh rate
 * limit window.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { resetRateLimits } from "../../../server/middlewares/rateLimit.ts";
import { startTestServer, type TestServer } from "../../support/testServer.ts";

let server: TestServer;

before(async () => {
  server = await startTestServer({ trustProxy: true });
});
after(async () => {
  await server.close();
});

/** A failed staff login as seen by the app behind the proxy, with the given forwarded chain. */
function loginThrough(forwardedFor: string) {
  return server.request("/api/auth/staff/login", {
    method: "POST",
    headers: { "X-Forwarded-For": forwardedFor },
    json: { username: "nobody", password: "wrong-password" },
  });
}

describe("client address behind a proxy", () => {
  it("counts a client by the address the proxy saw, whatever it forges before it", async () => {
    resetRateLimits();
    const statuses: number[] = [];
    // 20 staff logins a minute per address; each forged first entry is new.
    for (let i = 0; i < 21; i++) statuses.push((await loginThrough(`10.0.${i}.1, 203.0.113.9`)).status);
    assert.deepEqual(statuses.slice(0, 20), Array(20).fill(401));
    assert.equal(statuses[20], 429, "the 21st attempt from 203.0.113.9 is refused");
    // Another real client behind the same proxy is unaffected.
    assert.equal((await loginThrough("203.0.113.10")).status, 401);
  });
});
