import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import Koa from "koa";
import { staticSite } from "../../../server/middlewares/staticSite.ts";
import { rawRequest } from "../../support/rawHttp.ts";
import { createTempDir } from "../../support/tempDir.ts";

let server: Server;
let base: string;
let cleanup: () => Promise<void>;

before(async () => {
  const dir = await createTempDir("site");
  cleanup = dir.remove;
  const root = join(dir.path, "dist");
  mkdirSync(join(root, "assets"), { recursive: true });
  writeFileSync(join(root, "index.html"), "<!doctype html><title>后台</title>");
  writeFileSync(join(root, "assets", "app.3f2a9c1d.js"), "console.log(1)");
  writeFileSync(join(dir.path, "secret.txt"), "outside the site");
  const app = new Koa();
  app.use(staticSite({ prefix: "/admin", root }));
  app.use(staticSite({ prefix: "/h5", root: join(dir.path, "missing") }));
  app.use((ctx) => {
    ctx.status = 404;
    ctx.body = "next";
  });
  server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await cleanup();
});

describe("staticSite", () => {
  it("serves hashed assets as immutable and index.html as no-cache", async () => {
    const asset = await fetch(`${base}/admin/assets/app.3f2a9c1d.js`);
    assert.equal(asset.status, 200);
    assert.match(asset.headers.get("cache-control") ?? "", /immutable/);
    assert.match(asset.headers.get("content-type") ?? "", /javascript/);
    const index = await fetch(`${base}/admin/`);
    assert.equal(index.headers.get("cache-control"), "no-cache");
    assert.match(await index.text(), /后台/);
  });

  it("falls back to index.html for client routes and never serves files outside the root", async () => {
    assert.match(await (await fetch(`${base}/admin/requests/123`)).text(), /后台/);
    for (const path of ["/admin/../secret.txt", "/admin/%2e%2e/secret.txt", "/admin/..%2fsecret.txt"]) {
      const response = await fetch(`${base}${path}`);
      assert.doesNotMatch(await response.text(), /outside the site/, path);
    }
  });

  it("keeps raw request targets that fetch would normalise inside the root, never answering 5xx", async () => {
    const targets = [
      "/admin/../secret.txt",
      "/admin/../../../../../../etc/passwd",
      "/admin/assets/../../secret.txt",
      "/admin/%2e%2e/%2e%2e/secret.txt",
      "/admin/..%2f..%2fsecret.txt",
      "/admin/%252e%252e/secret.txt",
      "/admin/%252e%252e%252fsecret.txt",
      "/admin/..\\secret.txt",
      "/admin/..%5c..%5csecret.txt",
      "/admin/%c0%ae%c0%ae/secret.txt",
      "/admin/%00",
      "/admin/secret.txt%00.js",
      "/admin/assets/app.3f2a9c1d.js%00/../../../secret.txt",
      "/admin//../secret.txt",
      "/admin/%2fetc%2fpasswd",
      "http://evil.example/admin/../secret.txt",
      "http://evil.example/admin/%2e%2e/%2e%2e/etc/passwd",
      `/admin/${"../".repeat(3_000)}etc/passwd`,
      `/admin/${"a".repeat(20_000)}`,
    ];
    for (const target of targets) {
      const response = await rawRequest(base, { target });
      const text = response.body.toString("utf8");
      const label = `${target.slice(0, 60)} → ${response.status} ${text.slice(0, 80)}`;
      assert.ok([200, 400, 404, 431].includes(response.status), label);
      assert.doesNotMatch(text, /outside the site|root:x:0:0/, label);
      if (response.status === 200) assert.match(text, /后台/, `only index.html falls back: ${label}`);
    }
  });

  it("answers 503 with a Chinese message when the site is not built, and leaves other paths alone", async () => {
    const missing = await fetch(`${base}/h5/`);
    assert.equal(missing.status, 503);
    assert.match(await missing.text(), /尚未构建/);
    assert.equal(await (await fetch(`${base}/api/x`)).text(), "next");
    assert.equal((await fetch(`${base}/admin`, { redirect: "manual" })).status, 302);
  });
});
