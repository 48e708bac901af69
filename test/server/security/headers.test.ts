/**
 * Security headers on every kind of response — API answers and errors, public cached reads, file
 * downloads, the admin page and the H5 site — and, in headless Chromium, that the sites' and the
 * report page's Content-Security-Policy lets them work without a single violation.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import { chromium } from "playwright-core";
import { clientBuilds, createApp } from "../../../server/app.ts";
import { createLogger } from "../../../server/logger.ts";
import { ensureBuilt } from "../../client/miniapp/build.ts";
import { buildStaff } from "../../factories/people.ts";
import { anonymousClient, type Client, loginApplicant } from "../../support/clients.ts";
import { request, type TestResponse } from "../../support/http.ts";
import { startTestServer, type TestServer } from "../../support/testServer.ts";
import {
  ok,
  register,
  type StaffedAgency,
  staffedAgency,
  submission,
  today,
} from "../routes/requests.support.ts";

const CHROMIUM = "/usr/bin/chromium";
const root = resolve(import.meta.dirname, "../../..");

let server: TestServer;
let staff: StaffedAgency;
let citizen: Client;

before(async () => {
  // Building blocks the event loop, so it happens before any connection is open.
  ensureSites();
  server = await startTestServer();
  staff = await staffedAgency(server);
  citizen = await loginApplicant(server, "13900000301");
});
after(async () => {
  await server?.close();
});

/** The headers every response carries, whatever it is. */
function assertBaseHeaders(response: TestResponse, what: string): void {
  const h = response.headers;
  assert.equal(h.get("x-content-type-options"), "nosniff", what);
  assert.equal(h.get("x-frame-options"), "DENY", what);
  assert.equal(h.get("referrer-policy"), "no-referrer", what);
  assert.equal(h.get("cross-origin-opener-policy"), "same-origin", what);
  const permissions = h.get("permissions-policy") ?? "";
  for (const feature of ["camera", "microphone", "geolocation", "payment"])
    assert.match(permissions, new RegExp(`(^|, )${feature}=\\(\\)`), `${what}: ${feature} off`);
  assert.equal(h.get("strict-transport-security"), null, `${what}: no HSTS over plain HTTP`);
}

/** The CSP as directive → sources. */
function csp(response: TestResponse): Map<string, string[]> {
  const header = response.headers.get("content-security-policy");
  assert.ok(header, "a Content-Security-Policy header");
  return new Map(
    header
      .split(";")
      .map((part) => part.trim().split(/\s+/))
      .filter((tokens) => tokens[0])
      .map(([name = "", ...sources]) => [name, sources]),
  );
}

/** The API policy: nothing loads, nothing runs, nothing frames; inline CSS only (the report pages). */
function assertApiPolicy(response: TestResponse, what: string): void {
  const policy = csp(response);
  assert.deepEqual(policy.get("default-src"), ["'none'"], what);
  assert.deepEqual(policy.get("frame-ancestors"), ["'none'"], what);
  assert.equal(policy.get("script-src"), undefined, `${what}: scripts fall back to default-src 'none'`);
  assert.deepEqual(policy.get("style-src"), ["'unsafe-inline'"], what);
  assert.deepEqual(policy.get("base-uri"), ["'none'"], what);
  assert.deepEqual(policy.get("form-action"), ["'none'"], what);
}

/** The inline scripts of an HTML page as CSP hash sources, computed here independently of the server. */
function expectedHashes(html: string): string[] {
  const hashes: string[] = [];
  const scripts = html.split(/<script/i).slice(1);
  for (const script of scripts) {
    const open = script.indexOf(">");
    const attributes = script.slice(0, open);
    const body = script.slice(open + 1, script.toLowerCase().indexOf("</script"));
    if (/\ssrc=/i.test(attributes) || body === "") continue;
    hashes.push(`'sha256-${createHash("sha256").update(body).digest("base64")}'`);
  }
  return hashes;
}

