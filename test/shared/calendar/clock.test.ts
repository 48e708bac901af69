import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { computeClock } from "@govinfo/shared/calendar/clock";
import { type RequestEvent, RequestEventInput } from "@govinfo/shared/schemas/requestEvent";

// Events go through the real schema so the tests cannot build an event the API would refuse.
const ev = (e: Record<string, unknown>): RequestEvent => RequestEventInput.parse(e);
const register = (date: string) => ev({ type: "register", date, channel: "inPerson" });

describe("clock: 国庆 2019", () => {
  // In person on Fri 2019-09-27 (receipt day not counted).
  // 09-28 Sat off · 09-29 Sun 调休 =1 · 09-30 =2 · 10-01..07 国庆 off · 10-08 =3 · 09 =4 · 10 =5 · 11 =6 ·
  // 10-12 Sat 调休 =7 · 13 Sun off · 14 =8 · 15 =9 · 16 =10 · 17 =11 · 18 =12 · 21 =13 · 22 =14 · 23 =15 ·
  // 24 =16 · 25 =17 · 28 =18 · 29 =19 · 10-30 =20 → due 2019-10-30; 补正告知 due = day 7 = 2019-10-12.
  const clock = computeClock([register("2019-09-27")], { today: "2019-10-09" });

  it("computes the due date over the holiday and both make-up days", () => {
    assert.equal(clock.receiptDate, "2019-09-27");
    assert.equal(clock.dueDate, "2019-10-30");
    assert.equal(clock.correctionNoticeDueDate, "2019-10-12");
    assert.equal(clock.status, "running");
  });

  it("reports used and remaining days as of today", () => {
    assert.equal(clock.workingDaysUsed, 4); // 09-29, 09-30, 10-08, 10-09
    assert.equal(clock.workingDaysLeft, 16);
    assert.equal(clock.overdue, false);
    assert.equal(clock.paused, false);
  });

  it("explains every day", () => {
    const byDate = new Map(clock.explanation.map((d) => [d.date, d]));
    assert.match(byDate.get("2019-09-27")?.reason ?? "", /当面提交.*不计入/);
    assert.equal(byDate.get("2019-09-27")?.counted, false);
    assert.deepEqual(byDate.get("2019-09-28"), {
      date: "2019-09-28",
      counted: false,
      reason: "周末，不计入",
    });
    assert.deepEqual(byDate.get("2019-09-29"), {
      date: "2019-09-29",
      counted: true,
      dayNumber: 1,
      reason: "第1个工作日",
    });
    assert.equal(byDate.get("2019-10-03")?.reason, "法定节假日（国庆节），不计入");
    assert.equal(byDate.get("2019-10-12")?.dayNumber, 7);
    assert.equal(clock.explanation.at(-1)?.date, "2019-10-30");
    assert.equal(clock.explanation.filter((d) => d.counted).length, 20);
  });
});

describe("clock: 春节 2020 (incl. the extension to 02-02)", () => {
  // Online, submitted Wed 01-15, both sides confirm Fri 01-17 = receipt day.
  // 01-18 Sat off · 01-19 Sun 调休 =1 · 20 =2 · 21 =3 · 22 =4 · 23 =5 · 01-24..02-02 春节 off ·
  // 02-03 =6 · 04 =7 · 05 =8 · 06 =9 · 07 =10 · 10 =11 · 11 =12 · 12 =13 · 13 =14 · 14 =15 ·
  // 17 =16 · 18 =17 · 19 =18 · 20 =19 · 02-21 =20 → due 2020-02-21; 补正告知 due = day 7 = 2020-02-04.
  const online = [
    ev({ type: "submit", date: "2020-01-15", channel: "online" }),
    ev({ type: "confirmReceipt", date: "2020-01-17" }),
  ];

  it("starts from the confirmation day, not the submission day", () => {
    const clock = computeClock(online, { today: "2020-01-20" });
    assert.equal(clock.receiptDate, "2020-01-17");
    assert.equal(clock.dueDate, "2020-02-21");
    assert.equal(clock.correctionNoticeDueDate, "2020-02-04");
    assert.match(clock.explanation[0]?.reason ?? "", /双方确认之日/);
    assert.equal(clock.workingDaysUsed, 2);
  });

  it("does not start before receipt is confirmed", () => {
    const clock = computeClock(online.slice(0, 1), { today: "2020-01-20" });
    assert.equal(clock.status, "notStarted");
    assert.equal(clock.dueDate, null);
  });

  it("restarts 20 working days from the corrected application's receipt", () => {
    // Corrected application received Thu 02-06. 02-07 =1 · 10 =2 · 11 =3 · 12 =4 · 13 =5 · 14 =6 ·
    // 17 =7 · 18 =8 · 19 =9 · 20 =10 · 21 =11 · 24 =12 · 25 =13 · 26 =14 · 27 =15 · 28 =16 ·
    // 03-02 =17 · 03 =18 · 04 =19 · 03-05 =20 → due 2020-03-05.
    const events = [
      ...online,
      ev({
        type: "requestCorrection",
        date: "2020-01-20",
        items: ["请明确所需信息的文号"],
        deadline: "2020-02-10",
      }),
      ev({ type: "receiveCorrection", date: "2020-02-06" }),
    ];
    const clock = computeClock(events, { today: "2020-02-10" });
    assert.equal(clock.startDate, "2020-02-06");
    assert.equal(clock.dueDate, "2020-03-05");
    assert.equal(clock.correctionDeadline, "2020-02-10");
    assert.equal(clock.workingDaysUsed, 2);
    assert.match(clock.explanation[0]?.reason ?? "", /重新计算/);
  });

  it("has no due date while awaiting the correction", () => {
    const events = [
      ...online,
      ev({
        type: "requestCorrection",
        date: "2020-01-20",
        items: ["请明确所需信息的文号"],
        deadline: "2020-02-10",
      }),
    ];
    const waiting = computeClock(events, { today: "2020-02-05" });
    assert.equal(waiting.status, "awaitingCorrection");
    assert.equal(waiting.dueDate, null);
    assert.equal(waiting.paused, true);
    assert.deepEqual(waiting.warnings, []);
    const lapsed = computeClock(events, { today: "2020-02-11" });
    assert.match(lapsed.warnings[0] ?? "", /补正期限（2020-02-10）已届满/);
    const closed = computeClock([...events, ev({ type: "expireCorrection", date: "2020-02-11" })], {
      today: "2020-02-12",
    });
    assert.equal(closed.status, "stopped");
  });
});

