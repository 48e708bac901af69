/**
 * The authorization matrix: every route of the API against every kind of caller, with the answer
 * written by hand below (not derived from the routes' own `access` declarations, which would only test
 * that the table equals itself). A route added without a row, or a row without a route, fails.
 *
 * Callers (columns): anonymous; citizens A and B, each with their own application in agency X; the
 * registrar, handler, reviewer and administrator of X; a supervisor of X's parent government; a staff
 * member holding every role at an unrelated agency Y; and an administrator of X who has not yet
 * replaced a one-time password.
 *
 * Answers:
 *   ok   2xx: the caller may do it, and the probe does it for real (on a fresh resource when it writes);
 *   own  2xx, but the answer holds nothing of X's or of the other citizen's (a scoped list);
 *   401  unauthorized: not logged in;
 *   403  forbidden: logged in, but not allowed;
 *   404  not_found naming the resource (not the route): another agency's or person's resource, whose
 *        existence must not leak;
 *   pwd  403 with reason auth.must_change_password.
 *
 * Y is below another root, so its supervisor column also reads "a supervisor who is not a supervisor
 * of a root" (the calendar rows); the sup column is a supervisor of the root G.
 * Every refused call must also leave the whole database exactly as it was.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { resetRateLimits } from "../../../server/middlewares/rateLimit.ts";
import { DisclosureRequest } from "../../../server/models/DisclosureRequest.ts";
import { User } from "../../../server/models/User.ts";
import { routeRegistry } from "../../../server/routes/define.ts";
import { buildStaff } from "../../factories/people.ts";
import type { Client } from "../../support/clients.ts";
import type { TestResponse } from "../../support/http.ts";
import { goodRows, toCsv } from "../routes/ledger.support.ts";
import { registration, submission, today } from "../routes/requests.support.ts";
import {
  buildWorld,
  databaseSnapshot,
  expectStatus,
  fresh,
  freshClient,
  next,
  type Role,
  roles,
  sendRaw,
  tinyPdf,
  type World,
} from "./authorization-matrix.support.ts";

// biome-ignore format: the table is aligned by hand so that it reads as a matrix
const EXPECTED = `
  route                                                              anon citA citB reg  hdl  rev  adm  sup  Y    pend
  GET    /api/health                                                 ok   ok   ok   ok   ok   ok   ok   ok   ok   ok
  GET    /api/docs                                                   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok
  GET    /api/metrics [from this machine]                            ok   ok   ok   ok   ok   ok   ok   ok   ok   ok
  GET    /api/metrics [through a proxy]                              403  403  403  403  403  403  403  403  403  403

  POST   /api/auth/staff/login                                       ok   ok   ok   ok   ok   ok   ok   ok   ok   ok
  POST   /api/auth/logout                                            401  ok   ok   ok   ok   ok   ok   ok   ok   ok
  POST   /api/auth/password                                          401  403  403  ok   ok   ok   ok   ok   ok   ok
  GET    /api/auth/me                                                401  ok   ok   ok   ok   ok   ok   ok   ok   ok
  GET    /api/auth/me/contact                                        401  403  403  ok   ok   ok   ok   ok   ok   pwd
  PUT    /api/auth/me/contact                                        401  403  403  ok   ok   ok   ok   ok   ok   pwd
  POST   /api/auth/wechat/login                                      ok   ok   ok   ok   ok   ok   ok   ok   ok   ok
  POST   /api/auth/wechat/subscriptions                              401  ok   ok   403  403  403  403  403  403  403
  POST   /api/auth/otp/request                                       ok   ok   ok   ok   ok   ok   ok   ok   ok   ok
  POST   /api/auth/otp/verify                                        ok   ok   ok   ok   ok   ok   ok   ok   ok   ok

  GET    /api/notifications/                                         401  403  403  ok   ok   ok   ok   ok   own  pwd
  POST   /api/notifications/read-all                                 401  403  403  ok   ok   ok   ok   ok   ok   pwd
  POST   /api/notifications/:id/read                                 401  403  403  ok   ok   ok   ok   ok   404  pwd

  POST   /api/requests/                                              401  ok   ok   403  403  403  403  403  403  403
  GET    /api/requests/mine                                          401  ok   own  403  403  403  403  403  403  403
  GET    /api/requests/                                              401  403  403  ok   ok   ok   ok   ok   own  pwd
  GET    /api/requests/ [agencyId=X]                                 401  403  403  ok   ok   ok   ok   ok   403  pwd
  POST   /api/requests/register                                      401  403  403  ok   403  403  403  403  403  pwd
  GET    /api/requests/:id                                           401  ok   404  ok   ok   ok   ok   ok   404  pwd
  GET    /api/requests/:id/clock                                     401  ok   404  ok   ok   ok   ok   ok   404  pwd
  POST   /api/requests/:id/events [decide]                           401  403  403  403  403  ok   403  403  404  pwd
  POST   /api/requests/:id/events [draftDecision]                    401  403  403  403  ok   403  403  403  404  pwd
  POST   /api/requests/:id/events [returnDraft]                      401  403  403  403  403  ok   403  403  404  pwd
  POST   /api/requests/:id/events [approveDraft]                     401  403  403  403  403  ok   403  403  404  pwd
  POST   /api/requests/:id/events [signOff]                          401  403  403  403  403  403  403  403  404  pwd
  POST   /api/requests/:id/withdraw                                  401  ok   404  403  403  403  403  403  403  403
  POST   /api/requests/:id/correction                                401  ok   404  403  403  403  403  403  403  403
  POST   /api/requests/:id/assign                                    401  403  403  ok   403  ok   ok   403  404  pwd
  POST   /api/requests/:id/assignment/accept                         401  403  403  403  ok   403  403  403  404  pwd
  POST   /api/requests/:id/assignment/return                         401  403  403  403  ok   403  403  403  404  pwd
  POST   /api/requests/:id/notes                                     401  403  403  ok   ok   ok   ok   403  404  pwd
  POST   /api/requests/:id/reveal                                    401  403  403  ok   ok   ok   ok   403  404  pwd
  GET    /api/requests/:id/similar                                   401  403  403  ok   ok   ok   ok   ok   404  pwd
  GET    /api/requests/:id/mergeable                                 401  403  403  ok   ok   ok   ok   ok   404  pwd
  POST   /api/requests/:id/merged-reply                              401  403  403  403  403  ok   403  403  404  pwd
  POST   /api/requests/:id/urge                                      401  403  403  403  403  ok   ok   ok   404  pwd
  GET    /api/requests/:id/letters/:kind/preview                     401  403  403  ok   ok   ok   ok   ok   404  pwd
  POST   /api/requests/:id/letters/:kind                             401  403  403  ok   ok   ok   ok   403  404  pwd
  POST   /api/requests/:id/files                                     401  403  403  ok   ok   ok   ok   403  404  pwd
  GET    /api/requests/:id/documents/:docId [letter to A]            401  ok   404  ok   ok   ok   ok   ok   404  pwd
  GET    /api/requests/:id/documents/:docId [internal file]          401  404  404  ok   ok   ok   ok   ok   404  pwd
  GET    /api/requests/:id/documents/:docId/redaction                401  403  403  ok   ok   ok   ok   ok   404  pwd
  GET    /api/requests/:id/documents/:docId/redaction/pages/:page    401  403  403  ok   ok   ok   ok   ok   404  pwd
  POST   /api/requests/:id/documents/:docId/redaction/search         401  403  403  ok   ok   ok   ok   403  404  pwd
  PUT    /api/requests/:id/documents/:docId/redaction                401  403  403  ok   ok   ok   ok   403  404  pwd
  POST   /api/requests/:id/documents/:docId/redaction/apply          401  403  403  ok   ok   ok   ok   403  404  pwd

  POST   /api/lookup/                                                ok   ok   ok   ok   ok   ok   ok   ok   ok   ok
  POST   /api/lookup/letters/:docId                                  ok   ok   ok   ok   ok   ok   ok   ok   ok   ok
  POST   /api/lookup/link                                            401  ok   403  403  403  403  403  403  403  403

  GET    /api/aftercare/:id                                          401  ok   404  403  403  403  403  403  403  403
  POST   /api/aftercare/:id/rating                                   401  ok   404  403  403  403  403  403  403  403
  GET    /api/aftercare/:id/review-application                       401  ok   404  403  403  403  403  403  403  403
  GET    /api/aftercare/:id/review-application/docx                  401  ok   404  403  403  403  403  403  403  403

  POST   /api/feedback/deflections                                   401  ok   ok   403  403  403  403  403  403  403
  GET    /api/feedback/dashboard                                     401  403  403  403  ok   ok   ok   ok   403  pwd
  GET    /api/feedback/summary                                       401  403  403  own  ok   ok   ok   ok   own  pwd
  POST   /api/feedback/follow-ups/:id                                401  403  403  403  403  403  ok   403  404  pwd

  GET    /api/publication-proposals/                                 401  403  403  403  ok   ok   ok   ok   403  pwd
  POST   /api/publication-proposals/                                 401  403  403  403  ok   ok   ok   403  403  pwd
  POST   /api/publication-proposals/:id/publish                      401  403  403  403  ok   ok   ok   403  404  pwd

  GET    /api/messages/                                              401  ok   own  403  403  403  403  403  403  403
  POST   /api/messages/:id/read                                      401  ok   404  403  403  403  403  403  403  403

  GET    /api/calendar/overrides                                     401  403  403  ok   ok   ok   ok   ok   ok   pwd
  PUT    /api/calendar/overrides/:date                               401  403  403  403  403  403  403  ok   403  pwd
  DELETE /api/calendar/overrides/:date                               401  403  403  403  403  403  403  ok   403  pwd
  GET    /api/calendar/days                                          401  ok   ok   ok   ok   ok   ok   ok   ok   pwd

  GET    /api/catalogue/categories                                   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok
  GET    /api/catalogue/agencies                                     ok   ok   ok   ok   ok   ok   ok   ok   ok   ok
  GET    /api/catalogue/items                                        ok   ok   ok   ok   ok   ok   ok   ok   ok   ok
  GET    /api/catalogue/items/:id                                    ok   ok   ok   ok   ok   ok   ok   ok   ok   ok
  GET    /api/catalogue/items/:id [draft]                            404  404  404  404  404  404  404  404  404  404
  GET    /api/catalogue/items/:id/attachments/:attachmentId          ok   ok   ok   ok   ok   ok   ok   ok   ok   ok
  GET    /api/catalogue/search                                       ok   ok   ok   ok   ok   ok   ok   ok   ok   ok
  GET    /api/catalogue/suggest                                      ok   ok   ok   ok   ok   ok   ok   ok   ok   ok
  GET    /api/catalogue/manage/items                                 401  403  403  403  ok   ok   ok   ok   403  pwd
  GET    /api/catalogue/manage/items/:id                             401  403  403  403  ok   ok   ok   ok   404  pwd
  POST   /api/catalogue/items                                        401  403  403  403  ok   ok   ok   403  403  pwd
  PATCH  /api/catalogue/items/:id                                    401  403  403  403  ok   ok   ok   403  404  pwd
  POST   /api/catalogue/items/:id/publish                            401  403  403  403  ok   ok   ok   403  404  pwd
  POST   /api/catalogue/items/:id/withdraw                           401  403  403  403  ok   ok   ok   403  404  pwd
  POST   /api/catalogue/items/:id/repeal                             401  403  403  403  ok   ok   ok   403  404  pwd
  POST   /api/catalogue/items/:id/attachments                        401  403  403  403  ok   ok   ok   403  404  pwd
  POST   /api/catalogue/import                                       401  403  403  403  ok   ok   ok   403  403  pwd
  GET    /api/catalogue/late                                         401  403  403  403  ok   ok   ok   ok   403  pwd
  GET    /api/catalogue/table2                                       401  403  403  403  ok   ok   ok   ok   403  pwd

  GET    /api/review-cases/                                          401  403  403  403  ok   ok   ok   ok   own  pwd
  GET    /api/review-cases/ [agencyId=X]                             401  403  403  403  ok   ok   ok   ok   403  pwd
  GET    /api/review-cases/:id                                       401  403  403  403  ok   ok   ok   ok   404  pwd
  POST   /api/review-cases/                                          401  403  403  403  ok   ok   ok   403  403  pwd
  PATCH  /api/review-cases/:id                                       401  403  403  403  ok   ok   ok   403  404  pwd
  POST   /api/review-cases/:id/close                                 401  403  403  403  ok   ok   ok   403  404  pwd

  POST   /api/ledger/import                                          401  403  403  403  403  403  ok   403  403  pwd
  GET    /api/ledger/export                                          401  403  403  403  403  ok   ok   ok   403  pwd

  GET    /api/reports/dashboard                                      401  403  403  403  403  ok   ok   ok   own  pwd
  GET    /api/reports/summary                                        401  403  403  403  403  403  ok   ok   403  pwd
  GET    /api/reports/public                                         ok   ok   ok   ok   ok   ok   ok   ok   ok   ok
  GET    /api/reports/public/:agencyCode/:year                       ok   ok   ok   ok   ok   ok   ok   ok   ok   ok
  POST   /api/reports/agencies/:agencyId/:year/draft                 401  403  403  403  403  ok   ok   403  403  pwd
  GET    /api/reports/agencies/:agencyId/:year                       401  403  403  403  403  ok   ok   ok   403  pwd
  PUT    /api/reports/agencies/:agencyId/:year/inputs                401  403  403  403  403  ok   ok   403  403  pwd
  PUT    /api/reports/agencies/:agencyId/:year/sections              401  403  403  403  403  ok   ok   403  403  pwd
  GET    /api/reports/agencies/:agencyId/:year/provenance            401  403  403  403  403  ok   ok   ok   403  pwd
  GET    /api/reports/agencies/:agencyId/:year/export/:format        401  403  403  403  403  ok   ok   ok   403  pwd
  POST   /api/reports/agencies/:agencyId/:year/import                401  403  403  403  403  ok   ok   403  403  pwd
  POST   /api/reports/agencies/:agencyId/:year/publish               401  403  403  403  403  403  ok   403  403  pwd
  POST   /api/reports/agencies/:agencyId/:year/revise                401  403  403  403  403  403  ok   403  403  pwd

  GET    /api/users/                                                 401  403  403  403  403  403  ok   ok   own  pwd
  GET    /api/users/ [agencyId=X]                                    401  403  403  403  403  403  ok   ok   403  pwd
  POST   /api/users/                                                 401  403  403  403  403  403  ok   ok   403  pwd
  PUT    /api/users/:id/roles [grant at X]                           401  403  403  403  403  403  ok   ok   403  pwd
  PUT    /api/users/:id/roles [grant at Y]                           401  403  403  403  403  403  403  403  404  pwd
  PUT    /api/users/:id/roles [grant at G]                           401  403  403  403  403  403  403  ok   403  pwd
  PUT    /api/users/:id/roles [grant supervisor at X]                401  403  403  403  403  403  403  ok   403  pwd
  PUT    /api/users/:id/roles [self-grant supervisor at X]           401  403  403  403  403  403  403  ok   403  pwd
  POST   /api/users/:id/disable                                      401  403  403  403  403  403  ok   ok   404  pwd
  POST   /api/users/:id/enable                                       401  403  403  403  403  403  ok   ok   404  pwd
  POST   /api/users/:id/reset-password                               401  403  403  403  403  403  ok   ok   404  pwd
  PUT    /api/users/:id/contact                                      401  403  403  403  403  403  ok   ok   404  pwd
  POST   /api/users/:id/disable [account also at G]                  401  403  403  403  403  403  403  ok   404  pwd
  POST   /api/users/:id/enable [account also at G]                   401  403  403  403  403  403  403  ok   404  pwd
  POST   /api/users/:id/reset-password [account also at G]           401  403  403  403  403  403  403  ok   404  pwd

  GET    /api/agencies/tree                                          401  403  403  ok   ok   ok   ok   ok   own  pwd
  POST   /api/agencies/                                              401  403  403  403  403  403  ok   ok   403  pwd
  PATCH  /api/agencies/:id                                           401  403  403  403  403  403  ok   ok   404  pwd

  GET    /api/audit/                                                 401  403  403  403  403  403  ok   ok   own  pwd
  GET    /api/audit/ [agencyId=X]                                    401  403  403  403  403  403  ok   ok   403  pwd

  GET    /api/supervisions/                                          401  403  403  ok   ok   ok   ok   ok   own  pwd
  GET    /api/supervisions/ [agencyId=X]                             401  403  403  ok   ok   ok   ok   ok   403  pwd
  POST   /api/supervisions/                                          401  403  403  403  403  403  403  ok   404  pwd
  POST   /api/supervisions/:id/reply                                 401  403  403  ok   ok   ok   ok   403  404  pwd
`;

/** One call of the matrix: who calls, with which client, and whether the table expects success. */
interface Cell {
  w: World;
  role: Role;
  as: Client;
  allowed: boolean;
}

