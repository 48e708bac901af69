/**
 * The world the hostile-input tests (fuzzing, injection, oversized bodies, uploads) aim at: a government
 * G with an agency X below it, a staff member holding every role at both (so every staff route lets
 * them past its role check), a second staff member of X to point user routes at, a citizen with an
 * application in X carrying an uploaded file and an issued letter, a published catalogue item with an
 * attachment, a review case, an annual-report draft and a calendar override — all created through the
 * API, so handlers reached with these ids get past their 404s. Not a test file itself (no `.test.ts`).
 */
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type StaffRole, staffRoles } from "@govinfo/shared/schemas/auth";
import fc from "fast-check";
import type { z } from "zod";
import { resetRateLimits } from "../../../server/middlewares/rateLimit.ts";
import type { AgencyDoc } from "../../../server/models/Agency.ts";
import { OutboxMessage } from "../../../server/models/OutboxMessage.ts";
import { StaffNotification } from "../../../server/models/StaffNotification.ts";
import type { Access, RegisteredRoute } from "../../../server/routes/define.ts";
import type { WechatSettings } from "../../../server/services/applicantLogin.ts";
import { buildAgency, buildStaff } from "../../factories/people.ts";
import { anonymousClient, type Client, loginApplicant, loginStaff } from "../../support/clients.ts";
import type { TestResponse } from "../../support/http.ts";
import type { TestServer } from "../../support/testServer.ts";
import { serverView, validInput } from "../../support/zodArbitrary.ts";
import { submission, today } from "../routes/requests.support.ts";

/** A minimal PDF: the magic bytes are what the upload check reads. */
export const PDF_BYTES = Buffer.from("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<<>>\n%%EOF\n");

/** Everything the tests aim at. */
export interface World {
  server: TestServer;
  government: AgencyDoc;
  agency: AgencyDoc;
  /** Every staff role at G and X. */
  staff: Client;
  citizen: Client;
  anonymous: Client;
  /** Ids of existing resources, by the path segment that names them (`requests`, `items`…). */
  ids: Record<string, string>;
  /** Values of other path parameters by name (`agencyCode`, `year`). */
  named: Record<string, string>;
  /** The year of the report draft. */
  reportYear: number;
}

/**
 * A stand-in for WeChat's code2Session that refuses every code, so the WeChat login route runs its
 * real path (and answers 401) instead of "not configured" (503).
 */
export async function startFakeWechat(): Promise<{ settings: WechatSettings; close(): Promise<void> }> {
  const fake = createServer((_req, res) => {
    res.setHeader("Content-Type", "application/json");
    res.end(JSON.stringify({ errcode: 40029, errmsg: "invalid code" }));
  });
  await new Promise<void>((resolve) => fake.listen(0, "127.0.0.1", resolve));
  return {
    settings: {
      appId: "wx-fuzz",
      secret: "s",
      apiBase: `http://127.0.0.1:${(fake.address() as AddressInfo).port}`,
    },
    close: () => new Promise<void>((resolve) => fake.close(() => resolve())),
  };
}

/** Creates the world through the factories and the API. */
export async function buildWorld(server: TestServer): Promise<World> {
  const government = await buildAgency({ level: "government", code: "HDGOV", name: "海东市人民政府" });
  const agency = await buildAgency({ parent: government, code: "HDSTHJJ", name: "海东市生态环境局" });
  const everyRole = (on: AgencyDoc) => staffRoles.map((role: StaffRole) => ({ agency: on, role }));
  const chief = await buildStaff([...everyRole(government), ...everyRole(agency)]);
  const colleague = await buildStaff([{ agency, role: "handler" }]);
  const staff = await loginStaff(server, chief.username, chief.password);
  const citizen = await loginApplicant(server, "13912345678");
  const reportYear = Number(today().slice(0, 4)) - 1;

  const request = created(await citizen.post("/api/requests", submission(agency)), 201);
  const upload = created(
    await uploadFile(
      server,
      staff,
      `/api/requests/${request.id}/files?kind=material`,
      "申请材料.pdf",
      PDF_BYTES,
    ),
    201,
  );
  const item = created(
    await staff.post("/api/catalogue/items", {
      agencyId: String(agency._id),
      title: "海东市扬尘污染防治管理办法",
      category: "policyDocument",
      docKind: "regulation",
      body: "第一条 为了防治扬尘污染，改善大气环境质量，制定本办法。",
      formedDate: "2019-03-01",
    }),
    201,
  );
  const attached = created<{ attachments: { id: string }[] }>(
    await uploadFile(
      server,
      staff,
      `/api/catalogue/items/${item.id}/attachments?name=${encodeURIComponent("附件.pdf")}`,
      "",
      PDF_BYTES,
    ),
    201,
  );
  created(await staff.post(`/api/catalogue/items/${item.id}/publish`, {}));
  const reviewCase = created(
    await staff.post("/api/review-cases", {
      agencyId: String(agency._id),
      caseNo: "海政复〔2025〕1号",
      kind: "reconsideration",
      filedDate: "2025-03-01",
    }),
    201,
  );
  created(await staff.post(`/api/reports/agencies/${agency._id}/${reportYear}/draft`, {}));
  created(await staff.put("/api/calendar/overrides/2025-10-11", { kind: "workday", name: "国庆调休" }));
  const message = await OutboxMessage.findOne({}).lean();
  const notification = await StaffNotification.findOne({}).lean();
  resetRateLimits();
  return {
    server,
    government,
    agency,
    staff,
    citizen,
    anonymous: anonymousClient(server),
    reportYear,
    ids: {
      requests: request.id,
      documents: upload.id,
      files: upload.id,
      items: item.id,
      attachments: attached.attachments[0]?.id ?? "",
      "review-cases": reviewCase.id,
      users: String(colleague.id),
      agencies: String(agency._id),
      ...(message ? { messages: String(message._id) } : {}),
      ...(notification ? { notifications: String(notification._id) } : {}),
    },
    named: { agencyId: String(agency._id), agencyCode: agency.code, year: String(reportYear) },
  };
}

