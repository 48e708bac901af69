import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { addWorkingDays } from "@govinfo/shared/calendar/workdays";
import { channels } from "@govinfo/shared/lifecycle/channels";
import { historyOf, signOffStage, states } from "@govinfo/shared/lifecycle/machine";
import { applicantTypeKeys, outcomeKeys } from "@govinfo/shared/stats/keys";
import { DEMO_AGENCY_CODE } from "../../../server/demo/agencies.ts";
import { registerDemoSeeder } from "../../../server/demo/registry.ts";
import { type SeedDemoResult, seedDemoData } from "../../../server/demo/seed.ts";
import { createLogger } from "../../../server/logger.ts";
import { Agency } from "../../../server/models/Agency.ts";
import { AnnualReport } from "../../../server/models/AnnualReport.ts";
import { DisclosureRequest, type StoredEvent } from "../../../server/models/DisclosureRequest.ts";
import { InfoItem } from "../../../server/models/InfoItem.ts";
import { OutboxMessage } from "../../../server/models/OutboxMessage.ts";
import { ReviewCase } from "../../../server/models/ReviewCase.ts";
import { Supervision } from "../../../server/models/Supervision.ts";
import { User } from "../../../server/models/User.ts";
import { createPersonalDataCipher } from "../../../server/security/personalData.ts";
import { proposalBoard } from "../../../server/services/publicationProposals.ts";
import { clockOf } from "../../../server/services/requestClock.ts";
import { feedbackOf } from "../../../server/services/satisfaction.ts";
import { loginStaff } from "../../support/clients.ts";
import { startTestServer, type TestServer } from "../../support/testServer.ts";

const TODAY = "2025-06-16";
let server: TestServer;
let result: SeedDemoResult;
const cipher = createPersonalDataCipher(randomBytes(32));
const logger = createLogger({ level: "silent" });
const extraSeeds: string[] = [];

before(async () => {
  server = await startTestServer();
  registerDemoSeeder({
    name: "test-extra",
    seed: async (context) => {
      extraSeeds.push(`${context.agencies.bureau.name}@${context.today}`);
    },
  });
  result = await seedDemoData({ cipher, logger, today: TODAY });
});
after(async () => {
  await server.close();
});

/** Distinct values of a field among the demo bureau's applications, by aggregation. */
async function distinct(field: string): Promise<unknown[]> {
  const bureau = await Agency.findOne({ code: DEMO_AGENCY_CODE }).lean();
  const rows = await DisclosureRequest.aggregate<{ _id: unknown }>([
    { $match: { agencyId: bureau?._id } },
    { $group: { _id: `$${field}` } },
  ]);
  return rows.map((row) => row._id);
}

async function fingerprint(): Promise<string[]> {
  const rows = await DisclosureRequest.find({})
    .sort({ year: 1, seq: 1 })
    .select({
      serialNo: 1,
      receiptDate: 1,
      state: 1,
      outcome: 1,
      description: 1,
      "applicant.name": 1,
      events: 1,
    })
    .lean();
  return rows.map((r) =>
    [
      r.serialNo,
      r.receiptDate,
      r.state,
      r.outcome,
      r.description,
      r.applicant.name,
      r.events.map((e) => `${e.type}@${e.date}`),
    ].join("|"),
  );
}

