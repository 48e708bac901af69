/**
 * Logged-in HTTP clients for route tests: a staff client carries the session cookie and the CSRF
 * token, an applicant client carries its bearer token.
 */
import type { TestResponse } from "./http.ts";
import type { TestServer } from "./testServer.ts";

/** Sends requests as one logged-in user. */
export interface Client {
  get(path: string): Promise<TestResponse>;
  post(path: string, json?: unknown): Promise<TestResponse>;
  put(path: string, json?: unknown): Promise<TestResponse>;
  patch(path: string, json?: unknown): Promise<TestResponse>;
  delete(path: string): Promise<TestResponse>;
  /** Raw headers this client adds (cookie and CSRF token, or bearer token). */
  headers: Record<string, string>;
}

function clientWith(server: TestServer, headers: Record<string, string>): Client {
  const send = (method: string, path: string, json?: unknown) =>
    server.request(path, { method, headers, ...(json === undefined ? {} : { json }) });
  return {
    headers,
    get: (path) => send("GET", path),
    post: (path, json) => send("POST", path, json ?? {}),
    put: (path, json) => send("PUT", path, json ?? {}),
    patch: (path, json) => send("PATCH", path, json ?? {}),
    delete: (path) => send("DELETE", path),
  };
}

/** Logs a staff user in and returns a client; throws when the login fails. */
export async function loginStaff(server: TestServer, username: string, password: string): Promise<Client> {
  const response = await server.request("/api/auth/staff/login", {
    method: "POST",
    json: { username, password },
  });
  if (response.status !== 200)
    throw new Error(`staff login failed: ${response.status} ${JSON.stringify(response.body)}`);
  const cookie = (response.headers.getSetCookie?.() ?? []).map((line) => line.split(";")[0]).join("; ");
  const csrf = (response.body as { data: { csrfToken: string } }).data.csrfToken;
  return clientWith(server, { Cookie: cookie, "X-CSRF-Token": csrf });
}

/** Logs an applicant in by phone and one-time code; returns a client with the bearer token. */
export async function loginApplicant(server: TestServer, phone: string): Promise<Client> {
  const sent = await server.request("/api/auth/otp/request", { method: "POST", json: { phone } });
  if (sent.status !== 200) throw new Error(`otp request failed: ${sent.status} ${JSON.stringify(sent.body)}`);
  const code = /(\d{6})/.exec(server.sms.lastTo(phone) ?? "")?.[1];
  const verified = await server.request("/api/auth/otp/verify", { method: "POST", json: { phone, code } });
  if (verified.status !== 200)
    throw new Error(`otp verify failed: ${verified.status} ${JSON.stringify(verified.body)}`);
  const token = (verified.body as { data: { token: string } }).data.token;
  return clientWith(server, { Authorization: `Bearer ${token}` });
}

/** An anonymous client. */
export function anonymousClient(server: TestServer): Client {
  return clientWith(server, {});
}
