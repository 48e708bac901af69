import assert from "node:assert/strict";
import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { after, before, describe, it } from "node:test";
import { createRandom } from "@govinfo/shared/random";
import { insertCatalogue } from "../../../server/demo/catalogue.ts";
import { withCachedReads } from "../../../server/http/cachedReads.ts";
import { createLogger } from "../../../server/logger.ts";
import { processRegistry } from "../../../server/metrics/registry.ts";
import { buildAgency } from "../../factories/people.ts";
import { startTestServer, type TestServer } from "../../support/testServer.ts";

/**
 * The HTTP-layer fast path in front of the app, measured by what reaches the app: a repeated
 * public read never does, and is logged and measured as the routed one was.
 */
describe("cached public reads at the HTTP layer", () => {
  let server: TestServer;
  let front: Server;
  let baseUrl = "";
  let appCalls: string[] = [];
  const logLines: Array<Record<string, unknown>> = [];
  let agencyId = "";

  before(async () => {
    server = await startTestServer();
    const agency = await buildAgency({ code: "FASTHTTP", name: "缓存快速通道局" });
    agencyId = String(agency._id);
    const random = createRandom(7);
    await insertCatalogue(agency._id, [{ year: 2024, category: "news", count: 30, topical: 3 }], () =>
      random.next(),
    );
    const logger = createLogger({
      level: "info",
      destination: new Writable({
        write(chunk: Buffer, _encoding, done) {
          for (const line of chunk.toString("utf8").split("\n")) if (line) logLines.push(JSON.parse(line));
          done();
        },
      }),
    });
    const app = server.app.callback();
    const counted: RequestListener = (req, res) => {
      appCalls.push(`${req.method} ${req.url}`);
      return app(req, res);
    };
    front = createServer(withCachedReads(counted, { logger, hsts: false }));
    await new Promise<void>((resolve) => front.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
  });
  after(async () => {
    front.closeAllConnections();
    await new Promise<void>((resolve) => front.close(() => resolve()));
    await server.close();
  });

  const perResponse = new Set(["date", "x-request-id", "connection", "keep-alive"]);
  const headersOf = (response: Response) =>
    Object.fromEntries([...response.headers].filter(([name]) => !perResponse.has(name)).sort());

  it("answers a repeated read itself, compressed as the app answered it, with the same bytes and headers", async () => {
    const path = `/api/catalogue/items?agency=${agencyId}&limit=20`;
    appCalls = [];
    const gzip = { "Accept-Encoding": "gzip" };
    const routed = await fetch(baseUrl + path, { headers: gzip });
    const routedBody = await routed.text();
    assert.equal(
      routed.headers.get("content-encoding"),
      "gzip",
      "a 20-item page is large enough to compress",
    );
    assert.deepEqual(appCalls, [`GET ${path}`]);

    const fast = await fetch(baseUrl + path, { headers: gzip });
    assert.equal(await fast.text(), routedBody);
    assert.deepEqual(headersOf(fast), headersOf(routed));
    const plain = await fetch(baseUrl + path, { headers: { "Accept-Encoding": "identity" } });
    assert.equal(plain.headers.get("content-encoding"), null);
    assert.equal(await plain.text(), routedBody);
    const notModified = await fetch(baseUrl + path, {
      headers: { ...gzip, "If-None-Match": routed.headers.get("etag") ?? "" },
    });
    assert.equal(notModified.status, 304);
    assert.deepEqual(appCalls, [`GET ${path}`], "only the first read reached the app");
  });

  it("logs and measures each answer as the app would, without the query string", async () => {
    const path = `/api/catalogue/items?agency=${agencyId}&limit=3`;
    await fetch(baseUrl + path);
    logLines.length = 0;
    const answer = await fetch(baseUrl + path, { headers: { "X-Request-Id": "counter-window-7" } });
    assert.equal(answer.status, 200);
    const line = logLines.find((l) => l.requestId === "counter-window-7");
    assert.ok(line, `an access line for the request: ${JSON.stringify(logLines)}`);
    assert.equal(line.path, "/api/catalogue/items");
    assert.equal(line.method, "GET");
    assert.equal(line.status, 200);
    assert.equal(typeof line.durationMs, "number");
    const metrics = await processRegistry.metrics();
    assert.match(
      metrics,
      /http_request_duration_seconds_count\{method="GET",route="\/api\/catalogue\/items",status="200"\} [1-9]/,
    );
  });

  it("hands everything else to the app: writes, unknown URLs, bad queries, other paths", async () => {
    appCalls = [];
    const bad = `/api/catalogue/items?agency=${agencyId}&year=abc`;
    assert.equal((await fetch(baseUrl + bad)).status, 400);
    assert.equal((await fetch(baseUrl + bad)).status, 400);
    assert.equal((await fetch(`${baseUrl}/api/health`)).status, 200);
    assert.equal((await fetch(`${baseUrl}/api/catalogue/items`, { method: "POST", body: "{}" })).status, 401);
    assert.deepEqual(appCalls, [`GET ${bad}`, `GET ${bad}`, "GET /api/health", "POST /api/catalogue/items"]);
  });
});
