/**
 * The first screen on a phone, compressed against uncompressed, in one run:
 *   npm run bench:mobile [-- --quick]
 *
 * The real server runs as its own process (`node --import tsx server/main.ts`, as `npm start`, no
 * proxy in front) on a data directory seeded with the demo government. Debian's Chromium (headless,
 * through playwright-core) opens four pages with its CPU slowed 4× (CDP
 * `Emulation.setCPUThrottlingRate`) under two network profiles (CDP `Network.emulateNetworkConditions`):
 *   4g    9 Mbit/s down, 85 ms latency;
 *   slow  1.6 Mbit/s down, 300 ms latency (a weak 3G-like link);
 * pages: the H5 home, the H5 catalogue list, an H5 annual report page and the admin login.
 * Every load starts from an empty browser cache in a fresh context, and is made twice: as a browser
 * asks (`Accept-Encoding: gzip, deflate, br`) and with `Accept-Encoding: identity`, so the same
 * server sends the same pages uncompressed; the two alternate page by page.
 *
 * Per load: first contentful paint (the browser's own `paint` entry), the moment the page's real
 * content is visible (its list, report title or login button: FCP alone could be a bare frame), and
 * the bytes transferred (CDP `encodedDataLength`, headers included) until the page has loaded.
 * Figures are medians of 3 loads (1 with `--quick`). A warm-up pass first opens every page once
 * unthrottled, as earlier visitors would have (the server's response caches are warm, not the
 * browser's).
 *
 * Prints a table, then, as the very last line, one JSON object with every figure.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { type Browser, chromium, type Page } from "playwright-core";
import { ensureBuilt } from "../test/client/miniapp/build.ts";
import { createTempDir } from "../test/support/tempDir.ts";
import { startAppServer } from "./support/appServer.ts";
import { prepareDemoData } from "./support/demoData.ts";
import { repoRoot } from "./support/process.ts";

const { values } = parseArgs({ options: { quick: { type: "boolean", default: false } } });
const quick = values.quick;
const REPEATS = quick ? 1 : 3;
const CPU_SLOWDOWN = 4;
const CHROMIUM = "/usr/bin/chromium";

/** A network profile: throughput in bytes per second, latency in milliseconds. */
interface Profile {
  name: "4g" | "slow";
  downBytesPerSecond: number;
  upBytesPerSecond: number;
  latencyMs: number;
}

const profiles: Profile[] = [
  {
    name: "4g",
    downBytesPerSecond: (9_000_000 / 8) | 0,
    upBytesPerSecond: (3_000_000 / 8) | 0,
    latencyMs: 85,
  },
  {
    name: "slow",
    downBytesPerSecond: (1_600_000 / 8) | 0,
    upBytesPerSecond: (750_000 / 8) | 0,
    latencyMs: 300,
  },
];

/** A page to open and the selector of its real content. */
interface Target {
  name: "h5Home" | "h5Catalogue" | "h5Report" | "adminLogin";
  path: string;
  content: string;
}

/** One load. */
interface Load {
  fcpMs: number;
  contentMs: number;
  bytes: number;
  requests: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const value =
    sorted.length % 2 === 1
      ? (sorted[middle] as number)
      : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
  return Math.round(value);
}

/** Builds the sites `npm start` would serve when missing, and compresses them as `npm run build` does. */
function ensureSites(): void {
  ensureBuilt("h5");
  const adminDist = join(repoRoot, "client/admin/dist");
  if (!existsSync(join(adminDist, "index.html"))) {
    const built = spawnSync("npm", ["run", "build", "-w", "@govinfo/admin"], {
      cwd: repoRoot,
      stdio: "inherit",
    });
    if (built.status !== 0) throw new Error("admin build failed");
  }
  const dirs = [join(repoRoot, "client/miniapp/dist/h5"), adminDist].filter(
    (dir) => !readdirSync(dir, { recursive: true }).some((name) => String(name).endsWith(".br")),
  );
  if (dirs.length > 0) {
    const compressed = spawnSync(process.execPath, ["scripts/compress-builds.mjs", ...dirs], {
      cwd: repoRoot,
      stdio: "inherit",
    });
    if (compressed.status !== 0) throw new Error("compressing the builds failed");
  }
}

async function load(
  browser: Browser,
  url: string,
  target: Target,
  options: { profile?: Profile; compressed: boolean },
): Promise<Load> {
  const context = await browser.newContext({
    viewport: { width: 375, height: 667 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: "zh-CN",
  });
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    let bytes = 0;
    let requests = 0;
    cdp.on("Network.loadingFinished", (event: { encodedDataLength: number }) => {
      bytes += event.encodedDataLength;
      requests += 1;
    });
    await cdp.send("Network.enable");
    // The browser cache is per context and starts empty; a phone's first visit.
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
    if (!options.compressed)
      await cdp.send("Network.setExtraHTTPHeaders", { headers: { "Accept-Encoding": "identity" } });
    if (options.profile) {
      await cdp.send("Network.emulateNetworkConditions", {
        offline: false,
        latency: options.profile.latencyMs,
        downloadThroughput: options.profile.downBytesPerSecond,
        uploadThroughput: options.profile.upBytesPerSecond,
      });
      await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU_SLOWDOWN });
    }
    const content = page.locator(target.content).filter({ visible: true }).first();
    await page.goto(url, { waitUntil: "commit", timeout: 120_000 });
    await content.waitFor({ state: "visible", timeout: 120_000 });
    const contentMs = await page.evaluate(() => performance.now());
    await page.waitForLoadState("load", { timeout: 120_000 });
    const fcpMs = await firstContentfulPaint(page);
    // Requests started by the first screen (its API call, fonts) finish before the bytes are counted.
    await page.waitForLoadState("networkidle", { timeout: 120_000 }).catch(() => undefined);
    return { fcpMs: Math.round(fcpMs), contentMs: Math.round(contentMs), bytes, requests };
  } finally {
    await context.close();
  }
}