/** How to ask one row's question, and what an "own" answer must not contain. */
interface Probe {
  send(cell: Cell): Promise<TestResponse>;
  hidden?: (w: World) => string[];
}

const X = (w: World) => String(w.x._id);
/** The 查询码 of an application, read from the database (the matrix probes who may use it, not how it is shown). */
async function queryCodeOf(id: string): Promise<string> {
  return (await DisclosureRequest.findById(id, { queryCode: 1 }).lean())?.queryCode ?? "";
}
const reportBase = (w: World, year: number) => `/api/reports/agencies/${X(w)}/${year}`;
const pdfUpload = {
  "Content-Type": "application/octet-stream",
  "X-Filename": encodeURIComponent("材料.pdf"),
};
const redactionBase = (w: World) => `/api/requests/${w.requestOfA}/documents/${w.redactable}/redaction`;
const redactionProbeBox = {
  page: 0,
  x: 70,
  y: 90,
  width: 200,
  height: 16,
  ground: "art15.thirdPartyRefused",
};
const SEED_REPORT = readFileSync(
  new URL("../../../../shared/seed/haidong-sthjj-2019-annual-report.txt", import.meta.url),
  "utf8",
);

const PROBES: Record<string, Probe> = {
  "GET /api/health": { send: ({ as }) => as.get("/api/health") },
  "GET /api/docs": { send: ({ as }) => as.get("/api/docs") },
  // Metrics are guarded by where the scrape comes from (or a token), not by who is logged in.
  "GET /api/metrics [from this machine]": { send: ({ as }) => as.get("/api/metrics") },
  "GET /api/metrics [through a proxy]": {
    send: ({ w, as }) =>
      w.server.request("/api/metrics", { headers: { ...as.headers, "X-Forwarded-For": "203.0.113.7" } }),
  },

  "POST /api/auth/staff/login": {
    send: async ({ w, as }) => {
      const probe = await loginProbe(w);
      return as.post("/api/auth/staff/login", { username: probe.username, password: probe.password });
    },
  },
  "POST /api/auth/logout": {
    // A fresh session, so that logging out does not end the one the rest of the matrix uses.
    send: async ({ w, role, as, allowed }) =>
      (allowed ? await freshClient(w, role) : as).post("/api/auth/logout"),
  },
  "POST /api/auth/password": {
    send: async ({ w, role, as, allowed }) => {
      if (!allowed || role === "anon" || role === "citA" || role === "citB")
        return as.post("/api/auth/password", {
          currentPassword: "Whatever-1",
          newPassword: "Another-Pass-2",
        });
      const login = w.logins[role];
      const newPassword = `New-Pass-${next()}-word`;
      const response = await as.post("/api/auth/password", { currentPassword: login.password, newPassword });
      if (response.status === 200) login.password = newPassword;
      // The pending administrator keeps their column: they are handed a one-time password again.
      if (role === "pend") await User.updateOne({ _id: login.id }, { $set: { mustChangePassword: true } });
      return response;
    },
  },
  "GET /api/auth/me": { send: ({ as }) => as.get("/api/auth/me") },
  "GET /api/auth/me/contact": { send: ({ as }) => as.get("/api/auth/me/contact") },
  "PUT /api/auth/me/contact": {
    send: ({ as }) => as.put("/api/auth/me/contact", { phone: "13700009901", wechatOpenid: "" }),
  },
  "POST /api/auth/wechat/login": {
    send: ({ as }) => as.post("/api/auth/wechat/login", { code: `matrix-${next()}` }),
  },
  "POST /api/auth/wechat/subscriptions": {
    send: ({ as }) =>
      as.post("/api/auth/wechat/subscriptions", {
        accepted: [{ kind: "progress", templateId: "MatrixTemplate_0123456789" }],
      }),
  },
  "POST /api/auth/otp/request": {
    send: ({ as }) => as.post("/api/auth/otp/request", { phone: "13900000199" }),
  },
  "POST /api/auth/otp/verify": {
    send: async ({ w, as }) => {
      const phone = "13900000198";
      expectStatus(await w.client.anon.post("/api/auth/otp/request", { phone }), 200, "otp request");
      resetRateLimits();
      const code = /(\d{6})/.exec(w.server.sms.lastTo(phone) ?? "")?.[1];
      return as.post("/api/auth/otp/verify", { phone, code });
    },
  },

  "GET /api/notifications/": {
    send: ({ as }) => as.get("/api/notifications?limit=100"),
    hidden: (w) => [w.notification],
  },
  "POST /api/notifications/read-all": { send: ({ as }) => as.post("/api/notifications/read-all") },
  "POST /api/notifications/:id/read": {
    send: ({ w, as }) => as.post(`/api/notifications/${w.notification}/read`),
  },

  "POST /api/requests/": { send: ({ w, as }) => as.post("/api/requests", submission(w.x)) },
  "GET /api/requests/mine": {
    send: ({ as }) => as.get("/api/requests/mine?limit=100"),
    hidden: (w) => [w.requestOfA],
  },
  "GET /api/requests/": {
    send: ({ as }) => as.get("/api/requests?limit=100"),
    hidden: (w) => [w.requestOfA, w.registered, X(w)],
  },
  "GET /api/requests/ [agencyId=X]": { send: ({ w, as }) => as.get(`/api/requests?agencyId=${X(w)}`) },
  "POST /api/requests/register": {
    send: ({ w, as }) => as.post("/api/requests/register", registration(w.x, today())),
  },
  "GET /api/requests/:id": { send: ({ w, as }) => as.get(`/api/requests/${w.requestOfA}`) },
  "GET /api/requests/:id/clock": { send: ({ w, as }) => as.get(`/api/requests/${w.requestOfA}/clock`) },
  "POST /api/requests/:id/events [decide]": {
    send: async ({ w, as, allowed }) => {
      const id = allowed ? await fresh.registered(w) : w.registered;
      const version = await versionOf(w, id);
      return as.post(`/api/requests/${id}/events`, {
        event: { type: "decide", date: today(), outcome: "granted" },
        expectedVersion: version,
      });
    },
  },
  // The chain's steps: allowed cells act on a fresh application at the step before theirs; refused
  // cells try the step on the shared application (whose state the refusal must leave untouched).
  "POST /api/requests/:id/events [draftDecision]": {
    send: async ({ w, as, allowed }) =>
      chainStep(w, as, allowed ? await fresh.registered(w) : w.registered, "draftDecision"),
  },
  "POST /api/requests/:id/events [returnDraft]": {
    send: async ({ w, as, allowed }) =>
      chainStep(w, as, allowed ? await drafted(w) : w.registered, "returnDraft", { reason: "请补充理由" }),
  },
  "POST /api/requests/:id/events [approveDraft]": {
    send: async ({ w, as, allowed }) =>
      chainStep(w, as, allowed ? await drafted(w) : w.registered, "approveDraft"),
  },
  // Only the agency's 签发人员 signs off; no column of the matrix holds that role at X.
  "POST /api/requests/:id/events [signOff]": {
    send: ({ w, as }) => chainStep(w, as, w.registered, "signOff"),
  },
  "POST /api/requests/:id/assignment/accept": {
    send: async ({ w, as, allowed }) =>
      as.post(`/api/requests/${allowed ? await assignedToHandler(w) : w.registered}/assignment/accept`),
  },
  "POST /api/requests/:id/assignment/return": {
    send: async ({ w, as, allowed }) =>
      as.post(`/api/requests/${allowed ? await assignedToHandler(w) : w.registered}/assignment/return`, {
        reason: "不属于本人职责",
      }),
  },
  "POST /api/requests/:id/withdraw": {
    send: async ({ w, as, allowed }) =>
      as.post(`/api/requests/${allowed ? await fresh.submittedByA(w) : w.requestOfA}/withdraw`, {
        reason: "不再需要",
      }),
  },
  "POST /api/requests/:id/correction": {
    send: async ({ w, as, allowed }) =>
      as.post(`/api/requests/${allowed ? await fresh.awaitingCorrectionOfA(w) : w.requestOfA}/correction`, {
        description: "2024年乐都区空气质量监测月报（1至12月）",
      }),
  },
  "POST /api/requests/:id/assign": {
    send: ({ w, as }) => as.post(`/api/requests/${w.registered}/assign`, { assigneeId: w.logins.hdl.id }),
  },
  "POST /api/requests/:id/notes": {
    send: ({ w, as }) => as.post(`/api/requests/${w.registered}/notes`, { text: "已电话联系申请人" }),
  },
  "POST /api/requests/:id/reveal": { send: ({ w, as }) => as.post(`/api/requests/${w.requestOfA}/reveal`) },
  // 催办 is once a day per application: each permitted call urges a freshly assigned one.
  "POST /api/requests/:id/urge": {
    send: async ({ w, as, allowed }) => {
      let id = w.registered;
      if (allowed) {
        id = await fresh.registered(w);
        expectStatus(
          await w.client.reg.post(`/api/requests/${id}/assign`, { assigneeId: w.logins.hdl.id }),
          200,
          "assign",
        );
      }
      return as.post(`/api/requests/${id}/urge`, { text: "请尽快答复" });
    },
  },
  "GET /api/requests/:id/similar": { send: ({ w, as }) => as.get(`/api/requests/${w.requestOfA}/similar`) },
  "GET /api/requests/:id/mergeable": {
    send: ({ w, as }) => as.get(`/api/requests/${w.requestOfA}/mergeable`),
  },
  // Allowed: two fresh applications of the same applicant answered by one letter; refused cells name the
  // shared ones (whose state the refusal must leave untouched).
  "POST /api/requests/:id/merged-reply": {
    send: async ({ w, as, allowed }) => {
      const ids = allowed
        ? [await fresh.registered(w), await fresh.registered(w)]
        : [w.registered, w.requestOfA];
      const replies = [];
      for (const id of ids)
        replies.push({
          requestId: id,
          expectedVersion: await versionOf(w, id),
          decision: { outcome: "granted" },
        });
      return as.post(`/api/requests/${ids[0]}/merged-reply`, { date: today(), replies });
    },
  },
  "GET /api/requests/:id/letters/:kind/preview": {
    send: ({ w, as }) => as.get(`/api/requests/${w.registered}/letters/receipt/preview`),
  },
  "POST /api/requests/:id/letters/:kind": {
    send: ({ w, as }) => as.post(`/api/requests/${w.registered}/letters/receipt`, {}),
  },
  "POST /api/requests/:id/files": {
    send: ({ w, as }) =>
      sendRaw(w, as, "POST", `/api/requests/${w.registered}/files?kind=material`, tinyPdf, pdfUpload),
  },
  "GET /api/requests/:id/documents/:docId [letter to A]": {
    send: ({ w, as }) => as.get(`/api/requests/${w.requestOfA}/documents/${w.letterForA}`),
  },
  "GET /api/requests/:id/documents/:docId [internal file]": {
    send: ({ w, as }) => as.get(`/api/requests/${w.requestOfA}/documents/${w.internalFile}`),
  },
  "GET /api/requests/:id/documents/:docId/redaction": {
    send: ({ w, as }) => as.get(redactionBase(w)),
  },
  "GET /api/requests/:id/documents/:docId/redaction/pages/:page": {
    send: ({ w, as }) => as.get(`${redactionBase(w)}/pages/1`),
  },
  "POST /api/requests/:id/documents/:docId/redaction/search": {
    send: ({ w, as }) => as.post(`${redactionBase(w)}/search`, { pattern: "phone" }),
  },
  "PUT /api/requests/:id/documents/:docId/redaction": {
    send: ({ w, as }) => as.put(redactionBase(w), { boxes: [redactionProbeBox] }),
  },
  "POST /api/requests/:id/documents/:docId/redaction/apply": {
    // Applying needs saved boxes; they are saved only for callers who may apply, so a refused call
    // still finds the database as it was.
    send: async ({ w, as, allowed }) => {
      if (allowed) {
        expectStatus(await w.client.hdl.put(redactionBase(w), { boxes: [redactionProbeBox] }), 200, "boxes");
      }
      return as.post(`${redactionBase(w)}/apply`);
    },
  },

  // 查询码 lookups are public; every probe starts a fresh rate-limit window (10 a minute per address).
  "POST /api/lookup/": {
    send: async ({ w, as }) => {
      resetRateLimits();
      return as.post("/api/lookup", { code: await queryCodeOf(w.registered), name: "李四" });
    },
  },
  "POST /api/lookup/letters/:docId": {
    send: async ({ w, as }) => {
      resetRateLimits();
      const code = await queryCodeOf(w.requestOfA);
      return as.post(`/api/lookup/letters/${w.letterForA}`, { code, name: "李四" });
    },
  },
  // A paper application filed with citizen A's phone links to A; refused callers try the shared one.
  "POST /api/lookup/link": {
    send: async ({ w, as, allowed }) => {
      const id = allowed ? await fresh.registeredWithPhone(w, w.citizens.citA.phone) : w.registered;
      resetRateLimits();
      return as.post("/api/lookup/link", { code: await queryCodeOf(id), name: "李四" });
    },
  },

  // After closure: only the applicant; an allowed rating needs an application not yet rated.
  "GET /api/aftercare/:id": { send: ({ w, as }) => as.get(`/api/aftercare/${w.closedOfA}`) },
  "POST /api/aftercare/:id/rating": {
    send: async ({ w, as, allowed }) =>
      as.post(`/api/aftercare/${allowed ? await fresh.closedOfA(w) : w.closedOfA}/rating`, { score: 4 }),
  },
  "GET /api/aftercare/:id/review-application": {
    send: ({ w, as }) => as.get(`/api/aftercare/${w.closedOfA}/review-application`),
  },
  "GET /api/aftercare/:id/review-application/docx": {
    send: ({ w, as }) => as.get(`/api/aftercare/${w.closedOfA}/review-application/docx`),
  },

  "POST /api/feedback/deflections": {
    send: ({ w, as }) => as.post("/api/feedback/deflections", { agencyId: X(w), itemId: w.publishedItem }),
  },
  "GET /api/feedback/dashboard": { send: ({ w, as }) => as.get(`/api/feedback/dashboard?agencyId=${X(w)}`) },
  "GET /api/feedback/summary": { send: ({ as }) => as.get("/api/feedback/summary"), hidden: (w) => [X(w)] },
  "POST /api/feedback/follow-ups/:id": {
    send: async ({ w, as, allowed }) =>
      as.post(`/api/feedback/follow-ups/${allowed ? await fresh.followUp(w) : w.followUp}`, {
        result: "已电话回访",
      }),
  },

  "GET /api/publication-proposals/": {
    send: ({ w, as }) => as.get(`/api/publication-proposals?agencyId=${X(w)}`),
  },
  "POST /api/publication-proposals/": {
    send: async ({ w, as, allowed }) =>
      as.post("/api/publication-proposals", {
        agencyId: X(w),
        requestIds: allowed
          ? [await fresh.registered(w), await fresh.registered(w)]
          : [w.registered, w.requestOfA],
        title: "矩阵建议",
      }),
  },
  "POST /api/publication-proposals/:id/publish": {
    send: async ({ w, as, allowed }) =>
      as.post(`/api/publication-proposals/${allowed ? await fresh.proposal(w) : w.proposal}/publish`, {
        itemId: allowed ? await fresh.publishedItem(w) : w.publishedItem,
      }),
  },

  "GET /api/messages/": {
    send: ({ as }) => as.get("/api/messages?limit=100"),
    hidden: (w) => [w.messageOfA],
  },
  "POST /api/messages/:id/read": { send: ({ w, as }) => as.post(`/api/messages/${w.messageOfA}/read`) },

  "GET /api/calendar/overrides": { send: ({ as }) => as.get("/api/calendar/overrides") },
  "PUT /api/calendar/overrides/:date": {
    send: ({ w, as }) =>
      as.put(`/api/calendar/overrides/${w.overrideDate}`, { kind: "holiday", name: "矩阵假日" }),
  },
  "DELETE /api/calendar/overrides/:date": {
    send: async ({ w, as, allowed }) =>
      as.delete(`/api/calendar/overrides/${allowed ? await fresh.override(w) : w.overrideDate}`),
  },
  "GET /api/calendar/days": { send: ({ as }) => as.get("/api/calendar/days?from=2026-01-01&to=2026-01-31") },

  "GET /api/catalogue/categories": { send: ({ as }) => as.get("/api/catalogue/categories") },
  "GET /api/catalogue/agencies": { send: ({ as }) => as.get("/api/catalogue/agencies") },
  "GET /api/catalogue/items": { send: ({ w, as }) => as.get(`/api/catalogue/items?agency=${X(w)}`) },
  "GET /api/catalogue/items/:id": { send: ({ w, as }) => as.get(`/api/catalogue/items/${w.publishedItem}`) },
  "GET /api/catalogue/items/:id [draft]": {
    send: ({ w, as }) => as.get(`/api/catalogue/items/${w.draftItem}`),
  },
  "GET /api/catalogue/items/:id/attachments/:attachmentId": {
    send: ({ w, as }) => as.get(`/api/catalogue/items/${w.publishedItem}/attachments/${w.attachment}`),
  },
  "GET /api/catalogue/search": {
    send: ({ as }) => as.get(`/api/catalogue/search?q=${encodeURIComponent("测试")}`),
  },
  "GET /api/catalogue/suggest": {
    send: ({ as }) => as.get(`/api/catalogue/suggest?q=${encodeURIComponent("测试目录")}`),
  },
  "GET /api/catalogue/manage/items": {
    send: ({ w, as }) => as.get(`/api/catalogue/manage/items?agencyId=${X(w)}`),
  },
  "GET /api/catalogue/manage/items/:id": {
    send: ({ w, as }) => as.get(`/api/catalogue/manage/items/${w.draftItem}`),
  },
  "POST /api/catalogue/items": {
    send: ({ w, as }) =>
      as.post("/api/catalogue/items", {
        agencyId: X(w),
        title: `矩阵新建目录${next()}`,
        category: "agencyInfo",
        body: "正文",
        formedDate: "2026-01-05",
      }),
  },
  "PATCH /api/catalogue/items/:id": {
    send: ({ w, as }) => as.patch(`/api/catalogue/items/${w.draftItem}`, { summary: `概述${next()}` }),
  },
  "POST /api/catalogue/items/:id/publish": {
    send: async ({ w, as, allowed }) =>
      as.post(`/api/catalogue/items/${allowed ? await fresh.draftItem(w) : w.draftItem}/publish`, {
        publishedDate: "2026-01-06",
      }),
  },
  "POST /api/catalogue/items/:id/withdraw": {
    send: async ({ w, as, allowed }) =>
      as.post(`/api/catalogue/items/${allowed ? await fresh.publishedItem(w) : w.publishedItem}/withdraw`, {
        reason: "信息有误",
      }),
  },
  "POST /api/catalogue/items/:id/repeal": {
    send: async ({ w, as, allowed }) =>
      as.post(`/api/catalogue/items/${allowed ? await fresh.publishedItem(w) : w.publishedItem}/repeal`, {
        repealedDate: "2026-02-01",
      }),
  },
  "POST /api/catalogue/items/:id/attachments": {
    send: ({ w, as }) =>
      sendRaw(w, as, "POST", `/api/catalogue/items/${w.draftItem}/attachments?name=a.pdf`, tinyPdf, {
        "Content-Type": "application/pdf",
      }),
  },
  "POST /api/catalogue/import": {
    send: ({ w, as }) =>
      sendRaw(
        w,
        as,
        "POST",
        `/api/catalogue/import?agencyId=${X(w)}`,
        Buffer.from(`标题,类别,生成日期,正文\n矩阵导入目录${next()},机构职能,2026-01-05,正文\n`),
        { "Content-Type": "text/csv" },
      ),
  },
  "GET /api/catalogue/late": { send: ({ w, as }) => as.get(`/api/catalogue/late?agencyId=${X(w)}`) },
  "GET /api/catalogue/table2": {
    send: ({ w, as }) => as.get(`/api/catalogue/table2?agencyId=${X(w)}&year=2025`),
  },

  "GET /api/review-cases/": { send: ({ as }) => as.get("/api/review-cases"), hidden: (w) => [w.reviewCase] },
  "GET /api/review-cases/ [agencyId=X]": {
    send: ({ w, as }) => as.get(`/api/review-cases?agencyId=${X(w)}`),
  },
  "GET /api/review-cases/:id": { send: ({ w, as }) => as.get(`/api/review-cases/${w.reviewCase}`) },
  "POST /api/review-cases/": {
    send: ({ w, as }) =>
      as.post("/api/review-cases", {
        agencyId: X(w),
        caseNo: `诉〔2026〕${next()}号`,
        kind: "litigationDirect",
        filedDate: "2026-03-02",
      }),
  },
  "PATCH /api/review-cases/:id": {
    send: ({ w, as }) => as.patch(`/api/review-cases/${w.reviewCase}`, { notes: `备注${next()}` }),
  },
  "POST /api/review-cases/:id/close": {
    send: async ({ w, as, allowed }) =>
      as.post(`/api/review-cases/${allowed ? await fresh.reviewCase(w) : w.reviewCase}/close`, {
        closedDate: "2026-04-01",
        result: "upheld",
      }),
  },

  "POST /api/ledger/import": {
    send: ({ w, as }) =>
      sendRaw(
        w,
        as,
        "POST",
        `/api/ledger/import?agencyId=${X(w)}`,
        toCsv(goodRows(`MX${next()}`).slice(0, 1)),
        { "Content-Type": "application/octet-stream", "X-Filename": encodeURIComponent("台账.csv") },
      ),
  },
  "GET /api/ledger/export": { send: ({ w, as }) => as.get(`/api/ledger/export?agencyId=${X(w)}&format=csv`) },

  "GET /api/reports/dashboard": { send: ({ as }) => as.get("/api/reports/dashboard"), hidden: (w) => [X(w)] },
  "GET /api/reports/summary": {
    send: ({ w, as }) => as.get(`/api/reports/summary?agencyId=${X(w)}&year=${w.years.draft}`),
  },
  "GET /api/reports/public": { send: ({ as }) => as.get("/api/reports/public") },
  "GET /api/reports/public/:agencyCode/:year": {
    send: ({ w, as }) => as.get(`/api/reports/public/${w.x.code}/${w.years.published}`),
  },
  "POST /api/reports/agencies/:agencyId/:year/draft": {
    send: ({ w, as }) => as.post(`${reportBase(w, w.years.draft)}/draft`, {}),
  },
  "GET /api/reports/agencies/:agencyId/:year": { send: ({ w, as }) => as.get(reportBase(w, w.years.draft)) },
  "PUT /api/reports/agencies/:agencyId/:year/inputs": {
    send: ({ w, as }) => as.put(`${reportBase(w, w.years.draft)}/inputs`, { table4Basis: "filedInYear" }),
  },
  "PUT /api/reports/agencies/:agencyId/:year/sections": {
    send: ({ w, as }) =>
      as.put(`${reportBase(w, w.years.draft)}/sections`, { problems: ["一是公开及时性有待提高。"] }),
  },
  "GET /api/reports/agencies/:agencyId/:year/provenance": {
    send: ({ w, as }) => as.get(`${reportBase(w, w.years.draft)}/provenance?cell=three.newReceived.total`),
  },
  "GET /api/reports/agencies/:agencyId/:year/export/:format": {
    send: ({ w, as }) => as.get(`${reportBase(w, w.years.draft)}/export/json`),
  },
  "POST /api/reports/agencies/:agencyId/:year/import": {
    send: ({ w, as }) => as.post(`${reportBase(w, w.years.draft)}/import`, { text: SEED_REPORT }),
  },
  "POST /api/reports/agencies/:agencyId/:year/publish": {
    send: ({ w, as }) => as.post(`${reportBase(w, w.years.ready)}/publish`, {}),
  },
  "POST /api/reports/agencies/:agencyId/:year/revise": {
    send: ({ w, as }) => as.post(`${reportBase(w, w.years.published)}/revise`, { reason: "更正表二数据" }),
  },

  "GET /api/users/": { send: ({ as }) => as.get("/api/users"), hidden: (w) => [X(w), w.logins.adm.username] },
  "GET /api/users/ [agencyId=X]": { send: ({ w, as }) => as.get(`/api/users?agencyId=${X(w)}`) },
  "POST /api/users/": {
    send: ({ w, as }) =>
      as.post("/api/users", {
        username: `matrix.user${next()}`,
        displayName: "矩阵用户",
        roles: [{ agencyId: X(w), role: "handler" }],
      }),
  },
  "PUT /api/users/:id/roles [grant at X]": {
    send: ({ w, as }) =>
      as.put(`/api/users/${w.spareUser}/roles`, {
        roles: [
          { agencyId: X(w), role: "handler" },
          { agencyId: X(w), role: "registrar" },
        ],
      }),
  },
  "PUT /api/users/:id/roles [grant at Y]": {
    // Y's administrator trying to pull X's staff member into Y: Y may not even learn the user exists.
    send: ({ w, as }) =>
      as.put(`/api/users/${w.spareUser}/roles`, { roles: [{ agencyId: String(w.y._id), role: "admin" }] }),
  },
  // X's administrator reaching up to X's parent government: a grant is judged at the agency it applies to.
  "PUT /api/users/:id/roles [grant at G]": {
    send: async ({ w, as, allowed }) =>
      as.put(`/api/users/${allowed ? await fresh.staffOfX(w) : w.spareUser}/roles`, {
        roles: [
          { agencyId: X(w), role: "handler" },
          { agencyId: String(w.g._id), role: "handler" },
        ],
      }),
  },
  // Only a supervisor of an ancestor (G) makes someone a supervisor of X, never X's administrator.
  "PUT /api/users/:id/roles [grant supervisor at X]": {
    send: async ({ w, as, allowed }) =>
      as.put(`/api/users/${allowed ? await fresh.staffOfX(w) : w.spareUser}/roles`, {
        roles: [
          { agencyId: X(w), role: "handler" },
          { agencyId: X(w), role: "supervisor" },
        ],
      }),
  },
  // The caller's own roles plus supervisor at X: the administrator of X may not promote themselves.
  "PUT /api/users/:id/roles [self-grant supervisor at X]": {
    send: async ({ w, role, as }) => {
      if (role === "anon" || role === "citA" || role === "citB")
        return as.put(`/api/users/${w.logins.adm.id}/roles`, {
          roles: [{ agencyId: X(w), role: "supervisor" }],
        });
      const own = await User.findById(w.logins[role].id, { roles: 1 }).lean();
      const roles = (own?.roles ?? []).map((grant) => ({
        agencyId: String(grant.agencyId),
        role: grant.role,
      }));
      return as.put(`/api/users/${w.logins[role].id}/roles`, {
        roles: [...roles, { agencyId: X(w), role: "supervisor" }],
      });
    },
  },
  "POST /api/users/:id/disable": {
    send: async ({ w, as, allowed }) =>
      as.post(`/api/users/${allowed ? await fresh.staffOfX(w) : w.spareUser}/disable`),
  },
  "POST /api/users/:id/enable": {
    send: async ({ w, as, allowed }) =>
      as.post(`/api/users/${allowed ? await fresh.disabledStaffOfX(w) : w.disabledUser}/enable`),
  },
  "POST /api/users/:id/reset-password": {
    send: ({ w, as }) => as.post(`/api/users/${w.spareUser}/reset-password`),
  },
  "PUT /api/users/:id/contact": {
    send: ({ w, as }) => as.put(`/api/users/${w.spareUser}/contact`, { phone: "13700009902" }),
  },

  // The account also holds a role at G, which X's administrator does not manage: disabling it or
  // resetting its password would hand X's administrator the city supervisor's powers.
  "POST /api/users/:id/disable [account also at G]": {
    send: async ({ w, as, allowed }) =>
      as.post(`/api/users/${allowed ? await fresh.cityStaffAlsoAtX(w) : w.cityUser}/disable`),
  },
  "POST /api/users/:id/enable [account also at G]": {
    send: async ({ w, as, allowed }) =>
      as.post(
        `/api/users/${allowed ? await fresh.cityStaffAlsoAtX(w, { disabled: true }) : w.disabledCityUser}/enable`,
      ),
  },
  "POST /api/users/:id/reset-password [account also at G]": {
    send: ({ w, as }) => as.post(`/api/users/${w.cityUser}/reset-password`),
  },

  "GET /api/agencies/tree": { send: ({ as }) => as.get("/api/agencies/tree"), hidden: (w) => [X(w)] },
  "POST /api/agencies/": {
    send: ({ w, as }) =>
      as.post("/api/agencies", { parentId: X(w), code: `MX-${next()}`, name: "矩阵市生态环境局乐都分局" }),
  },
  "PATCH /api/agencies/:id": {
    send: ({ w, as }) => as.patch(`/api/agencies/${X(w)}`, { letterhead: { phone: `0972-${next()}` } }),
  },

  "GET /api/audit/": { send: ({ as }) => as.get("/api/audit?limit=100"), hidden: (w) => [X(w)] },
  "GET /api/audit/ [agencyId=X]": { send: ({ w, as }) => as.get(`/api/audit?agencyId=${X(w)}`) },

  "GET /api/supervisions/": {
    send: ({ as }) => as.get("/api/supervisions?limit=100"),
    hidden: (w) => [X(w), supervisionOfX],
  },
  "GET /api/supervisions/ [agencyId=X]": {
    send: ({ w, as }) => as.get(`/api/supervisions?agencyId=${X(w)}`),
  },
  "POST /api/supervisions/": {
    send: ({ w, as }) =>
      as.post("/api/supervisions", {
        agencyId: X(w),
        reason: "矩阵督办：请按期反馈办理情况",
        workingDays: 5,
      }),
  },
  // Each permitted reply answers a fresh 督办单, so the shared one stays open for the refused callers.
  "POST /api/supervisions/:id/reply": {
    send: async ({ w, as, allowed }) =>
      as.post(`/api/supervisions/${allowed ? await freshSupervision(w) : supervisionOfX}/reply`, {
        reply: "已按要求整改并答复申请人",
      }),
  },
};

