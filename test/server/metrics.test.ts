import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { createServer as createHttpServer, type Server } from "node:http";
import {
  type AddressInfo,
  createServer as createTcpServer,
  type Socket,
  type Server as TcpServer,
} from "node:net";
import { after, before, describe, it } from "node:test";
import { addDays } from "@govinfo/shared/calendar/date";
import { addWorkingDays } from "@govinfo/shared/calendar/workdays";
import { createApp } from "../../server/app.ts";
import { expireCorrectionsJob } from "../../server/jobs/expireCorrections.ts";
import { type Job, startScheduler } from "../../server/jobs/scheduler.ts";
import { createLogger } from "../../server/logger.ts";
import { decideMetricsAccess, isLoopback } from "../../server/metrics/access.ts";
import { createBusinessMetrics } from "../../server/metrics/business.ts";
import type { AgencyDoc } from "../../server/models/Agency.ts";
import { DisclosureRequest } from "../../server/models/DisclosureRequest.ts";
import { OutboxMessage } from "../../server/models/OutboxMessage.ts";
import { routeRegistry } from "../../server/routes/define.ts";
import { createPersonalDataCipher } from "../../server/security/personalData.ts";
import { dateInChina } from "../../server/services/calendar.ts";
import { deliverOutbox } from "../../server/services/outbox.ts";
import { buildAgency } from "../factories/people.ts";
import { buildRequest } from "../factories/requests.ts";
import { request } from "../support/http.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";

const TOKEN = "metrics-token-0123456789abcdef";
const logger = createLogger({ level: "silent" });
const cipher = createPersonalDataCipher(randomBytes(32));
const today = dateInChina();

let server: TestServer;
/** The same app with METRICS_TOKEN set, on its own port. */
let tokenServer: Server;
let tokenBaseUrl: string;
let watched: AgencyDoc;
let quiet: AgencyDoc;
/** Applications of `watched` created overdue and due soon (the expected gauge values). */
const created = { overdue: 0, dueSoon: 0 };

before(async () => {
  server = await startTestServer();
  tokenServer = createHttpServer(
    createApp({ db: server.db, logger, dataKey: randomBytes(32), metricsToken: TOKEN }).callback(),
  );
  await new Promise<void>((resolve) => tokenServer.listen(0, "127.0.0.1", resolve));
  tokenBaseUrl = `http://127.0.0.1:${(tokenServer.address() as AddressInfo).port}`;

  // Data first: the route caches its database figures for 15 s from the first scrape.
  watched = await buildAgency({ code: "HDSTJ", name: "海东市统计局" });
  quiet = await buildAgency({ code: "HDSWJ", name: "海东市卫生健康委员会" });
  for (const receiptDate of ["2025-03-03", "2026-01-05", addDays(today, -60)]) {
    await buildRequest(watched, cipher, { input: { receiptDate } });
    created.overdue += 1;
  }
  await buildRequest(watched, cipher, { input: { receiptDate: dueSoonReceiptDate() } });
  created.dueSoon += 1;
  // Closed long ago, and received today: neither overdue nor due soon.
  await buildRequest(watched, cipher, {
    input: { receiptDate: "2025-03-03" },
    events: [{ type: "decide", date: "2025-03-10", outcome: "granted" }],
  });
  await buildRequest(watched, cipher, { input: { receiptDate: today } });
});

after(async () => {
  tokenServer.closeAllConnections();
  await new Promise<void>((resolve) => tokenServer.close(() => resolve()));
  await server.close();
});

