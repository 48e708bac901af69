/**
 * 转办 within the deployment (issue 17, item 3), over real HTTP against the embedded database: a reply
 * under Art. 36(五) that names another agency of the deployment, with the applicant's consent on
 * record, closes the first application in 三（四）1 and gives the receiving agency a new application,
 * received that day, linked both ways; both agencies and the applicant (account and 查询码) see both,
 * and the applicant is told through the outbox. A 转办 to itself or outside the deployment is refused
 * with a Chinese message and writes nothing.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { LookupResultDto } from "@govinfo/shared/schemas/lookup";
import type { RequestDetailDto, RequestListItemDto } from "@govinfo/shared/schemas/requestDto";
import mongoose from "mongoose";
import { resetRateLimits } from "../../../server/middlewares/rateLimit.ts";
import { OutboxMessage } from "../../../server/models/OutboxMessage.ts";
import { buildAgency, buildStaff } from "../../factories/people.ts";
import { anonymousClient, type Client, loginApplicant, loginStaff } from "../../support/clients.ts";
import { fingerprint } from "../../support/dbFingerprint.ts";
import { startTestServer, type TestServer } from "../../support/testServer.ts";
import {
  detail,
  fails,
  fire,
  fireOk,
  ok,
  type StaffedAgency,
  staffedAgency,
  submission,
  today,
} from "./requests.support.ts";

let server: TestServer;
let x: StaffedAgency;
/** The receiving agency, a sibling of X in the same deployment, with its registrar. */
let yAgency: { id: string; name: string };
let yRegistrar: Client;
let citizen: Client;

before(async () => {
  server = await startTestServer();
  x = await staffedAgency(server);
  const y = await buildAgency({ parent: x.parent, name: "海东市自然资源局" });
  yAgency = { id: String(y._id), name: y.name };
  const user = await buildStaff([{ agency: y, role: "registrar" }]);
  yRegistrar = await loginStaff(server, user.username, user.password);
  citizen = await loginApplicant(server, "13900001717");
});
after(async () => {
  await server.close();
});

/** A received online application of the citizen at X. */
async function receivedAtX(): Promise<string> {
  resetRateLimits();
  const created = ok<RequestDetailDto>(await citizen.post("/api/requests", submission(x.agency)), 201);
  await fireOk(x.registrar, created.id, { type: "confirmReceipt", date: today() });
  return created.id;
}

/** The 转办 reply (36(五) with consent) to `agencyId`. */
function transferEvent(agencyId: string, overrides: Record<string, unknown> = {}) {
  return {
    type: "decide",
    date: today(),
    outcome: "unable.notHeld",
    ground: "notResponsible",
    responsibleAgencyId: agencyId,
    note: "所申请信息由自然资源部门制作并保存",
    transfer: { consentMethod: "phone", consentDate: today() },
    ...overrides,
  };
}

