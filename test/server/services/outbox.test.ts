import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { Types } from "mongoose";
import { createLogger } from "../../../server/logger.ts";
import type { AgencyDoc } from "../../../server/models/Agency.ts";
import { Applicant } from "../../../server/models/Applicant.ts";
import { DisclosureRequest } from "../../../server/models/DisclosureRequest.ts";
import { OutboxMessage, type OutboxMessageDoc } from "../../../server/models/OutboxMessage.ts";
import { createPersonalDataCipher } from "../../../server/security/personalData.ts";
import type { SmsSender } from "../../../server/services/notify/sms.ts";
import { backoffMs, deliverOutbox, type OutboxServices } from "../../../server/services/outbox.ts";
import { fireEvent, onTransition } from "../../../server/services/requestTransitioner.ts";
import { buildAgency } from "../../factories/people.ts";
import { buildRequest, fixtureStaff } from "../../factories/requests.ts";
import { type Client, loginApplicant } from "../../support/clients.ts";
import { startTestServer, type TestServer } from "../../support/testServer.ts";

let server: TestServer;
let agency: AgencyDoc;
const cipher = createPersonalDataCipher(randomBytes(32));
const logger = createLogger({ level: "silent" });
const noWechat = { appId: undefined, secret: undefined, apiBase: "http://127.0.0.1:9" };

/** Requests whose transitions a test listener makes fail after the outbox listener has run. */
const sabotaged = new Set<string>();

before(async () => {
  server = await startTestServer();
  agency = await buildAgency({ name: "海东市生态环境局" });
  onTransition(async ({ after }) => {
    if (sabotaged.has(String(after._id))) throw new Error("simulated failure after the outbox listener");
  });
});
after(async () => {
  await server.close();
});

/** An SMS sender that fails the first `failures` sends to each phone, then records the message. */
class FlakySms implements SmsSender {
  readonly delivered: { phone: string; text: string }[] = [];
  readonly calls = new Map<string, number>();
  constructor(private readonly failures: number) {}
  async send(phone: string, text: string): Promise<void> {
    const calls = (this.calls.get(phone) ?? 0) + 1;
    this.calls.set(phone, calls);
    if (calls <= this.failures) throw new Error(`短信网关超时（第${calls}次）`);
    this.delivered.push({ phone, text });
  }
}

const correction = {
  type: "requestCorrection",
  date: "2025-03-05",
  items: ["请明确年份"],
  deadline: "2025-03-20",
};

function messagesOf(requestId: Types.ObjectId): Promise<OutboxMessageDoc[]> {
  return OutboxMessage.find({ requestId }).sort({ eventIndex: 1 }).lean<OutboxMessageDoc[]>();
}

describe("outbox enqueue", () => {
  it("a transition enqueues exactly one message, in its own transaction", async () => {
    const request = await buildRequest(agency, cipher, { events: [correction] });
    const messages = await messagesOf(request._id);
    assert.equal(messages.length, 1);
    const [message] = messages;
    assert.equal(message?.step, "correctionRequested");
    assert.equal(message?.eventIndex, 1);
    assert.equal(message?.serialNo, request.serialNo);
    assert.match(message?.body ?? "", /2025年3月20日前补正/);
    assert.match(message?.body ?? "", /视为放弃申请/);
    assert.equal(message?.channels.inApp.status, "skipped", "registered on paper: no account");
    assert.equal(message?.channels.sms.status, "pending");
    assert.equal(message?.channels.wechat.status, "skipped");
    assert.equal(cipher.decrypt(message?.phoneSealed ?? ""), "13812345678", "the phone stays sealed at rest");

    // Internal steps (consultation) tell the applicant nothing.
    const consulting = await buildRequest(agency, cipher, {
      events: [{ type: "startConsultation", date: "2025-03-05", party: "thirdParty", name: "某公司" }],
    });
    assert.equal((await messagesOf(consulting._id)).length, 0);
  });

  it("an aborted transition enqueues nothing", async () => {
    const request = await buildRequest(agency, cipher);
    sabotaged.add(String(request._id));
    await assert.rejects(
      fireEvent({ requestId: request._id, input: correction, actor: fixtureStaff, today: "2099-12-31" }),
      /simulated failure/,
    );
    sabotaged.delete(String(request._id));
    assert.equal((await messagesOf(request._id)).length, 0);
    const stored = await DisclosureRequest.findById(request._id).lean();
    assert.equal(stored?.state, "received", "the transition rolled back with it");
  });
});