describe("security headers: the API", () => {
  it("personal answers and errors carry the headers and are never stored", async () => {
    const mine = ok<{ id: string }>(await citizen.post("/api/requests", submission(staff.agency)), 201);
    const responses: [string, TestResponse, number][] = [
      ["staff me", await staff.admin.get("/api/auth/me"), 200],
      ["citizen's application", await citizen.get(`/api/requests/${mine.id}`), 200],
      ["queue", await staff.handler.get("/api/requests?limit=5"), 200],
      ["anonymous", await anonymousClient(server).get("/api/requests"), 401],
      ["forbidden", await citizen.get("/api/requests"), 403],
      ["public docs", await anonymousClient(server).get("/api/docs"), 200],
      ["unknown route", await anonymousClient(server).get("/api/no-such-thing"), 404],
      ["bad body", await anonymousClient(server).post("/api/auth/staff/login", { username: "" }), 400],
      ["wrong method", await anonymousClient(server).delete("/api/auth/me"), 405],
      [
        "bad JSON",
        await server.request("/api/auth/staff/login", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: "{",
        }),
        400,
      ],
    ];
    for (const [what, response, status] of responses) {
      assert.equal(response.status, status, `${what}: ${JSON.stringify(response.body)}`);
      assertBaseHeaders(response, what);
      assertApiPolicy(response, what);
      assert.equal(response.headers.get("cache-control"), "no-store", what);
    }
  });

  it("keeps the caching a route chose: public catalogue reads (and their 304) and private downloads", async () => {
    const first = await anonymousClient(server).get("/api/catalogue/categories");
    assert.equal(first.status, 200);
    assert.equal(first.headers.get("cache-control"), "public, max-age=60");
    const etag = first.headers.get("etag");
    assert.ok(etag);
    const again = await server.request("/api/catalogue/categories", { headers: { "If-None-Match": etag } });
    assert.equal(again.status, 304);
    assert.equal(again.headers.get("cache-control"), "public, max-age=60");
    for (const [what, response] of [
      ["catalogue", first],
      ["catalogue 304", again],
    ] as const) {
      assertBaseHeaders(response, what);
      assertApiPolicy(response, what);
    }

    const request = await register(staff, today());
    const revealed = await staff.handler.post(`/api/requests/${request.id}/reveal`);
    assert.equal(revealed.status, 200);
    assert.equal(revealed.headers.get("cache-control"), "no-store");
    const letter = ok<{ id: string }>(
      await staff.registrar.post(`/api/requests/${request.id}/letters/receipt`, {}),
      201,
    );
    const download = await staff.registrar.get(`/api/requests/${request.id}/documents/${letter.id}`);
    assert.equal(download.status, 200);
    assert.equal(download.headers.get("cache-control"), "private, no-store");
    assertBaseHeaders(download, "download");
    assertApiPolicy(download, "download");
  });
});

