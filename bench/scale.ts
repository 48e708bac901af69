/**
 * A whole province's year:
 *   npm run bench:scale [-- --agencies N --applications N] [-- --quick]
 *
 * Default 5,000 agencies × 1,000,000 applications, with review cases (2 per 100 applications),
 * catalogue items (30 per agency) and paid fees (1 in 200 applications) — `--quick`: 50 × 10,000.
 * The embedded database runs in its own process (`npm run mongod`, the way a large install runs it),
 * so its heap, CPU time and RSS are its own. The run bulk-loads the data into it through the real
 * driver (the bulk-load rate, with a progress line every 50,000 documents), stops it (the final
 * checkpoint) and starts it again on that data (the restart), then, in the same run:
 *   - the floor: every application read once with the report's projection, then one hand-written pass
 *     counting table 三 per agency;
 *   - reports: every agency's report and the province summary, the way the yearly job reads them (the
 *     compact read the database groups per agency, `server/reports/collect.ts`), built with provenance;
 *   - the check: table 三 of every agency against the floor's pass, the summary's totals against the
 *     floor's, and whole reports (tables, checks, provenance) against the full recount for a sample of
 *     agencies (all of them with `--quick`): a wrong answer cannot pass as a fast one;
 *   - the database restarting on that data in its own process (`npm run mongod`; the time to "ready"
 *     is the checkpoint load plus journal replay, its RSS the memory per million documents), and the
 *     staff queue's filtered queries (`listQueue`: agency + state, overdue, due within 5 working days,
 *     and a province-wide overdue list) from this process against it: p50/p99.
 * `--recount` also times the previous read (every application as its own document) for the ratio.
 * `--data-dir DIR` keeps the data: an empty (or missing) DIR is loaded and kept, a DIR loaded by an
 * earlier run with the same sizes is reused as it is (no load; the run starts with the restart), so a
 * full-size data set is loaded once and the reports measured again on it.
 *
 * Prints a table, then, as the very last line, one JSON object with every figure.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { categoryKeys } from "@govinfo/shared/catalogue/categories";
import { createRandom } from "@govinfo/shared/random";
import { reviewCaseKinds, reviewCaseResults } from "@govinfo/shared/schemas/reviewCase";
import { applicantTypeKeys, outcomeKeys } from "@govinfo/shared/stats/keys";
import mongoose, { Types } from "mongoose";
import { Agency } from "../server/models/Agency.ts";
import { DisclosureRequest } from "../server/models/DisclosureRequest.ts";
import { InfoItem } from "../server/models/InfoItem.ts";
import { ReviewCase } from "../server/models/ReviewCase.ts";
import type { UserDoc } from "../server/models/User.ts";
import type { StaffActor } from "../server/policies/actor.ts";
import { buildReport } from "../server/reports/build.ts";
import { collectByAgency, mergeCollected } from "../server/reports/collect.ts";
import { findReportDrift } from "../server/reports/drift.ts";
import { listQueue } from "../server/services/requestQueue.ts";
import { createTempDir } from "../test/support/tempDir.ts";
import { repoRoot } from "./support/process.ts";
import { cpuMsOf, rssOf, toMiB } from "./support/rss.ts";
import { percentile } from "./support/stats.ts";

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    agencies: { type: "string" },
    applications: { type: "string" },
    recount: { type: "boolean", default: false },
    "data-dir": { type: "string" },
  },
});
const agenciesCount = Number(values.agencies ?? (values.quick ? 50 : 5_000));
const applications = Number(values.applications ?? (values.quick ? 10_000 : 1_000_000));
if (
  !Number.isInteger(agenciesCount) ||
  agenciesCount < 1 ||
  !Number.isInteger(applications) ||
  applications < 1
)
  throw new Error("--agencies and --applications take positive integers");
const YEAR = 2024;
const TODAY = `${YEAR + 1}-01-10`;
const BATCH = 10_000;
const PROGRESS_EVERY = 50_000;
/** The database's heap limit: a million applications need more than Node's default of about 4 GiB. */
const DB_HEAP_MIB = 8192;