describe("outbox dispatcher", () => {
  it("retries a failing SMS sender with backoff, then delivers once", async () => {
    const phone = "13700000011";
    const request = await buildRequest(agency, cipher, {
      input: {
        applicant: {
          type: "natural",
          name: "王五",
          idType: "idCard",
          idNumber: "11010519491231002X",
          phone,
          address: "海东市",
          email: "",
          contactPerson: "",
        },
      },
      events: [correction],
    });
    const [message] = await messagesOf(request._id);
    assert.ok(message);
    const sms = new FlakySms(2);
    const services: OutboxServices = { cipher, sms, logger, wechat: noWechat };
    const t0 = new Date(Date.now() + 1_000);

    await deliverOutbox(services, t0);
    let stored = await OutboxMessage.findById(message._id).lean<OutboxMessageDoc>();
    assert.equal(stored?.status, "pending");
    assert.equal(stored?.channels.sms.attempts, 1);
    assert.match(stored?.channels.sms.lastError ?? "", /短信网关超时/);
    assert.equal(stored?.channels.sms.nextAttemptAt?.getTime(), t0.getTime() + backoffMs(1));
    assert.equal(stored?.lockedUntil, null);

    await deliverOutbox(services, new Date(t0.getTime() + 30_000));
    assert.equal(sms.calls.get(phone), 1, "not retried before the backoff has passed");

    const t1 = new Date(t0.getTime() + backoffMs(1));
    await deliverOutbox(services, t1);
    stored = await OutboxMessage.findById(message._id).lean<OutboxMessageDoc>();
    assert.equal(stored?.channels.sms.attempts, 2);
    assert.equal(stored?.channels.sms.nextAttemptAt?.getTime(), t1.getTime() + backoffMs(2));
    assert.equal(backoffMs(2), 2 * backoffMs(1), "exponential");

    const t2 = new Date(t1.getTime() + backoffMs(2));
    const report = await deliverOutbox(services, t2);
    assert.ok(report.delivered >= 1);
    stored = await OutboxMessage.findById(message._id).lean<OutboxMessageDoc>();
    assert.equal(stored?.status, "done");
    assert.equal(stored?.nextAttemptAt, null);
    assert.equal(stored?.channels.sms.status, "delivered");
    assert.equal(stored?.channels.sms.attempts, 3);
    assert.equal(stored?.channels.sms.deliveredAt?.getTime(), t2.getTime());

    await deliverOutbox(services, new Date(t2.getTime() + 24 * 3600_000));
    const mine = sms.delivered.filter((sent) => sent.phone === phone);
    assert.equal(mine.length, 1, "delivered exactly once");
    assert.match(mine[0]?.text ?? "", /^【政府信息公开】/);
    assert.ok(mine[0]?.text.includes(request.serialNo));
  });

  it("two dispatchers running at once send a message once", async () => {
    const phone = "13700000012";
    const request = await buildRequest(agency, cipher, {
      input: {
        applicant: {
          type: "natural",
          name: "赵六",
          idType: "idCard",
          idNumber: "11010519491231002X",
          phone,
          address: "海东市",
          email: "",
          contactPerson: "",
        },
      },
      events: [correction],
    });
    const sms = new FlakySms(0);
    const services: OutboxServices = { cipher, sms, logger, wechat: noWechat };
    const now = new Date(Date.now() + 1_000);
    await Promise.all([deliverOutbox(services, now), deliverOutbox(services, now)]);
    assert.equal(sms.delivered.filter((sent) => sent.phone === phone).length, 1);
    const [message] = await messagesOf(request._id);
    assert.equal(message?.status, "done");
  });

  it("sends a WeChat subscribe message with the openid, and skips the channel when unconfigured", async () => {
    const received: { path: string; body: Record<string, unknown> }[] = [];
    const fake: Server = createServer((req, res) => {
      let raw = "";
      req.on("data", (chunk) => {
        raw += chunk;
      });
      req.on("end", () => {
        const url = new URL(req.url ?? "/", "http://fake");
        res.setHeader("Content-Type", "application/json");
        if (url.pathname === "/cgi-bin/token") {
          res.end(JSON.stringify({ access_token: "TOKEN-1", expires_in: 7200 }));
          return;
        }
        received.push({ path: `${url.pathname}?${url.searchParams}`, body: JSON.parse(raw || "{}") });
        // The first send fails (system busy), the retry succeeds.
        res.end(
          JSON.stringify(received.length === 1 ? { errcode: -1, errmsg: "system busy" } : { errcode: 0 }),
        );
      });
    });
    await new Promise<void>((resolve) => fake.listen(0, "127.0.0.1", resolve));
    try {
      const apiBase = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
      // Two consents to the 补正及缴费 template and one to the progress template: a correction takes one
      // of the former, and each consent allows one message.
      const account = await Applicant.create({
        openid: "openid-wx-1",
        subscriptions: ["progress:TEMPLATE-PROGRESS", "action:TEMPLATE-1", "action:TEMPLATE-2"],
      });
      const request = await buildRequest(agency, cipher, {
        applicantAccountId: account._id,
        events: [correction],
      });
      const [message] = await messagesOf(request._id);
      assert.equal(message?.channels.wechat.status, "pending");
      assert.equal(message?.channels.inApp.status, "delivered");

      const services: OutboxServices = {
        cipher,
        sms: new FlakySms(0),
        logger,
        wechat: { appId: "wx-app", secret: "wx-secret", apiBase },
      };
      const t0 = new Date(Date.now() + 1_000);
      await deliverOutbox(services, t0);
      let stored = await OutboxMessage.findById(message?._id).lean<OutboxMessageDoc>();
      assert.equal(stored?.channels.wechat.status, "pending");
      assert.match(stored?.channels.wechat.lastError ?? "", /system busy/);
      await deliverOutbox(services, new Date(t0.getTime() + backoffMs(1)));
      stored = await OutboxMessage.findById(message?._id).lean<OutboxMessageDoc>();
      assert.equal(stored?.channels.wechat.status, "delivered");
      assert.equal(stored?.status, "done");
      const sent = received.at(-1);
      assert.equal(sent?.path, "/cgi-bin/message/subscribe/send?access_token=TOKEN-1");
      assert.equal(sent?.body.touser, "openid-wx-1");
      assert.equal(sent?.body.template_id, "TEMPLATE-1");
      assert.equal(sent?.body.page, `pages/mine/detail/index?id=${request._id}`);
      const left = await Applicant.findById(account._id).lean();
      assert.deepEqual(left?.subscriptions, ["progress:TEMPLATE-PROGRESS", "action:TEMPLATE-2"]);
      const data = sent?.body.data as Record<string, { value: string }>;
      assert.equal(data.thing1?.value, request.serialNo);
      assert.equal(data.phrase2?.value, "待补正");
      assert.equal(data.date3?.value, "2025年3月5日");

      const other = await buildRequest(agency, cipher, {
        applicantAccountId: account._id,
        events: [correction],
      });
      await deliverOutbox({ ...services, wechat: noWechat }, new Date(Date.now() + 1_000));
      const [unconfigured] = await messagesOf(other._id);
      assert.equal(unconfigured?.templateId, "TEMPLATE-2");
      assert.equal(unconfigured?.channels.wechat.status, "skipped");
      assert.equal(unconfigured?.channels.wechat.skippedReason, "微信订阅消息未配置");

      // No 补正及缴费 consent is left: the progress consent is not spent on a correction.
      const third = await buildRequest(agency, cipher, {
        applicantAccountId: account._id,
        events: [correction],
      });
      const [unsubscribed] = await messagesOf(third._id);
      assert.equal(unsubscribed?.channels.wechat.status, "skipped");
      assert.equal(unsubscribed?.channels.wechat.skippedReason, "申请人未订阅微信消息");
      assert.deepEqual((await Applicant.findById(account._id).lean())?.subscriptions, [
        "progress:TEMPLATE-PROGRESS",
      ]);
    } finally {
      fake.closeAllConnections();
      await new Promise<void>((resolve) => fake.close(() => resolve()));
    }
  });
});