describe("security headers: the sites", () => {
  let sites: { server: Server; baseUrl: string; dirs: string[] } | undefined;
  const inline = "document.documentElement.dataset.ready='1'";

  before(async () => {
    // Sites of our own, so the hash of an inline script is checked against a page we control.
    const admin = mkdtempSync(join(tmpdir(), "site-admin-"));
    const h5 = mkdtempSync(join(tmpdir(), "site-h5-"));
    writeFileSync(
      join(admin, "index.html"),
      '<!doctype html><script type="module" src="/admin/a.js"></script>',
    );
    writeFileSync(join(admin, "a.js"), "console.log(1)");
    writeFileSync(
      join(h5, "index.html"),
      `<!doctype html><SCRIPT>${inline}</SCRIPT><script src="/h5/b.js"></script>`,
    );
    const app = createApp({
      db: server.db,
      logger: createLogger({ level: "silent" }),
      dataKey: randomBytes(32),
      sites: { admin, h5 },
    });
    const listening = createServer(app.callback());
    await new Promise<void>((done) => listening.listen(0, "127.0.0.1", done));
    sites = {
      server: listening,
      baseUrl: `http://127.0.0.1:${(listening.address() as AddressInfo).port}`,
      dirs: [admin, h5],
    };
  });
  after(async () => {
    if (!sites) return;
    sites.server.closeAllConnections();
    await new Promise<void>((done) => sites?.server.close(() => done()));
    for (const dir of sites.dirs) rmSync(dir, { recursive: true, force: true });
  });

  it("lets a page run its own scripts and its inline scripts by hash, and nothing else", async () => {
    const base = sites?.baseUrl ?? "";
    const h5 = await request(`${base}/h5/pages/index/index`);
    assert.equal(h5.status, 200);
    assert.match(String(h5.body), /dataset\.ready/, "the SPA fallback serves index.html");
    const policy = csp(h5);
    const hash = `'sha256-${createHash("sha256").update(inline).digest("base64")}'`;
    assert.deepEqual(policy.get("script-src"), ["'self'", hash]);
    assert.deepEqual(policy.get("default-src"), ["'self'"]);
    assert.deepEqual(
      policy.get("style-src"),
      ["'self'", "'unsafe-inline'"],
      "antd and Taro style at run time",
    );
    assert.deepEqual(policy.get("frame-ancestors"), ["'none'"]);
    assert.deepEqual(policy.get("object-src"), ["'none'"]);
    assert.deepEqual(policy.get("connect-src"), ["'self'"]);
    assertBaseHeaders(h5, "h5 page");

    const admin = await request(`${base}/admin/`);
    assert.deepEqual(csp(admin).get("script-src"), ["'self'"], "no inline script, no hash");
    const asset = await request(`${base}/admin/a.js`);
    assert.equal(asset.status, 200);
    assertBaseHeaders(asset, "asset");
    assert.equal(asset.headers.get("cache-control"), "public, max-age=300", "the site's own caching stays");
  });

  it("follows a rebuilt index.html without a restart", async () => {
    const base = sites?.baseUrl ?? "";
    const [, h5Dir = ""] = sites?.dirs ?? [];
    const rebuilt = "window.rebuilt=true";
    writeFileSync(join(h5Dir, "index.html"), `<!doctype html><script>${rebuilt}</script>`);
    const page = await request(`${base}/h5/`);
    const hash = `'sha256-${createHash("sha256").update(rebuilt).digest("base64")}'`;
    assert.deepEqual(csp(page).get("script-src"), ["'self'", hash]);
  });

  it("covers redirects and unknown paths outside the API", async () => {
    const base = sites?.baseUrl ?? "";
    const home = await request(`${base}/`, { redirect: "manual" });
    assert.equal(home.status, 302);
    assertBaseHeaders(home, "redirect");
    const missing = await request(`${base}/nothing-here`);
    assert.equal(missing.status, 404);
    assertBaseHeaders(missing, "404 outside the API");
    assert.deepEqual(csp(missing).get("frame-ancestors"), ["'none'"]);
  });

  it("the real builds: every inline script of each index.html is allowed by its hash", async () => {
    for (const [prefix, dir] of [
      ["/admin/", clientBuilds.admin],
      ["/h5/", clientBuilds.h5],
    ] as const) {
      const index = join(dir, "index.html");
      const response = await server.request(prefix);
      assert.equal(response.status, 200, prefix);
      assert.deepEqual(
        csp(response).get("script-src"),
        ["'self'", ...expectedHashes(readFileSync(index, "utf8"))],
        prefix,
      );
    }
  });

  it("sends HSTS only when the app runs with secure cookies (behind HTTPS)", async () => {
    const app = createApp({
      db: server.db,
      logger: createLogger({ level: "silent" }),
      dataKey: randomBytes(32),
      secureCookies: true,
    });
    const listening = createServer(app.callback());
    await new Promise<void>((done) => listening.listen(0, "127.0.0.1", done));
    try {
      const base = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
      for (const path of ["/api/health", "/api/no-such-thing", "/admin/"]) {
        const response = await request(`${base}${path}`);
        assert.equal(response.headers.get("strict-transport-security"), "max-age=31536000", path);
      }
    } finally {
      listening.closeAllConnections();
      await new Promise<void>((done) => listening.close(() => done()));
    }
  });
});