describe("GET /api/metrics", () => {
  it("answers in the Prometheus text format, declared in the route registry and the OpenAPI document", async () => {
    const response = await server.request("/api/metrics");
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "text/plain; version=0.0.4; charset=utf-8");
    assert.equal(response.headers.get("cache-control"), "no-store");
    const families = parseExposition(String(response.body)).types;
    assert.equal(families.get("http_request_duration_seconds"), "histogram");
    assert.equal(families.get("http_requests_in_flight"), "gauge");
    assert.equal(families.get("govinfo_process_resident_memory_bytes"), "gauge");
    assert.equal(families.get("govinfo_nodejs_heap_size_used_bytes"), "gauge");
    assert.equal(families.get("govinfo_nodejs_eventloop_lag_seconds"), "gauge");
    assert.equal(families.get("govinfo_job_runs_total"), "counter");
    assert.equal(families.get("govinfo_applications_overdue"), "gauge");
    assert.ok(routeRegistry.has("GET /api/metrics"));
    const docs = await server.request("/api/docs");
    const paths = (docs.body as { paths: Record<string, unknown> }).paths;
    assert.ok(paths["/api/metrics"], "the metrics route is in the OpenAPI document");
  });

  it("counts requests by method, route template and status", async () => {
    const id = "0123456789abcdef01234567";
    const key = { method: "GET", route: "/api/requests/:id", status: "401" };
    const before = await scrape();
    const unmatchedBefore = sampleValue(
      before,
      "http_request_duration_seconds_count",
      { method: "GET", route: "unmatched", status: "404" },
      { optional: true },
    );
    for (let i = 0; i < 3; i++) assert.equal((await server.request(`/api/requests/${id}`)).status, 401);
    assert.equal((await server.request(`/api/no-such-thing/${id}?q=张三`)).status, 404);
    const afterwards = await scrape();

    assert.equal(
      sampleValue(afterwards, "http_request_duration_seconds_count", key) -
        sampleValue(before, "http_request_duration_seconds_count", key, { optional: true }),
      3,
    );
    assert.equal(
      sampleValue(afterwards, "http_request_duration_seconds_count", {
        method: "GET",
        route: "unmatched",
        status: "404",
      }) - unmatchedBefore,
      1,
    );
    // Cumulative buckets: the +Inf bucket holds every observation.
    assert.equal(
      sampleValue(afterwards, "http_request_duration_seconds_bucket", { ...key, le: "+Inf" }),
      sampleValue(afterwards, "http_request_duration_seconds_count", key),
    );
    assert.ok(sampleValue(afterwards, "http_request_duration_seconds_sum", key) > 0);
    // The scrape itself is in flight while it renders.
    assert.equal(sampleValue(afterwards, "http_requests_in_flight", {}), 1);
  });

  it("never puts raw URLs, ids or personal data into labels", async () => {
    const id = String((await DisclosureRequest.findOne({ agencyId: watched._id }).lean())?._id);
    await server.request(`/api/requests/${id}`);
    await server.request(`/api/catalogue/items?q=${encodeURIComponent("13812345678")}`);
    const text = await scrapeText();
    assert.ok(!text.includes(id), "a request's id appears in the metrics");
    assert.ok(!text.includes("13812345678"));
    assert.ok(!text.includes("张三"));
    const templates = new Set([...routeRegistry.values()].map((spec) => spec.fullPath));
    for (const sample of parseExposition(text).samples) {
      for (const value of Object.values(sample.labels)) {
        assert.doesNotMatch(value, /[0-9a-f]{24}/i, `${sample.name} carries an id`);
        assert.doesNotMatch(value, /\d{11}/, `${sample.name} carries a long number`);
        assert.ok(!value.includes("?"), `${sample.name} carries a query string`);
      }
      const route = sample.labels.route;
      if (route === undefined) continue;
      assert.ok(
        templates.has(route) ||
          ["/api/health", "/api/docs", "unmatched", "/", "/admin/*", "/h5/*"].includes(route),
        `route label ${route} is not a declared template`,
      );
    }
  });

  it("counts the overdue and due-soon applications of each agency, as the staff queue defines them", async () => {
    const samples = await scrape();
    assert.equal(sampleValue(samples, "govinfo_applications_overdue", { agency: "HDSTJ" }), created.overdue);
    assert.equal(sampleValue(samples, "govinfo_applications_due_soon", { agency: "HDSTJ" }), created.dueSoon);
    // An agency without applications still has its series, at zero.
    assert.equal(sampleValue(samples, "govinfo_applications_overdue", { agency: "HDSWJ" }), 0);
    assert.equal(sampleValue(samples, "govinfo_applications_due_soon", { agency: "HDSWJ" }), 0);
    // Cross-check against the stored due dates, counted by hand.
    const open = await DisclosureRequest.find(
      { agencyId: watched._id, outcome: null },
      { dueDate: 1 },
    ).lean();
    const dueDates = open.map((r) => r.dueDate ?? null).filter((due): due is string => due !== null);
    const horizon = addWorkingDays(today, 3);
    assert.equal(dueDates.filter((due) => due < today).length, created.overdue);
    assert.equal(dueDates.filter((due) => due >= today && due <= horizon).length, created.dueSoon);
    assert.equal(sampleValue(samples, "govinfo_applications_open", { state: "received" }), open.length);
    assert.equal(sampleValue(samples, "govinfo_applications_open", { state: "consulting" }), 0);
    assert.equal(sampleValue(samples, "govinfo_database_up", {}), 1);
    assert.equal(sampleValue(samples, "govinfo_database_info", { mode: "embedded" }), 1);
  });

  it("reuses the database figures for a while, and reads them again once the cache expires", async () => {
    const business = createBusinessMetrics({ db: server.db, logger, cacheMs: 2_000 });
    const overdueNow = async () =>
      sampleValue(parseExposition(await business.metrics()).samples, "govinfo_applications_overdue", {
        agency: "HDSTJ",
      });
    const started = Date.now();
    assert.equal(await overdueNow(), created.overdue);
    await buildRequest(watched, cipher, { input: { receiptDate: "2025-06-02" } });
    created.overdue += 1;
    const cached = await overdueNow();
    // Only meaningful while the cache is still young; the builder above takes milliseconds.
    assert.ok(Date.now() - started < 2_000, "the second read came too late to test the cache");
    assert.equal(cached, created.overdue - 1, "a second read within the cache life is not cached");
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    assert.equal(await overdueNow(), created.overdue);
  });

  it("counts outbox messages waiting, and those whose last attempt failed", async () => {
    const business = createBusinessMetrics({ db: server.db, logger, cacheMs: 0 });
    const correction = {
      type: "requestCorrection",
      date: "2025-03-05",
      items: ["请明确年份"],
      deadline: "2025-03-20",
    };
    for (let i = 0; i < 2; i++) {
      await buildRequest(quiet, cipher, { input: { receiptDate: "2025-03-03" }, events: [correction] });
    }
    const pending = await OutboxMessage.countDocuments({ status: "pending" });
    assert.ok(pending >= 2);
    let samples = parseExposition(await business.metrics()).samples;
    assert.equal(sampleValue(samples, "govinfo_outbox_messages", { status: "pending" }), pending);
    assert.equal(sampleValue(samples, "govinfo_outbox_messages", { status: "failed" }), 0);

    const failingSms = {
      send: async () => {
        throw new Error("短信网关不可用");
      },
    };
    await deliverOutbox({
      cipher,
      sms: failingSms,
      logger,
      wechat: { appId: undefined, secret: undefined, apiBase: "" },
    });
    samples = parseExposition(await business.metrics()).samples;
    assert.equal(sampleValue(samples, "govinfo_outbox_messages", { status: "pending" }), pending);
    assert.equal(sampleValue(samples, "govinfo_outbox_messages", { status: "failed" }), pending);
  });
});

