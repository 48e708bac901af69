/**
 * Catalogue read throughput and latency at 10k items against a bare Koa endpoint, in one run:
 *   npm run bench:catalogue [-- --quick]
 *
 * Three kinds of process, so that nothing measured shares an event loop with the load:
 *   the app     support/catalogueServer.ts: the embedded database in memory with 10,000 published
 *               items built like the demo catalogue, then the real app (`createApp`, full middleware
 *               stack, request log at info level) started as `server/main.ts` starts it, search index
 *               built before listening;
 *   the bare    support/bareKoa.ts: one Koa middleware sending fixed bytes, exactly the bytes a
 *               browser receives for the first list page (same length, same Content-Encoding);
 *   the load    support/loadGenerator.ts: autocannon, 50 connections for 10 s (2 s with `--quick`),
 *               a fresh process per run, with a browser's `Accept-Encoding: gzip, deflate, br`.
 * Runs:
 *   coldSearch  right after the app answers its first request: each of 32 realistic searches once,
 *               one at a time (the first query of each after start; nothing cached);
 *   bare, list  alternately, three times each (bare, list, bare, list, bare, list); each list run's
 *               ratio is against the bare run just before it; the median ratio is reported with its
 *               spread (lowest, highest). list = GET /api/catalogue/items over 8 public list pages;
 *   search      GET /api/catalogue/search over the 32 searches, warm;
 *   listUncached, searchUncached  the same with the public response cache switched off, so every
 *               request filters, ranks and reads the database (the read model stays on); 10
 *               connections, at least 4 s.
 * Latency percentiles come from every response's own time.
 * Prints a table, then, as the very last line, one JSON object with every figure.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { searchQueries } from "./support/cataloguePlan.ts";
import { forkScript } from "./support/forked.ts";
import type { LoadPlan, LoadResult } from "./support/loadGenerator.ts";
import { cpuMsOf } from "./support/rss.ts";
import { median, percentile, round } from "./support/stats.ts";

const { values } = parseArgs({ options: { quick: { type: "boolean", default: false } } });
const quick = values.quick;
const seconds = quick ? 2 : 10;
const connections = 50;
const UNCACHED_CONNECTIONS = 10;
const ROUNDS = 3;
/** What Chromium sends; the app answers brotli, from its cache. */
const BROWSER_ACCEPT_ENCODING = "gzip, deflate, br";

/** One GET read whole, its raw bytes as they came over the wire (not decompressed). */
function get(
  url: string,
): Promise<{ status: number; ms: number; body: Buffer; headers: Record<string, unknown> }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { "Accept-Encoding": BROWSER_ACCEPT_ENCODING } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          ms: performance.now() - started,
          body: Buffer.concat(chunks),
          headers: res.headers,
        }),
      );
    });
    req.on("error", reject);
    req.end();
  });
}

/** A run, with the measured server's CPU time per response (µs). */
type Run = LoadResult & { cpuUsPerRequest: number };

/** One autocannon run from a process of its own, against the server process `pid`. */
async function measure(
  baseUrl: string,
  paths: string[],
  pid: number,
  load: { connections: number; seconds: number } = { connections, seconds },
): Promise<Run> {
  const generator = forkScript("bench/support/loadGenerator.ts");
  try {
    const plan: LoadPlan = {
      url: baseUrl,
      paths,
      connections: load.connections,
      seconds: load.seconds,
      headers: { "accept-encoding": BROWSER_ACCEPT_ENCODING },
    };
    const cpuBefore = await cpuMsOf(pid);
    generator.child.send(plan);
    const result = await generator.next<LoadResult>(load.seconds * 1000 + 120_000);
    const cpuAfter = await cpuMsOf(pid);
    const cpuMs = cpuBefore === null || cpuAfter === null ? 0 : cpuAfter - cpuBefore;
    return {
      ...result,
      cpuUsPerRequest: result.requests === 0 ? 0 : Math.round((cpuMs * 1000) / result.requests),
    };
  } finally {
    await generator.stop();
  }
}

