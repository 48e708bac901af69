/**
 * Catalogue read throughput and latency at 10k items against a bare Koa endpoint, in one run:
 *   npm run bench:catalogue [-- --quick]
 *
 * The embedded database is started in-process (in memory) and filled with 10,000 published items
 * built like the demo catalogue; the real app (`createApp`, full middleware stack) and a bare Koa app
 * (one middleware returning a fixed JSON body of the same size as a list page) listen on loopback.
 * autocannon drives each with 50 connections for 10 s (2 s with `--quick`):
 *   bare     the bare Koa endpoint;
 *   list     GET /api/catalogue/items over 8 public list pages (agency, category, year, topic);
 *   search   GET /api/catalogue/search over 32 realistic queries (words, phrases, 文号);
 *   listCold, searchCold  the same with the public response cache switched off, so every request
 *            filters, ranks and reads the database (the read model stays on).
 * Latency percentiles come from every response's own time (autocannon reports no p95).
 * Prints a table, then, as the very last line, one JSON object with every figure.
 */
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { createRandom } from "@govinfo/shared/random";
import autocannon from "autocannon";
import Koa from "koa";
import { createApp } from "../server/app.ts";
import { connectDatabase } from "../server/db/connect.ts";
import { insertCatalogue, type PlanEntry } from "../server/demo/catalogue.ts";
import { createLogger } from "../server/logger.ts";
import { Agency } from "../server/models/Agency.ts";
import { InfoItem } from "../server/models/InfoItem.ts";
import { setCatalogueCacheEnabled } from "../server/services/catalogue/cache.ts";

const { values } = parseArgs({ options: { quick: { type: "boolean", default: false } } });
const quick = values.quick;
const seconds = quick ? 2 : 10;
const connections = 50;
const ITEMS = 10_000;

/** One measured run. */
interface Run {
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  requests: number;
  errors: number;
  non2xx: number;
  bytesPerResponse: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const at = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round((sorted[Math.max(0, at)] as number) * 100) / 100;
}

async function measure(baseUrl: string, paths: string[]): Promise<Run> {
  const times: number[] = [];
  let bytes = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: baseUrl,
        connections,
        duration: seconds,
        requests: paths.map((path) => ({ method: "GET", path })),
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on("response", (_client, _status, resBytes, responseTime) => {
      times.push(responseTime);
      bytes += resBytes;
    });
  });
  times.sort((a, b) => a - b);
  return {
    rps: Math.round(result.requests.average),
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    requests: result.requests.total,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    bytesPerResponse: times.length === 0 ? 0 : Math.round(bytes / times.length),
  };
}

function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; baseUrl: string }> {
  const server = createServer(handler);
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ server, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    ),
  );
}

const benchPlan: PlanEntry[] = [];
const mix: Array<[PlanEntry["category"], number]> = [
  ["licensing", 0.3],
  ["news", 0.22],
  ["notice", 0.2],
  ["policyInterpretation", 0.04],
  ["statistics", 0.03],
  ["emergency", 0.03],
  ["penalty", 0.05],
  ["other", 0.13],
];
for (let year = 2016; year <= 2024; year++) {
  for (const [category, share] of mix) {
    benchPlan.push({
      year,
      category,
      count: Math.round((ITEMS / 9) * share),
      topical: Math.round((ITEMS / 9) * share * 0.15),
    });
  }
}
const planned = benchPlan.reduce((sum, p) => sum + p.count, 0);
(benchPlan.at(-1) as PlanEntry).count += ITEMS - planned;

const searchQueries = [
  "大气污染防治",
  "排污许可证",
  "环境影响报告表的批复",
  "海东生环发〔2019〕12号",
  "海东生环审[2021]30号",
  "海东生环发2018 7",
  "饮用水水源地",
  "突发环境事件应急预案",
  "行政处罚决定书",
  "环境空气质量状况",
  "秸秆禁烧",
  "危险废物专项检查",
  "污染防治攻坚战",
  "放管服",
  "脱贫攻坚",
  "扬尘",
  "乐都区",
  "互助土族自治县 水泥",
  "输变电工程",
  "污水处理厂提标改造",
  "重污染天气",
  "生态环境状况公报",
  "光伏发电项目环评",
  "医疗废物集中处置",
  "中央环保督察整改",
  "湟水河",
  "PM2.5",
  "优良天数比例",
  "建设项目环评文件质量抽查",
  "海东市生态环境局关于做好汛期环境安全隐患排查的通知",
  "罚款",
  "绿盾 自然保护地",
];

