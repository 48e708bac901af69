/**
 * Compression without a proxy, through the real app over HTTP (raw bytes, nothing decoded by the
 * client): built files are sent as their `.br`/`.gz` siblings by Accept-Encoding; JSON above 1 KiB is
 * compressed on the fly; the catalogue's cached pages come compressed from the cache (the same bytes
 * every time, their own ETag, 304 on either); small bodies, clients that accept nothing and streamed
 * files are sent as they are; every compressible answer says `Vary: Accept-Encoding`.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from "node:zlib";
import { createRandom } from "@govinfo/shared/random";
import { createApp } from "../../../server/app.ts";
import { insertCatalogue } from "../../../server/demo/catalogue.ts";
import { preferredEncoding } from "../../../server/http/encoding.ts";
import { createLogger } from "../../../server/logger.ts";
import { Agency } from "../../../server/models/Agency.ts";
import { encodedBody, renderEnvelope } from "../../../server/services/catalogue/cache.ts";
import { createTempDir, type TempDir } from "../../support/tempDir.ts";
import { startTestServer, type TestServer } from "../../support/testServer.ts";

interface Raw {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

let server: TestServer;
let sites: TempDir;
let siteServer: Server;
let siteBase = "";
let agencyId = "";
const script = `console.log(${JSON.stringify("政府信息公开".repeat(400))});`;
const inline = "document.title='x'";

/** A GET whose body is returned exactly as it came over the wire. */
function get(base: string, path: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on("error", reject);
    req.end();
  });
}

function decoded(raw: Raw): string {
  const encoding = raw.headers["content-encoding"];
  if (encoding === "br") return brotliDecompressSync(raw.body).toString("utf8");
  if (encoding === "gzip") return gunzipSync(raw.body).toString("utf8");
  return raw.body.toString("utf8");
}

before(async () => {
  server = await startTestServer();
  const agency = await Agency.create({ code: "YSJ", name: "海东市压缩测试局" });
  agencyId = String(agency._id);
  const random = createRandom(7);
  await insertCatalogue(agency._id, [{ year: 2024, category: "notice", count: 30, topical: 5 }], () =>
    random.next(),
  );
  // Enough agencies that the (uncached) agency list is well above 1 KiB.
  await Agency.insertMany(
    Array.from({ length: 40 }, (_, i) => ({
      code: `YS${String(i).padStart(3, "0")}`,
      name: `海东市第${i}测试局`,
    })),
  );

  // A built H5 site as `npm run build` leaves it: files with their .br and .gz beside them.
  sites = await createTempDir("compressed-site");
  const root = join(sites.path, "h5");
  mkdirSync(join(root, "js"), { recursive: true });
  const html = `<!doctype html><html><head><script>${inline}</script><title>政府信息公开</title></head><body>${"<p>正在加载</p>".repeat(200)}</body></html>`;
  writeFileSync(join(root, "index.html"), html);
  writeFileSync(join(root, "index.html.br"), brotliCompressSync(html));
  writeFileSync(join(root, "index.html.gz"), gzipSync(html));
  writeFileSync(join(root, "js", "app.1a2b3c4d.js"), script);
  writeFileSync(join(root, "js", "app.1a2b3c4d.js.br"), brotliCompressSync(script));
  writeFileSync(join(root, "js", "app.1a2b3c4d.js.gz"), gzipSync(script));
  writeFileSync(join(root, "js", "plain.1a2b3c4d.js"), script);
  const app = createApp({
    db: server.db,
    logger: createLogger({ level: "silent" }),
    dataKey: randomBytes(32),
    sites: { h5: root, admin: join(sites.path, "admin") },
  });
  siteServer = createServer(app.callback());
  await new Promise<void>((resolve) => siteServer.listen(0, "127.0.0.1", resolve));
  siteBase = `http://127.0.0.1:${(siteServer.address() as AddressInfo).port}`;
});

after(async () => {
  siteServer.closeAllConnections();
  await new Promise<void>((resolve) => siteServer.close(() => resolve()));
  await server.close();
  await sites.remove();
});

describe("content negotiation", () => {
  it("prefers brotli, then gzip, honouring q-values and refusals", () => {
    assert.equal(preferredEncoding("gzip, deflate, br"), "br");
    assert.equal(preferredEncoding("gzip, deflate"), "gzip");
    assert.equal(preferredEncoding("br;q=0.5, gzip;q=0.8"), "gzip");
    assert.equal(preferredEncoding("br;q=0, gzip;q=0"), null);
    assert.equal(preferredEncoding("identity"), null);
    assert.equal(preferredEncoding("*"), "br");
    assert.equal(preferredEncoding(""), null);
  });
});