describe("clock: 春节 2025, extension, Art. 35, overdue", () => {
  // In person Mon 2025-01-20. 21 =1 · 22 =2 · 23 =3 · 24 =4 · 25 Sat off · 26 Sun 调休 =5 · 27 =6 ·
  // 01-28..02-04 春节 off · 02-05 =7 · 06 =8 · 07 =9 · 02-08 Sat 调休 =10 · 09 off · 10 =11 · 11 =12 ·
  // 12 =13 · 13 =14 · 14 =15 · 17 =16 · 18 =17 · 19 =18 · 20 =19 · 02-21 =20 → due 2025-02-21.
  const base = [register("2025-01-20")];

  it("computes the due date and the 补正 notice deadline", () => {
    const clock = computeClock(base, { today: "2025-01-27" });
    assert.equal(clock.dueDate, "2025-02-21");
    assert.equal(clock.correctionNoticeDueDate, "2025-02-05"); // day 7
    assert.equal(clock.workingDaysUsed, 6);
    assert.equal(clock.workingDaysLeft, 14);
  });

  it("adds one extension of 10 working days", () => {
    // 02-24 =21 · 25 =22 · 26 =23 · 27 =24 · 28 =25 · 03-03 =26 · 04 =27 · 05 =28 · 06 =29 · 03-07 =30.
    const extend = ev({
      type: "extend",
      date: "2025-02-18",
      workingDays: 10,
      reason: "需调阅档案",
      approver: "张三",
    });
    const clock = computeClock([...base, extend], { today: "2025-02-24" });
    assert.equal(clock.dueDate, "2025-03-07");
    assert.equal(clock.workingDaysLimit, 30);
    assert.equal(clock.extendedDays, 10);
    assert.equal(clock.overdue, false);
    assert.match(clock.explanation.find((d) => d.date === "2025-02-24")?.reason ?? "", /延长期限第1个工作日/);
  });

  it("uses an Art. 35 delayed deadline when it is later", () => {
    const delay = ev({
      type: "delayDeadline",
      date: "2025-02-10",
      deadline: "2025-03-31",
      reason: "申请数量明显超过合理范围",
    });
    const clock = computeClock([...base, delay], { today: "2025-03-03" });
    assert.equal(clock.dueDate, "2025-03-31");
    assert.equal(clock.overdue, false);
    assert.match(clock.explanation.find((d) => d.date === "2025-03-03")?.reason ?? "", /第三十五条/);
  });

  it("ignores an extension decided after the period ran out: the reply is late (Art. 33 ¶2)", () => {
    // The 20 working days ended on 2025-02-21; an extension recorded on 02-24 cannot revive them.
    const late = ev({
      type: "extend",
      date: "2025-02-24",
      workingDays: 20,
      reason: "需调阅档案",
      approver: "张三",
    });
    const clock = computeClock(
      [...base, late, ev({ type: "decide", date: "2025-03-10", outcome: "partial" })],
      {
        today: "2025-03-10",
      },
    );
    assert.equal(clock.dueDate, "2025-02-21");
    assert.equal(clock.extendedDays, 0);
    assert.equal(clock.overdue, true);
    assert.equal(
      clock.warnings[0],
      "延长答复期限的决定（2025-02-24）晚于答复期限（2025-02-21），不产生延长效力，本申请已超过答复期限",
    );
    // On the last day of the period the extension still counts.
    const onTime = ev({
      type: "extend",
      date: "2025-02-21",
      workingDays: 10,
      reason: "需调阅档案",
      approver: "张三",
    });
    assert.equal(computeClock([...base, onTime], { today: "2025-02-24" }).dueDate, "2025-03-07");
  });

  it("ignores an Art. 35 delay decided after the (extended) period ran out", () => {
    const late = ev({
      type: "delayDeadline",
      date: "2025-02-24",
      deadline: "2025-04-30",
      reason: "申请数量较多",
    });
    const clock = computeClock([...base, late], { today: "2025-03-03" });
    assert.equal(clock.dueDate, "2025-02-21");
    assert.equal(clock.overdue, true);
    assert.match(clock.warnings[0] ?? "", /确定延迟答复期限的决定（2025-02-24）晚于答复期限（2025-02-21）/);
  });

  it("flags an overdue application and keeps counting", () => {
    const clock = computeClock(base, { today: "2025-02-24" });
    assert.equal(clock.overdue, true);
    assert.equal(clock.workingDaysUsed, 21);
    assert.equal(clock.workingDaysLeft, 0);
    assert.match(clock.explanation.at(-1)?.reason ?? "", /已超过答复期限/);
  });

  it("stops at the reply", () => {
    const clock = computeClock([...base, ev({ type: "decide", date: "2025-02-10", outcome: "granted" })], {
      today: "2025-06-01",
    });
    assert.equal(clock.status, "stopped");
    assert.equal(clock.workingDaysUsed, 11);
    assert.equal(clock.workingDaysLeft, 9);
    assert.equal(clock.overdue, false);
  });
});