describe("in-app messages", () => {
  let owner: Client;
  let stranger: Client;
  let requestId: Types.ObjectId;

  before(async () => {
    owner = await loginApplicant(server, "13900000101");
    stranger = await loginApplicant(server, "13900000102");
    const me = await owner.get("/api/auth/me");
    const ownerId = new Types.ObjectId((me.body as { data: { id: string } }).data.id);
    const request = await buildRequest(agency, cipher, {
      applicantAccountId: ownerId,
      events: [correction, { type: "receiveCorrection", date: "2025-03-10" }],
    });
    requestId = request._id;
  });

  it("lists the owner's messages newest first; another applicant sees none", async () => {
    const list = await owner.get("/api/messages");
    assert.equal(list.status, 200);
    const page = (
      list.body as {
        data: { items: { step: string; requestId: string; title: string }[]; unreadCount: number };
      }
    ).data;
    assert.deepEqual(
      page.items.map((item) => item.step),
      ["received", "correctionRequested"],
    );
    assert.ok(page.items.every((item) => item.requestId === String(requestId)));
    assert.equal(page.unreadCount, 2);
    const theirs = await stranger.get("/api/messages");
    assert.deepEqual((theirs.body as { data: { items: unknown[] } }).data.items, []);
    const anonymous = await server.request("/api/messages");
    assert.equal(anonymous.status, 401);
  });

  it("marks a message read for its owner only", async () => {
    const list = await owner.get("/api/messages");
    const first = (list.body as { data: { items: { id: string }[] } }).data.items[0];
    assert.ok(first);
    const foreign = await stranger.post(`/api/messages/${first.id}/read`);
    assert.equal(foreign.status, 404);
    const read = await owner.post(`/api/messages/${first.id}/read`);
    assert.equal(read.status, 200);
    assert.ok((read.body as { data: { readAt: string | null } }).data.readAt);
    const after = await owner.get("/api/messages?unread=true");
    const page = (after.body as { data: { items: { id: string }[]; unreadCount: number } }).data;
    assert.equal(page.unreadCount, 1);
    assert.ok(!page.items.some((item) => item.id === first.id));
  });
});
