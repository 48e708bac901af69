/**
 * Annual-report generation at scale:
 *   npm run bench:report [-- --quick]
 *
 * Loads 200 agencies × 200,000 applications (`--quick`: 20 × 20,000) into the embedded
 * MongoDB-compatible server (in memory, through the real driver), with the fields the report reads,
 * then times generating every agency's report the way the yearly job does (collect: one lean read per
 * collection with projections for all agencies, partitioned by agency — requests, review cases,
 * catalogue, fees, publicity; build: tables with provenance, narrative, checks, per agency). The floor, in the same run: one read of every document with the same
 * projection, then a hand-written single pass in memory counting table 三 per agency. Both results
 * are compared, so a wrong answer cannot pass as a fast one.
 *
 * Prints a table, then, as the very last line, one JSON object with every figure.
 */
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { createRandom } from "@govinfo/shared/random";
import { applicantTypeKeys, outcomeKeys } from "@govinfo/shared/stats/keys";
import mongoose, { Types } from "mongoose";
import { connectDatabase } from "../server/db/connect.ts";
import { createLogger } from "../server/logger.ts";
import { Agency } from "../server/models/Agency.ts";
import { DisclosureRequest } from "../server/models/DisclosureRequest.ts";
import { InfoItem } from "../server/models/InfoItem.ts";
import { ReviewCase } from "../server/models/ReviewCase.ts";
import { buildReport } from "../server/reports/build.ts";
import { collectByAgency, collectReportData } from "../server/reports/collect.ts";
import { createTempDir } from "../test/support/tempDir.ts";

const { values } = parseArgs({ options: { quick: { type: "boolean", default: false } } });
const agenciesCount = values.quick ? 20 : 200;
const applications = values.quick ? 20_000 : 200_000;
const YEAR = 2024;

const rand = createRandom(20240131).next;
const dayString = (dayNumber: number) => new Date(dayNumber * 86_400_000).toISOString().slice(0, 10);
const firstDay = Date.UTC(YEAR - 1, 6, 1) / 86_400_000;
const spanDays = Date.UTC(YEAR + 1, 0, 20) / 86_400_000 - firstDay;