describe("security headers: in Chromium", { timeout: 240_000 }, () => {
  it("the H5 site, the admin page and the public report page work under their policies", async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(
        `${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium fonts-noto-cjk)`,
      );
    ensureSites();
    const { code, year } = await publishReport();
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ["--no-sandbox"],
    });
    const violations: { directive: string; blocked: string; source: string; line: number; column: number }[] =
      [];
    const pageErrors: string[] = [];
    try {
      const context = await browser.newContext({ locale: "zh-CN" });
      await context.exposeBinding("reportViolation", (_source, violation: (typeof violations)[number]) => {
        violations.push(violation);
      });
      // Page scripts run in the browser; the root tsconfig has no DOM lib, so they are passed as text.
      await context.addInitScript({
        content: `document.addEventListener("securitypolicyviolation", (event) => reportViolation({
          directive: event.effectiveDirective, blocked: event.blockedURI, source: event.sourceFile,
          line: event.lineNumber, column: event.columnNumber }));`,
      });
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      page.on("pageerror", (error) => pageErrors.push(String(error)));

      // The H5 site: its inline rem script must run (it sets the root font size).
      await page.goto(`${server.baseUrl}/h5/`);
      await page.getByText("我要申请").first().waitFor();
      const fontSize = await page.evaluate<string>("document.documentElement.style.fontSize");
      assert.match(fontSize, /px$/, "the inline script of index.html ran");
      for (const path of [
        "pages/reports/list/index",
        `pages/catalogue/search/index?q=${encodeURIComponent("公开")}`,
        "pages/apply/guide/index",
        "pages/apply/form/index",
        "pages/me/index",
      ]) {
        await page.goto(`${server.baseUrl}/h5/#/${path}`);
        await page.waitForLoadState("networkidle");
      }

      // The admin page: log in and open every menu.
      const login = await loginOf(staff);
      await page.goto(`${server.baseUrl}/admin/`);
      await page.getByLabel("用户名").fill(login.username);
      await page.getByLabel("密码").fill(login.password);
      await page.getByRole("button", { name: /登\s*录/ }).click();
      await page.getByRole("heading", { name: "工作台" }).waitFor();
      for (const name of ["申请办理", "主动公开", "年度报告", "复议诉讼", "台账", "系统"]) {
        await page
          .getByRole("menuitem", { name: new RegExp(name) })
          .first()
          .click();
        await page.waitForLoadState("networkidle");
      }

      // The public annual report page: an API page with an inline stylesheet.
      await page.goto(`${server.baseUrl}/api/reports/public/${code}/${year}`);
      await page.locator("caption").first().waitFor();
      const collapse = await page.evaluate<string>(
        'getComputedStyle(document.querySelector("table")).borderCollapse',
      );
      assert.equal(collapse, "collapse", "the inline stylesheet applies");

      // Framing is refused, and Chromium says so because of the policy. The frame is tried from the H5
      // site, whose own policy allows same-origin frames, so only the framed page's policy can refuse.
      const reportUrl = page.url();
      await page.goto(`${server.baseUrl}/h5/`);
      await page.getByText("我要申请").first().waitFor();
      const refusals: string[] = [];
      page.on("console", (message) => {
        if (/frame-ancestors/.test(message.text())) refusals.push(message.text());
      });
      const framed = await page.evaluate<string>(`(async () => {
        const frame = document.createElement("iframe");
        const loaded = new Promise((done) => frame.addEventListener("load", done));
        frame.src = ${JSON.stringify(reportUrl)};
        document.body.append(frame);
        await loaded;
        try {
          return frame.contentDocument?.querySelector("caption")?.textContent ?? "";
        } catch {
          return "";
        }
      })()`);
      assert.equal(framed, "", "the report page does not render inside a frame");
      await expectEventually(() => refusals.length > 0, "Chromium refuses the frame for frame-ancestors");
    } finally {
      await browser.close();
    }
    assert.deepEqual(pageErrors, [], "no script errors");
    assert.deepEqual(violations, [], "no Content-Security-Policy violations");
  });
});

/** Waits up to five seconds for `condition`. */
async function expectEventually(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 50 && !condition(); i++) await new Promise((done) => setTimeout(done, 100));
  assert.ok(condition(), what);
}

/** Builds the admin page and the H5 site when missing (as their end-to-end tests do). */
function ensureSites(): void {
  ensureBuilt("h5");
  if (!existsSync(join(root, "client/admin/dist/index.html")))
    execFileSync("npx", ["vite", "build"], { cwd: join(root, "client/admin"), stdio: "inherit" });
}

/** Publishes last year's (empty) annual report of the staffed agency, for the public report page. */
async function publishReport(): Promise<{ code: string; year: number }> {
  const year = Number(today().slice(0, 4)) - 1;
  const base = `/api/reports/agencies/${String(staff.agency._id)}/${year}`;
  const draft = ok<{ sections: { overview: { key: string; text: string }[]; other: { text: string }[] } }>(
    await staff.admin.post(`${base}/draft`, {}),
  );
  ok(
    await staff.admin.put(`${base}/sections`, {
      overview: draft.sections.overview.map((p) => ({
        key: p.key,
        text: p.text.includes("【请填写") ? "本机关健全信息公开工作制度，加强审核把关。" : p.text,
      })),
      problems: ["一是主动公开的及时性有待提高。下一步将完善发布流程。"],
      other: [draft.sections.other[0]?.text ?? "本年度未收取信息处理费。"],
    }),
  );
  ok(
    await staff.admin.put(`${base}/inputs`, {
      two: {
        licensing: { decisions: 0 },
        penalty: { decisions: 0 },
        enforcement: { decisions: 0 },
        fees: { amountWan: 0 },
      },
    }),
  );
  ok(await staff.admin.post(`${base}/publish`, {}));
  return { code: staff.agency.code, year };
}

/** A fresh staff member of the agency holding every role of it, so every admin menu shows. */
async function loginOf(of: StaffedAgency): Promise<{ username: string; password: string }> {
  const roles = ["registrar", "handler", "reviewer", "admin"] as const;
  return buildStaff(roles.map((role) => ({ agency: of.agency, role })));
}