async function main(): Promise<void> {
  const logger = createLogger({ level: "silent" });
  const db = await connectDatabase({
    mongodbUri: undefined,
    dataDir: "/tmp/govinfo-bench-catalogue",
    embeddedMongoPort: 0,
    logger,
    inMemory: true,
  });
  await InfoItem.init();
  const agency = await Agency.create({ code: "HDSTHJJ", name: "海东市生态环境局" });
  const random = createRandom(20240601);
  const loadStarted = performance.now();
  const count = await insertCatalogue(agency._id, benchPlan, () => random.next());
  const loadMs = Math.round(performance.now() - loadStarted);

  const app = await listen(createApp({ db, logger, dataKey: randomBytes(32) }).callback());
  const a = String(agency._id);
  const listPaths = [
    `/api/catalogue/items?agency=${a}`,
    "/api/catalogue/items",
    `/api/catalogue/items?agency=${a}&category=licensing`,
    `/api/catalogue/items?agency=${a}&year=2019`,
    `/api/catalogue/items?agency=${a}&topic=${encodeURIComponent("污染防治")}`,
    `/api/catalogue/items?agency=${a}&category=news&year=2022`,
    `/api/catalogue/items?agency=${a}&limit=50`,
    `/api/catalogue/items?category=notice`,
  ];
  const searchPaths = searchQueries.map(
    (q) => `/api/catalogue/search?agency=${a}&q=${encodeURIComponent(q)}`,
  );

  // The first read builds the read model (all tokens of 10k items); time it, then warm every path.
  const warmStarted = performance.now();
  const first = await fetch(`${app.baseUrl}${listPaths[0]}`);
  const listBody = await first.text();
  const firstReadMs = Math.round(performance.now() - warmStarted);
  for (const path of [...listPaths, ...searchPaths]) {
    const response = await fetch(`${app.baseUrl}${path}`);
    if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
    await response.arrayBuffer();
  }

  // The bare endpoint sends a fixed JSON body exactly as long as the first list page.
  const filler = "x".repeat(
    Math.max(0, Buffer.byteLength(listBody) - Buffer.byteLength('{"ok":true,"data":""}')),
  );
  const fixed = Buffer.from(JSON.stringify({ ok: true, data: filler }));
  const bareApp = new Koa();
  bareApp.use((ctx) => {
    ctx.type = "application/json";
    ctx.body = fixed;
  });
  const bare = await listen(bareApp.callback());

  const runs: Record<string, Run> = {};
  runs.bare = await measure(bare.baseUrl, ["/"]);
  runs.list = await measure(app.baseUrl, listPaths);
  runs.search = await measure(app.baseUrl, searchPaths);
  setCatalogueCacheEnabled(false);
  runs.listCold = await measure(app.baseUrl, listPaths);
  runs.searchCold = await measure(app.baseUrl, searchPaths);
  setCatalogueCacheEnabled(true);

  bare.server.closeAllConnections();
  app.server.closeAllConnections();
  await new Promise<void>((resolve) => bare.server.close(() => resolve()));
  await new Promise<void>((resolve) => app.server.close(() => resolve()));
  await db.close();

  const bareRps = runs.bare?.rps ?? 0;
  const ratio = (rps: number) => (bareRps === 0 ? 0 : Math.round((rps / bareRps) * 1000) / 1000);
  console.log(
    `catalogue bench: ${count} items loaded in ${loadMs} ms; first read (read model build) ${firstReadMs} ms`,
  );
  console.log(
    `${connections} connections, ${seconds} s per run; list body ${Buffer.byteLength(listBody)} B, bare body ${fixed.length} B`,
  );
  console.log("");
  console.log(
    [
      "endpoint".padEnd(12),
      "req/s".padStart(8),
      "vs bare".padStart(8),
      "p50 ms".padStart(8),
      "p95 ms".padStart(8),
      "p99 ms".padStart(8),
      "non2xx".padStart(7),
      "errors".padStart(7),
    ].join(" "),
  );
  for (const [name, run] of Object.entries(runs)) {
    console.log(
      [
        name.padEnd(12),
        String(run.rps).padStart(8),
        ratio(run.rps).toFixed(3).padStart(8),
        run.p50.toFixed(1).padStart(8),
        run.p95.toFixed(1).padStart(8),
        run.p99.toFixed(1).padStart(8),
        String(run.non2xx).padStart(7),
        String(run.errors).padStart(7),
      ].join(" "),
    );
  }
  const get = (name: string) => runs[name] as Run;
  const summary = {
    items: count,
    connections,
    seconds,
    bareRps,
    bareP99Ms: get("bare").p99,
    listRps: get("list").rps,
    listRatio: ratio(get("list").rps),
    listP99Ms: get("list").p99,
    searchRps: get("search").rps,
    searchRatio: ratio(get("search").rps),
    searchP95Ms: get("search").p95,
    searchP99Ms: get("search").p99,
    listColdRps: get("listCold").rps,
    listColdRatio: ratio(get("listCold").rps),
    listColdP99Ms: get("listCold").p99,
    searchColdRps: get("searchCold").rps,
    searchColdP95Ms: get("searchCold").p95,
    non2xx: Object.values(runs).reduce((sum, run) => sum + run.non2xx + run.errors, 0),
    loadMs,
    firstReadMs,
  };
  console.log(JSON.stringify(summary));
}

await main();
