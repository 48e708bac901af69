import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { StaffNotificationDTO, StaffNotificationPage } from "@govinfo/shared/schemas/notification";
import { remindDueSoon } from "../../../server/jobs/remindDueSoon.ts";
import type { AgencyDoc } from "../../../server/models/Agency.ts";
import type { DisclosureRequestDoc } from "../../../server/models/DisclosureRequest.ts";
import { StaffNotification } from "../../../server/models/StaffNotification.ts";
import { createPersonalDataCipher } from "../../../server/security/personalData.ts";
import { buildAgency, buildStaff } from "../../factories/people.ts";
import { buildRequest } from "../../factories/requests.ts";
import { anonymousClient, loginStaff } from "../../support/clients.ts";
import { startTestServer, type TestServer } from "../../support/testServer.ts";

let server: TestServer;
const cipher = createPersonalDataCipher(randomBytes(32));
let agency: AgencyDoc;
let open: DisclosureRequestDoc;
let answered: DisclosureRequestDoc;

function at(date: string, time = "08:30"): Date {
  return new Date(`${date}T${time}:00+08:00`);
}

before(async () => {
  server = await startTestServer();
  agency = await buildAgency({ code: "REMIND" });
  // Received Mon 2025-03-03: 20 working days → due Mon 2025-03-31.
  open = await buildRequest(agency, cipher, { input: { receiptDate: "2025-03-03" } });
  answered = await buildRequest(agency, cipher, {
    input: { receiptDate: "2025-03-03" },
    events: [{ type: "decide", date: "2025-03-20", outcome: "granted" }],
  });
});
after(async () => {
  await server.close();
});

describe("remindDueSoon", () => {
  it("reminds from 3 working days before the due date, once a day, and daily once overdue", async () => {
    // Tue 03-25: 4 working days left (26, 27, 28, 31) → no reminder yet.
    assert.equal((await remindDueSoon(at("2025-03-25"))).created, 0);

    // Wed 03-26: 3 left → one reminder, however often the job runs that day.
    assert.equal((await remindDueSoon(at("2025-03-26"))).created, 1);
    assert.equal((await remindDueSoon(at("2025-03-26", "09:30"))).created, 0);
    await Promise.all([remindDueSoon(at("2025-03-26", "10:00")), remindDueSoon(at("2025-03-26", "10:00"))]);
    const first = await StaffNotification.find({ requestId: open._id }).lean();
    assert.equal(first.length, 1);
    assert.equal(first[0]?.kind, "dueSoon");
    assert.equal(first[0]?.dueDate, "2025-03-31");
    assert.match(first[0]?.text ?? "", /答复期限为2025-03-31，还剩3个工作日/);

    // Saturday: nobody at work, no reminder; Monday the due day itself.
    assert.equal((await remindDueSoon(at("2025-03-29"))).created, 0);
    await remindDueSoon(at("2025-03-31"));
    const dueDay = await StaffNotification.findOne({ requestId: open._id, date: "2025-03-31" }).lean();
    assert.match(dueDay?.text ?? "", /答复期限为今天/);

    // Tue 04-01: overdue.
    await remindDueSoon(at("2025-04-01"));
    await remindDueSoon(at("2025-04-01", "15:00"));
    const overdue = await StaffNotification.find({ requestId: open._id, kind: "overdue" }).lean();
    assert.equal(overdue.length, 1);
    assert.match(overdue[0]?.text ?? "", /已超过答复期限（2025-03-31）/);

    assert.equal(
      await StaffNotification.countDocuments({ requestId: answered._id }),
      0,
      "answered: no reminder",
    );
  });
});

describe("GET /api/notifications", () => {
  it("lists the reminders of the staff member's agencies and marks them read per user", async () => {
    const other = await buildAgency({ code: "ELSEWHERE" });
    const handler = await buildStaff([{ agency, role: "handler" }]);
    const reviewer = await buildStaff([{ agency, role: "reviewer" }]);
    const outsider = await buildStaff([{ agency: other, role: "admin" }]);
    const handlerClient = await loginStaff(server, handler.username, handler.password);
    const reviewerClient = await loginStaff(server, reviewer.username, reviewer.password);
    const outsiderClient = await loginStaff(server, outsider.username, outsider.password);

    const list = await handlerClient.get("/api/notifications?limit=2");
    assert.equal(list.status, 200);
    const page = (list.body as { data: StaffNotificationPage }).data;
    assert.equal(page.unreadCount, 3);
    assert.equal(page.items.length, 2);
    assert.ok(page.nextCursor);
    assert.equal(page.items[0]?.kind, "overdue", "newest first");
    assert.equal(page.items[0]?.kindLabel, "已超期");
    assert.equal(page.items[0]?.serialNo, open.serialNo);
    const rest = await handlerClient.get(`/api/notifications?limit=2&cursor=${page.nextCursor}`);
    assert.equal((rest.body as { data: StaffNotificationPage }).data.items.length, 1);

    const target = page.items[0] as StaffNotificationDTO;
    const read = await handlerClient.post(`/api/notifications/${target.id}/read`);
    assert.equal(read.status, 200);
    assert.equal((read.body as { data: StaffNotificationDTO }).data.isRead, true);
    const unread = await handlerClient.get("/api/notifications?unread=true");
    const unreadPage = (unread.body as { data: StaffNotificationPage }).data;
    assert.equal(unreadPage.unreadCount, 2);
    assert.ok(unreadPage.items.every((item) => item.id !== target.id));
    // Read state is per user: the reviewer still has all three unread.
    const reviewerPage = await reviewerClient.get("/api/notifications");
    assert.equal((reviewerPage.body as { data: StaffNotificationPage }).data.unreadCount, 3);

    const all = await reviewerClient.post("/api/notifications/read-all");
    assert.deepEqual((all.body as { data: unknown }).data, { marked: 3 });

    const outsiderList = await outsiderClient.get("/api/notifications");
    assert.deepEqual((outsiderList.body as { data: StaffNotificationPage }).data.items, []);
    const foreign = await outsiderClient.post(`/api/notifications/${target.id}/read`);
    assert.equal(foreign.status, 404);

    assert.equal((await anonymousClient(server).get("/api/notifications")).status, 401);
    const bad = await handlerClient.get("/api/notifications?cursor=%7B%22%24gt%22%3A%22%22%7D");
    assert.equal(bad.status, 400);
  });
});