describe("clock: consultation around 国庆/中秋 2025", () => {
  // In person Mon 2025-09-22. 23 =1 · 24 =2 · 25 =3 · 26 =4 · 27 Sat off · 28 Sun 调休 =5 · 29 =6 · 30 =7 ·
  // 10-01..10-08 off · 09 =8 · 10 =9 · 10-11 Sat 调休 =10 · 12 off · 13 =11 … 17 =15 · 20..24 =16..20
  // → due 2025-10-24 without consultation.
  const base = [register("2025-09-22")];
  // Letter to the third party Fri 09-26 (day 4, counted). Its 15 working days: 28 =1 · 29 =2 · 30 =3 ·
  // 10-09 =4 · 10 =5 · 11 =6 · 13 =7 · 14 =8 · 15 =9 · 16 =10 · 17 =11 · 20 =12 · 21 =13 · 22 =14 · 23 =15.
  const start = ev({
    type: "startConsultation",
    date: "2025-09-26",
    party: "thirdParty",
    name: "某某有限公司",
  });

  it("computes the due date without consultation", () => {
    assert.equal(computeClock(base, { today: "2025-09-22" }).dueDate, "2025-10-24");
  });

  it("excludes the consultation interval", () => {
    // Reply recorded Tue 10-14; (09-26, 10-14] excluded. 10-15 =5 · 16 =6 · 17 =7 · 20 =8 · 21 =9 · 22 =10 ·
    // 23 =11 · 24 =12 · 27 =13 · 28 =14 · 29 =15 · 30 =16 · 31 =17 · 11-03 =18 · 04 =19 · 11-05 =20.
    const end = ev({ type: "endConsultation", date: "2025-10-14", result: "objected" });
    const clock = computeClock([...base, start, end], { today: "2025-10-15" });
    assert.equal(clock.consultationDueDate, "2025-10-23");
    assert.equal(clock.dueDate, "2025-11-05");
    assert.equal(clock.workingDaysUsed, 5);
    assert.equal(clock.paused, false);
    const day = clock.explanation.find((d) => d.date === "2025-10-13");
    assert.equal(day?.counted, false);
    assert.match(day?.reason ?? "", /征求第三方（某某有限公司）意见期间/);
  });

  it("is paused while consulting and projects the due date to the party's 15th day", () => {
    // Excluded (09-26, 10-23]. 10-24 =5 · 27 =6 · 28 =7 · 29 =8 · 30 =9 · 31 =10 · 11-03 =11 · 04 =12 ·
    // 05 =13 · 06 =14 · 07 =15 · 10 =16 · 11 =17 · 12 =18 · 13 =19 · 11-14 =20.
    const clock = computeClock([...base, start], { today: "2025-10-10" });
    assert.equal(clock.status, "paused");
    assert.equal(clock.paused, true);
    assert.equal(clock.dueDate, "2025-11-14");
    assert.equal(clock.workingDaysUsed, 4);
  });

  it("caps the excluded time at the party's 15 working days", () => {
    const late = ev({ type: "endConsultation", date: "2025-10-28", result: "noReply" });
    const clock = computeClock([...base, start, late], { today: "2025-10-28" });
    assert.equal(clock.dueDate, "2025-11-14");
    assert.equal(clock.workingDaysUsed, 7); // 09-23..09-26 and 10-24, 10-27, 10-28
    const open = computeClock([...base, start], { today: "2025-10-24" });
    assert.equal(open.paused, false);
    assert.match(open.warnings[0] ?? "", /征求第三方意见的答复期限（2025-10-23）已届满/);
  });
});