describe("转办 within the deployment", () => {
  it("closes the first application in 三（四）1 and opens a linked one at the receiving agency", async () => {
    const id = await receivedAtX();
    const first = await fireOk(x.reviewer, id, transferEvent(yAgency.id));
    assert.equal(first.state, "decided");
    assert.equal(first.outcome, "unable.notHeld");
    assert.equal(first.closedDate, today());
    const to = first.transfers?.to;
    assert.ok(to, "the first application links to the new one");
    assert.equal(to.agencyName, "海东市自然资源局");
    assert.equal(first.transfers?.from, null);
    assert.match(
      first.timeline.at(-1)?.summary ?? "",
      /经申请人同意（电话确认，.*），已转送海东市自然资源局办理/,
    );

    // The 36(五) letter names the receiving agency and tells the applicant it was handed on.
    const letter = ok<{ paragraphs: string[] }>(
      await x.reviewer.get(`/api/requests/${id}/letters/reply/preview`),
    );
    assert.ok(
      letter.paragraphs.some((p) =>
        p.includes(
          "负责公开该政府信息的行政机关为海东市自然资源局，经您同意，本机关已将您的申请转送该行政机关办理",
        ),
      ),
      letter.paragraphs.join("\n"),
    );

    // The receiving agency's registrar finds it in the queue, received today, same content.
    const queue = ok<{ items: RequestListItemDto[] }>(
      await yRegistrar.get(`/api/requests?agencyId=${yAgency.id}`),
    );
    assert.ok(queue.items.some((item) => item.id === to.id));
    const second = await detail(yRegistrar, to.id);
    assert.equal(second.state, "received");
    assert.equal(second.receiptDate, today());
    assert.equal(second.description, first.description);
    assert.equal(second.applicant.name, first.applicant.name);
    assert.equal(second.transfers?.from?.id, id);
    assert.equal(second.transfers?.from?.serialNo, first.serialNo);
    assert.match(second.timeline[0]?.summary ?? "", new RegExp(`转送的申请（原申请编号${first.serialNo}）`));
    assert.notEqual(second.queryCode, first.queryCode);
    // X's staff cannot open Y's application (only its number and agency show on theirs).
    fails(await x.reviewer.get(`/api/requests/${to.id}`), 404);

    // The applicant sees both in their list and on both timelines.
    const mine = ok<{ items: RequestListItemDto[] }>(await citizen.get("/api/requests/mine?limit=100"));
    assert.ok(mine.items.some((item) => item.id === id));
    assert.ok(mine.items.some((item) => item.id === to.id));
    const own = await detail(citizen, to.id);
    assert.equal(own.transfers?.from?.serialNo, first.serialNo);

    // … and through the 查询码 of the first, with the second's own code.
    resetRateLimits();
    const looked = ok<LookupResultDto>(
      await anonymousClient(server).post("/api/lookup", { code: first.queryCode, name: "李四" }),
    );
    assert.deepEqual(
      looked.transfers?.map((t) => [t.direction, t.serialNo, t.agencyName, t.queryCode]),
      [["to", second.serialNo, "海东市自然资源局", second.queryCode]],
    );
    assert.match(looked.timeline.at(-1)?.summary ?? "", /已转送海东市自然资源局办理/);

    // Notified through the outbox: the 转办 reply on the first, the receipt on the second.
    const messages = await OutboxMessage.find({ requestId: { $in: [id, to.id] } })
      .sort({ _id: 1 })
      .lean();
    const titles = messages.map((m) => `${String(m.requestId) === id ? "first" : "second"}:${m.title}`);
    assert.ok(titles.includes("first:申请已转办"), titles.join());
    assert.ok(titles.includes("second:转办申请已收到"), titles.join());
    const receipt = messages.find((m) => String(m.requestId) === to.id);
    assert.match(receipt?.body ?? "", new RegExp(`${second.serialNo}，原申请${first.serialNo}`));
    assert.equal(receipt?.channels?.inApp?.status, "delivered");
  });

  const refusals: [string, () => Record<string, unknown>, RegExp][] = [
    ["to itself", () => transferEvent(String(x.agency._id)), /不能是本机关/],
    [
      "to an agency that is not in the deployment",
      () => transferEvent("0123456789abcdef01234567"),
      /负责公开的行政机关不存在/,
    ],
    [
      "to an agency typed by name (outside the deployment)",
      () => {
        const { responsibleAgencyId: _omitted, ...rest } = transferEvent(yAgency.id);
        return { ...rest, responsibleAgencyName: "某省某市某局" };
      },
      /转办仅适用于.*本平台内/,
    ],
    [
      "without the ground 不属于本机关负责公开",
      () => ({ ...transferEvent(yAgency.id), ground: "notExist", responsibleAgencyId: undefined }),
      /转办仅适用于/,
    ],
    [
      "with the consent dated after the reply",
      () => transferEvent(yAgency.id, { transfer: { consentMethod: "writing", consentDate: "2999-01-01" } }),
      /同意转送的日期不能晚于告知日期/,
    ],
    [
      "without the way the applicant consented",
      () => transferEvent(yAgency.id, { transfer: { consentDate: today() } }),
      /请选择申请人同意转送的方式/,
    ],
  ];
  for (const [name, event, message] of refusals) {
    it(`refuses a 转办 ${name}, in Chinese, writing nothing`, async () => {
      const id = await receivedAtX();
      const before = await fingerprint(mongoose.connection);
      const { version } = await detail(x.reviewer, id);
      const refused = fails(
        await x.reviewer.post(`/api/requests/${id}/events`, { event: event(), expectedVersion: version }),
        400,
      );
      assert.match(refused.message, message);
      assert.match(refused.message, /[\u4e00-\u9fff]/);
      assert.deepEqual(await fingerprint(mongoose.connection), before);
    });
  }

  it("refuses a second 转办 of an application already handed on (it is closed)", async () => {
    const id = await receivedAtX();
    await fireOk(x.reviewer, id, transferEvent(yAgency.id));
    fails(await fire(x.reviewer, id, transferEvent(yAgency.id)), 409);
  });

  it("counts the first agency's closure in 三（四）1 and the new application as received by the second", async () => {
    const p = await staffedAgency(server);
    const q = await staffedAgency(server);
    resetRateLimits();
    const sent = ok<RequestDetailDto>(await citizen.post("/api/requests", submission(p.agency)), 201);
    await fireOk(p.registrar, sent.id, { type: "confirmReceipt", date: today() });
    await fireOk(p.reviewer, sent.id, transferEvent(String(q.agency._id)));
    const year = today().slice(0, 4);
    type Rows = Record<string, Record<string, number> | undefined>;
    const rowsOf = async (s: StaffedAgency) =>
      ok<{ tables: { three: { rows: Rows } } }>(
        await s.admin.post(`/api/reports/agencies/${s.agency._id}/${year}/draft`, {}),
      ).tables.three.rows;
    const first = await rowsOf(p);
    assert.equal(first.newReceived?.total, 1);
    assert.equal(first["unable.notHeld"]?.natural, 1, "三（四）1 本机关不掌握相关政府信息");
    assert.equal(first.closedTotal?.total, 1);
    const second = await rowsOf(q);
    assert.equal(second.newReceived?.total, 1);
    assert.equal(second.closedTotal?.total, 0, "still open at the receiving agency");
    const ledger = await p.admin.get(`/api/ledger/export?agencyId=${p.agency._id}&format=csv`);
    assert.equal(ledger.status, 200);
    const csv = String(ledger.body);
    assert.match(csv, /无法提供-本机关不掌握/);
    assert.equal(csv.trim().split("\n").length, 2, "header and the one application");
  });
});
