/**
 * Helpers shared by the requests route tests: a staffed agency, valid bodies, and one-line calls
 * that unwrap the envelope. Not a test file itself (no `.test.ts`), so the runner skips it.
 */
import assert from "node:assert/strict";
import type { StaffRole } from "@govinfo/shared/schemas/auth";
import type { RequestDetailDto } from "@govinfo/shared/schemas/requestDto";
import type { AgencyDoc } from "../../../server/models/Agency.ts";
import { dateInChina } from "../../../server/services/calendar.ts";
import { buildAgency, buildStaff } from "../../factories/people.ts";
import { type Client, loginStaff } from "../../support/clients.ts";
import type { TestResponse } from "../../support/http.ts";
import type { TestServer } from "../../support/testServer.ts";

/** Today in Asia/Shanghai, as the server sees it. */
export const today = (): string => dateInChina();

/** An agency under a parent government, with one logged-in client per role. */
export interface StaffedAgency {
  parent: AgencyDoc;
  agency: AgencyDoc;
  registrar: Client;
  handler: Client;
  reviewer: Client;
  admin: Client;
  /** Supervisor of the parent government (covers the agency through the subtree). */
  supervisor: Client;
  ids: Record<"registrar" | "handler" | "reviewer" | "admin", string>;
}

/** Creates a parent government, an agency below it, and staff for every role. */
export async function staffedAgency(server: TestServer): Promise<StaffedAgency> {
  const parent = await buildAgency({ level: "government" });
  const agency = await buildAgency({ parent });
  const login = async (role: StaffRole, on: AgencyDoc = agency) => {
    const staff = await buildStaff([{ agency: on, role }]);
    return { client: await loginStaff(server, staff.username, staff.password), id: String(staff.id) };
  };
  const [registrar, handler, reviewer, admin, supervisor] = await Promise.all([
    login("registrar"),
    login("handler"),
    login("reviewer"),
    login("admin"),
    login("supervisor", parent),
  ]);
  return {
    parent,
    agency,
    registrar: registrar.client,
    handler: handler.client,
    reviewer: reviewer.client,
    admin: admin.client,
    supervisor: supervisor.client,
    ids: { registrar: registrar.id, handler: handler.id, reviewer: reviewer.id, admin: admin.id },
  };
}

/** The personal data every test application carries (to check it never leaks unmasked). */
export const secrets = { idNumber: "11010519491231002X", phone: "13812345678", address: "碾伯镇1号" };

/** A valid online submission body for `agency`. */
export function submission(agency: AgencyDoc, overrides: Record<string, unknown> = {}) {
  return {
    agencyId: String(agency._id),
    applicant: {
      type: "natural",
      name: "李四",
      idType: "idCard",
      idNumber: secrets.idNumber,
      phone: secrets.phone,
      address: `青海省海东市乐都区${secrets.address}`,
      email: "lisi@example.com",
    },
    description: "2024年乐都区空气质量监测月报",
    infoForm: "electronic",
    delivery: "email",
    ...overrides,
  };
}

/** A valid registration body (in person on `receiptDate`). */
export function registration(
  agency: AgencyDoc,
  receiptDate: string,
  overrides: Record<string, unknown> = {},
) {
  return { ...submission(agency), channel: "inPerson", receiptDate, ...overrides };
}

/** Asserts the status and returns `data` of a success envelope. */
export function ok<T>(response: TestResponse, status = 200): T {
  assert.equal(response.status, status, JSON.stringify(response.body));
  return (response.body as { data: T }).data;
}

/** The error envelope of a failed response, after checking its status. */
export function fails(
  response: TestResponse,
  status: number,
): {
  code: string;
  message: string;
  details?: { reason?: string; fields?: { path: string; message: string }[] };
} {
  assert.equal(response.status, status, JSON.stringify(response.body));
  return response.body as {
    code: string;
    message: string;
    details?: { reason?: string; fields?: { path: string; message: string }[] };
  };
}

/** Reads a request's detail as `client`. */
export async function detail(client: Client, id: string): Promise<RequestDetailDto> {
  return ok<RequestDetailDto>(await client.get(`/api/requests/${id}`));
}

/** Fires an event as `client` with the current version; returns the raw response. */
export async function fire(
  client: Client,
  id: string,
  event: Record<string, unknown>,
): Promise<TestResponse> {
  const { version } = await detail(client, id);
  return client.post(`/api/requests/${id}/events`, { event, expectedVersion: version });
}

/** Fires an event and expects it to succeed; returns the updated detail. */
export async function fireOk(
  client: Client,
  id: string,
  event: Record<string, unknown>,
): Promise<RequestDetailDto> {
  return ok<{ request: RequestDetailDto }>(await fire(client, id, event)).request;
}

/** Registers an application through the API as the registrar; returns its detail. */
export async function register(
  staff: StaffedAgency,
  receiptDate: string,
  overrides: Record<string, unknown> = {},
): Promise<RequestDetailDto> {
  return ok<RequestDetailDto>(
    await staff.registrar.post("/api/requests/register", registration(staff.agency, receiptDate, overrides)),
    201,
  );
}