describe("seedDemoData", () => {
  it("creates the 海东市 tree, the bureau's staff and a supervisor with one-time passwords", async () => {
    assert.equal(result.seeded, true);
    const bureau = await Agency.findOne({ code: DEMO_AGENCY_CODE }).lean();
    assert.equal(bureau?.name, "海东市生态环境局");
    assert.equal(bureau?.serialPrefix, "海东生环");
    assert.match(bureau?.letterhead?.address ?? "", /^青海省海东市乐都区/);
    const government = await Agency.findById(bureau?.parentId).lean();
    assert.equal(government?.name, "海东市人民政府");
    assert.equal(government?.level, "government");
    assert.ok((await Agency.countDocuments({ parentId: government?._id })) >= 2, "bureau and siblings");

    assert.deepEqual(result.logins.map((l) => l.role).sort(), [
      "admin",
      "handler",
      "registrar",
      "reviewer",
      "signer",
      "supervisor",
    ]);
    assert.equal(new Set(result.logins.map((l) => l.password)).size, result.logins.length);
    const users = await User.find({}).lean();
    assert.ok(
      users.every((u) => u.mustChangePassword && !u.passwordHash.includes(result.logins[0]?.password ?? "")),
    );
    const supervisor = result.logins.find((l) => l.role === "supervisor");
    assert.equal(supervisor?.agencyName, "海东市人民政府");
    const registrar = result.logins.find((l) => l.role === "registrar");
    assert.ok(registrar);
    await loginStaff(server, registrar.username, registrar.password);
  });

  it("covers every state, every outcome key, every applicant type and every channel", async () => {
    assert.ok(result.requests >= 40 && result.requests <= 80, `${result.requests} applications`);
    assert.deepEqual((await distinct("state")).sort(), [...states].sort());
    assert.deepEqual((await distinct("outcome")).filter((o) => o !== null).sort(), [...outcomeKeys].sort());
    assert.deepEqual((await distinct("applicant.type")).sort(), [...applicantTypeKeys].sort());
    assert.deepEqual((await distinct("channel")).sort(), [...channels].sort());
    assert.deepEqual((await distinct("year")).sort(), [2024, 2025]);
  });

  it("stores what the product would: consistent outcomes, clocks, events in order, nothing after today", async () => {
    const requests = await DisclosureRequest.find({}).lean();
    for (const r of requests) {
      const dates = r.events.map((e) => e.date);
      assert.deepEqual(dates, [...dates].sort(), `${r.serialNo} events in date order`);
      assert.ok(
        dates.every((d) => d <= TODAY),
        `${r.serialNo} nothing after today`,
      );
      const isClosedForStats = ["decided", "delivered", "withdrawn", "closedWithoutProcessing"].includes(
        r.state,
      );
      const neverReceived = !r.events.some((e) => e.type === "register" || e.type === "confirmReceipt");
      assert.equal(
        r.outcome !== null,
        isClosedForStats && !neverReceived,
        `${r.serialNo} outcome iff closed`,
      );
      assert.equal(r.dueDate, (await clockOf(r, TODAY)).dueDate, `${r.serialNo} stored due date`);
    }
    const types = new Set(requests.flatMap((r) => r.events.map((e) => e.type)));
    for (const type of [
      "requestCorrection",
      "receiveCorrection",
      "startConsultation",
      "endConsultation",
      "extend",
      "delayDeadline",
      "feeNotice",
      "feePaid",
      "expireFee",
      "expireCorrection",
      "withdraw",
      "closeUnprocessed",
      "deliver",
    ]) {
      assert.ok(types.has(type), `some application has ${type}`);
    }
    // 结转: received last year, closed this year or still open.
    const carried = requests.filter(
      (r) => r.receiptDate?.startsWith("2024") && (!r.closedDate || r.closedDate.startsWith("2025")),
    );
    assert.ok(carried.length >= 2, `${carried.length} carried over`);
    // Serial numbers follow the receipt order within each year.
    const serials = requests.filter((r) => r.year === 2025).sort((a, b) => a.seq - b.seq);
    assert.match(serials[0]?.serialNo ?? "", /^海东生环依申〔2025〕1号$/);
    // Personal data sealed at rest; the online applicants have accounts.
    const raw = await server.db.connection.collection("disclosurerequests").findOne({ channel: "online" });
    assert.match(String(raw?.applicant.phoneSealed), /^v1:/);
    assert.ok(raw?.applicantAccountId);
    // The generated numbers may be real people's: no text message about the demo history may go out.
    assert.ok((await OutboxMessage.countDocuments({})) > 0, "in-app messages kept");
    assert.equal(await OutboxMessage.countDocuments({ status: "pending" }), 0);
    assert.equal(
      await OutboxMessage.countDocuments({ "channels.sms.status": { $in: ["pending", "delivered"] } }),
      0,
    );
  });

  it("adds review cases and runs the registered extra seeders", async () => {
    assert.ok(result.reviewCases >= 3);
    const kinds = await ReviewCase.distinct("kind");
    assert.deepEqual(kinds.sort(), ["litigationAfterReconsideration", "litigationDirect", "reconsideration"]);
    assert.ok(await ReviewCase.exists({ result: null }), "one still pending");
    assert.deepEqual(extraSeeds, [`海东市生态环境局@${TODAY}`]);
  });

  it("publishes last year's annual report of the bureau, its checks passing", async () => {
    const report = await AnnualReport.findOne({ year: 2024 }).lean();
    assert.ok(report, "a report for last year exists");
    assert.equal(report.status, "published");
    assert.equal(report.revisions.length, 1);
    const failing = (report.checks as { ok: boolean; severity: string; message: string }[]).filter(
      (c) => !c.ok && c.severity === "hard",
    );
    assert.deepEqual(failing, []);
  });

  it("is alive on its day: every agency's catalogue up to today, dates matching titles, table 二 as the catalogue", async () => {
    const agencies = await Agency.find({}, { name: 1, level: 1 }).lean();
    assert.equal(agencies.length, 4);
    for (const agency of agencies) {
      const thisYear = await InfoItem.countDocuments({ agencyId: agency._id, publishedYear: 2025 });
      assert.ok(thisYear > 0, `${agency.name} has items this year`);
      const regulations = await InfoItem.countDocuments({
        agencyId: agency._id,
        docKind: "regulation",
        publishedYear: { $gte: 2021 },
      });
      if (agency.level === "department") assert.equal(regulations, 0, `${agency.name} makes no 规章`);
    }
    assert.equal(await InfoItem.countDocuments({ publishedDate: { $gt: TODAY } }), 0, "nothing after today");
    // A statistics release never reports a period that has not ended when it is published.
    const stats = await InfoItem.find({ category: "statistics" }, { title: 1, publishedDate: 1 }).lean();
    for (const item of stats) {
      const published = item.publishedDate as string;
      const match = /^(\d{4})年(全年|第一季度|第二季度|上半年|第三季度)/.exec(item.title);
      assert.ok(match, item.title);
      const ends: Record<string, string> = {
        全年: "12-31",
        第一季度: "03-31",
        第二季度: "06-30",
        上半年: "06-30",
        第三季度: "09-30",
      };
      assert.ok(
        `${match[1]}-${ends[match[2] as string]}` < published,
        `${item.title} published ${published}`,
      );
    }
    const report = await AnnualReport.findOne({ year: 2024 }).lean();
    const bureau = await Agency.findOne({ code: DEMO_AGENCY_CODE }).lean();
    const licensing = await InfoItem.countDocuments({
      agencyId: bureau?._id,
      category: "licensing",
      publishedYear: 2024,
    });
    assert.ok(licensing > 0);
    const two = (report?.manualInputs as { two?: Record<string, { decisions?: number }> } | undefined)?.two;
    assert.equal(two?.licensing?.decisions, licensing, "table 二 行政许可 = the catalogue's licensing items");
  });

  it("leaves due-soon, overdue and unassigned work in the queue today, the rest with the handler", async () => {
    const bureau = await Agency.findOne({ code: DEMO_AGENCY_CODE }).lean();
    const open = await DisclosureRequest.find({
      agencyId: bureau?._id,
      state: { $nin: ["decided", "delivered", "withdrawn", "closedWithoutProcessing"] },
    }).lean();
    assert.ok(
      open.some((r) => r.dueDate != null && r.dueDate < TODAY),
      "an overdue case",
    );
    assert.ok(
      open.some((r) => r.dueDate != null && r.dueDate >= TODAY && r.dueDate <= addWorkingDays(TODAY, 3)),
      "a case due within 3 working days",
    );
    const handler = await User.findOne({ username: "hdsthjj-chengban" }).lean();
    assert.ok(open.filter((r) => String(r.assigneeId) === String(handler?._id)).length >= 3);
    // 签收/退回: one assignment waits for 签收, one came back to the registrar with its reason.
    assert.ok(open.some((r) => r.assignmentStatus === "pending" && r.assigneeId !== null));
    const returned = open.find((r) => r.assignmentStatus === "returned");
    assert.ok(returned?.assignmentReturn?.reason, "a returned assignment with its reason");
    assert.equal(returned?.assigneeId, null);
    // The sign-off chain: a case at each step, and replies that went through it.
    const stages = open.map((r) => signOffStage(historyOf(r.events as StoredEvent[])).stage);
    for (const stage of ["awaitingReview", "returned", "awaitingSignOff", "signed"] as const) {
      assert.ok(stages.includes(stage), `a case at ${stage}`);
    }
    assert.equal(bureau?.signOffPolicy?.withheld, "signOff");
    const all = await DisclosureRequest.find({ agencyId: bureau?._id }).lean();
    const signedReplies = all.filter(
      (r) => r.events.some((e) => e.type === "signOff") && r.events.some((e) => e.type === "decide"),
    );
    assert.ok(signedReplies.length > 0, "replies issued after 签发");
    assert.ok(
      open.some((r) => r.assigneeId === null && r.state !== "submitted"),
      "one still to distribute",
    );
  });

  it("shows citizen feedback: ratings with 回访 open and done, applications saved, a 纳入主动公开 proposal", async () => {
    const bureau = await Agency.findOne({ code: DEMO_AGENCY_CODE }).lean();
    assert.ok(bureau);
    const [feedback] = await feedbackOf([String(bureau._id)], true, TODAY);
    assert.ok(feedback && feedback.ratings.count >= 5, "ratings of closed applications");
    assert.ok(feedback.followUps.open >= 1 && feedback.followUps.done >= 1, "one 回访 open, one done");
    assert.ok(feedback.savedApplications >= 3, "applications saved by 先查再申");
    const board = await proposalBoard(String(bureau._id));
    assert.ok(
      board.candidates.some(
        (c) => c.applicants >= 3 && c.requests.every((r) => /重点排污单位名录/.test(r.description)),
      ),
      "three applicants asking for the same list are proposed for publication",
    );
  });

  it("shows the office workflow: a 转办, 督办单 (one overdue, one answered), a repeat, 催办 by SMS", async () => {
    const bureau = await Agency.findOne({ code: DEMO_AGENCY_CODE }).lean();
    const handed = await DisclosureRequest.findOne({
      agencyId: bureau?._id,
      transferredToId: { $ne: null },
    }).lean();
    assert.equal(handed?.outcome, "unable.notHeld");
    const received = await DisclosureRequest.findById(handed?.transferredToId).lean();
    assert.equal(String(received?.transferredFromId), String(handed?._id));
    assert.equal((await Agency.findById(received?.agencyId).lean())?.name, "海东市自然资源局");
    assert.equal(received?.receiptDate, TODAY);
    const orders = await Supervision.find({ agencyId: bureau?._id }).lean();
    assert.equal(orders.length, 3);
    assert.ok(orders.some((o) => o.requestId !== null && o.status === "open"));
    assert.ok(
      orders.some((o) => o.status === "open" && o.deadline < TODAY),
      "one overdue",
    );
    assert.ok(orders.some((o) => o.status === "replied" && o.reply?.text));
    const repeats = await DisclosureRequest.aggregate<{ count: number }>([
      { $match: { agencyId: bureau?._id } },
      { $group: { _id: { name: "$applicant.name", description: "$description" }, count: { $sum: 1 } } },
      { $match: { count: { $gt: 1 } } },
    ]);
    assert.ok(repeats.length > 0, "an applicant repeated an application");
    const merged = (await DisclosureRequest.find({ agencyId: bureau?._id }).lean()).filter((r) =>
      r.events.some((e) =>
        Array.isArray((e.payload as { mergedRequests?: unknown } | undefined)?.mergedRequests),
      ),
    );
    assert.equal(merged.length, 2, "合并答复");
    assert.deepEqual(merged.map((r) => r.outcome).sort(), ["granted", "unable.notHeld"]);
    assert.equal(bureau?.staffNotify?.quietStart, "22:00");
    const handler = await User.findOne({ username: "hdsthjj-chengban" }).lean();
    assert.notEqual(handler?.phoneSealed ?? "", "");
  });

  it("is idempotent and deterministic", async () => {
    const before = await fingerprint();
    const again = await seedDemoData({ cipher, logger, today: TODAY });
    assert.equal(again.seeded, false);
    assert.deepEqual(await fingerprint(), before);
    assert.equal(extraSeeds.length, 1);

    // Same day, same seed, fresh database → the same applications.
    for (const name of Object.keys(server.db.connection.collections)) {
      await server.db.connection.collection(name).deleteMany({});
    }
    const fresh = await seedDemoData({ cipher, logger, today: TODAY });
    assert.equal(fresh.seeded, true);
    assert.deepEqual(await fingerprint(), before);
    assert.notDeepEqual(
      fresh.logins.map((l) => l.password),
      result.logins.map((l) => l.password),
      "passwords are random, not seeded",
    );
  });
});