describe("built files", () => {
  it("sends the .br or .gz sibling the client accepts, with its length and Vary", async () => {
    const path = "/h5/js/app.1a2b3c4d.js";
    const br = await get(siteBase, path, { "Accept-Encoding": "gzip, deflate, br" });
    assert.equal(br.status, 200);
    assert.equal(br.headers["content-encoding"], "br");
    assert.match(String(br.headers["content-type"]), /javascript/);
    assert.equal(br.headers.vary, "Accept-Encoding");
    assert.equal(Number(br.headers["content-length"]), br.body.length);
    assert.ok(br.body.length < Buffer.byteLength(script) / 5, `${br.body.length} B`);
    assert.equal(decoded(br), script);
    assert.match(String(br.headers["cache-control"]), /immutable/);

    const gz = await get(siteBase, path, { "Accept-Encoding": "gzip" });
    assert.equal(gz.headers["content-encoding"], "gzip");
    assert.equal(decoded(gz), script);

    const plain = await get(siteBase, path);
    assert.equal(plain.headers["content-encoding"], undefined);
    assert.equal(plain.body.toString("utf8"), script);
    assert.equal(plain.headers.vary, "Accept-Encoding");
  });

  it("sends a file without compressed siblings as it is", async () => {
    const raw = await get(siteBase, "/h5/js/plain.1a2b3c4d.js", { "Accept-Encoding": "br" });
    assert.equal(raw.headers["content-encoding"], undefined);
    assert.equal(raw.body.toString("utf8"), script);
  });

  it("keeps the page's inline-script hash in the CSP when index.html goes out compressed", async () => {
    const raw = await get(siteBase, "/h5/", { "Accept-Encoding": "br" });
    assert.equal(raw.headers["content-encoding"], "br");
    assert.match(decoded(raw), /正在加载/);
    const hash = (await import("node:crypto")).createHash("sha256").update(inline).digest("base64");
    assert.ok(String(raw.headers["content-security-policy"]).includes(`'sha256-${hash}'`));
    assert.equal(raw.headers["cache-control"], "no-cache");
  });
});

describe("JSON answers", () => {
  it("compresses an uncached JSON answer above 1 KiB on the fly", async () => {
    const plain = await get(server.baseUrl, "/api/catalogue/agencies");
    assert.ok(plain.body.length > 1024, `${plain.body.length} B`);
    assert.equal(plain.headers["content-encoding"], undefined);
    assert.equal(plain.headers.vary, "Accept-Encoding");
    for (const [accept, encoding] of [
      ["gzip, deflate, br", "br"],
      ["gzip", "gzip"],
    ] as const) {
      const raw = await get(server.baseUrl, "/api/catalogue/agencies", { "Accept-Encoding": accept });
      assert.equal(raw.headers["content-encoding"], encoding);
      assert.equal(Number(raw.headers["content-length"]), raw.body.length);
      assert.ok(raw.body.length < plain.body.length / 2);
      assert.deepEqual(JSON.parse(decoded(raw)), JSON.parse(plain.body.toString("utf8")));
      assert.equal(raw.headers["cache-control"], "no-store");
    }
  });

  it("sends small answers and error envelopes as they are", async () => {
    const health = await get(server.baseUrl, "/api/health", { "Accept-Encoding": "br" });
    assert.ok(health.body.length <= 1024);
    assert.equal(health.headers["content-encoding"], undefined);
    const missing = await get(server.baseUrl, "/api/catalogue/items/not-an-id", { "Accept-Encoding": "br" });
    assert.equal(missing.status, 400);
    assert.equal(missing.headers["content-encoding"], undefined);
    assert.equal((JSON.parse(missing.body.toString("utf8")) as { ok: boolean }).ok, false);
  });
});

describe("the catalogue's cached pages", () => {
  it("come compressed from the cache: same bytes each time, their own ETag, 304 on either", async () => {
    const path = `/api/catalogue/items?agency=${agencyId}`;
    const plain = await get(server.baseUrl, path);
    assert.ok(plain.body.length > 1024, `${plain.body.length} B`);
    const first = await get(server.baseUrl, path, { "Accept-Encoding": "gzip, deflate, br" });
    const second = await get(server.baseUrl, path, { "Accept-Encoding": "gzip, deflate, br" });
    assert.equal(first.headers["content-encoding"], "br");
    assert.equal(first.headers.vary, "Accept-Encoding");
    assert.equal(first.headers["cache-control"], "public, max-age=60");
    assert.ok(first.body.equals(second.body));
    assert.equal(decoded(first), plain.body.toString("utf8"));
    const etag = String(first.headers.etag);
    assert.notEqual(etag, plain.headers.etag);
    assert.equal(etag, `${String(plain.headers.etag).slice(0, -1)}-br"`);
    for (const tag of [etag, String(plain.headers.etag)]) {
      const again = await get(server.baseUrl, path, { "Accept-Encoding": "br", "If-None-Match": tag });
      assert.equal(again.status, 304);
      assert.equal(again.body.length, 0);
    }
  });

  it("compresses a rendered page once per encoding and then hands out the same bytes", async () => {
    const cached = renderEnvelope({
      items: Array.from({ length: 100 }, (_, i) => ({ title: `第${i}号通知` })),
    });
    const first = await encodedBody(cached, "br");
    const again = await encodedBody(cached, "br");
    assert.equal(again, first, "the very same Buffer, not a second compression");
    assert.equal(brotliDecompressSync(first).toString("utf8"), cached.body.toString("utf8"));
    const gz = await encodedBody(cached, "gzip");
    assert.equal(gunzipSync(gz).toString("utf8"), cached.body.toString("utf8"));
  });
});