/** An open 督办单 on X, issued by the supervisor of G before the rows run. */
let supervisionOfX = "";
async function freshSupervision(w: World): Promise<string> {
  return expectStatus<{ id: string }>(
    await w.client.sup.post("/api/supervisions", { agencyId: X(w), reason: "矩阵督办", workingDays: 5 }),
    201,
    "supervision",
  ).id;
}

type Answer = "ok" | "own" | "401" | "403" | "404" | "pwd";
const answers = new Set<string>(["ok", "own", "401", "403", "404", "pwd"]);

/** Rows of the expected table: label ("METHOD /path [variant]") → answer per caller. */
const rows: { label: string; key: string; expect: Record<Role, Answer> }[] = EXPECTED.split("\n")
  .map((line) => line.trim())
  .filter((line) => line !== "" && !line.startsWith("route "))
  .map((line) => {
    const tokens = line.split(/\s+/);
    const codes = tokens.slice(-roles.length);
    const label = `${tokens[0]} ${tokens.slice(1, -roles.length).join(" ")}`;
    if (codes.length !== roles.length || codes.some((code) => !answers.has(code)))
      throw new Error(`malformed row: ${line}`);
    return {
      label,
      key: label.replace(/ \[.*\]$/, ""),
      expect: Object.fromEntries(roles.map((role, i) => [role, codes[i] as Answer])) as Record<Role, Answer>,
    };
  });