const rand = createRandom(20_241_207).next;
const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)] as T;
const dayString = (dayNumber: number) => new Date(dayNumber * 86_400_000).toISOString().slice(0, 10);
const firstDay = Date.UTC(YEAR - 1, 6, 1) / 86_400_000;
const spanDays = Date.UTC(YEAR + 1, 0, 10) / 86_400_000 - firstDay;

const keptDir = values["data-dir"] ? resolve(values["data-dir"]) : null;
const tempDir = keptDir ? null : await createTempDir("bench-scale");
const dataPath = keptDir ?? (tempDir as { path: string }).path;
const mongoPath = join(dataPath, "mongo");
const manifestPath = join(dataPath, "bench-scale.json");
const sizes = { agencies: agenciesCount, applications };
let server: ChildProcess | undefined;
// CPU time of this process and of the database process together (both sides of the wire).
const cpuSince = async (since: { own: NodeJS.CpuUsage; db: number; pid: number | undefined }) => {
  const own = process.cpuUsage(since.own);
  const db = since.pid ? ((await cpuMsOf(since.pid)) ?? since.db) - since.db : 0;
  return (own.user + own.system) / 1000 + db;
};
const cpuMark = async () => ({
  own: process.cpuUsage(),
  db: server?.pid ? ((await cpuMsOf(server.pid)) ?? 0) : 0,
  pid: server?.pid,
});
try {
  let loaded = false;
  if (existsSync(manifestPath)) {
    const kept = JSON.parse(readFileSync(manifestPath, "utf8")) as typeof sizes;
    if (kept.agencies !== agenciesCount || kept.applications !== applications)
      throw new Error(
        `${dataPath} holds ${kept.agencies} agencies × ${kept.applications} applications, not ${agenciesCount} × ${applications}: give the same sizes or another --data-dir`,
      );
    loaded = true;
  } else if (existsSync(mongoPath)) {
    throw new Error(`${mongoPath} exists but no finished load was recorded there: give an empty --data-dir`);
  }

  let loadMs: number | null = null;
  let loadCpuMs: number | null = null;
  let loadDbCpuMs: number | null = null;
  let finalCheckpointMs: number | null = null;
  let loadedDocs = 0;
  if (!loaded) {
    await mkdir(dataPath, { recursive: true });
    const loader = await startMongod(mongoPath);
    server = loader.child;
    await mongoose.connect(loader.uri, { socketTimeoutMS: 30 * 60_000 });
    await Promise.all([DisclosureRequest.init(), Agency.init(), InfoItem.init(), ReviewCase.init()]);
    const agencyIds = Array.from({ length: agenciesCount }, () => new Types.ObjectId());
    await Agency.collection.insertMany(
      agencyIds.map((_id, i) => ({
        _id,
        code: `P${i}`,
        name: `基准测试机关${i}`,
        parentId: null,
        ancestors: [],
        level: "department" as const,
      })),
    );

    // Bulk load (a province migrating its 台账): applications, review cases, catalogue items.
    const loadStart = performance.now();
    const loadCpu = await cpuMark();
    let lastReport = { at: loadStart, docs: 0 };
    const flush = async (
      collection: typeof DisclosureRequest.collection,
      batch: Record<string, unknown>[],
    ) => {
      if (batch.length === 0) return;
      loadedDocs += batch.length;
      await collection.insertMany(batch.splice(0), { ordered: false });
      if (loadedDocs - lastReport.docs >= PROGRESS_EVERY) {
        const now = performance.now();
        process.stdout.write(
          `loading: ${loadedDocs} documents, ${Math.round(loadedDocs / ((now - loadStart) / 1000))} docs/s (last ${Math.round((loadedDocs - lastReport.docs) / ((now - lastReport.at) / 1000))} docs/s), database RSS ${toMiB(await rssOf(server?.pid ?? 0))} MiB\n`,
        );
        lastReport = { at: now, docs: loadedDocs };
      }
    };
    const requests: Record<string, unknown>[] = [];
    const cases: Record<string, unknown>[] = [];
    for (let i = 0; i < applications; i++) {
      const agencyIndex = Math.floor(rand() * agenciesCount);
      const agencyId = agencyIds[agencyIndex] as Types.ObjectId;
      const receiptDay = firstDay + Math.floor(rand() * spanDays);
      const receiptDate = dayString(receiptDay);
      const year = Number(receiptDate.slice(0, 4));
      const open = rand() < 0.08;
      const closedDay = receiptDay + 1 + Math.floor(rand() * 45);
      const closedDate = open || closedDay > firstDay + spanDays ? null : dayString(closedDay);
      const serialNo = `P${agencyIndex}依申〔${year}〕${i}号`;
      const fee = !open && rand() < 0.005;
      requests.push({
        agencyId,
        year,
        seq: i,
        serialNo,
        channel: "inPerson",
        state: closedDate ? "delivered" : pick(["received", "accepted", "processing"]),
        outcome: closedDate ? pick(outcomeKeys) : null,
        receiptDate,
        closedDate,
        dueDate: dayString(receiptDay + 28),
        applicant: { type: pick(applicantTypeKeys), name: "申请人" },
        description: "基准测试申请",
        events: fee
          ? [
              { type: "feeNotice", date: receiptDate, payload: { amount: 100 } },
              { type: "feePaid", date: dayString(receiptDay + 5), payload: {} },
            ]
          : [],
      });
      if (rand() < 0.02) {
        const filed = receiptDay + 30 + Math.floor(rand() * 60);
        const caseClosed = rand() < 0.7 ? dayString(filed + 60) : null;
        cases.push({
          agencyId,
          caseNo: `复${i}`,
          kind: pick(reviewCaseKinds),
          requestSerialNo: serialNo,
          filedDate: dayString(filed),
          closedDate: caseClosed,
          result: caseClosed ? pick(reviewCaseResults) : null,
          source: "ledger",
        });
      }
      if (requests.length === BATCH) await flush(DisclosureRequest.collection, requests);
      if (cases.length === BATCH) await flush(ReviewCase.collection, cases);
    }
    await flush(DisclosureRequest.collection, requests);
    await flush(ReviewCase.collection, cases);
    const items: Record<string, unknown>[] = [];
    for (const [agencyIndex, agencyId] of agencyIds.entries()) {
      for (let k = 0; k < 30; k++) {
        const published = firstDay - 365 + Math.floor(rand() * (spanDays + 365));
        const kind = rand();
        items.push({
          agencyId,
          indexNo: `P${agencyIndex}-${k}`,
          title: `基准测试公开事项${agencyIndex}-${k}`,
          category: pick(categoryKeys),
          docKind: kind < 0.03 ? "regulation" : kind < 0.15 ? "normative" : "other",
          formedDate: dayString(published - 10),
          publishedDate: dayString(published),
          publishedYear: Number(dayString(published).slice(0, 4)),
          repealedDate: rand() < 0.05 ? dayString(published + 200) : null,
          status: rand() < 0.9 ? "published" : "draft",
        });
        if (items.length === BATCH) await flush(InfoItem.collection, items);
      }
    }
    await flush(InfoItem.collection, items);
    loadedDocs += agenciesCount;
    loadMs = performance.now() - loadStart;
    loadCpuMs = await cpuSince(loadCpu);
    loadDbCpuMs = ((await cpuMsOf(loadCpu.pid ?? 0)) ?? loadCpu.db) - loadCpu.db;
    await mongoose.disconnect();
    // SIGTERM: the server writes its final checkpoint and exits.
    const stopStart = performance.now();
    await stopChild(loader.child);
    finalCheckpointMs = performance.now() - stopStart;
    server = undefined;
    writeFileSync(manifestPath, `${JSON.stringify(sizes)}\n`);
  }

  // The database restarting on that data, in its own process.
  // Baseline: the same start on an empty directory (Node, tsx, the server's own code).
  const emptyDir = await createTempDir("bench-scale-empty");
  const empty = await startMongod(`${emptyDir.path}/mongo`);
  const emptyRss = await rssOf(empty.child.pid ?? 0);
  const emptyCpuMs = await cpuMsOf(empty.child.pid ?? 0);
  await stopChild(empty.child);
  await emptyDir.remove();
  const restart = await startMongod(mongoPath);
  server = restart.child;
  const restartMs = restart.ms;
  const restartCpuMs = (await cpuMsOf(restart.child.pid ?? 0)) ?? null;
  const serverRss = await rssOf(restart.child.pid ?? 0);
  await mongoose.connect(restart.uri, { socketTimeoutMS: 30 * 60_000 });

  const agencies = (
    await Agency.collection.find({ code: /^P\d+$/ }, { projection: { code: 1, name: 1 } }).toArray()
  )
    .map((doc) => ({
      _id: doc._id as unknown as Types.ObjectId,
      code: doc.code as string,
      name: doc.name as string,
      parentId: null,
      ancestors: [],
      level: "department" as const,
    }))
    .sort((a, b) => Number(a.code.slice(1)) - Number(b.code.slice(1)));
  const agencyIds = agencies.map((agency) => agency._id);
  if (agencyIds.length !== agenciesCount)
    throw new Error(`expected ${agenciesCount} agencies in the data, found ${agencyIds.length}`);
  const caseCount = await ReviewCase.estimatedDocumentCount();
  const itemCount = await InfoItem.estimatedDocumentCount();
  const totalDocs = applications + caseCount + itemCount + agenciesCount;
  if (loaded) loadedDocs = totalDocs;
  const rssPerMillionMiB =
    serverRss === null || emptyRss === null ? null : toMiB(((serverRss - emptyRss) / totalDocs) * 1_000_000);

  // The floor: every application once with the report's projection, then one pass counting table 三.
  const floorStart = performance.now();
  const floorCpu = await cpuMark();
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
  const floorReadMs = performance.now() - floorStart;
  const start = `${YEAR}-01-01`;
  const end = `${YEAR}-12-31`;
  const floor = new Map<string, number[]>();
  for (const doc of docs) {
    const receipt = doc.receiptDate as string | null;
    const closed = doc.closedDate as string | null;
    if (!receipt || receipt > end || (closed !== null && closed < start)) continue;
    const id = String(doc.agencyId);
    let counts = floor.get(id);
    if (!counts) {
      counts = [0, 0, 0, 0];
      floor.set(id, counts);
    }
    const row = receipt >= start ? 0 : 1;
    const out = closed !== null && closed <= end ? 2 : 3;
    counts[row] = (counts[row] ?? 0) + 1;
    counts[out] = (counts[out] ?? 0) + 1;
  }
  const floorMs = performance.now() - floorStart;
  const floorCpuMs = await cpuSince(floorCpu);
  docs.length = 0;

  // Every agency's report and the province summary.
  const reportsStart = performance.now();
  const reportsCpu = await cpuMark();
  const collected = await collectByAgency(agencyIds, YEAR, "2021");
  const collectMs = performance.now() - reportsStart;
  const generated = new Map<string, number[]>();
  for (const [i, agency] of agencies.entries()) {
    const data = collected.get(String(agency._id));
    if (!data) throw new Error(`no data collected for agency ${i}`);
    const rows = buildReport({
      agency,
      year: YEAR,
      formatVersion: "2021",
      data,
      manual: {},
      table4Basis: "filedInYear",
    }).model.tables.three.rows;
    generated.set(String(agency._id), [
      rows.newReceived?.total ?? 0,
      rows.carriedOver?.total ?? 0,
      rows.closedTotal?.total ?? 0,
      rows.carriedForward?.total ?? 0,
    ]);
  }
  const summary = buildReport({
    agency: { code: "P", name: "全省汇总", level: "government" },
    year: YEAR,
    formatVersion: "2021",
    data: mergeCollected(collected, YEAR, "2021"),
    manual: {},
    table4Basis: "filedInYear",
  }).model;
  const reportsMs = performance.now() - reportsStart;
  const reportsCpuMs = await cpuSince(reportsCpu);
  const rssMiB = toMiB(process.resourceUsage().maxRSS * 1024);
  collected.clear();

  // The check against the floor (every agency, and the summary) and the recount (sample).
  const totals = [0, 0, 0, 0];
  for (const [id, counts] of generated) {
    const expected = floor.get(id) ?? [0, 0, 0, 0];
    if (counts.join() !== expected.join())
      throw new Error(`agency ${id}: generated ${counts} but the floor pass counted ${expected}`);
    for (const k of [0, 1, 2, 3]) totals[k] = (totals[k] ?? 0) + (expected[k] ?? 0);
  }
  const three = summary.tables.three.rows;
  const summaryCounts = [three.newReceived, three.carriedOver, three.closedTotal, three.carriedForward].map(
    (row) => row?.total ?? 0,
  );
  if (summaryCounts.join() !== totals.join())
    throw new Error(`summary: generated ${summaryCounts} but the floor pass counted ${totals}`);
  if (summary.provenance["three.newReceived.total"]?.length !== totals[0])
    throw new Error("summary: the provenance of 新收政府信息公开申请数量 does not list every application");
  const sample = values.quick
    ? agencyIds
    : agencyIds.filter((_, i) => i % Math.ceil(agenciesCount / 100) === 0);
  const checkStart = performance.now();
  const { drifts } = await findReportDrift(YEAR, sample);
  if (drifts.length > 0)
    throw new Error(`reports differ from the full recount: ${JSON.stringify(drifts.slice(0, 3))}`);
  const recountCheckMs = performance.now() - checkStart;

  let recountMs: number | null = null;
  let recountCpuMs: number | null = null;
  if (values.recount) {
    const recountStart = performance.now();
    const recountCpu = await cpuMark();
    const old = await collectByAgency(agencyIds, YEAR, "2021", { recount: true });
    for (const agency of agencies) {
      const data = old.get(String(agency._id));
      if (data)
        buildReport({
          agency,
          year: YEAR,
          formatVersion: "2021",
          data,
          manual: {},
          table4Basis: "filedInYear",
        });
    }
    buildReport({
      agency: { code: "P", name: "全省汇总", level: "government" },
      year: YEAR,
      formatVersion: "2021",
      data: mergeCollected(old, YEAR, "2021"),
      manual: {},
      table4Basis: "filedInYear",
    });
    recountMs = performance.now() - recountStart;
    recountCpuMs = await cpuSince(recountCpu);
  }

  // The staff queue's filtered queries, from this process against the restarted database.
  const actorOf = (ids: readonly Types.ObjectId[]): StaffActor => ({
    kind: "staff",
    id: new Types.ObjectId(),
    user: {} as UserDoc,
    csrfToken: "",
    roles: new Map(ids.map((id) => [String(id), new Set(["handler" as const])])),
  });
  const queries: { name: string; run: (agencyId: Types.ObjectId) => Promise<unknown> }[] = [
    {
      name: "agency + state (sorted by due date)",
      run: (id) =>
        listQueue(actorOf([id]), { limit: 20, scope: "open", sort: "dueDate", state: "received" }, TODAY),
    },
    {
      name: "agency + overdue",
      run: (id) =>
        listQueue(actorOf([id]), { limit: 20, scope: "open", sort: "dueDate", overdue: true }, TODAY),
    },
    {
      name: "agency + due within 5 working days",
      run: (id) =>
        listQueue(actorOf([id]), { limit: 20, scope: "open", sort: "dueDate", dueWithin: 5 }, TODAY),
    },
  ];
  const queue: Record<string, { p50: number; p99: number; n: number }> = {};
  const rounds = values.quick ? 30 : 200;
  for (const query of queries) {
    const times: number[] = [];
    await query.run(agencyIds[0] as Types.ObjectId);
    for (let i = 0; i < rounds; i++) {
      const t = performance.now();
      await query.run(agencyIds[Math.floor(rand() * agenciesCount)] as Types.ObjectId);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    queue[query.name] = { p50: percentile(times, 50), p99: percentile(times, 99), n: rounds };
  }
  // A province supervisor's overdue list: every agency visible, one page.
  const provinceActor = actorOf(agencyIds);
  const provinceTimes: number[] = [];
  for (let i = 0; i < (values.quick ? 5 : 10); i++) {
    const t = performance.now();
    await listQueue(provinceActor, { limit: 20, scope: "open", sort: "dueDate", overdue: true }, TODAY);
    provinceTimes.push(performance.now() - t);
  }
  provinceTimes.sort((a, b) => a - b);
  queue["province-wide overdue (all agencies)"] = {
    p50: percentile(provinceTimes, 50),
    p99: percentile(provinceTimes, 99),
    n: provinceTimes.length,
  };
  const queueP99Ms = Math.max(
    ...Object.entries(queue)
      .filter(([k]) => k.startsWith("agency"))
      .map(([, v]) => v.p99),
  );

  const loadDocsPerSec = loadMs === null ? null : Math.round(loadedDocs / (loadMs / 1000));
  const loadCpuUsPerDoc = loadCpuMs === null ? null : Math.round((loadCpuMs * 1000 * 10) / loadedDocs) / 10;
  const loadDbCpuUsPerDoc =
    loadDbCpuMs === null ? null : Math.round((loadDbCpuMs * 1000 * 10) / loadedDocs) / 10;
  const restartCpuUsPerDoc =
    restartCpuMs === null || emptyCpuMs === null
      ? null
      : Math.round((((restartCpuMs - emptyCpuMs) * 1000) / totalDocs) * 10) / 10;
  const ratio = reportsMs / floorMs;
  const line = (label: string, value: string) => `${label.padEnd(44)}${value}`;
  const round = (n: number) => Math.round(n);
  process.stdout.write(
    [
      `province-scale benchmark (${values.quick ? "quick" : "full"}): ${agenciesCount} agencies × ${applications} applications, ${caseCount} review cases, ${itemCount} catalogue items, year ${YEAR}`,
      line("operation", "time"),
      loadMs === null || loadDocsPerSec === null
        ? line("bulk load", `none: reused ${dataPath} (${totalDocs} documents)`)
        : line(
            "bulk load (insertMany, 10k batches)",
            `${round(loadMs)} ms (${loadDocsPerSec} docs/s; CPU ${loadCpuUsPerDoc} µs/document, of which the database ${loadDbCpuUsPerDoc})`,
          ),
      ...(finalCheckpointMs === null
        ? []
        : [line("  final checkpoint (clean shutdown)", `${round(finalCheckpointMs)} ms`)]),
      line("floor: read every application once", `${round(floorReadMs)} ms`),
      line("floor total (read + single pass)", `${round(floorMs)} ms (CPU ${round(floorCpuMs)} ms)`),
      line(
        "every report + province summary",
        `${round(reportsMs)} ms (CPU ${round(reportsCpuMs)} ms; ${(reportsMs / agenciesCount).toFixed(2)} ms/agency)`,
      ),
      line("  of which collect (compact read)", `${round(collectMs)} ms`),
      line("ratio (reports / floor)", `${ratio.toFixed(2)} (CPU ${(reportsCpuMs / floorCpuMs).toFixed(2)})`),
      ...(recountMs === null
        ? []
        : [
            line(
              "previous read (every application)",
              `${round(recountMs)} ms (CPU ${round(recountCpuMs ?? 0)} ms; ratio ${(recountMs / floorMs).toFixed(2)})`,
            ),
          ]),
      line(`recount check (${sample.length} agencies, exact)`, `${round(recountCheckMs)} ms`),
      line("peak RSS of this process", `${rssMiB} MiB`),
      line(
        "database restart on that data (to ready)",
        `${round(restartMs)} ms (empty directory ${round(empty.ms)} ms; CPU ${restartCpuUsPerDoc} µs/document beyond the empty start)`,
      ),
      line(
        "database RSS after restart",
        `${toMiB(serverRss)} MiB (${rssPerMillionMiB} MiB per million documents)`,
      ),
      ...Object.entries(queue).map(([name, q]) =>
        line(`queue: ${name}`, `p50 ${q.p50.toFixed(1)} ms, p99 ${q.p99.toFixed(1)} ms (n=${q.n})`),
      ),
      "",
    ].join("\n"),
  );
  process.stdout.write(
    `${JSON.stringify({
      agencies: agenciesCount,
      applications,
      reviewCases: caseCount,
      catalogueItems: itemCount,
      year: YEAR,
      reportsMs: round(reportsMs),
      collectMs: round(collectMs),
      floorMs: round(floorMs),
      floorCpuMs: round(floorCpuMs),
      reportsCpuMs: round(reportsCpuMs),
      cpuRatio: Math.round((reportsCpuMs / floorCpuMs) * 100) / 100,
      floorReadMs: round(floorReadMs),
      ratio: Math.round(ratio * 100) / 100,
      recountMs: recountMs === null ? null : round(recountMs),
      recountCpuMs: recountCpuMs === null ? null : round(recountCpuMs),
      recountCheckedAgencies: sample.length,
      exact: true,
      dataDir: keptDir,
      reusedData: loaded,
      loadMs: loadMs === null ? null : round(loadMs),
      loadDocsPerSec,
      bulkLoadDocsPerSec: loadDocsPerSec,
      loadCpuUsPerDoc,
      loadDbCpuUsPerDoc,
      finalCheckpointMs: finalCheckpointMs === null ? null : round(finalCheckpointMs),
      restartMs: round(restartMs),
      restartEmptyMs: round(empty.ms),
      restartCpuMs: restartCpuMs === null ? null : round(restartCpuMs),
      restartCpuUsPerDoc,
      rssMiB,
      dbRssMiB: toMiB(serverRss),
      dbRssEmptyMiB: toMiB(emptyRss),
      dbRssPerMillionDocsMiB: rssPerMillionMiB,
      documents: totalDocs,
      queueP99Ms: Math.round(queueP99Ms * 10) / 10,
      queueP99sMs: Object.fromEntries(
        Object.entries(queue).map(([k, v]) => [k, Math.round(v.p99 * 10) / 10]),
      ),
      queue: Object.fromEntries(
        Object.entries(queue).map(([k, v]) => [
          k,
          { p50: Math.round(v.p50 * 10) / 10, p99: Math.round(v.p99 * 10) / 10 },
        ]),
      ),
    })}\n`,
  );
} finally {
  await mongoose.disconnect().catch(() => {});
  if (server) await stopChild(server);
  await tempDir?.remove();
}
process.exit(0);

/** Spawns `npm run mongod` on `dbPath` (no TCP port) and resolves once it prints "ready". */
async function startMongod(dbPath: string): Promise<{ child: ChildProcess; uri: string; ms: number }> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      `--max-old-space-size=${DB_HEAP_MIB}`,
      "--import",
      "tsx",
      "server/embedded-mongo/src/cli.ts",
      "--dbpath",
      dbPath,
      "--port",
      "none",
    ],
    {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "pipe"],
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" },
    },
  );
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const uri = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk;
      const ready = /^ready (\S+)$/m.exec(out);
      if (ready) resolve(ready[1] as string);
    });
    child.once("exit", (code) => reject(new Error(`mongod exited with ${code}: ${stderr}`)));
  });
  return { child, uri, ms: performance.now() - started };
}

/** SIGTERM (the server checkpoints and exits) and waits for the exit. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}