async function main(): Promise<void> {
  const app = forkScript("bench/support/catalogueServer.ts", { LOG_LEVEL: "info" }, { quiet: true });
  const bodyDir = mkdtempSync(join(tmpdir(), "bench-catalogue-"));
  let bare: ReturnType<typeof forkScript> | undefined;
  try {
    const ready = await app.next<{
      port: number;
      agencyId: string;
      items: number;
      loadMs: number;
      prepareMs: number;
    }>();
    const appUrl = `http://127.0.0.1:${ready.port}`;
    const a = ready.agencyId;
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

    // Cold: the first request of each search after start, one at a time, nothing cached yet.
    const coldTimes: number[] = [];
    for (const path of searchPaths) {
      const answer = await get(appUrl + path);
      if (answer.status !== 200) throw new Error(`${path} answered ${answer.status}`);
      coldTimes.push(answer.ms);
    }
    const coldFirstMs = round(coldTimes[0] ?? 0, 1);
    coldTimes.sort((x, y) => x - y);
    const first = await get(appUrl + (listPaths[0] as string));
    for (const path of [...listPaths, ...searchPaths]) {
      const answer = await get(appUrl + path);
      if (answer.status !== 200) throw new Error(`${path} answered ${answer.status}`);
    }

    // The bare endpoint sends what a browser receives for the first list page, byte for byte.
    const encoding = String(first.headers["content-encoding"] ?? "");
    const bodyFile = join(bodyDir, "body");
    writeFileSync(bodyFile, first.body);
    bare = forkScript("bench/support/bareKoa.ts", { BODY_FILE: bodyFile, BODY_ENCODING: encoding });
    const bareUrl = `http://127.0.0.1:${(await bare.next<{ port: number }>()).port}`;

    const runs: Record<string, Run> = {};
    const pairs: { bare: Run; list: Run; ratio: number }[] = [];
    const appPid = app.child.pid ?? 0;
    const barePid = bare.child.pid ?? 0;
    for (let i = 0; i < ROUNDS; i++) {
      const bareRun = await measure(bareUrl, ["/"], barePid);
      const listRun = await measure(appUrl, listPaths, appPid);
      pairs.push({ bare: bareRun, list: listRun, ratio: bareRun.rps === 0 ? 0 : listRun.rps / bareRun.rps });
    }
    const ratios = pairs.map((p) => p.ratio);
    pairs.forEach((pair, i) => {
      runs[`bare#${i + 1}`] = pair.bare;
      runs[`list#${i + 1}`] = pair.list;
    });
    runs.search = await measure(appUrl, searchPaths, appPid);
    app.child.send({ cache: false });
    await app.next();
    // Uncached reads cost milliseconds each: 50 connections would only measure a queue (and time out
    // in a 2 s run), so these runs use 10.
    const uncachedLoad = { connections: UNCACHED_CONNECTIONS, seconds: Math.max(seconds, 4) };
    runs.listUncached = await measure(appUrl, listPaths, appPid, uncachedLoad);
    runs.searchUncached = await measure(appUrl, searchPaths, appPid, uncachedLoad);
    app.child.send({ cache: true });
    await app.next();

    const bareRps = median(pairs.map((p) => p.bare.rps));
    const ratio = (rps: number) => (bareRps === 0 ? 0 : round(rps / bareRps, 3));
    console.log(
      `catalogue bench: ${ready.items} items loaded in ${ready.loadMs} ms; search index built at start in ${ready.prepareMs} ms`,
    );
    console.log(
      `${connections} connections, ${seconds} s per run, load generator in its own process; ` +
        `list page ${first.body.length} B on the wire (${encoding || "identity"}), bare body the same bytes`,
    );
    console.log(
      `list vs bare, ${ROUNDS} alternating rounds: ${ratios.map((r) => r.toFixed(3)).join(", ")} ` +
        `(median ${round(median(ratios), 3).toFixed(3)})`,
    );
    console.log(
      `cold search (first query of each of ${coldTimes.length} after start): first ${coldFirstMs} ms, ` +
        `p50 ${round(percentile(coldTimes, 50), 1)} ms, p99 ${round(percentile(coldTimes, 99), 1)} ms`,
    );
    console.log("");
    console.log(
      [
        "endpoint".padEnd(15),
        "req/s".padStart(8),
        "vs bare".padStart(8),
        "p50 ms".padStart(8),
        "p95 ms".padStart(8),
        "p99 ms".padStart(8),
        "non2xx".padStart(7),
        "errors".padStart(7),
        "CPU µs/req".padStart(11),
      ].join(" "),
    );
    for (const [name, run] of Object.entries(runs)) {
      // A list round is compared with the bare run just before it; the rest with the median bare run.
      const inPair = /^(bare|list)#(\d)$/.exec(name);
      const against = inPair ? (pairs[Number(inPair[2]) - 1] as (typeof pairs)[number]).bare.rps : bareRps;
      console.log(
        [
          name.padEnd(15),
          String(run.rps).padStart(8),
          (against === 0 ? 0 : run.rps / against).toFixed(3).padStart(8),
          run.p50.toFixed(1).padStart(8),
          run.p95.toFixed(1).padStart(8),
          run.p99.toFixed(1).padStart(8),
          String(run.non2xx).padStart(7),
          String(run.errors).padStart(7),
          String(run.cpuUsPerRequest).padStart(11),
        ].join(" "),
      );
    }
    const all = [
      ...pairs.flatMap((p) => [p.bare, p.list]),
      runs.search,
      runs.listUncached,
      runs.searchUncached,
    ];
    const run = (name: string) => runs[name] as Run;
    const summary = {
      items: ready.items,
      connections,
      seconds,
      uncachedConnections: UNCACHED_CONNECTIONS,
      rounds: ROUNDS,
      bareRps,
      bareP99Ms: median(pairs.map((p) => p.bare.p99)),
      listRps: median(pairs.map((p) => p.list.rps)),
      listRatio: round(median(ratios), 3),
      listRatioMin: round(Math.min(...ratios), 3),
      listRatioMax: round(Math.max(...ratios), 3),
      listRatios: ratios.map((r) => round(r, 3)),
      listP99Ms: median(pairs.map((p) => p.list.p99)),
      // Server CPU per response: a cost that other load on the machine inflates far less than req/s.
      bareCpuUsPerRequest: median(pairs.map((p) => p.bare.cpuUsPerRequest)),
      listCpuUsPerRequest: median(pairs.map((p) => p.list.cpuUsPerRequest)),
      listBytes: first.body.length,
      listEncoding: encoding || "identity",
      searchRps: run("search").rps,
      searchRatio: ratio(run("search").rps),
      searchP95Ms: run("search").p95,
      searchP99Ms: run("search").p99,
      coldSearchFirstMs: coldFirstMs,
      coldSearchP50Ms: round(percentile(coldTimes, 50), 1),
      coldSearchP99Ms: round(percentile(coldTimes, 99), 1),
      listUncachedRps: run("listUncached").rps,
      listUncachedRatio: ratio(run("listUncached").rps),
      listUncachedP99Ms: run("listUncached").p99,
      searchUncachedRps: run("searchUncached").rps,
      searchUncachedP95Ms: run("searchUncached").p95,
      searchUncachedP99Ms: run("searchUncached").p99,
      non2xx: all.reduce((sum, r) => sum + r.non2xx + r.errors, 0),
      loadMs: ready.loadMs,
      searchIndexMs: ready.prepareMs,
    };
    console.log(JSON.stringify(summary));
  } finally {
    await bare?.stop();
    await app.stop();
    rmSync(bodyDir, { recursive: true, force: true });
  }
}

await main();
