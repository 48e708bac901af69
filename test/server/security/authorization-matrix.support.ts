/**
 * The world the authorization matrix probes: agency X below a root government G, an unrelated agency Y
 * (below another root, so its supervisor is not a supervisor of a root), two
 * citizens with their own applications in X, one logged-in client per staff role of X, a supervisor of
 * G (supervision covers X), a staff member holding every role at Y, and an administrator of X who still
 * has to replace a one-time password. Everything is created through the API or the factories, and
 * builders make fresh resources for the cells expected to succeed, so a permitted write never consumes
 * a fixture a later cell needs. Not a test file itself (no `.test.ts`).
 */
import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { StaffRole } from "@govinfo/shared/schemas/auth";
import mongoose from "mongoose";
import { resetRateLimits } from "../../../server/middlewares/rateLimit.ts";
import type { AgencyDoc } from "../../../server/models/Agency.ts";
import { DisclosureRequest } from "../../../server/models/DisclosureRequest.ts";
import { SatisfactionRating } from "../../../server/models/SatisfactionRating.ts";
import { StaffNotification } from "../../../server/models/StaffNotification.ts";
import { User } from "../../../server/models/User.ts";
import { buildAgency, buildStaff } from "../../factories/people.ts";
import { anonymousClient, type Client, loginApplicant, loginStaff } from "../../support/clients.ts";
import type { TestResponse } from "../../support/http.ts";
import { buildSecretPdf } from "../../support/redactionPdf.ts";
import { startTestServer, type TestServer } from "../../support/testServer.ts";
import { registration, submission, today } from "../routes/requests.support.ts";

/** The callers, in the column order of the expected table. */
export const roles = ["anon", "citA", "citB", "reg", "hdl", "rev", "adm", "sup", "Y", "pend"] as const;

/** One caller of the matrix. */
export type Role = (typeof roles)[number];

/** Callers that are staff members. */
export type StaffKey = Exclude<Role, "anon" | "citA" | "citB">;

/** A staff login (username and current password). */
export interface Login {
  id: string;
  username: string;
  password: string;
}

/** Everything the probes aim at. */
export interface World {
  server: TestServer;
  g: AgencyDoc;
  x: AgencyDoc;
  y: AgencyDoc;
  client: Record<Role, Client>;
  logins: Record<StaffKey, Login>;
  citizens: Record<"citA" | "citB", { id: string; phone: string }>;
  /** Citizen A's online application in X (received), with a letter for A and an internal file. */
  requestOfA: string;
  letterForA: string;
  internalFile: string;
  /** A real PDF on citizen A's application, kept on file, for the redaction routes. */
  redactable: string;
  /** An application registered on paper at X (received, no platform account). */
  registered: string;
  /** A staff reminder of X. */
  notification: string;
  /** Citizen A's in-app message about their application. */
  messageOfA: string;
  draftItem: string;
  publishedItem: string;
  attachment: string;
  reviewCase: string;
  /** A handler of X that the user-management probes act on. */
  spareUser: string;
  disabledUser: string;
  /** A supervisor of G who also handles cases at X (an account reaching beyond X), and a disabled one. */
  cityUser: string;
  disabledCityUser: string;
  /** A calendar override date (far in the future, so no deadline moves). */
  overrideDate: string;
  /** A closed (不予公开) application of citizen A, not yet rated. */
  closedOfA: string;
  /** A low rating by citizen A with an open 回访 task. */
  followUp: string;
  /** A 纳入主动公开 proposal of X, not yet published. */
  proposal: string;
  /** Annual report years of X: a draft, a published report, and one ready to publish. */
  years: { draft: number; published: number; ready: number };
  stopFakeWechat(): Promise<void>;
}

/** A PDF small enough for a fixture but with the magic bytes the upload check wants. */
export const tinyPdf = Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");

let sequence = 0;
/** A number unique within the test process (usernames, codes, case numbers). */
export const next = (): number => ++sequence;