describe("job metrics", () => {
  it("counts runs and failures per job, the last success, the duration and the lease held while running", async () => {
    let heldDuringRun: number | undefined;
    const jobs: Job[] = [
      { name: "metricsOk", run: async () => ({ done: 1 }) },
      {
        name: "metricsFailing",
        run: async () => {
          throw new Error("模拟任务失败");
        },
      },
      {
        name: "metricsLease",
        run: async () => {
          heldDuringRun = sampleValue(await scrape(), "govinfo_job_lease_held", { job: "metricsLease" });
          return {};
        },
      },
      expireCorrectionsJob,
    ];
    const scheduler = startScheduler({ jobs, logger, autoStart: false, holder: "metrics-test" });
    const declared = await scrape();
    assert.equal(
      sampleValue(declared, "govinfo_job_runs_total", { job: "metricsOk" }),
      0,
      "declared at zero",
    );
    const startedAt = Date.now() / 1000;
    const outcomes = await scheduler.tick(new Date());
    await scheduler.stop();
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ["ran", "failed", "ran", "ran"],
    );

    const samples = await scrape();
    assert.equal(sampleValue(samples, "govinfo_job_runs_total", { job: "metricsOk" }), 1);
    assert.equal(sampleValue(samples, "govinfo_job_failures_total", { job: "metricsOk" }), 0);
    assert.equal(sampleValue(samples, "govinfo_job_runs_total", { job: "metricsFailing" }), 1);
    assert.equal(sampleValue(samples, "govinfo_job_failures_total", { job: "metricsFailing" }), 1);
    assert.equal(sampleValue(samples, "govinfo_job_runs_total", { job: "expireCorrections" }), 1);
    const lastSuccess = sampleValue(samples, "govinfo_job_last_success_timestamp_seconds", {
      job: "metricsOk",
    });
    assert.ok(lastSuccess >= startedAt - 1 && lastSuccess <= Date.now() / 1000 + 1);
    assert.equal(
      samples.some(
        (s) => s.name === "govinfo_job_last_success_timestamp_seconds" && s.labels.job === "metricsFailing",
      ),
      false,
      "a job that never succeeded has no last-success time",
    );
    assert.equal(sampleValue(samples, "govinfo_job_duration_seconds_count", { job: "metricsFailing" }), 1);
    assert.equal(heldDuringRun, 1);
    assert.equal(sampleValue(samples, "govinfo_job_lease_held", { job: "metricsLease" }), 0);
  });
});