describe("clock: fee payment window (answer clock paused)", () => {
  // In person Mon 2025-03-03. 04 =1 · 05 =2 · 06 =3 · 07 =4 (fee notice sent that day, counted).
  // Payment window from 03-08: 10..14 =1..5 · 17..21 =6..10 · 24..28 =11..15 · 31 =16 · 04-01 =17 ·
  // 02 =18 · 03 =19 · 04-04..06 清明 off · 04-07 =20 → pay by 2025-04-07.
  const base = [
    register("2025-03-03"),
    ev({
      type: "feeNotice",
      date: "2025-03-07",
      delivery: "online",
      method: "byPages",
      pages: 150,
      amount: 1700,
    }),
  ];

  it("gives the payment due date and pauses the answer clock", () => {
    const clock = computeClock(base, { today: "2025-03-10" });
    assert.equal(clock.feePaymentDueDate, "2025-04-07");
    assert.equal(clock.paused, true);
    assert.equal(clock.workingDaysUsed, 4);
  });

  it("resumes after payment", () => {
    // Paid Wed 03-12; (03-07, 03-12] excluded. 13 =5 · 14 =6 · 17..21 =7..11 · 24..28 =12..16 ·
    // 31 =17 · 04-01 =18 · 02 =19 · 04-03 =20 → due 2025-04-03.
    const clock = computeClock([...base, ev({ type: "feePaid", date: "2025-03-12" })], {
      today: "2025-03-13",
    });
    assert.equal(clock.dueDate, "2025-04-03");
    assert.equal(clock.paused, false);
    assert.equal(clock.workingDaysUsed, 5);
  });

  it("runs the window from the signing date of a notice sent by mail (109号: 收到之日的次日起)", () => {
    const mailed = [
      register("2025-03-03"),
      ev({
        type: "feeNotice",
        date: "2025-03-07",
        delivery: "mail",
        method: "byPages",
        pages: 150,
        amount: 1700,
      }),
    ];
    const unsigned = computeClock(mailed, { today: "2025-04-10" });
    assert.equal(unsigned.feePaymentDueDate, undefined, "no window before the applicant signs");
    assert.equal(unsigned.paused, true);
    assert.deepEqual(unsigned.warnings, ["收费通知邮寄送达，尚未记录申请人签收日期，缴费期限尚未起算"]);
    // Signed Wed 03-12: window from 03-13. 13 =1 · 14 =2 · 17..21 =3..7 · 24..28 =8..12 · 31 =13 ·
    // 04-01 =14 · 02 =15 · 03 =16 · 04..06 清明 off · 07 =17 · 08 =18 · 09 =19 · 04-10 =20.
    const signed = computeClock([...mailed, ev({ type: "recordFeeDelivery", date: "2025-03-12" })], {
      today: "2025-03-13",
    });
    assert.equal(signed.feePaymentDueDate, "2025-04-10");
    // Online, the same notice would have been due on 04-07 (see above): mail delay is the applicant's due.
  });

  it("stops when the fee window lapses", () => {
    const clock = computeClock([...base, ev({ type: "expireFee", date: "2025-04-08" })], {
      today: "2025-04-09",
    });
    assert.equal(clock.status, "stopped");
    assert.equal(clock.paused, false);
  });
});

describe("clock: calendar coverage", () => {
  it("warns when a year is not in the calendar and honours admin overrides", () => {
    // Mon 2027-01-04, weekdays only: 05..08 =1..4, 11..15 =5..9, 18..22 =10..14, 25..29 =15..19, 02-01 =20.
    const plain = computeClock([register("2027-01-04")], { today: "2027-01-04" });
    assert.equal(plain.dueDate, "2027-02-01");
    assert.match(plain.warnings.join(), /2027年节假日安排尚未录入/);
    const overrides = [{ date: "2027-01-05", kind: "holiday" as const, name: "测试假日" }];
    const withOverride = computeClock([register("2027-01-04")], { today: "2027-01-04", overrides });
    assert.equal(withOverride.dueDate, "2027-02-02");
    assert.deepEqual(withOverride.warnings, []);
  });
});