/** Throws with the response when `response` does not have `status` (fixture steps must not fail silently). */
export function expectStatus<T = unknown>(response: TestResponse, status: number, what: string): T {
  if (response.status !== status)
    throw new Error(`${what}: expected ${status}, got ${response.status} ${JSON.stringify(response.body)}`);
  return (response.body as { data: T }).data;
}

/** Sends a raw (non-JSON) body, the way files and ledgers are uploaded. */
export function sendRaw(
  w: World,
  as: Client,
  method: string,
  path: string,
  body: Buffer,
  headers: Record<string, string>,
): Promise<TestResponse> {
  return w.server.request(path, { method, headers: { ...as.headers, ...headers }, body });
}

/** A new session of the same caller (for probes that end or replace a session). */
export async function freshClient(w: World, role: Role): Promise<Client> {
  resetRateLimits();
  if (role === "anon") return anonymousClient(w.server);
  if (role === "citA" || role === "citB") return loginApplicant(w.server, w.citizens[role].phone);
  const login = w.logins[role];
  return loginStaff(w.server, login.username, login.password);
}

/** Builders of fresh resources in X for cells that are expected to succeed. */
export const fresh = {
  /** A paper application registered at X (state received). */
  async registered(w: World): Promise<string> {
    resetRateLimits();
    const created = await w.client.reg.post("/api/requests/register", registration(w.x, today()));
    return expectStatus<{ id: string }>(created, 201, "register").id;
  },
  /** A paper application at X filed with `phone` as the applicant's phone (for 查询码 linking). */
  async registeredWithPhone(w: World, phone: string): Promise<string> {
    resetRateLimits();
    const body = registration(w.x, today());
    const created = await w.client.reg.post("/api/requests/register", {
      ...body,
      applicant: { ...body.applicant, phone },
    });
    return expectStatus<{ id: string }>(created, 201, "register").id;
  },
  /** An online application of citizen A (state submitted). */
  async submittedByA(w: World): Promise<string> {
    resetRateLimits();
    return expectStatus<{ id: string }>(
      await w.client.citA.post("/api/requests", submission(w.x)),
      201,
      "submit",
    ).id;
  },
  /** An online application of citizen A for which X asked for a correction (补正). */
  async awaitingCorrectionOfA(w: World): Promise<string> {
    const id = await fresh.submittedByA(w);
    await fireAs(w.client.reg, id, { type: "confirmReceipt", date: today() });
    await fireAs(w.client.hdl, id, {
      type: "requestCorrection",
      date: today(),
      items: ["请写明信息所属年份"],
      deadline: "2099-12-31",
    });
    return id;
  },
  /** A draft catalogue item of X. */
  async draftItem(w: World): Promise<string> {
    const created = await w.client.adm.post("/api/catalogue/items", {
      agencyId: String(w.x._id),
      title: `测试目录信息${next()}`,
      category: "agencyInfo",
      body: "正文",
      formedDate: "2026-01-05",
    });
    return expectStatus<{ id: string }>(created, 201, "catalogue item").id;
  },
  /** A published catalogue item of X. */
  async publishedItem(w: World): Promise<string> {
    const id = await fresh.draftItem(w);
    expectStatus(
      await w.client.adm.post(`/api/catalogue/items/${id}/publish`, { publishedDate: "2026-01-06" }),
      200,
      "publish item",
    );
    return id;
  },
  /** A closed application of citizen A answered 不予公开 (so it has a remedy guide). */
  async closedOfA(w: World): Promise<string> {
    const id = await fresh.submittedByA(w);
    await fireAs(w.client.reg, id, { type: "confirmReceipt", date: today() });
    await fireAs(w.client.rev, id, { type: "decide", date: today(), outcome: "withheld.processInfo" });
    return id;
  },
  /** A 1-star rating by citizen A of a closed application, with its open 回访 task (the rating's id). */
  async followUp(w: World): Promise<string> {
    const id = await fresh.closedOfA(w);
    expectStatus(await w.client.citA.post(`/api/aftercare/${id}/rating`, { score: 1 }), 201, "rating");
    const rating = await SatisfactionRating.findOne({ requestId: id }, { _id: 1 }).lean();
    return String(rating?._id);
  },
  /** A 纳入主动公开 proposal of X over two fresh paper applications. */
  async proposal(w: World): Promise<string> {
    const requestIds = [await fresh.registered(w), await fresh.registered(w)];
    const created = await w.client.hdl.post("/api/publication-proposals", {
      agencyId: String(w.x._id),
      requestIds,
      title: `矩阵建议${next()}`,
    });
    return expectStatus<{ id: string }>(created, 201, "proposal").id;
  },
  /** A pending review case of X. */
  async reviewCase(w: World): Promise<string> {
    const created = await w.client.adm.post("/api/review-cases", {
      agencyId: String(w.x._id),
      caseNo: `复议〔2026〕${next()}号`,
      kind: "reconsideration",
      filedDate: "2026-02-02",
    });
    return expectStatus<{ id: string }>(created, 201, "review case").id;
  },
  /** A handler of X. */
  async staffOfX(w: World): Promise<string> {
    return String((await buildStaff([{ agency: w.x, role: "handler" }])).id);
  },
  /** A disabled handler of X. */
  async disabledStaffOfX(w: World): Promise<string> {
    const id = await fresh.staffOfX(w);
    expectStatus(await w.client.adm.post(`/api/users/${id}/disable`), 200, "disable user");
    return id;
  },
  /** A supervisor of G who is also a handler at X. */
  async cityStaffAlsoAtX(w: World, options: { disabled?: boolean } = {}): Promise<string> {
    const made = await buildStaff([
      { agency: w.g, role: "supervisor" },
      { agency: w.x, role: "handler" },
    ]);
    if (options.disabled) await User.updateOne({ _id: made.id }, { $set: { disabled: true } });
    return String(made.id);
  },
  /** A calendar override on a far-future date no application deadline reaches. */
  async override(w: World): Promise<string> {
    const date = `2099-${String(1 + (next() % 12)).padStart(2, "0")}-${String(1 + (next() % 28)).padStart(2, "0")}`;
    expectStatus(
      await w.client.sup.put(`/api/calendar/overrides/${date}`, { kind: "holiday", name: "测试假日" }),
      200,
      "calendar override",
    );
    return date;
  },
  /** An annual report of X for `year` whose checks pass, ready to publish. */
  async reportReadyToPublish(w: World, year: number): Promise<void> {
    const base = `/api/reports/agencies/${String(w.x._id)}/${year}`;
    expectStatus(await w.client.adm.post(`${base}/draft`, {}), 200, "report draft");
    const draft = expectStatus<{
      sections: { overview: { key: string; text: string }[]; other: { text: string }[] };
    }>(await w.client.adm.get(base), 200, "report");
    const overview = draft.sections.overview.map((p) => ({
      key: p.key,
      text: p.text.includes("【请填写") ? "本机关健全信息公开工作制度，加强审核把关。" : p.text,
    }));
    expectStatus(
      await w.client.adm.put(`${base}/sections`, {
        overview,
        problems: ["一是主动公开的及时性有待提高。下一步将完善发布流程。"],
        other: [draft.sections.other[0]?.text ?? "本年度未收取信息处理费。"],
      }),
      200,
      "report sections",
    );
    expectStatus(
      await w.client.adm.put(`${base}/inputs`, {
        two: {
          licensing: { decisions: 0 },
          penalty: { decisions: 0 },
          enforcement: { decisions: 0 },
          fees: { amountWan: 0 },
        },
      }),
      200,
      "report inputs",
    );
  },
};

