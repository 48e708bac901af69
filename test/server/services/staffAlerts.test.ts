/**
 * 催办 and 超期预警 to staff (issue 17, item 5), against the embedded database and over real HTTP: the
 * quiet-hours rule; the daily reminder job also sends the assignee an SMS through the outbox, held
 * until the agency's quiet hours end; 催办 by a reviewer reaches the assignee in-app and by SMS, once a
 * day, never for a closed or unassigned application; the queue marks due-soon and overdue applications;
 * staff register their mobile and WeChat openid (我的账号, or the administrator in 用户与角色): bad input
 * is refused with nothing written, the phone is sealed and only ever shown masked, and the reminders
 * are then addressed to exactly that phone and openid.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { afterQuietHours } from "@govinfo/shared/calendar/reminders";
import type { RequestListItemDto } from "@govinfo/shared/schemas/requestDto";
import type { StaffContactDto, UserDto, UserListDto } from "@govinfo/shared/schemas/user";
import mongoose from "mongoose";
import { remindDueSoon } from "../../../server/jobs/remindDueSoon.ts";
import { createLogger } from "../../../server/logger.ts";
import { Agency, type AgencyDoc } from "../../../server/models/Agency.ts";
import { AuditEvent } from "../../../server/models/AuditEvent.ts";
import { DisclosureRequest, type DisclosureRequestDoc } from "../../../server/models/DisclosureRequest.ts";
import { OutboxMessage } from "../../../server/models/OutboxMessage.ts";
import { StaffNotification } from "../../../server/models/StaffNotification.ts";
import { User } from "../../../server/models/User.ts";
import { createPersonalDataCipher } from "../../../server/security/personalData.ts";
import { LogSmsSender } from "../../../server/services/notify/sms.ts";
import { deliverOutbox } from "../../../server/services/outbox.ts";
import { buildAgency, buildStaff } from "../../factories/people.ts";
import { buildRequest } from "../../factories/requests.ts";
import { fingerprint } from "../../support/dbFingerprint.ts";
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
const dataKey = randomBytes(32);
const cipher = createPersonalDataCipher(dataKey);
const logger = createLogger({ level: "silent" });
const noWechat = { appId: undefined, secret: undefined, apiBase: "http://127.0.0.1:9" };

before(async () => {
  server = await startTestServer({ dataKey });
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

describe("工作人员接收提醒的手机号码和微信", () => {
  let x: StaffedAgency;
  const openid = "oQ8Wd5Ab_cDeFgHiJkLmNoPqR-12";

  before(async () => {
    x = await staffedAgency(server);
  });

  const refusals: [string, Record<string, unknown>, RegExp][] = [
    ["a mobile that is not one", { phone: "1370000123" }, /手机号码格式不正确，应为11位中国大陆手机号码/],
    ["a landline", { phone: "0972-8612110" }, /手机号码格式不正确/],
    ["a number instead of text", { phone: 13700001234 }, /手机号码应为文字/],
    ["an openid of the wrong shape", { wechatOpenid: "o-staff-1" }, /微信用户标识（openid）格式不正确/],
  ];
  for (const [name, body, message] of refusals) {
    it(`refuses ${name} in 我的账号 and in 用户与角色, writing nothing`, async () => {
      const snapshot = await fingerprint(mongoose.connection);
      assert.match(fails(await x.handler.put("/api/auth/me/contact", body), 400).message, message);
      assert.match(
        fails(await x.admin.put(`/api/users/${x.ids.reviewer}/contact`, body), 400).message,
        message,
      );
      assert.deepEqual(await fingerprint(mongoose.connection), snapshot);
    });
  }

  it("seals the phone, shows it masked only, and audits the change", async () => {
    const saved = ok<StaffContactDto>(
      await x.handler.put("/api/auth/me/contact", { phone: "+86 137-0000-4321", wechatOpenid: openid }),
    );
    assert.deepEqual(saved, { phoneMasked: "137****4321", wechatOpenidMasked: "oQ8W****R-12" });
    assert.deepEqual(ok<StaffContactDto>(await x.handler.get("/api/auth/me/contact")), saved);
    const stored = await User.findById(x.ids.handler).lean();
    assert.ok(stored?.phoneSealed && !stored.phoneSealed.includes("4321"), "sealed at rest");
    assert.equal(cipher.decrypt(stored.phoneSealed), "13700004321");
    assert.equal(stored.wechatOpenid, openid);
    const list = await x.admin.get(`/api/users?agencyId=${x.agency._id}`);
    const users = ok<UserListDto>(list);
    assert.deepEqual(users.items.find((u) => u.id === x.ids.handler)?.contact, saved);
    assert.ok(!JSON.stringify(list.body).includes("13700004321"), "the list never shows the phone in full");
    const audited = await AuditEvent.findOne({ action: "user.contact", targetId: String(stored._id) }).lean();
    assert.deepEqual(audited?.details, { username: stored.username, changed: ["phone", "wechatOpenid"] });
  });

  it("lets the administrator set and clear a staff member's contact", async () => {
    const set = ok<UserDto>(
      await x.admin.put(`/api/users/${x.ids.reviewer}/contact`, { phone: "13900007788" }),
    );
    assert.equal(set.contact.phoneMasked, "139****7788");
    const cleared = ok<UserDto>(await x.admin.put(`/api/users/${x.ids.reviewer}/contact`, { phone: "" }));
    assert.deepEqual(cleared.contact, { phoneMasked: null, wechatOpenidMasked: null });
    assert.equal((await User.findById(x.ids.reviewer).lean())?.phoneSealed, "");
  });

  it("addresses the 催办 and the 超期预警 to that phone and openid", async () => {
    const created = await register(x, today());
    ok(await x.registrar.post(`/api/requests/${created.id}/assign`, { assigneeId: x.ids.handler }));
    ok(await x.reviewer.post(`/api/requests/${created.id}/urge`, { text: "请尽快答复" }));
    const urge = await OutboxMessage.findOne({ requestId: created.id, recipient: "staff" }).lean();
    assert.ok(urge);
    assert.equal(cipher.decrypt(urge.phoneSealed), "13700004321");
    assert.equal(urge.openid, openid);
    const sms = new LogSmsSender();
    await deliverOutbox({ cipher, sms, logger, wechat: noWechat }, new Date());
    assert.match(sms.lastTo("13700004321") ?? "", /催办/);

    // The daily 超期预警 of an application due in three working days reaches the same phone and openid.
    const due = await buildRequest(x.agency, cipher, { input: { receiptDate: "2025-03-03" } });
    await DisclosureRequest.updateOne({ _id: due._id }, { $set: { assigneeId: x.ids.handler } });
    await remindDueSoon(beijing("2025-03-26", "10:00"));
    const warning = await OutboxMessage.findOne({ requestId: due._id, recipient: "staff" }).lean();
    assert.ok(warning, "the reminder job queued a message");
    assert.equal(cipher.decrypt(warning.phoneSealed), "13700004321");
    assert.equal(warning.openid, openid);
  });
});