/** The client that may call a route: staff for staff routes (and shared ones), the citizen, or nobody. */
export function callerFor(world: World, access: Access): Client {
  switch (access.kind) {
    case "public":
      return world.anonymous;
    case "applicant":
      return world.citizen;
    default:
      return world.staff;
  }
}

/**
 * Path parameters that pass the route's schema, preferring existing resources: the id named by the
 * segment before the parameter (`/requests/:id` → the request), then a value by parameter name, then a
 * value drawn from the schema. A route added later is covered without listing it here.
 */
export function realParams(world: World, route: RegisteredRoute): Record<string, string> {
  const names = [...route.fullPath.matchAll(/:(\w+)/g)].map((match) => match[1] as string);
  const segments = route.fullPath.split("/");
  const chosen: Record<string, string> = {};
  for (const name of names) {
    const before = segments[segments.indexOf(`:${name}`) - 1] ?? "";
    const value = world.ids[before] ?? world.named[name];
    if (value !== undefined) chosen[name] = value;
  }
  const schema = route.params;
  if (!schema || schema.safeParse(chosen).success) return chosen;
  const drawn = drawValid(schema);
  const merged = { ...drawn, ...chosen };
  if (schema.safeParse(merged).success) return merged;
  return drawn;
}

/** The route's path with `params` substituted (percent-encoded). */
export function pathOf(route: RegisteredRoute, params: Record<string, unknown>): string {
  return route.fullPath.replace(/:(\w+)/g, (_, name: string) =>
    encodeURIComponent(String(params[name] ?? "")),
  );
}

/** A value the schema accepts as the server sees a query or path, drawn with a fixed seed. */
export function drawValid(schema: z.ZodType): Record<string, string> {
  const candidates = fc.sample(validInput(schema, "query"), { seed: 1, numRuns: 500 });
  const found = candidates.find((candidate) => schema.safeParse(serverView(candidate, "query")).success);
  assert.ok(found, "the schema has a value the generator can draw");
  return found as Record<string, string>;
}

/**
 * Sends a raw body as `client`.
 * @param contentType the declared type; omitted, no Content-Type is sent.
 */
export function sendRaw(
  world: World,
  client: Client,
  method: string,
  path: string,
  body: string | Buffer | undefined,
  contentType?: string,
  extra: Record<string, string> = {},
): Promise<TestResponse> {
  return world.server.request(path, {
    method,
    headers: {
      ...client.headers,
      ...(contentType === undefined ? {} : { "Content-Type": contentType }),
      ...extra,
    },
    ...(body === undefined ? {} : { body }),
  });
}

/** Uploads a file the way the admin does: raw body, URL-encoded name in X-Filename. */
export function uploadFile(
  server: TestServer,
  client: Client,
  path: string,
  filename: string,
  bytes: Buffer,
  contentType = "application/octet-stream",
): Promise<TestResponse> {
  return server.request(path, {
    method: "POST",
    headers: {
      ...client.headers,
      "Content-Type": contentType,
      ...(filename === "" ? {} : { "X-Filename": encodeURIComponent(filename) }),
    },
    body: bytes,
  });
}

/** The error envelope every refusal carries, with its Chinese message (and field details when invalid). */
export interface ErrorEnvelope {
  ok: false;
  code: string;
  message: string;
  requestId: string;
  details?: { fields?: { path: string; message: string }[]; [key: string]: unknown };
}

/** Whether a text has Chinese characters (every user-facing message does). */
export const hasChinese = (text: unknown): boolean =>
  typeof text === "string" && /[\u4e00-\u9fff]/.test(text);

/**
 * Asserts a refusal: one of `statuses`, the error envelope with a Chinese message, and for a
 * validation error the field-level details, each with a path and a Chinese message.
 */
export function assertRefused(
  response: TestResponse,
  statuses: readonly number[],
  context: string,
): ErrorEnvelope {
  const where = `${context} → ${response.status} ${JSON.stringify(response.body)?.slice(0, 300)}`;
  assert.ok(statuses.includes(response.status), `expected ${statuses.join("/")}: ${where}`);
  const body = response.body as ErrorEnvelope;
  assert.equal(body?.ok, false, where);
  assert.equal(typeof body.requestId, "string", where);
  assert.ok(hasChinese(body.message), `Chinese message: ${where}`);
  if (body.code === "validation_error") {
    const fields = body.details?.fields;
    assert.ok(Array.isArray(fields) && fields.length > 0, `field details: ${where}`);
    for (const field of fields) {
      assert.equal(typeof field.path, "string", where);
      assert.ok(hasChinese(field.message), `Chinese field message: ${where}`);
    }
  }
  return body;
}

function created<T = { id: string }>(response: TestResponse, status = 200): T {
  assert.equal(response.status, status, JSON.stringify(response.body));
  return (response.body as { data: T }).data;
}