/** Fires a lifecycle event on an application as `as`, at its current version. */
export async function fireAs(as: Client, id: string, event: Record<string, unknown>): Promise<void> {
  const { version } = expectStatus<{ version: number }>(await as.get(`/api/requests/${id}`), 200, "detail");
  expectStatus(
    await as.post(`/api/requests/${id}/events`, { event, expectedVersion: version }),
    200,
    `event ${String(event.type)}`,
  );
}

/** Builds the world on a fresh server (with a fake WeChat code2Session endpoint). */
export async function buildWorld(): Promise<World> {
  const wechat = await startFakeWechat();
  const server = await startTestServer({
    wechat: { appId: "wx-matrix", secret: "wx-matrix-secret", apiBase: wechat.baseUrl },
  });
  const g = await buildAgency({ level: "government", name: "矩阵市人民政府" });
  const x = await buildAgency({ parent: g, name: "矩阵市生态环境局" });
  // Y sits below another root: its supervisor supervises a subtree, not the deployment.
  const province = await buildAgency({ level: "government", name: "邻省人民政府" });
  const y = await buildAgency({ parent: province, level: "government", name: "邻县人民政府" });

  const staff = async (grants: { agency: AgencyDoc; role: StaffRole }[]): Promise<Login> => {
    const made = await buildStaff(grants);
    return { id: String(made.id), username: made.username, password: made.password };
  };
  const logins: Record<StaffKey, Login> = {
    reg: await staff([{ agency: x, role: "registrar" }]),
    hdl: await staff([{ agency: x, role: "handler" }]),
    rev: await staff([{ agency: x, role: "reviewer" }]),
    adm: await staff([{ agency: x, role: "admin" }]),
    sup: await staff([{ agency: g, role: "supervisor" }]),
    Y: await staff(
      (["registrar", "handler", "reviewer", "admin", "supervisor"] as const).map((role) => ({
        agency: y,
        role,
      })),
    ),
    pend: await staff([{ agency: x, role: "admin" }]),
  };
  // An administrator handed a one-time password: until they change it, only the change is allowed.
  await User.updateOne({ _id: logins.pend.id }, { $set: { mustChangePassword: true } });

  const citizens = { citA: { id: "", phone: "13900000101" }, citB: { id: "", phone: "13900000102" } };
  const client = { anon: anonymousClient(server) } as Record<Role, Client>;
  for (const role of ["citA", "citB"] as const) {
    resetRateLimits();
    client[role] = await loginApplicant(server, citizens[role].phone);
    citizens[role].id = expectStatus<{ id: string }>(await client[role].get("/api/auth/me"), 200, "me").id;
  }
  for (const role of Object.keys(logins) as StaffKey[]) {
    resetRateLimits();
    client[role] = await loginStaff(server, logins[role].username, logins[role].password);
  }

  const w = { server, g, x, y, client, logins, citizens } as World;
  w.stopFakeWechat = wechat.close;

  // Citizen B has an application too, so "own" answers have something to be scoped against.
  expectStatus(await client.citB.post("/api/requests", submission(x)), 201, "submit B");
  w.requestOfA = await fresh.submittedByA(w);
  await fireAs(client.reg, w.requestOfA, { type: "confirmReceipt", date: today() });
  w.letterForA = expectStatus<{ id: string }>(
    await client.reg.post(`/api/requests/${w.requestOfA}/letters/receipt`, {}),
    201,
    "receipt letter",
  ).id;
  w.internalFile = expectStatus<{ id: string }>(
    await sendRaw(
      w,
      client.hdl,
      "POST",
      `/api/requests/${w.requestOfA}/files?kind=material&forApplicant=false`,
      tinyPdf,
      { "Content-Type": "application/octet-stream", "X-Filename": encodeURIComponent("内部材料.pdf") },
    ),
    201,
    "internal file",
  ).id;
  w.redactable = expectStatus<{ id: string }>(
    await sendRaw(
      w,
      client.hdl,
      "POST",
      `/api/requests/${w.requestOfA}/files?kind=material&forApplicant=false`,
      buildSecretPdf(1),
      { "Content-Type": "application/octet-stream", "X-Filename": encodeURIComponent("待区分处理.pdf") },
    ),
    201,
    "redactable file",
  ).id;
  const messages = expectStatus<{ items: { id: string }[] }>(
    await client.citA.get("/api/messages"),
    200,
    "msgs",
  );
  const message = messages.items[0];
  if (!message) throw new Error("confirming receipt gave citizen A no in-app message");
  w.messageOfA = message.id;

  w.registered = await fresh.registered(w);
  const registeredDoc = await DisclosureRequest.findById(w.registered, { serialNo: 1 }).lean();
  const notification = await StaffNotification.create({
    agencyId: x._id,
    requestId: new mongoose.Types.ObjectId(w.registered),
    serialNo: String(registeredDoc?.serialNo ?? ""),
    kind: "dueSoon",
    date: today(),
    dueDate: "2099-12-31",
    text: "申请即将到期",
  });
  w.notification = String(notification._id);

  w.draftItem = await fresh.draftItem(w);
  const withAttachment = await fresh.draftItem(w);
  const attached = expectStatus<{ attachments: { id: string }[] }>(
    await sendRaw(
      w,
      client.adm,
      "POST",
      `/api/catalogue/items/${withAttachment}/attachments?name=${encodeURIComponent("附件.pdf")}`,
      tinyPdf,
      { "Content-Type": "application/pdf" },
    ),
    201,
    "attachment",
  );
  w.attachment = attached.attachments[0]?.id ?? "";
  expectStatus(
    await client.adm.post(`/api/catalogue/items/${withAttachment}/publish`, { publishedDate: "2026-01-06" }),
    200,
    "publish",
  );
  w.publishedItem = withAttachment;

  w.reviewCase = await fresh.reviewCase(w);
  w.spareUser = await fresh.staffOfX(w);
  w.disabledUser = await fresh.disabledStaffOfX(w);
  w.cityUser = await fresh.cityStaffAlsoAtX(w);
  w.disabledCityUser = await fresh.cityStaffAlsoAtX(w, { disabled: true });
  w.overrideDate = await fresh.override(w);
  w.closedOfA = await fresh.closedOfA(w);
  w.followUp = await fresh.followUp(w);
  w.proposal = await fresh.proposal(w);

  w.years = { draft: 2025, published: 2024, ready: 2023 };
  expectStatus(
    await client.adm.post(`/api/reports/agencies/${String(x._id)}/${w.years.draft}/draft`, {}),
    200,
    "draft report",
  );
  await fresh.reportReadyToPublish(w, w.years.published);
  expectStatus(
    await client.adm.post(`/api/reports/agencies/${String(x._id)}/${w.years.published}/publish`, {}),
    200,
    "publish report",
  );
  await fresh.reportReadyToPublish(w, w.years.ready);
  return w;
}

