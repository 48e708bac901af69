/**
 * The compact read (applications grouped per agency by the database, one string each) against the full
 * recount (every application read as its own document), on randomized data over the real driver and the
 * embedded server: every agency's built report, a subtree's merged report and the province summary
 * merged from the per-agency data must be identical, tables, checks, narrative and provenance alike;
 * the drift check finds nothing, and names the cell when two reports do differ.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createRandom } from "@govinfo/shared/random";
import { reviewCaseKinds, reviewCaseResults } from "@govinfo/shared/schemas/reviewCase";
import { applicantTypeKeys, outcomeKeys } from "@govinfo/shared/stats/keys";
import mongoose, { Types } from "mongoose";
import { connectDatabase, type Database } from "../../../server/db/connect.ts";
import { createLogger } from "../../../server/logger.ts";
import { Agency } from "../../../server/models/Agency.ts";
import { DisclosureRequest } from "../../../server/models/DisclosureRequest.ts";
import { ReviewCase } from "../../../server/models/ReviewCase.ts";
import { buildReport } from "../../../server/reports/build.ts";
import {
  type CollectOptions,
  collectByAgency,
  collectReportData,
  mergeCollected,
} from "../../../server/reports/collect.ts";
import { createReportDriftJob, differingPaths, findReportDrift } from "../../../server/reports/drift.ts";
import { createTempDir, type TempDir } from "../../support/tempDir.ts";

const YEAR = 2024;
let db: Database;
let dir: TempDir;
const agencyIds: Types.ObjectId[] = [];

const day = (n: number) => new Date(n * 86_400_000).toISOString().slice(0, 10);

before(async () => {
  dir = await createTempDir("compact-read");
  db = await connectDatabase({
    mongodbUri: undefined,
    dataDir: dir.path,
    embeddedMongoPort: 0,
    logger: createLogger({ level: "silent" }),
    inMemory: true,
  });
  const random = createRandom(20_241_207);
  for (let i = 0; i < 7; i++) agencyIds.push(new Types.ObjectId());
  await Agency.collection.insertMany(
    agencyIds.map((_id, i) => ({
      _id,
      code: `R${i}`,
      name: `随机机关${i}`,
      parentId: null,
      ancestors: [],
      level: "department",
    })),
  );
  // Four years of receipts around the statistics year, with every shape the report must tell apart:
  // open and closed, closed without an outcome, no due date, an unconfirmed submission (no receipt
  // date), no applicant type, and serial numbers containing the separator.
  const first = Date.UTC(YEAR - 2, 0, 1) / 86_400_000;
  const requests: Record<string, unknown>[] = [];
  for (let i = 0; i < 1500; i++) {
    const agency = random.int(0, agencyIds.length - 2); // the last agency has no applications at all
    const receipt = first + random.int(0, 4 * 365);
    const closed = random.next() < 0.2 ? null : day(receipt + random.int(0, 90));
    const doc: Record<string, unknown> = {
      agencyId: agencyIds[agency],
      year: Number(day(receipt).slice(0, 4)),
      seq: i,
      serialNo:
        random.next() < 0.05 ? `R${agency}|特殊|${i}` : `R${agency}依申〔${day(receipt).slice(0, 4)}〕${i}号`,
      state: closed ? "delivered" : "received",
      receiptDate: random.next() < 0.03 ? null : day(receipt),
      closedDate: closed,
      outcome: closed && random.next() < 0.93 ? random.pick(outcomeKeys) : null,
      dueDate: random.next() < 0.1 ? null : day(receipt + 20 + random.int(0, 30)),
      applicant:
        random.next() < 0.05 ? { name: "无类型" } : { type: random.pick(applicantTypeKeys), name: "申请人" },
    };
    if (random.next() < 0.05) delete doc.closedDate;
    requests.push(doc);
  }
  await DisclosureRequest.collection.insertMany(requests);
  const cases: Record<string, unknown>[] = [];
  for (let i = 0; i < 120; i++) {
    const filed = first + random.int(0, 4 * 365);
    const closed = random.next() < 0.3 ? null : day(filed + random.int(0, 120));
    cases.push({
      agencyId: agencyIds[random.int(0, agencyIds.length - 2)],
      caseNo: `复${i}`,
      kind: random.pick(reviewCaseKinds),
      filedDate: day(filed),
      closedDate: closed,
      result: closed ? random.pick(reviewCaseResults) : null,
    });
  }
  await ReviewCase.collection.insertMany(cases);
});

after(async () => {
  await db.close();
  await mongoose.disconnect().catch(() => {});
  await dir.remove();
});

function build(data: Awaited<ReturnType<typeof collectReportData>>, year: number) {
  return buildReport({
    agency: { code: "R", name: "随机机关", level: "government" },
    year,
    formatVersion: "2021",
    data,
    manual: {},
    table4Basis: "includeCarriedOver",
  }).model;
}

describe("compact read against the full recount", () => {
  for (const year of [YEAR - 1, YEAR, YEAR + 1]) {
    it(`every agency's report of ${year} is identical, provenance included`, async () => {
      const read = (options: CollectOptions) => collectByAgency(agencyIds, year, "2021", options);
      const compact = await read({});
      const recount = await read({ recount: true });
      let counted = 0;
      for (const id of agencyIds) {
        const a = compact.get(String(id));
        const b = recount.get(String(id));
        assert.ok(a && b, "an agency is missing from a read");
        assert.deepEqual(a.requests, b.requests);
        assert.deepEqual(build(a, year), build(b, year));
        counted += a.requests.length;
      }
      assert.ok(counted > 300, `too few applications in the window (${counted}) to prove anything`);
      const summary = (data: typeof compact) => build(mergeCollected(data, year, "2021"), year);
      assert.deepEqual(summary(compact), summary(recount));
    });
  }

  it("one agency and a subtree read alone agree with the recount", async () => {
    for (const ids of [[agencyIds[0] as Types.ObjectId], agencyIds.slice(1, 4)]) {
      const compact = await collectReportData(ids, YEAR, "2021");
      const recount = await collectReportData(ids, YEAR, "2021", { recount: true });
      assert.ok(compact.requests.length > 0);
      assert.deepEqual(build(compact, YEAR), build(recount, YEAR));
    }
  });

  it("the drift check finds no drift, and names the cell where two reports differ", async () => {
    const { agencies, drifts } = await findReportDrift(YEAR);
    assert.equal(agencies, agencyIds.length);
    assert.deepEqual(drifts, []);
    const data = await collectReportData([agencyIds[0] as Types.ObjectId], YEAR, "2021");
    const model = build(data, YEAR);
    const tampered = structuredClone(model);
    tampered.provenance["three.newReceived.natural"]?.reverse();
    tampered.provenance["three.newReceived.natural"]?.push("多出的申请");
    assert.deepEqual(differingPaths(model, model), []);
    assert.deepEqual(differingPaths(model, tampered), ["provenance.three.newReceived.natural"]);
  });

  it("the drift job checks last year's reports from January to March only", async () => {
    const job = createReportDriftJob(createLogger({ level: "silent" }));
    assert.deepEqual(await job.run(new Date("2025-02-01T02:00:00Z")), {
      agencies: agencyIds.length,
      drifted: 0,
    });
    assert.deepEqual(await job.run(new Date("2025-06-01T02:00:00Z")), { agencies: 0, drifted: 0 });
  });
});