async function firstContentfulPaint(page: Page): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const fcp = await page.evaluate(
      () => performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? -1,
    );
    if (fcp >= 0) return fcp;
    await page.waitForTimeout(50);
  }
  throw new Error(`${page.url()}: no first-contentful-paint entry`);
}

async function main(): Promise<void> {
  ensureSites();
  const dir = await createTempDir("bench-mobile");
  const data = await prepareDemoData(dir.path, 1);
  const server = await startAppServer(dir.path, data.dataKeyHex);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
  try {
    const reports = (await (await fetch(`${server.baseUrl}/api/reports/public`)).json()) as {
      data: { code: string; reports: { year: number }[] }[];
    };
    const report = reports.data.find((agency) => agency.reports.length > 0);
    if (!report) throw new Error("the demo data has no published annual report");
    const targets: Target[] = [
      { name: "h5Home", path: "/h5/#/pages/index/index", content: ".home-grid-cell" },
      { name: "h5Catalogue", path: "/h5/#/pages/catalogue/list/index", content: ".catalogue-item" },
      {
        name: "h5Report",
        path: `/h5/#/pages/reports/detail/index?code=${encodeURIComponent(report.code)}&year=${report.reports[0]?.year}`,
        content: ".report-title",
      },
      { name: "adminLogin", path: "/admin/#/login", content: "button[type=submit]" },
    ];

    for (const target of targets) {
      await load(browser, server.baseUrl + target.path, target, { compressed: true });
      await load(browser, server.baseUrl + target.path, target, { compressed: false });
    }

    const results: Record<string, Record<string, { compressed: Load; identity: Load }>> = {};
    for (const profile of profiles) {
      results[profile.name] = {};
      for (const target of targets) {
        const runs: { compressed: Load[]; identity: Load[] } = { compressed: [], identity: [] };
        for (let i = 0; i < REPEATS; i++) {
          const url = server.baseUrl + target.path;
          runs.compressed.push(await load(browser, url, target, { profile, compressed: true }));
          runs.identity.push(await load(browser, url, target, { profile, compressed: false }));
        }
        const summarize = (loads: Load[]): Load => ({
          fcpMs: median(loads.map((l) => l.fcpMs)),
          contentMs: median(loads.map((l) => l.contentMs)),
          bytes: median(loads.map((l) => l.bytes)),
          requests: median(loads.map((l) => l.requests)),
        });
        (results[profile.name] as Record<string, { compressed: Load; identity: Load }>)[target.name] = {
          compressed: summarize(runs.compressed),
          identity: summarize(runs.identity),
        };
      }
    }

    const ratio = (a: number, b: number) => (b === 0 ? 0 : Math.round((a / b) * 1000) / 1000);
    console.log(
      `mobile bench: Chromium, CPU ${CPU_SLOWDOWN}× slower, fresh cache, median of ${REPEATS}; ` +
        "compressed = Accept-Encoding: gzip, deflate, br; identity = the same pages uncompressed",
    );
    console.log("");
    console.log(
      [
        "profile",
        "page".padEnd(12),
        "FCP ms".padStart(7),
        "content".padStart(8),
        "KB".padStart(7),
        "FCP id".padStart(7),
        "KB id".padStart(7),
        "FCP ×".padStart(6),
        "bytes ×".padStart(8),
      ].join(" "),
    );
    const summary: Record<string, unknown> = { cpuSlowdown: CPU_SLOWDOWN, repeats: REPEATS };
    for (const profile of profiles) {
      for (const target of targets) {
        const r = results[profile.name]?.[target.name];
        if (!r) continue;
        console.log(
          [
            profile.name.padEnd(7),
            target.name.padEnd(12),
            String(r.compressed.fcpMs).padStart(7),
            String(r.compressed.contentMs).padStart(8),
            (r.compressed.bytes / 1024).toFixed(1).padStart(7),
            String(r.identity.fcpMs).padStart(7),
            (r.identity.bytes / 1024).toFixed(1).padStart(7),
            ratio(r.compressed.fcpMs, r.identity.fcpMs).toFixed(2).padStart(6),
            ratio(r.compressed.bytes, r.identity.bytes).toFixed(3).padStart(8),
          ].join(" "),
        );
        const key = `${profile.name}.${target.name}`;
        summary[key] = {
          fcpMs: r.compressed.fcpMs,
          contentMs: r.compressed.contentMs,
          bytes: r.compressed.bytes,
          requests: r.compressed.requests,
          identityFcpMs: r.identity.fcpMs,
          identityContentMs: r.identity.contentMs,
          identityBytes: r.identity.bytes,
          fcpRatio: ratio(r.compressed.fcpMs, r.identity.fcpMs),
          bytesRatio: ratio(r.compressed.bytes, r.identity.bytes),
        };
      }
    }
    console.log(JSON.stringify(summary));
  } finally {
    await browser.close();
    await server.proc.stop();
    await dir.remove();
  }
}

await main();