let w: World;
const tally = new Map<Answer, number>();

before(async () => {
  w = await buildWorld();
  supervisionOfX = await freshSupervision(w);
});
after(async () => {
  await w?.stopFakeWechat();
  await w?.server.close();
});

describe("authorization matrix", () => {
  it("has one row for every route the app serves, and no row without a route", () => {
    const normalize = (key: string) => key.replace(/(.)\/$/, "$1");
    const served = new Set([...routeRegistry.keys()].map(normalize));
    // Routes mounted outside the declarative table (health, docs, metrics) are served all the same.
    for (const middleware of w.server.app.middleware as { router?: { stack: Layer[] } }[])
      for (const layer of middleware.router?.stack ?? [])
        for (const method of layer.methods)
          if (method !== "HEAD") served.add(normalize(`${method} ${layer.path}`));
    const tabled = new Set(rows.map((row) => normalize(row.key)));
    assert.deepEqual(
      [...served].filter((key) => !tabled.has(key)),
      [],
      "routes without a row",
    );
    assert.deepEqual(
      [...tabled].filter((key) => !served.has(key)),
      [],
      "rows without a route",
    );
    const labels = rows.map((row) => row.label);
    assert.equal(new Set(labels).size, labels.length, "each row once");
    assert.deepEqual(labels.filter((label) => !PROBES[label]).sort(), [], "rows without a probe");
    assert.deepEqual(
      Object.keys(PROBES).filter((label) => !labels.includes(label)),
      [],
      "probes without a row",
    );
  });

  for (const row of rows) {
    it(row.label, async () => {
      const probe = PROBES[row.label];
      assert.ok(probe, `no probe for ${row.label}`);
      const problems: string[] = [];
      // The state after a refused call is the state before the next one, unless a permitted call ran.
      let snapshot: string | null = null;
      for (const role of roles) {
        const expected = row.expect[role];
        const allowed = expected === "ok" || expected === "own";
        resetRateLimits();
        if (!allowed) snapshot ??= await databaseSnapshot();
        const response = await probe.send({ w, role, as: w.client[role], allowed });
        const problem = judge(response, expected, probe.hidden?.(w) ?? []);
        if (problem) problems.push(`${role}: expected ${expected}, ${problem}`);
        if (allowed) snapshot = null;
        else {
          const afterwards = await databaseSnapshot();
          if (afterwards !== snapshot)
            problems.push(
              `${role}: should change nothing, but the database changed (answer ${response.status})`,
            );
          snapshot = afterwards;
        }
        tally.set(expected, (tally.get(expected) ?? 0) + 1);
      }
      assert.deepEqual(problems, [], `${row.label}\n${problems.join("\n")}`);
    });
  }

  it("prints its size", (t) => {
    const keys = new Set(rows.map((row) => row.key));
    const cells = [...tally.values()].reduce((sum, n) => sum + n, 0);
    assert.equal(cells, rows.length * roles.length, "every cell ran");
    const byAnswer = [...tally.entries()].map(([answer, n]) => `${answer} ${n}`).join(", ");
    t.diagnostic(
      `authorization matrix: ${keys.size} routes (${rows.length} rows) × ${roles.length} callers = ${cells} cells (${byAnswer})`,
    );
  });
});