/**
 * A digest of every document of every collection, in `_id` order: equal digests around a refused call
 * mean the call changed nothing (every write in the product creates, updates or deletes a document).
 * One aggregation with `$unionWith` and raw BSON keeps it cheap enough to run around every cell.
 */
export async function databaseSnapshot(): Promise<string> {
  const db = mongoose.connection.db;
  if (!db) throw new Error("database not connected");
  const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort();
  const [first, ...rest] = names;
  const hash = createHash("sha256").update(names.join(","));
  if (first === undefined) return hash.digest("hex");
  const tagged = (name: string) => [{ $sort: { _id: 1 } }, { $addFields: { __collection: name } }];
  const cursor = db
    .collection(first)
    .aggregate<Buffer>(
      [...tagged(first), ...rest.map((name) => ({ $unionWith: { coll: name, pipeline: tagged(name) } }))],
      {
        raw: true,
      },
    );
  for await (const document of cursor) hash.update(document);
  return hash.digest("hex");
}

/** A fake WeChat code2Session endpoint that knows every code. */
async function startFakeWechat(): Promise<{ baseUrl: string; close(): Promise<void> }> {
  const fake: Server = createServer((req, res) => {
    const code = new URL(req.url ?? "/", "http://wechat").searchParams.get("js_code") ?? "";
    res.setHeader("Content-Type", "application/json");
    res.end(JSON.stringify({ openid: `openid-${code}`, session_key: "k" }));
  });
  await new Promise<void>((resolve) => fake.listen(0, "127.0.0.1", resolve));
  return {
    baseUrl: `http://127.0.0.1:${(fake.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => fake.close(() => resolve())),
  };
}
