/**
 * The real server as its own process for the workload benchmarks, on a prepared data directory, and
 * the staff sessions the workload acts with (logged in over HTTP as staff would, through the
 * first-login password change that demo accounts require).
 */

import type { DemoLogin } from "../../server/demo/staff.ts";
import { freePort } from "../../test/support/ports.ts";
import type { HttpClient } from "./httpClient.ts";
import { type NodeProcess, spawnNode, waitForOk } from "./process.ts";

/** A started server. */
export interface AppServer {
  proc: NodeProcess;
  baseUrl: string;
  /** Milliseconds from spawn to the first 200 from /api/health. */
  readyMs: number;
}

/**
 * Starts `server/main.ts` on `dataDir` with demo seeding off (the directory is already seeded).
 * @param dataDir the prepared directory.
 * @param dataKeyHex the key its personal data was sealed with.
 */
export async function startAppServer(dataDir: string, dataKeyHex: string): Promise<AppServer> {
  const port = await freePort();
  const started = performance.now();
  const proc = spawnNode("server/main.ts", {
    PORT: String(port),
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    DATA_KEY: dataKeyHex,
    DEMO_DATA: "off",
    LOG_LEVEL: "info",
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const readyAt = await waitForOk(`${baseUrl}/api/health`, proc, { timeoutMs: 120_000, intervalMs: 50 });
  return { proc, baseUrl, readyMs: readyAt - started };
}

/**
 * Logs a demo staff member in and replaces the one-time password; returns the headers of the session
 * (cookie and CSRF token), which stays open after the change.
 * @param client a client for the server.
 * @param login the demo login with its one-time password.
 */
export async function loginDemoStaff(client: HttpClient, login: DemoLogin): Promise<Record<string, string>> {
  const response = await client.send("/api/auth/staff/login", {
    method: "POST",
    json: { username: login.username, password: login.password },
  });
  if (response.status !== 200)
    throw new Error(`staff login ${login.username}: ${response.status} ${response.text}`);
  const setCookie = response.headers["set-cookie"] ?? [];
  const cookie = (Array.isArray(setCookie) ? setCookie : [setCookie]).map((c) => c.split(";")[0]).join("; ");
  const body = JSON.parse(response.text) as { data: { csrfToken: string; mustChangePassword: boolean } };
  const headers = { Cookie: cookie, "X-CSRF-Token": body.data.csrfToken };
  if (body.data.mustChangePassword) {
    const changed = await client.send("/api/auth/password", {
      method: "POST",
      headers,
      json: { currentPassword: login.password, newPassword: `Bench${Date.now()}x1` },
    });
    if (changed.status !== 200)
      throw new Error(`password change ${login.username}: ${changed.status} ${changed.text}`);
  }
  return headers;
}