describe("metrics access", () => {
  it("without METRICS_TOKEN answers a loopback client, but nothing that came through a proxy", async () => {
    assert.equal((await server.request("/api/metrics")).status, 200);
    for (const header of ["X-Forwarded-For", "X-Real-IP", "Forwarded"]) {
      const response = await server.request("/api/metrics", { headers: { [header]: "127.0.0.1" } });
      assert.equal(response.status, 403, header);
      assert.equal((response.body as { code: string }).code, "forbidden");
    }
  });

  it("without METRICS_TOKEN refuses a client on another machine", async () => {
    // The peer address is what the socket reports; present the app with a connection from elsewhere.
    const remote = await serveAsRemotePeer(server.app.callback(), "203.0.113.7");
    try {
      const response = await request(`${remote.baseUrl}/api/metrics`);
      assert.equal(response.status, 403);
      assert.match((response.body as { message: string }).message, /METRICS_TOKEN/);
      // The rest of the API does not care where the client is.
      assert.equal((await request(`${remote.baseUrl}/api/health`)).status, 200);
    } finally {
      await remote.close();
    }
  });

  it("with METRICS_TOKEN requires the bearer token from everyone, loopback included", async () => {
    const missing = await request(`${tokenBaseUrl}/api/metrics`);
    assert.equal(missing.status, 401);
    assert.equal(missing.headers.get("www-authenticate"), 'Bearer realm="metrics"');
    const wrong = await request(`${tokenBaseUrl}/api/metrics`, {
      headers: { Authorization: `Bearer ${TOKEN}x` },
    });
    assert.equal(wrong.status, 401);
    const right = await request(`${tokenBaseUrl}/api/metrics`, {
      headers: { Authorization: `Bearer ${TOKEN}`, "X-Forwarded-For": "198.51.100.4" },
    });
    assert.equal(right.status, 200);
    assert.match(String(right.body), /^http_request_duration_seconds_count\{/m);
  });

  it("decides by the peer address and the forwarding headers", () => {
    const cases: [peer: string | undefined, forwarded: boolean, allowed: boolean][] = [
      ["127.0.0.1", false, true],
      ["127.8.9.10", false, true],
      ["::1", false, true],
      ["::ffff:127.0.0.1", false, true],
      ["127.0.0.1", true, false],
      ["10.0.0.5", false, false],
      ["::ffff:192.168.1.2", false, false],
      ["fe80::1", false, false],
      [undefined, false, false],
    ];
    for (const [peerAddress, isForwarded, allowed] of cases) {
      const decision = decideMetricsAccess(undefined, { authorization: "", peerAddress, isForwarded });
      assert.equal(decision.allowed, allowed, `${peerAddress} forwarded=${isForwarded}`);
      if (!decision.allowed) assert.equal(decision.status, 403);
    }
    assert.equal(isLoopback("127.0.0.1.evil"), false);
    const withToken = (authorization: string) =>
      decideMetricsAccess(TOKEN, { authorization, peerAddress: "10.0.0.5", isForwarded: true });
    assert.deepEqual(withToken(`Bearer ${TOKEN}`), { allowed: true });
    assert.equal(withToken(`bearer ${TOKEN}`).allowed, true);
    assert.equal(withToken(`Basic ${TOKEN}`).allowed, false);
    assert.equal(withToken("").allowed, false);
  });
});

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the Prometheus text format (0.0.4): samples and the TYPE of each family. */
function parseExposition(text: string): { samples: Sample[]; types: Map<string, string> } {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) {
      types.set(type[1] ?? "", type[2] ?? "");
      continue;
    }
    if (line.startsWith("#")) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: \d+)?$/.exec(line);
    assert.ok(match, `not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[pair[1] ?? ""] = (pair[2] ?? "").replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));
    }
    const raw = match[3] ?? "";
    const value =
      raw === "+Inf" ? Number.POSITIVE_INFINITY : raw === "-Inf" ? Number.NEGATIVE_INFINITY : Number(raw);
    // Prometheus parses values with Go's ParseFloat, which accepts NaN in any case (prom-client writes "Nan").
    assert.ok(!Number.isNaN(value) || /^nan$/i.test(raw), `not a number: ${line}`);
    samples.push({ name: match[1] ?? "", labels, value });
  }
  return { samples, types };
}

/**
 * The value of the sample with exactly these labels. A missing series fails the test, unless it is
 * `optional` (a counter read before its first increment counts as 0).
 */
function sampleValue(
  samples: Sample[],
  name: string,
  labels: Record<string, string>,
  options: { optional?: boolean } = {},
): number {
  const wanted = Object.entries(labels);
  const found = samples.filter(
    (sample) =>
      sample.name === name &&
      Object.keys(sample.labels).length === wanted.length &&
      wanted.every(([key, value]) => sample.labels[key] === value),
  );
  assert.ok(found.length <= 1, `${name} ${JSON.stringify(labels)} is ambiguous`);
  assert.ok(found.length === 1 || options.optional, `no series ${name} ${JSON.stringify(labels)}`);
  return found[0]?.value ?? 0;
}

async function scrapeText(): Promise<string> {
  const response = await server.request("/api/metrics");
  assert.equal(response.status, 200);
  return String(response.body);
}

async function scrape(): Promise<Sample[]> {
  return parseExposition(await scrapeText()).samples;
}

/** A receipt date whose 20-working-day answer date falls on the next working day. */
function dueSoonReceiptDate(): string {
  const target = addWorkingDays(today, 1);
  for (let back = 1; back < 60; back++) {
    const receipt = addDays(today, -back);
    if (addWorkingDays(receipt, 20) === target) return receipt;
  }
  throw new Error("no receipt date found");
}

/**
 * Serves `handler` over real TCP on loopback, but presents each connection to the HTTP server with
 * `address` as its peer, as if the client were on another machine.
 */
async function serveAsRemotePeer(
  handler: Parameters<typeof createHttpServer>[1],
  address: string,
): Promise<{ baseUrl: string; close(): Promise<void> }> {
  const http = createHttpServer(handler);
  const sockets = new Set<Socket>();
  const tcp: TcpServer = createTcpServer((socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    Object.defineProperty(socket, "remoteAddress", { value: address });
    http.emit("connection", socket);
  });
  await new Promise<void>((resolve) => tcp.listen(0, "127.0.0.1", resolve));
  return {
    baseUrl: `http://127.0.0.1:${(tcp.address() as AddressInfo).port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
    },
  };
}
