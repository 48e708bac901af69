import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { AuditEvent } from "../../../server/models/AuditEvent.ts";
import { DisclosureRequest } from "../../../server/models/DisclosureRequest.ts";
import { createPersonalDataCipher } from "../../../server/security/personalData.ts";
import { createRequest } from "../../../server/services/requestCreator.ts";
import { fireEvent } from "../../../server/services/requestTransitioner.ts";
import { buildAgency } from "../../factories/people.ts";
import { buildRequest, fixtureStaff, registrationInput } from "../../factories/requests.ts";
import { startTestServer, type TestServer } from "../../support/testServer.ts";

let server: TestServer;
const cipher = createPersonalDataCipher(randomBytes(32));

before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.close();
});

describe("requestCreator", () => {
  it("numbers 20 concurrent registrations 1..20 without gaps or duplicates", async () => {
    const agency = await buildAgency({ code: "SERIAL" });
    const created = await Promise.all(
      Array.from({ length: 20 }, () =>
        createRequest({
          intake: registrationInput(agency),
          first: { type: "register", date: "2025-03-03", channel: "inPerson" },
          actor: fixtureStaff,
          applicantAccountId: null,
          cipher,
          today: "2025-03-03",
        }),
      ),
    );
    assert.deepEqual(
      created.map((r) => r.seq).sort((a, b) => a - b),
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    assert.ok(created.every((r) => r.serialNo === `SERIAL依申〔2025〕${r.seq}号`));
  });

  it("stores ID number, phone and address encrypted, with masked copies", async () => {
    const agency = await buildAgency();
    const request = await buildRequest(agency, cipher);
    const raw = await server.db.connection.collection("disclosurerequests").findOne({ _id: request._id });
    const text = JSON.stringify(raw);
    for (const secret of ["11010519491231002X", "13812345678", "碾伯镇"])
      assert.ok(!text.includes(secret), `${secret} at rest`);
    assert.equal(raw?.applicant.idNumberMasked, "110105********002X");
    assert.equal(cipher.decrypt(raw?.applicant.idNumberSealed), "11010519491231002X");
  });
});

describe("requestTransitioner", () => {
  it("lets exactly one of two concurrent decisions win; the other gets 409", async () => {
    const agency = await buildAgency();
    const request = await buildRequest(agency, cipher, { input: { receiptDate: "2025-03-03" } });
    const decide = (outcome: string) =>
      fireEvent({
        requestId: request._id,
        input: { type: "decide", date: "2025-03-10", outcome },
        actor: fixtureStaff,
        today: "2025-03-20",
      });
    const results = await Promise.allSettled([decide("granted"), decide("partial")]);
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r) => r.status === "rejected");
    assert.equal(won.length, 1);
    assert.equal(lost.length, 1);
    const error = (lost[0] as PromiseRejectedResult).reason as { status: number; message: string };
    assert.equal(error.status, 409);
    const stored = await DisclosureRequest.findById(request._id).lean();
    assert.equal(stored?.state, "decided");
    assert.equal(stored?.events.filter((e) => e.type === "decide").length, 1, "one decision in the ledger");
    assert.equal(
      await AuditEvent.countDocuments({ targetId: String(request._id), action: "request.decide" }),
      1,
    );
  });

  it("refuses a stale version with the concurrency message", async () => {
    const agency = await buildAgency();
    const request = await buildRequest(agency, cipher);
    await assert.rejects(
      fireEvent({
        requestId: request._id,
        input: { type: "decide", date: "2025-03-10", outcome: "granted" },
        actor: fixtureStaff,
        expectedVersion: 7,
        today: "2025-03-20",
      }),
      (error: { status: number; message: string }) =>
        error.status === 409 && /已被他人处理/.test(error.message),
    );
  });

  it("sets exactly one outcome and the closed date, and keeps the due date from the clock", async () => {
    const agency = await buildAgency();
    // Received Monday 2025-03-03; 20 working days from 03-04 end on 2025-03-31.
    const request = await buildRequest(agency, cipher, {
      events: [{ type: "decide", date: "2025-03-14", outcome: "withheld.stateSecret" }],
    });
    assert.equal(request.state, "decided");
    assert.equal(request.outcome, "withheld.stateSecret");
    assert.equal(request.closedDate, "2025-03-14");
    assert.equal(request.receiptDate, "2025-03-03");
    assert.equal(request.dueDate, "2025-03-31");
  });

  it("refuses an event not allowed in the state and a role that may not fire it", async () => {
    const agency = await buildAgency();
    const request = await buildRequest(agency, cipher);
    await assert.rejects(
      fireEvent({
        requestId: request._id,
        input: { type: "deliver", date: "2025-03-05", method: "email" },
        actor: fixtureStaff,
        today: "2025-03-20",
      }),
      (error: { status: number }) => error.status === 409,
    );
    await assert.rejects(
      fireEvent({
        requestId: request._id,
        input: { type: "decide", date: "2025-03-05", outcome: "granted" },
        actor: { kind: "staff", id: null, name: "r", roles: ["registrar"] },
        today: "2025-03-20",
      }),
      (error: { status: number; message: string }) => error.status === 403 && /无权/.test(error.message),
    );
    assert.equal((await DisclosureRequest.findById(request._id).lean())?.version, 0, "nothing changed");
  });
});
