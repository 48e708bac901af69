/**
 * The statutory clock through `GET /api/requests/:id/clock`, with due dates counted BY HAND from the
 * State Council holiday notices (the comments show the counting; the receipt day is never counted):
 * - 2019: 国办发明电〔2018〕15号 — 国庆节 10-01..10-07 off; 09-29 (Sun) and 10-12 (Sat) are 上班.
 * - 2020: 国办发明电〔2019〕16号 — 春节 01-24..01-30 off, 01-19 (Sun) 上班; extended to 02-02 by
 *   国办发明电〔2020〕1号.
 * - 2025: 国办发明电〔2024〕12号 — 春节 01-28..02-04 off, 01-26 (Sun) and 02-08 (Sat) 上班;
 *   国庆节、中秋节 10-01..10-08 off, 09-28 (Sun) and 10-11 (Sat) 上班.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { ClockDto, RequestDetailDto } from "@govinfo/shared/schemas/requestDto";
import { Types } from "mongoose";
import { createPersonalDataCipher } from "../../../server/security/personalData.ts";
import { createRequest } from "../../../server/services/requestCreator.ts";
import { fixtureStaff, registrationInput } from "../../factories/requests.ts";
import { type Client, loginApplicant } from "../../support/clients.ts";
import { startTestServer, type TestServer } from "../../support/testServer.ts";
import { fireOk, ok, register, type StaffedAgency, staffedAgency } from "./requests.support.ts";

let server: TestServer;
let staff: StaffedAgency;

before(async () => {
  server = await startTestServer();
  staff = await staffedAgency(server);
});
after(async () => {
  await server.close();
});

async function clock(id: string, client: Client = staff.handler): Promise<ClockDto> {
  return ok<ClockDto>(await client.get(`/api/requests/${id}/clock`));
}

function day(c: ClockDto, date: string) {
  const found = c.explanation.find((d) => d.date === date);
  assert.ok(found, `${date} is explained`);
  return found;
}

describe("clock API: 国庆 2019", () => {
  // In person Thu 2019-09-26 (not counted). 09-27 Fri =1 · 09-28 Sat off · 09-29 Sun 调休上班 =2 ·
  // 09-30 =3 · 10-01..10-07 国庆 off · 10-08 =4 · 09 =5 · 10 =6 · 11 =7 · 10-12 Sat 调休上班 =8 ·
  // 13 Sun off · 14 =9 · 15 =10 · 16 =11 · 17 =12 · 18 =13 · 21 =14 · 22 =15 · 23 =16 · 24 =17 ·
  // 25 =18 · 28 =19 · 10-29 =20 → due Tue 2019-10-29. 补正告知 due = 7th working day = 2019-10-11.
  it("counts the 调休 Sunday and Saturday, skips the holiday week, and explains every day", async () => {
    const request = await register(staff, "2019-09-26");
    assert.equal(request.dueDate, "2019-10-29");
    const c = await clock(request.id);
    assert.equal(c.receiptDate, "2019-09-26");
    assert.equal(c.dueDate, "2019-10-29");
    assert.equal(c.correctionNoticeDueDate, "2019-10-11");
    assert.equal(day(c, "2019-09-26").counted, false);
    assert.match(day(c, "2019-09-26").reason, /当面提交.*不计入/);
    assert.equal(day(c, "2019-09-28").reason, "周末，不计入");
    assert.deepEqual(
      [day(c, "2019-09-29").counted, day(c, "2019-09-29").dayNumber],
      [true, 2],
      "Sunday 09-29 is a make-up working day",
    );
    for (const holiday of ["2019-10-01", "2019-10-04", "2019-10-07"]) {
      assert.equal(day(c, holiday).counted, false);
      assert.match(day(c, holiday).reason, /国庆节/);
    }
    assert.deepEqual([day(c, "2019-10-12").counted, day(c, "2019-10-12").dayNumber], [true, 8]);
    assert.equal(day(c, "2019-10-13").counted, false);
    assert.equal(day(c, "2019-10-29").dayNumber, 20);
  });

  it("is on time when answered on the 20th working day and late the day after (with a warning)", async () => {
    const onTime = await register(staff, "2019-09-26");
    const a = await fireOk(staff.reviewer, onTime.id, {
      type: "decide",
      date: "2019-10-29",
      outcome: "granted",
    });
    assert.equal(a.overdue, false);
    assert.deepEqual([a.clock.workingDaysUsed, a.clock.workingDaysLeft], [20, 0]);

    const late = await register(staff, "2019-09-26");
    const response = ok<{ request: RequestDetailDto; warnings: string[] }>(
      await staff.reviewer.post(`/api/requests/${late.id}/events`, {
        event: { type: "decide", date: "2019-10-30", outcome: "granted" },
        expectedVersion: late.version,
      }),
    );
    assert.equal(response.request.overdue, true);
    assert.match(response.warnings[0] ?? "", /已超过答复期限（2019-10-29/);
  });
});

describe("clock API: 春节 2020 and the 补正 restart", () => {
  // Online, submitted Wed 2020-01-15; both sides confirm Fri 01-17 = 收到申请之日 (Art. 31).
  // 01-18 Sat off · 01-19 Sun 调休上班 =1 · 20 =2 · 21 =3 · 22 =4 · 23 =5 · 01-24..02-02 春节 (extended)
  // off · 02-03 =6 · 04 =7 · 05 =8 · 06 =9 · 07 =10 · 10 =11 · 11 =12 · 12 =13 · 13 =14 · 14 =15 ·
  // 17 =16 · 18 =17 · 19 =18 · 20 =19 · 02-21 =20 → due Fri 2020-02-21; 补正告知 due = day 7 = 02-04.
  //
  // 补正 notice Mon 01-20; the corrected application arrives Wed 01-22, and 20 working days count
  // again from it (not the 5 days left over): 01-23 =1 · 01-24..02-02 off · 02-03 =2 · 04 =3 · 05 =4 ·
  // 06 =5 · 07 =6 · 10 =7 · 11 =8 · 12 =9 · 13 =10 · 14 =11 · 17 =12 · 18 =13 · 19 =14 · 20 =15 ·
  // 21 =16 · 24 =17 · 25 =18 · 26 =19 · 02-27 =20 → due Thu 2020-02-27.
  it("starts at the confirmation day and restarts from the corrected application", async () => {
    const citizen = await loginApplicant(server, "13900000021");
    const me = ok<{ id: string }>(await citizen.get("/api/auth/me"));
    const submitted = await createRequest({
      intake: registrationInput(staff.agency),
      first: { type: "submit", date: "2020-01-15", channel: "online" },
      actor: { ...fixtureStaff, kind: "applicant", roles: ["applicant"] },
      applicantAccountId: new Types.ObjectId(me.id),
      cipher: createPersonalDataCipher(randomBytes(32)),
      today: "2020-01-15",
    });
    const id = String(submitted._id);
    const notStarted = await clock(id, citizen);
    assert.deepEqual([notStarted.status, notStarted.dueDate], ["notStarted", null]);

    await fireOk(staff.registrar, id, { type: "confirmReceipt", date: "2020-01-17" });
    const running = await clock(id, citizen);
    assert.equal(running.receiptDate, "2020-01-17");
    assert.equal(running.dueDate, "2020-02-21");
    assert.equal(running.correctionNoticeDueDate, "2020-02-04");
    assert.match(day(running, "2020-01-17").reason, /双方确认之日/);
    assert.deepEqual([day(running, "2020-01-19").counted, day(running, "2020-01-19").dayNumber], [true, 1]);
    assert.match(day(running, "2020-01-31").reason, /春节/);
    assert.equal(day(running, "2020-02-02").counted, false);
    assert.equal(day(running, "2020-02-03").dayNumber, 6);

    await fireOk(staff.handler, id, {
      type: "requestCorrection",
      date: "2020-01-20",
      items: ["请写明所需文件的名称或文号"],
      deadline: "2020-02-14",
    });
    const waiting = await clock(id, citizen);
    assert.deepEqual([waiting.status, waiting.dueDate], ["awaitingCorrection", null]);
    assert.equal(waiting.correctionDeadline, "2020-02-14");

    await fireOk(staff.registrar, id, {
      type: "receiveCorrection",
      date: "2020-01-22",
      description: "2019年乐都区污水处理厂环评批复（海环审〔2019〕8号）",
    });
    const restarted = await clock(id, citizen);
    assert.equal(restarted.startDate, "2020-01-22");
    assert.equal(restarted.dueDate, "2020-02-27");
    assert.match(day(restarted, "2020-01-22").reason, /重新计算/);
    assert.equal(day(restarted, "2020-01-23").dayNumber, 1);
    assert.equal(day(restarted, "2020-02-03").dayNumber, 2);
    assert.equal(day(restarted, "2020-02-27").dayNumber, 20);
  });
});

describe("clock API: 2025", () => {
  // 春节 2025, in person Fri 01-24. 01-25 Sat off · 01-26 Sun 调休上班 =1 · 27 =2 · 01-28..02-04 春节
  // off · 02-05 =3 · 06 =4 · 07 =5 · 02-08 Sat 调休上班 =6 · 09 Sun off · 10 =7 · 11 =8 · 12 =9 · 13 =10 ·
  // 14 =11 · 17 =12 · 18 =13 · 19 =14 · 20 =15 · 21 =16 · 24 =17 · 25 =18 · 26 =19 · 02-27 =20
  // → due Thu 2025-02-27; 补正告知 due = day 7 = 02-10.
  it("counts both 春节 make-up days", async () => {
    const request = await register(staff, "2025-01-24");
    const c = await clock(request.id);
    assert.equal(c.dueDate, "2025-02-27");
    assert.equal(c.correctionNoticeDueDate, "2025-02-10");
    assert.equal(day(c, "2025-01-26").dayNumber, 1);
    assert.equal(day(c, "2025-02-08").dayNumber, 6);
    assert.match(day(c, "2025-01-28").reason, /春节/);
    assert.equal(day(c, "2025-02-04").counted, false);
  });

  // 国庆/中秋 2025, in person Thu 09-25. 09-26 Fri =1 · 27 Sat off · 09-28 Sun 调休上班 =2 · 29 =3 ·
  // 30 =4 · 10-01..10-08 off · 10-09 =5 · 10 =6 · 10-11 Sat 调休上班 =7 · 12 Sun off · 13 =8 · 14 =9 ·
  // 15 =10 · 16 =11 · 17 =12 · 20 =13 · 21 =14 · 22 =15 · 23 =16 · 24 =17 · 27 =18 · 28 =19 ·
  // 10-29 =20 → due Wed 2025-10-29.
  it("counts the 国庆 make-up days", async () => {
    const request = await register(staff, "2025-09-25");
    const c = await clock(request.id);
    assert.equal(c.dueDate, "2025-10-29");
    assert.equal(day(c, "2025-09-28").dayNumber, 2);
    assert.equal(day(c, "2025-10-11").dayNumber, 7);
    assert.match(day(c, "2025-10-06").reason, /中秋|国庆/);
  });

  // Same receipt (Thu 09-25); letter to a third party Tue 09-30 (day 4, still counted). Its own 15
  // working days: 10-09 =1 · 10 =2 · 11 =3 · 13 =4 · 14 =5 · 15 =6 · 16 =7 · 17 =8 · 20 =9 · 21 =10 ·
  // 22 =11 · 23 =12 · 24 =13 · 27 =14 · 10-28 =15 → consultation due 2025-10-28.
  // Reply recorded Fri 10-17, so (09-30, 10-17] is excluded (Art. 33 ¶3), the 调休 Saturday 10-11
  // included. Counting resumes: 10-20 =5 · 21 =6 · 22 =7 · 23 =8 · 24 =9 · 27 =10 · 28 =11 · 29 =12 ·
  // 30 =13 · 31 =14 · 11-03 =15 · 04 =16 · 05 =17 · 06 =18 · 07 =19 · 11-10 =20 → due Mon 2025-11-10.
  // Extension of 10 working days (approved 11-05): 11-11 =21 · 12 =22 · 13 =23 · 14 =24 · 17 =25 ·
  // 18 =26 · 19 =27 · 20 =28 · 21 =29 · 11-24 =30 → due Mon 2025-11-24.
  it("excludes the consultation interval and adds one extension", async () => {
    const request = await register(staff, "2025-09-25");
    await fireOk(staff.handler, request.id, {
      type: "startConsultation",
      date: "2025-09-30",
      party: "thirdParty",
      name: "海东某某矿业有限公司",
    });
    const consulting = await clock(request.id);
    assert.equal(consulting.consultationDueDate, "2025-10-28");
    await fireOk(staff.handler, request.id, {
      type: "endConsultation",
      date: "2025-10-17",
      result: "objected",
    });
    const resumed = await clock(request.id);
    assert.equal(resumed.dueDate, "2025-11-10");
    assert.equal(day(resumed, "2025-09-30").dayNumber, 4);
    assert.equal(day(resumed, "2025-10-11").counted, false, "inside the consultation interval");
    assert.match(day(resumed, "2025-10-11").reason, /征求第三方（海东某某矿业有限公司）意见期间/);
    assert.equal(day(resumed, "2025-10-20").dayNumber, 5);

    const extended = await fireOk(staff.reviewer, request.id, {
      type: "extend",
      date: "2025-11-05",
      workingDays: 10,
      reason: "涉及第三方异议，需进一步核实",
      approver: "政府信息公开办公室主任",
    });
    assert.equal(extended.dueDate, "2025-11-24");
    assert.equal(extended.extendedBadge, "已延期");
    const c = await clock(request.id);
    assert.deepEqual([c.dueDate, c.workingDaysLimit, c.extendedDays], ["2025-11-24", 30, 10]);
    assert.match(day(c, "2025-11-11").reason, /延长期限第1个工作日/);
    assert.equal(day(c, "2025-11-24").dayNumber, 30);
  });
});
