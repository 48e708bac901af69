/**
 * The "nothing half-applied" check the fault tests rely on (`consistency.ts`) accepts what the product
 * writes and rejects each kind of half-applied write: a state without its event, a version out of
 * step, an event without its audit event, an audit event or outbox message without its application or
 * event, a gap in the serial numbers, a counter ahead of them.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import type { Db, Document } from "mongodb";
import { ObjectId } from "mongodb";
import type { AgencyDoc } from "../../../server/models/Agency.ts";
import type { DisclosureRequestDoc } from "../../../server/models/DisclosureRequest.ts";
import { createPersonalDataCipher } from "../../../server/security/personalData.ts";
import { buildAgency } from "../../factories/people.ts";
import { buildRequest } from "../../factories/requests.ts";
import { startTestServer, type TestServer } from "../../support/testServer.ts";
import { checkConsistency, collections } from "./consistency.ts";

let server: TestServer;
let db: Db;
let agency: AgencyDoc;
let delivered: DisclosureRequestDoc;
let received: DisclosureRequestDoc;
const saved = new Map<string, Document[]>();

before(async () => {
  server = await startTestServer();
  const cipher = createPersonalDataCipher(randomBytes(32));
  agency = await buildAgency();
  delivered = await buildRequest(agency, cipher, {
    events: [
      { type: "decide", date: "2025-03-10", outcome: "granted" },
      { type: "deliver", date: "2025-03-11", method: "email" },
    ],
  });
  received = await buildRequest(agency, cipher);
  db = server.db.connection.db as Db;
  for (const name of Object.values(collections))
    saved.set(name, await db.collection(name).find({}).toArray());
});
after(async () => {
  await server.close();
});

/** Puts every collection back as the product wrote it. */
async function restore(): Promise<void> {
  for (const [name, docs] of saved) {
    await db.collection(name).deleteMany({});
    if (docs.length > 0) await db.collection(name).insertMany(docs);
  }
}

describe("the consistency check", () => {
  test("accepts the applications, audit trail, outbox and counters the product writes", async () => {
    const report = await checkConsistency(db);
    assert.equal(report.requests, 2);
    assert.equal(report.events, 4);
    assert.equal(report.auditEvents, 4);
    assert.equal(report.outboxMessages, 2, "decide and deliver are told to the applicant");
    assert.ok(report.checks > 20);
  });

  const corruptions: [string, () => Promise<unknown>, RegExp][] = [
    [
      "a state without its event",
      () =>
        db.collection(collections.requests).updateOne({ _id: received._id }, { $set: { state: "decided" } }),
      /is decided, its events give received/,
    ],
    [
      "a version out of step",
      () => db.collection(collections.requests).updateOne({ _id: delivered._id }, { $inc: { version: -1 } }),
      /has version 1 with 2 transitions/,
    ],
    [
      "an event without its audit event",
      () =>
        db
          .collection(collections.audit)
          .deleteOne({ targetId: String(delivered._id), action: "request.deliver" }),
      /audit trail/,
    ],
    [
      "an audit event of an application that does not exist",
      () =>
        db.collection(collections.audit).insertOne({
          at: new Date(),
          action: "request.decide",
          targetType: "request",
          targetId: String(new ObjectId()),
          details: {},
        }),
      /audit events for applications that do not exist/,
    ],
    [
      "an outbox message for an event that did not happen",
      () =>
        db.collection(collections.outbox).insertOne({
          requestId: received._id,
          eventIndex: 1,
          eventType: "decide",
        }),
      /outbox messages for events \[1\], expected \[\]/,
    ],
    [
      "a gap in the serial numbers",
      () => db.collection(collections.requests).updateOne({ _id: received._id }, { $set: { seq: 3 } }),
      /serial numbers are not 1…2/,
    ],
    [
      "a counter ahead of the serial numbers",
      () =>
        db
          .collection<{ _id: string; value: number }>(collections.counters)
          .updateOne({ _id: `request:${String(agency._id)}:2025` }, { $inc: { value: 1 } }),
      /counter at 3, 2 applications/,
    ],
  ];
  for (const [name, corrupt, message] of corruptions) {
    test(`rejects ${name}`, async () => {
      try {
        await corrupt();
        await assert.rejects(checkConsistency(db), message);
      } finally {
        await restore();
      }
      await checkConsistency(db);
    });
  }
});
