/**
 * 催办 and 超期预警 to staff (issue 17, item 5), against the embedded database and over real HTTP: the
 * quiet-hours rule; the daily reminder job also sends the assignee an SMS through the outbox, held
 * until the agency's quiet hours end; 催办 by a reviewer reaches the assignee in-app and by SMS, once a
 * day, never for a closed or unassigned application; the queue marks due-soon and overdue applications.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { afterQuietHours } from "@govinfo/shared/calendar/reminders";
import type { RequestListItemDto } from "@govinfo/shared/schemas/requestDto";
import { remindDueSoon } from "../../../server/jobs/remindDueSoon.ts";
import { createLogger } from "../../../server/logger.ts";
import { Agency, type AgencyDoc } from "../../../server/models/Agency.ts";
import { DisclosureRequest, type DisclosureRequestDoc } from "../../../server/models/DisclosureRequest.ts";
import { OutboxMessage } from "../../../server/models/OutboxMessage.ts";
import { StaffNotification } from "../../../server/models/StaffNotification.ts";
import { User } from "../../../server/models/User.ts";
import { createPersonalDataCipher } from "../../../server/security/personalData.ts";
import { LogSmsSender } from "../../../server/services/notify/sms.ts";
import { deliverOutbox } from "../../../server/services/outbox.ts";
import { buildAgency, buildStaff } from "../../factories/people.ts";
import { buildRequest } from "../../factories/requests.ts";
import { startTestServer, type TestServer } from "../../support/testServer.ts";
import { fails, ok, register, type StaffedAgency, staffedAgency, today } from "../routes/requests.support.ts";

const beijing = (date: string, time: string) => new Date(`${date}T${time}:00+08:00`);

describe("quiet hours", () => {
  const night = { start: "22:00", end: "08:00" };
  it("holds a message sent at night until the quiet hours end (across midnight)", () => {
    assert.deepEqual(afterQuietHours(beijing("2025-03-26", "23:30"), night), beijing("2025-03-27", "08:00"));
    assert.deepEqual(afterQuietHours(beijing("2025-03-27", "06:15"), night), beijing("2025-03-27", "08:00"));
    assert.deepEqual(afterQuietHours(beijing("2025-03-27", "08:00"), night), beijing("2025-03-27", "08:00"));
    assert.deepEqual(afterQuietHours(beijing("2025-03-27", "21:59"), night), beijing("2025-03-27", "21:59"));
  });
  it("handles a daytime span and no quiet hours", () => {
    const lunch = { start: "12:00", end: "13:30" };
    assert.deepEqual(afterQuietHours(beijing("2025-03-27", "12:10"), lunch), beijing("2025-03-27", "13:30"));
    assert.deepEqual(afterQuietHours(beijing("2025-03-27", "13:30"), lunch), beijing("2025-03-27", "13:30"));
    const noon = beijing("2025-03-27", "12:10");
    assert.deepEqual(afterQuietHours(noon, { start: "", end: "" }), noon);
    assert.deepEqual(afterQuietHours(noon, null), noon);
  });
});

let server: TestServer;
const cipher = createPersonalDataCipher(randomBytes(32));
const logger = createLogger({ level: "silent" });
const noWechat = { appId: undefined, secret: undefined, apiBase: "http://127.0.0.1:9" };

before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.close();
});

describe("超期预警 by SMS", () => {
  let agency: AgencyDoc;
  let open: DisclosureRequestDoc;
  before(async () => {
    agency = await buildAgency({ code: "ALERT" });
    await Agency.updateOne(
      { _id: agency._id },
      { $set: { staffNotify: { quietStart: "08:00", quietEnd: "09:00", wechatTemplateId: "" } } },
    );
    const handler = await buildStaff([{ agency, role: "handler" }]);
    await User.updateOne(
      { _id: handler.id },
      { $set: { phoneSealed: cipher.encrypt("13700001234"), wechatOpenid: "o-staff-1" } },
    );
    // Received Mon 2025-03-03: 20 working days → due Mon 2025-03-31.
    open = await buildRequest(agency, cipher, { input: { receiptDate: "2025-03-03" } });
    await DisclosureRequest.updateOne({ _id: open._id }, { $set: { assigneeId: handler.id } });
  });

  it("sends the assignee one message per reminder, after the agency's quiet hours", async () => {
    const report = await remindDueSoon(beijing("2025-03-26", "08:30"));
    assert.equal(report.created, 1);
    assert.equal(report.messages, 1);
    await remindDueSoon(beijing("2025-03-26", "10:00"));
    const messages = await OutboxMessage.find({ requestId: open._id, recipient: "staff" }).lean();
    assert.equal(messages.length, 1, "a second run the same day adds nothing");
    const message = messages[0];
    assert.ok(message);
    assert.equal(message.applicantAccountId, null, "never in an applicant's list");
    assert.equal(message.channels?.sms?.status, "pending");
    assert.deepEqual(message.channels?.sms?.nextAttemptAt, beijing("2025-03-26", "09:00"));
    assert.equal(message.channels?.wechat?.status, "skipped");
    assert.match(message.channels?.wechat?.skippedReason ?? "", /未设置工作人员提醒的微信模板/);

    const sms = new LogSmsSender();
    const services = { cipher, sms, logger, wechat: noWechat };
    await deliverOutbox(services, beijing("2025-03-26", "08:45"));
    assert.equal(sms.lastTo("13700001234"), undefined, "held during the quiet hours");
    await deliverOutbox(services, beijing("2025-03-26", "09:00"));
    assert.match(sms.lastTo("13700001234") ?? "", /^【政府信息公开】.*答复期限为2025-03-31，还剩3个工作日/);
  });
});

describe("催办", () => {
  let x: StaffedAgency;
  let handlerId: string;
  before(async () => {
    x = await staffedAgency(server);
    handlerId = x.ids.handler;
    await User.updateOne({ _id: handlerId }, { $set: { phoneSealed: cipher.encrypt("13700005678") } });
  });

  async function assigned(): Promise<string> {
    const created = await register(x, today());
    ok(await x.registrar.post(`/api/requests/${created.id}/assign`, { assigneeId: handlerId }));
    return created.id;
  }

  it("reaches the assignee in-app and by SMS, once a day", async () => {
    const id = await assigned();
    const urged = ok<{ notified: boolean; messageQueued: boolean }>(
      await x.reviewer.post(`/api/requests/${id}/urge`, { text: "请于本周内答复" }),
    );
    assert.deepEqual(urged, { notified: true, messageQueued: true });
    const note = await StaffNotification.findOne({ requestId: id, kind: "urge" }).lean();
    assert.match(note?.text ?? "", /催办——请于本周内答复/);
    assert.equal(String(note?.userId), handlerId);
    const message = await OutboxMessage.findOne({ requestId: id, recipient: "staff" }).lean();
    assert.equal(String(message?.staffUserId), handlerId);
    assert.equal(message?.channels?.sms?.status, "pending");
    const again = fails(await x.admin.post(`/api/requests/${id}/urge`, { text: "再催" }), 409);
    assert.match(again.message, /今天已催办/);
  });

  it("refuses an unassigned or closed application, an empty text and a handler", async () => {
    const unassigned = await register(x, today());
    assert.match(
      fails(await x.reviewer.post(`/api/requests/${unassigned.id}/urge`, { text: "请尽快" }), 409).message,
      /尚未分配承办人/,
    );
    assert.match(
      fails(await x.reviewer.post(`/api/requests/${unassigned.id}/urge`, { text: " " }), 400).message,
      /请填写催办内容/,
    );
    fails(await x.handler.post(`/api/requests/${unassigned.id}/urge`, { text: "请尽快" }), 403);
    const closed = await assigned();
    const { version } = ok<{ version: number }>(await x.reviewer.get(`/api/requests/${closed}`));
    ok(
      await x.reviewer.post(`/api/requests/${closed}/events`, {
        event: { type: "decide", date: today(), outcome: "granted" },
        expectedVersion: version,
      }),
    );
    assert.match(
      fails(await x.reviewer.post(`/api/requests/${closed}/urge`, { text: "请尽快" }), 409).message,
      /已办结/,
    );
  });

  it("marks due-soon and overdue applications in the queue", async () => {
    const overdue = await register(x, "2020-03-02");
    const fresh = await register(x, today());
    const queue = ok<{ items: RequestListItemDto[] }>(
      await x.registrar.get(`/api/requests?agencyId=${x.agency._id}&limit=100`),
    );
    const tone = (id: string) => queue.items.find((item) => item.id === id)?.dueTone;
    assert.equal(tone(overdue.id), "overdue");
    assert.equal(tone(fresh.id), null);
  });

  it("lets the agency set its quiet hours, refusing a time that is not 时:分", async () => {
    const refused = fails(
      await x.admin.patch(`/api/agencies/${x.agency._id}`, {
        staffNotify: { quietStart: "25:00", quietEnd: "08:00" },
      }),
      400,
    );
    assert.match(refused.message, /免打扰开始时间应为“时:分”/);
    const saved = ok<{ staffNotify: { quietStart: string; quietEnd: string } }>(
      await x.admin.patch(`/api/agencies/${x.agency._id}`, {
        staffNotify: { quietStart: "22:00", quietEnd: "08:00" },
      }),
    );
    assert.deepEqual(
      { start: saved.staffNotify.quietStart, end: saved.staffNotify.quietEnd },
      { start: "22:00", end: "08:00" },
    );
  });
});