interface Layer {
  methods: string[];
  path: string;
}

/** Why `response` is not the `expected` answer, or null when it is. */
function judge(response: TestResponse, expected: Answer, hidden: string[]): string | null {
  const body = response.body as
    | { code?: string; details?: { reason?: string; resource?: string } }
    | undefined;
  const got = `got ${response.status} ${JSON.stringify(response.body)?.slice(0, 300)}`;
  switch (expected) {
    case "ok":
    case "own": {
      if (response.status < 200 || response.status > 299) return got;
      if (expected === "ok") return null;
      const text = typeof response.body === "string" ? response.body : JSON.stringify(response.body);
      const seen = hidden.filter((marker) => text.includes(marker));
      return seen.length > 0 ? `but the answer shows ${seen.join(", ")}` : null;
    }
    case "401":
      return response.status === 401 && body?.code === "unauthorized" ? null : got;
    case "403":
      return response.status === 403 &&
        body?.code === "forbidden" &&
        body.details?.reason !== "auth.must_change_password"
        ? null
        : got;
    case "pwd":
      return response.status === 403 && body?.details?.reason === "auth.must_change_password" ? null : got;
    case "404":
      // A 404 of the route itself would mean the probe's path is wrong, not that access was refused.
      return response.status === 404 &&
        body?.code === "not_found" &&
        body.details?.resource !== undefined &&
        body.details.resource !== "route"
        ? null
        : got;
  }
}