const dataDir = await createTempDir("bench-report");
const logger = createLogger({ level: "silent" });
const db = await connectDatabase({
  mongodbUri: undefined,
  dataDir: dataDir.path,
  embeddedMongoPort: 0,
  logger,
  inMemory: true,
});
try {
  await Promise.all([DisclosureRequest.init(), Agency.init(), InfoItem.init(), ReviewCase.init()]);
  const agencyIds = Array.from({ length: agenciesCount }, () => new Types.ObjectId());
  await Agency.collection.insertMany(
    agencyIds.map((_id, i) => ({
      _id,
      code: `B${i}`,
      name: `基准测试机关${i}`,
      parentId: null,
      ancestors: [],
      level: "department",
    })),
  );
  const loadStart = performance.now();
  const batch: Record<string, unknown>[] = [];
  const seqs = new Map<string, number>();
  for (let i = 0; i < applications; i++) {
    const agencyIndex = Math.floor(rand() * agenciesCount);
    const agencyId = agencyIds[agencyIndex] as Types.ObjectId;
    const receiptDay = firstDay + Math.floor(rand() * spanDays);
    const receiptDate = dayString(receiptDay);
    const year = Number(receiptDate.slice(0, 4));
    const key = `${agencyIndex}:${year}`;
    const seq = (seqs.get(key) ?? 0) + 1;
    seqs.set(key, seq);
    const open = rand() < 0.08;
    const closedDate = open ? null : dayString(receiptDay + 1 + Math.floor(rand() * 45));
    batch.push({
      agencyId,
      year,
      seq,
      serialNo: `B${agencyIndex}依申〔${year}〕${seq}号`,
      channel: "inPerson",
      state: open ? "received" : "delivered",
      outcome: open ? null : outcomeKeys[Math.floor(rand() * outcomeKeys.length)],
      receiptDate,
      closedDate,
      dueDate: dayString(receiptDay + 28),
      applicant: { type: applicantTypeKeys[Math.floor(rand() * applicantTypeKeys.length)], name: "申请人" },
      description: "基准测试申请",
    });
    if (batch.length === 10_000) {
      await DisclosureRequest.collection.insertMany(batch.splice(0), { ordered: false });
    }
  }
  if (batch.length > 0) await DisclosureRequest.collection.insertMany(batch.splice(0), { ordered: false });
  const loadMs = performance.now() - loadStart;

  // Warm-up: first query compiles paths in the server and the driver.
  await collectReportData([agencyIds[0] as Types.ObjectId], YEAR, "2021");

  // The floor first (its documents are dropped before generation starts): every document once with the
  // same projection, then one hand-written pass counting table 三 per agency.
  const { floor, readMs, passMs, floorMs, docCount } = await (async () => {
    const floorStart = performance.now();
    const docs = await DisclosureRequest.collection
      .find(
        {},
        {
          projection: {
            _id: 0,
            agencyId: 1,
            serialNo: 1,
            "applicant.type": 1,
            receiptDate: 1,
            closedDate: 1,
            outcome: 1,
            dueDate: 1,
          },
        },
      )
      .toArray();
    const readMs = performance.now() - floorStart;
    const passStart = performance.now();
    const start = `${YEAR}-01-01`;
    const end = `${YEAR}-12-31`;
    const floor = new Map<string, { counts: number[]; serials: string[][] }>();
    for (const doc of docs) {
      const receipt = doc.receiptDate as string | null;
      const closed = doc.closedDate as string | null;
      if (!receipt || receipt > end || (closed !== null && closed < start)) continue;
      const id = String(doc.agencyId);
      let entry = floor.get(id);
      if (!entry) {
        entry = { counts: [0, 0, 0, 0], serials: [[], [], [], []] };
        floor.set(id, entry);
      }
      const row = receipt >= start ? 0 : 1;
      entry.counts[row] = (entry.counts[row] ?? 0) + 1;
      entry.serials[row]?.push(doc.serialNo as string);
      const out = closed !== null && closed <= end ? 2 : 3;
      entry.counts[out] = (entry.counts[out] ?? 0) + 1;
      entry.serials[out]?.push(doc.serialNo as string);
    }
    const passMs = performance.now() - passStart;
    const floorMs = performance.now() - floorStart;

    return { floor, readMs, passMs, floorMs, docCount: docs.length };
  })();

  const generateStart = performance.now();
  const generated = new Map<string, number[]>();
  const collected = await collectByAgency(agencyIds, YEAR, "2021");
  const collectMs = performance.now() - generateStart;
  for (const [i, agencyId] of agencyIds.entries()) {
    const data = collected.get(String(agencyId));
    if (!data) throw new Error(`no data collected for agency ${i}`);
    const built = buildReport({
      agency: { code: `B${i}`, name: `基准测试机关${i}`, level: "department" },
      year: YEAR,
      formatVersion: "2021",
      data,
      manual: {},
      table4Basis: "filedInYear",
    });
    const rows = built.model.tables.three.rows;
    generated.set(String(agencyId), [
      rows.newReceived?.total ?? 0,
      rows.carriedOver?.total ?? 0,
      rows.closedTotal?.total ?? 0,
      rows.carriedForward?.total ?? 0,
    ]);
  }
  const ms = performance.now() - generateStart;

  for (const [id, counts] of generated) {
    const expected = floor.get(id)?.counts ?? [0, 0, 0, 0];
    if (counts.join() !== expected.join())
      throw new Error(`agency ${id}: generated ${counts} but the floor pass counted ${expected}`);
  }

  const ratio = ms / floorMs;
  const perAgency = ms / agenciesCount;
  const line = (label: string, value: string) => `${label.padEnd(34)}${value}`;
  process.stdout.write(
    [
      `annual-report benchmark (${values.quick ? "quick" : "full"}): ${agenciesCount} agencies × ${applications} applications, year ${YEAR}`,
      line("operation", "time"),
      line("load (insertMany, 10k batches)", `${loadMs.toFixed(0)} ms`),
      line("generate all reports", `${ms.toFixed(0)} ms (${perAgency.toFixed(1)} ms/agency)`),
      line("  of which collect (all reads)", `${collectMs.toFixed(0)} ms`),
      line("  of which build (all agencies)", `${(ms - collectMs).toFixed(0)} ms`),
      line("floor: read all documents", `${readMs.toFixed(0)} ms (${docCount} docs)`),
      line("floor: single pass in memory", `${passMs.toFixed(1)} ms`),
      line("floor total", `${floorMs.toFixed(0)} ms`),
      line("ratio (generate / floor)", ratio.toFixed(2)),
      "",
    ].join("\n"),
  );
  process.stdout.write(
    `${JSON.stringify({
      applications,
      agencies: agenciesCount,
      year: YEAR,
      ms: Math.round(ms),
      collectMs: Math.round(collectMs),
      buildMs: Math.round(ms - collectMs),
      floorMs: Math.round(floorMs),
      floorReadMs: Math.round(readMs),
      floorPassMs: Math.round(passMs * 10) / 10,
      loadMs: Math.round(loadMs),
      ratio: Math.round(ratio * 100) / 100,
    })}\n`,
  );
} finally {
  await db.close();
  await mongoose.disconnect().catch(() => {});
  await dataDir.remove();
}
process.exit(0);
