import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { byPagesFee } from "@govinfo/shared/fees";
import { expireCorrections } from "../../../server/jobs/expireCorrections.ts";
import { expireFees } from "../../../server/jobs/expireFees.ts";
import { DisclosureRequest } from "../../../server/models/DisclosureRequest.ts";
import { createPersonalDataCipher } from "../../../server/security/personalData.ts";
import { buildAgency } from "../../factories/people.ts";
import { buildRequest } from "../../factories/requests.ts";
import { startTestServer, type TestServer } from "../../support/testServer.ts";

let server: TestServer;
const cipher = createPersonalDataCipher(randomBytes(32));

before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.close();
});

/** A moment on the given day in Asia/Shanghai (the job's "today"). */
function at(date: string, time = "09:00"): Date {
  return new Date(`${date}T${time}:00+08:00`);
}

async function stored(id: unknown) {
  const request = await DisclosureRequest.findById(id).lean();
  assert.ok(request);
  return request;
}

describe("expireCorrections", () => {
  it("closes as 逾期不补正 exactly when the deadline has passed, dated the day after it, once", async () => {
    const agency = await buildAgency();
    // Received Mon 2025-03-03; notice Wed 03-05 with a deadline of Fri 03-14.
    const request = await buildRequest(agency, cipher, {
      input: { receiptDate: "2025-03-03" },
      events: [
        {
          type: "requestCorrection",
          date: "2025-03-05",
          items: ["请明确所需信息的名称"],
          deadline: "2025-03-14",
        },
      ],
    });

    await expireCorrections(at("2025-03-14", "23:59"));
    assert.equal(
      (await stored(request._id)).state,
      "correctionRequested",
      "the deadline day itself is not late",
    );

    // Run late, on Sunday 03-16: still dated Saturday 03-15, the first day the applicant was late.
    const report = await expireCorrections(at("2025-03-16", "00:05"));
    assert.equal(report.expired, 1);
    const closed = await stored(request._id);
    assert.equal(closed.state, "closedWithoutProcessing");
    assert.equal(closed.outcome, "other.noCorrection");
    assert.equal(closed.closedDate, "2025-03-15");
    const last = closed.events.at(-1);
    assert.equal(last?.type, "expireCorrection");
    assert.equal(last?.actorKind, "system");
    assert.equal(last?.actorName, "系统");

    const again = await expireCorrections(at("2025-04-30"));
    assert.equal(again.expired, 0);
    const unchanged = await stored(request._id);
    assert.equal(unchanged.version, closed.version);
    assert.equal(unchanged.events.length, closed.events.length);
  });

  it("runs a deadline that falls in the 国庆 holiday on to the next working day (民法典第二百零三条)", async () => {
    const agency = await buildAgency();
    const request = await buildRequest(agency, cipher, {
      input: { receiptDate: "2025-09-22" },
      events: [
        {
          type: "requestCorrection",
          date: "2025-09-24",
          items: ["请明确所需信息的名称"],
          deadline: "2025-10-01",
        },
      ],
    });
    // 2025-10-01…08 are holidays; Thursday 10-09 is the first working day, so it is the last day.
    await expireCorrections(at("2025-10-09", "18:00"));
    assert.equal((await stored(request._id)).state, "correctionRequested");
    await expireCorrections(at("2025-10-10"));
    const closed = await stored(request._id);
    assert.equal(closed.outcome, "other.noCorrection");
    assert.equal(closed.closedDate, "2025-10-10");
  });

  it("leaves an application whose correction arrived in time alone", async () => {
    const agency = await buildAgency();
    const request = await buildRequest(agency, cipher, {
      input: { receiptDate: "2025-03-03" },
      events: [
        {
          type: "requestCorrection",
          date: "2025-03-05",
          items: ["请明确所需信息的名称"],
          deadline: "2025-03-14",
        },
        { type: "receiveCorrection", date: "2025-03-12" },
      ],
    });
    await expireCorrections(at("2025-04-01"));
    const after = await stored(request._id);
    assert.equal(after.state, "received");
    assert.equal(after.outcome, null);
  });
});

describe("expireFees", () => {
  it("closes as 逾期未缴费 the day after the 20-working-day payment window, once", async () => {
    const agency = await buildAgency();
    // Notice Mon 2025-03-10; 20 working days from the next day skip 清明 (04-04) → due Tue 04-08.
    const request = await buildRequest(agency, cipher, {
      input: { receiptDate: "2025-03-03" },
      events: [
        {
          type: "feeNotice",
          date: "2025-03-10",
          delivery: "online",
          method: "byPages",
          pages: 40,
          amount: byPagesFee(40).amount,
        },
      ],
    });
    await expireFees(at("2025-04-08", "23:00"));
    assert.equal((await stored(request._id)).state, "feeNotified");

    const report = await expireFees(at("2025-04-09"));
    assert.equal(report.expired, 1);
    const closed = await stored(request._id);
    assert.equal(closed.state, "closedWithoutProcessing");
    assert.equal(closed.outcome, "other.feeUnpaid");
    assert.equal(closed.closedDate, "2025-04-09");
    assert.equal(closed.events.at(-1)?.actorKind, "system");

    assert.equal((await expireFees(at("2025-05-09"))).expired, 0);
    assert.equal((await stored(request._id)).version, closed.version);
  });

  it("runs a mailed notice's window from the applicant's signing date, and waits while unsigned", async () => {
    const agency = await buildAgency();
    const mailed = {
      type: "feeNotice",
      date: "2025-03-10",
      delivery: "mail",
      method: "byPages",
      pages: 40,
      amount: byPagesFee(40).amount,
    };
    const unsigned = await buildRequest(agency, cipher, {
      input: { receiptDate: "2025-03-03" },
      events: [mailed],
    });
    // Signed for Mon 2025-03-17: 20 working days from 03-18 (清明 04-04 off) end on Tue 04-15.
    const signed = await buildRequest(agency, cipher, {
      input: { receiptDate: "2025-03-03" },
      events: [mailed, { type: "recordFeeDelivery", date: "2025-03-17" }],
      today: "2025-03-17",
    });
    await expireFees(at("2025-04-15", "23:00"));
    assert.equal((await stored(signed._id)).state, "feeNotified", "still within the window from signing");
    const report = await expireFees(at("2025-04-16"));
    assert.equal(report.expired, 1);
    const closed = await stored(signed._id);
    assert.equal(closed.outcome, "other.feeUnpaid");
    assert.equal(closed.closedDate, "2025-04-16");
    assert.equal((await stored(unsigned._id)).state, "feeNotified", "no window before the signing date");
  });

  it("leaves a paid application alone", async () => {
    const agency = await buildAgency();
    const request = await buildRequest(agency, cipher, {
      input: { receiptDate: "2025-03-03" },
      events: [
        {
          type: "feeNotice",
          date: "2025-03-10",
          delivery: "online",
          method: "byPages",
          pages: 40,
          amount: byPagesFee(40).amount,
        },
        { type: "feePaid", date: "2025-03-20" },
      ],
    });
    await expireFees(at("2025-05-01"));
    assert.equal((await stored(request._id)).state, "received");
  });
});