/** A staff user that exists only to be logged in as (every caller may use the login form). */
let loginProbeUser: { username: string; password: string } | undefined;
async function loginProbe(w: World): Promise<{ username: string; password: string }> {
  if (!loginProbeUser) {
    loginProbeUser = await buildStaff([{ agency: w.y, role: "handler" }]);
  }
  return loginProbeUser;
}

/** Fires one step of the sign-off chain with the current version. */
async function chainStep(
  w: World,
  as: Client,
  id: string,
  type: string,
  payload: Record<string, unknown> = {},
): Promise<TestResponse> {
  const fields = type === "draftDecision" ? { outcome: "granted", letter: ["拟办稿"] } : payload;
  return as.post(`/api/requests/${id}/events`, {
    event: { type, date: today(), ...fields },
    expectedVersion: await versionOf(w, id),
  });
}

/** A fresh application at X with a 拟办 waiting for 审核. */
async function drafted(w: World): Promise<string> {
  const id = await fresh.registered(w);
  expectStatus(await chainStep(w, w.client.hdl, id, "draftDecision"), 200, "draft");
  return id;
}

/** A fresh application at X assigned to the handler, waiting for 签收. */
async function assignedToHandler(w: World): Promise<string> {
  const id = await fresh.registered(w);
  const assigned = await w.client.reg.post(`/api/requests/${id}/assign`, { assigneeId: w.logins.hdl.id });
  expectStatus(assigned, 200, "assign");
  return id;
}

async function versionOf(w: World, id: string): Promise<number> {
  return expectStatus<{ version: number }>(await w.client.reg.get(`/api/requests/${id}`), 200, "version")
    .version;
}
