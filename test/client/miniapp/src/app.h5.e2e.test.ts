/**
 * The H5 build in Debian's headless chromium against the real app on the embedded database: browse
 * and search the catalogue, open an annual report, log in by phone code, apply in five steps, answer
 * staff's 补正, and download the reply letter after staff decide. Screenshots go to test-output/miniapp.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, afterEach, before, describe, it } from "node:test";
import type { RequestDetailDto } from "@govinfo/shared/schemas/requestDto";
import { type BrowserContext, chromium, type Locator, type Page } from "playwright-core";
import { Deflection } from "../../../../server/models/Deflection.ts";
import { DisclosureRequest } from "../../../../server/models/DisclosureRequest.ts";
import {
  fireOk,
  ok,
  type StaffedAgency,
  staffedAgency,
  today,
} from "../../../server/routes/requests.support.ts";
import { startTestServer, type TestServer } from "../../../support/testServer.ts";
import { ensureBuilt } from "../build.ts";

const CHROMIUM = "/usr/bin/chromium";
const shots = resolve(import.meta.dirname, "../../../../test-output/miniapp");
const phone = "13900001234";
const itemTitle = "乐都区2025年空气质量监测月报";

let server: TestServer;
let staff: StaffedAgency;
let browser: BrowserContext;
let page: Page;
let profileDir = "";
let requestId = "";
const pageErrors: string[] = [];
/** Console errors since the last check, with the page they were logged on. */
const consoleErrors: string[] = [];

/** The visible match (H5 keeps earlier pages of the stack in the DOM, hidden). */
function seen(locator: Locator): Locator {
  return locator.filter({ visible: true }).first();
}

async function shot(name: string): Promise<void> {
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

/** Fails when the page is wider than the viewport (nothing may overflow at 320 px). */
async function assertNoOverflow(label: string): Promise<void> {
  // Let the H5 router's slide-in animation end; a page mid-transition sits off to the right.
  await page.waitForTimeout(600);
  // Runs in the page; the root tsconfig has no DOM lib, so the page's objects are typed by hand.
  const widths = await page.evaluate(() => {
    type Box = { right: number };
    type El = { className: unknown; tagName: string; getBoundingClientRect(): Box; offsetParent: unknown };
    const doc = (
      globalThis as unknown as {
        document: {
          documentElement: { scrollWidth: number; clientWidth: number };
          querySelectorAll(s: string): Iterable<El>;
        };
      }
    ).document;
    const root = doc.documentElement;
    const wide = [...doc.querySelectorAll("body *")]
      .filter((el) => el.offsetParent !== null && el.getBoundingClientRect().right > root.clientWidth + 1)
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${String(el.className)}`);
    return { scroll: root.scrollWidth, client: root.clientWidth, wide };
  });
  assert.ok(
    widths.scroll <= widths.client + 1,
    `${label} overflows: ${widths.scroll} > ${widths.client} (${widths.wide.join(", ")})`,
  );
}

/** The tab bar is on screen with its four tabs, `selected` highlighted. */
async function assertTabBar(selected: string): Promise<void> {
  const bar = seen(page.locator(".taro-tabbar__tabbar"));
  await bar.waitFor();
  const labels = await bar.locator(".weui-tabbar__label").allTextContents();
  assert.deepEqual(labels, ["首页", "公开目录", "我要申请", "我的"]);
  const current = await bar.locator(".weui-bar__item_on .weui-tabbar__label").textContent();
  assert.equal(current, selected);
}

async function open(route: string): Promise<void> {
  await page.goto(`${server.baseUrl}/h5/#/${route}`);
}

before(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: run \`apt-get install -y chromium fonts-noto-cjk\` (.ci/run does) to run the H5 end-to-end test`,
    );
  }
  ensureBuilt("h5");
  mkdirSync(shots, { recursive: true });
  server = await startTestServer();
  staff = await staffedAgency(server);
  const agencyId = String(staff.agency._id);

  const created = ok<{ id: string }>(
    await staff.admin.post("/api/catalogue/items", {
      agencyId,
      title: itemTitle,
      docNumber: "乐环〔2025〕3号",
      category: "policyDocument",
      topics: ["污染防治"],
      summary: "全区空气质量监测月度数据。",
      body: "2025年全年，乐都区空气质量优良天数比例为92.3%，主要污染物为可吸入颗粒物。",
      formedDate: today(),
    }),
    201,
  );
  ok(await staff.admin.post(`/api/catalogue/items/${created.id}/publish`, {}));

  const year = Number(today().slice(0, 4)) - 1;
  const reportBase = `/api/reports/agencies/${agencyId}/${year}`;
  const draft = ok<{ sections: { overview: { key: string; text: string }[]; other: { text: string }[] } }>(
    await staff.admin.post(`${reportBase}/draft`, {}),
  );
  const written = await staff.admin.put(`${reportBase}/sections`, {
    overview: draft.sections.overview.map((p) => ({
      key: p.key,
      text: p.text.includes("【请填写") ? "本机关健全信息公开工作制度，加强审核把关。" : p.text,
    })),
    problems: ["一是主动公开的及时性有待提高。下一步将完善发布流程。"],
    other: [draft.sections.other[0]?.text ?? "本年度未收取信息处理费。"],
  });
  assert.equal(written.status, 200, JSON.stringify(written.body));
  const published = await staff.admin.post(`${reportBase}/publish`, {});
  assert.equal(published.status, 200, `publishing the annual report: ${JSON.stringify(published.body)}`);

  profileDir = mkdtempSync(join(tmpdir(), "miniapp-e2e-"));
  browser = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
      "--disable-sync",
      "--disable-quic",
    ],
    viewport: { width: 390, height: 844 },
    acceptDownloads: true,
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(15_000);
  page.on("pageerror", (error) => pageErrors.push(String(error)));
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(`${page.url()}: ${message.text()}`);
  });
  page.on("response", async (response) => {
    if (response.status() >= 400 && response.url().includes("/api/")) {
      console.log(`API ${response.status()} ${response.url()} ${await response.text().catch(() => "")}`);
    }
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });
});

// Every page each step visited logged no console error (a failed request logs one too).
afterEach(() => {
  assert.deepEqual(consoleErrors.splice(0), [], "console errors on the pages of this step");
});

/** Computed font sizes (px) of the first visible match of each selector on a page. */
async function fontSizes(route: string, selectors: readonly string[]): Promise<number[]> {
  await open(route);
  const sizes: number[] = [];
  for (const selector of selectors) {
    const element = seen(page.locator(selector));
    await element.waitFor();
    // Runs in the page; the root tsconfig has no DOM lib.
    // A page that re-renders after its data arrives can detach the element just measured (no computed
    // style: NaN); the locator finds the new one on the next try.
    let size = Number.NaN;
    for (let attempt = 0; attempt < 30 && !Number.isFinite(size); attempt++) {
      if (attempt > 0) await page.waitForTimeout(100);
      size = await element.evaluate((el) => {
        const view = globalThis as unknown as { getComputedStyle(e: unknown): { fontSize: string } };
        return Number.parseFloat(view.getComputedStyle(el).fontSize);
      });
    }
    sizes.push(size);
  }
  return sizes;
}

describe("H5 mini-program end to end", { timeout: 180_000 }, () => {
  it("home shows the search box, categories, entries and the latest item", async () => {
    await open("pages/index/index");
    await seen(page.getByText(itemTitle)).waitFor();
    await seen(page.getByText("我要申请")).waitFor();
    await seen(page.getByText("政策文件")).waitFor();
    await assertTabBar("首页");
    await shot("home");
    await page.setViewportSize({ width: 320, height: 640 });
    await assertNoOverflow("home at 320 px");
    await shot("home-320");
    await page.setViewportSize({ width: 390, height: 844 });
  });

  it("paints its first screen from index.html alone: no stylesheet to wait for", async () => {
    const html = await (await fetch(`${server.baseUrl}/h5/`)).text();
    assert.doesNotMatch(html, /<link[^>]+rel="?stylesheet/i, "a stylesheet link holds the first paint");
    assert.match(html, /<style>[^<]*\.shell\{/, "the entry stylesheet is inline");
    assert.match(html, /class="app-shell-bar">政府信息公开</);
  });

  it("browses a category and opens the item", async () => {
    await seen(page.locator(".home-grid-cell", { hasText: "政策文件" })).click();
    await seen(page.locator(".catalogue-item", { hasText: itemTitle })).waitFor();
    await shot("catalogue-list");
    await seen(page.locator(".catalogue-item", { hasText: itemTitle })).click();
    await seen(page.getByText("乐环〔2025〕3号")).waitFor();
    await seen(page.getByText(/优良天数比例为92.3%/)).waitFor();
    assert.equal(await seen(page.locator(".item-agency")).textContent(), staff.agency.name, "发布机构");
    await shot("catalogue-item");
  });

  it("filters the catalogue by 发布机构, year and category", async () => {
    await open("pages/catalogue/list/index");
    await seen(page.locator(".catalogue-item", { hasText: itemTitle })).waitFor();
    await seen(page.locator(".catalogue-filter-head")).click();
    const option = (row: string, text: string) =>
      seen(
        page
          .locator(".catalogue-filter-row", {
            has: page.locator(".catalogue-filter-label", { hasText: row }),
          })
          .getByText(text, { exact: true }),
      );
    const year = Number(today().slice(0, 4));
    await option("发布机构", staff.agency.name).click();
    await option("年份", `${year}年`).click();
    await option("栏目", "政策文件").click();
    await seen(page.locator(".catalogue-item", { hasText: itemTitle })).waitFor();
    const head = (await seen(page.locator(".catalogue-filter-head")).textContent()) ?? "";
    assert.match(head, new RegExp(`${staff.agency.name} · ${year}年 · 政策文件`));
    await page.setViewportSize({ width: 320, height: 640 });
    await assertNoOverflow("catalogue filters at 320 px");
    await shot("catalogue-filter-320");
    await page.setViewportSize({ width: 390, height: 844 });
    await option("栏目", "政策解读").click();
    await seen(page.getByText("没有符合筛选条件的公开信息")).waitFor();
    await option("栏目", "全部栏目").click();
    await option("年份", `${year - 1}年`).click();
    await seen(page.getByText("没有符合筛选条件的公开信息")).waitFor();
    await shot("catalogue-filter-empty");
  });

  it("searches with highlighted results", async () => {
    await open(`pages/catalogue/search/index?q=${encodeURIComponent("空气质量")}`);
    // Wait for a highlighted word itself: a hit can render a moment before its highlighted snippet.
    await seen(page.locator(".search-hit em")).waitFor();
    await seen(page.locator(".search-hit-docno", { hasText: "乐环〔2025〕3号" })).waitFor();
    const highlighted = await page.locator(".search-hit em").filter({ visible: true }).allTextContents();
    assert.ok(
      highlighted.some((word) => /空气|质量/.test(word)),
      `matched words are highlighted: ${highlighted.join(",")}`,
    );
    await shot("search");
  });

  it("opens an annual report with its three tables readable on a phone", async () => {
    await open("pages/reports/list/index");
    await seen(page.locator(".report-entry")).click();
    await seen(page.getByText("三、收到和处理政府信息公开申请情况")).waitFor();
    await seen(page.getByText("一、本年新收政府信息公开申请数量")).waitFor();
    await seen(page.getByText("四、政府信息公开行政复议、行政诉讼情况")).waitFor();
    await page.setViewportSize({ width: 320, height: 640 });
    await assertNoOverflow("annual report at 320 px");
    const scrolls = await page
      .locator(".report-scroll")
      .evaluateAll((nodes) => nodes.map((n) => n.scrollWidth > n.clientWidth));
    assert.ok(scrolls.includes(true), "wide tables scroll inside their block");
    await shot("report-320");
    await seen(page.getByText("三、收到和处理政府信息公开申请情况")).scrollIntoViewIfNeeded();
    const three = seen(page.locator(".report-table-three"));
    for (const label of [
      "三、本年度办理结果",
      "（三）不予公开",
      "（四）无法提供",
      "（五）不予处理",
      "（六）其他处理",
    ]) {
      const cell = seen(three.locator(".rg-first", { hasText: label }));
      await cell.waitFor();
      const box = await cell.boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= 321, `${label} is visible at 320 px`);
    }
    await seen(three.getByText("法人或其他组织")).waitFor();
    await shot("report-table3-320");
    // The label column stays put while the numbers scroll under it.
    const scroller = seen(page.locator(".report-scroll-three"));
    const firstCell = seen(three.locator(".rg-first", { hasText: "（三）不予公开" }));
    const before = (await firstCell.boundingBox())?.x ?? -1;
    await scroller.evaluate((node) => {
      node.scrollLeft = 400;
    });
    await page.waitForTimeout(200);
    assert.ok((await scroller.evaluate((node) => node.scrollLeft)) > 0, "table 三 scrolls sideways");
    // Unscrolled it sits after the table's 1 px left border; stuck, at the scroller's edge.
    const after = (await firstCell.boundingBox())?.x ?? -100;
    assert.ok(Math.abs(after - before) <= 1.5, `the first column is sticky (${before} → ${after})`);
    await shot("report-table3-scrolled-320");
    await scroller.evaluate((node) => {
      node.scrollLeft = 0;
    });
    const four = seen(page.locator(".report-table-four"));
    await four.scrollIntoViewIfNeeded();
    for (const label of ["行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉"]) {
      await seen(four.getByText(label, { exact: true })).waitFor();
    }
    assert.equal(await four.locator(".rg-head .rg-leaf").filter({ hasText: "结果维持" }).count(), 3);
    await shot("report-table4-320");
    await page.setViewportSize({ width: 390, height: 844 });
    await shot("report");
  });

  it("shows the 申请须知", async () => {
    await open("pages/apply/guide/index");
    await seen(page.getByText("二、答复期限（以工作日计算）")).waitFor();
    await shot("guide");
  });

  it("the 公开目录 tab, and the title bar's way back on a page without the tab bar", async () => {
    await open("pages/index/index");
    await seen(page.locator(".weui-tabbar__label", { hasText: "公开目录" })).click();
    await page.waitForURL(/pages\/directory\/index/);
    await seen(page.locator(".directory-item", { hasText: itemTitle })).waitFor();
    await assertTabBar("公开目录");
    await shot("directory");
    await page.setViewportSize({ width: 390, height: 844 });
    await assertNoOverflow("公开目录 at 390 px");
    await shot("directory-390");
    await page.setViewportSize({ width: 320, height: 640 });
    await assertNoOverflow("公开目录 at 320 px");
    await shot("directory-320");
    await page.setViewportSize({ width: 390, height: 844 });
    await seen(page.locator(".directory-item", { hasText: itemTitle })).click();
    await seen(page.getByText("乐环〔2025〕3号")).waitFor();
    assert.equal(
      await page.locator(".taro-tabbar__tabbar").filter({ visible: true }).count(),
      0,
      "no tab bar on a detail page",
    );
    const back = seen(page.locator(".taro-navigation-bar-back"));
    await back.waitFor();
    await shot("item-title-bar");
    await back.click();
    await page.waitForURL(/pages\/directory\/index/);
    await assertTabBar("公开目录");
    await seen(page.locator(".weui-tabbar__label", { hasText: "我要申请" })).click();
    await page.waitForURL(/pages\/apply\/form\/index/);
    await assertTabBar("我要申请");
  });

  it("the 个人信息处理规则 page lists what is collected and the applicant's rights", async () => {
    await open("pages/me/index");
    // Coming from another tab page, the hash change alone sometimes leaves the old tab shown: reload.
    await seen(page.locator(".me-privacy"))
      .waitFor({ timeout: 5_000 })
      .catch(() => page.reload());
    await seen(page.locator(".me-privacy")).click();
    await page.waitForURL(/pages\/privacy\/index/);
    for (const text of ["二、我们处理的信息和用途", "五、您的权利", /证件类型和号码/, /openid/]) {
      await seen(page.getByText(text)).waitFor();
    }
    await page.setViewportSize({ width: 320, height: 640 });
    await assertNoOverflow("个人信息处理规则 at 320 px");
    await shot("privacy-320");
    await page.setViewportSize({ width: 390, height: 844 });
  });

  it("logs in by phone and one-time code", async () => {
    await open("pages/me/index");
    await seen(page.locator(".login-phone input")).fill(phone);
    await seen(page.locator(".login-send")).click();
    await seen(page.locator(".login-send", { hasText: /\d+秒后重新获取/ })).waitFor();
    await seen(page.getByText("验证码已发送，请查看短信")).waitFor();
    const code = /(\d{6})/.exec(server.sms.lastTo(phone) ?? "")?.[1];
    assert.ok(code, "the server sent a code");
    await seen(page.locator(".login-code input")).fill(code);
    await seen(page.locator(".login-submit")).click();
    await seen(page.getByText("退出登录")).waitFor();
    await shot("me");
  });

  it("submits an application in five steps, seeing published matches while typing", async () => {
    await open("pages/apply/form/index");
    await seen(page.locator(".agency-choices .choice", { hasText: staff.agency.name })).click();
    await shot("apply-1-type");
    await seen(page.locator(".form-next")).click();
    await seen(page.locator(".form-next")).click();
    await seen(page.locator(".field-error")).waitFor();
    await shot("apply-2-identity-errors");
    await seen(page.locator(".input-name input")).fill("李四");
    await seen(page.locator(".input-id input")).fill("11010519491231002X");
    await seen(page.locator(".input-phone input")).fill("13812345678");
    await seen(page.locator(".form-next")).click();
    await seen(page.locator(".input-description textarea")).fill("空气质量监测月报");
    await seen(page.locator(".suggest-item", { hasText: itemTitle })).waitFor();
    await shot("apply-3-info-suggest");
    // 先查再申 asks once: "都不是" keeps the list but stops asking.
    await seen(page.locator(".suggest-question", { hasText: "其中是否有您需要的信息" })).waitFor();
    await seen(page.locator(".suggest-decline")).click();
    await seen(page.locator(".suggest-question", { hasText: "可直接查阅" })).waitFor();
    assert.equal(await page.locator(".suggest-choose").filter({ visible: true }).count(), 0, "asked once");
    await seen(page.locator(".input-description textarea")).fill(
      "2024年乐都区空气质量监测月报（原始监测数据）",
    );
    await seen(page.locator(".form-next")).click();
    await seen(page.locator(".form-next")).click();
    await seen(page.getByText("核对并提交", { exact: false })).waitFor();
    await seen(page.locator(".review .kv-key", { hasText: "通信地址" })).waitFor();
    await seen(page.locator(".review .kv-key", { hasText: "电子邮箱" })).waitFor();
    // The personal-information notice comes before submitting, and must be acknowledged.
    const notice = seen(page.locator(".notice-card"));
    await notice.waitFor();
    for (const heading of ["法律依据：", "处理目的：", "保存期限：", "您的权利："]) {
      await seen(notice.getByText(heading)).waitFor();
    }
    await seen(notice.getByText(/履行《中华人民共和国政府信息公开条例》规定的依申请公开法定职责/)).waitFor();
    await shot("apply-5-review");
    await seen(page.locator(".form-submit")).click();
    await seen(page.locator(".notice-error")).waitFor();
    assert.match((await seen(page.locator(".notice-error")).textContent()) ?? "", /请先阅读个人信息处理告知/);
    assert.match(page.url(), /pages\/apply\/form\/index/, "not submitted before the acknowledgement");
    await page.setViewportSize({ width: 320, height: 640 });
    await notice.scrollIntoViewIfNeeded();
    await assertNoOverflow("notice at 320 px");
    await shot("apply-5-notice-320");
    await page.setViewportSize({ width: 390, height: 844 });
    await notice.scrollIntoViewIfNeeded();
    await assertNoOverflow("notice at 390 px");
    await shot("apply-5-notice-390");
    await page.setViewportSize({ width: 390, height: 844 });
    await seen(page.locator(".notice-ack")).click();
    await seen(page.locator(".notice-ack.is-checked")).waitFor();
    await seen(page.locator(".form-submit")).click();
    await seen(page.getByText("已提交待确认")).waitFor();
    requestId = /id=([0-9a-f]{24})/.exec(page.url())?.[1] ?? "";
    assert.ok(requestId, `redirected to the detail: ${page.url()}`);
    await shot("request-submitted");
  });

  it("answers the 补正 that staff request", async () => {
    await fireOk(staff.registrar, requestId, { type: "confirmReceipt", date: today() });
    await fireOk(staff.handler, requestId, {
      type: "requestCorrection",
      date: today(),
      items: ["请写明所需监测月报的月份"],
      deadline: "2099-01-15",
    });
    await page.reload();
    await seen(page.locator(".correction-card")).waitFor();
    await seen(page.getByText(/请写明所需监测月报的月份/)).waitFor();
    // The 补正 items as a numbered list, the deadline in Chinese.
    await seen(page.locator(".correction-item")).waitFor();
    assert.match((await seen(page.locator(".correction-item")).textContent()) ?? "", /^1\. /);
    await seen(page.getByText(/请于\d{4}年\d{1,2}月\d{1,2}日前补正/)).waitFor();
    await shot("request-correction");
    await seen(page.locator(".correction-description textarea")).fill(
      "2024年1月至6月乐都区空气质量监测月报（电子版）",
    );
    await seen(page.locator(".correction-submit")).click();
    await page.locator(".correction-card").waitFor({ state: "detached" });
    const now = ok<RequestDetailDto>(await staff.handler.get(`/api/requests/${requestId}`));
    assert.equal(now.state, "received");
    assert.equal(now.description, "2024年1月至6月乐都区空气质量监测月报（电子版）");
  });

  it("shows the fee notice (method, amount, deadline, legal basis) and then 已缴费", async () => {
    await fireOk(staff.reviewer, requestId, {
      type: "feeNotice",
      date: today(),
      delivery: "online",
      method: "byPages",
      pages: 150,
      amount: 1700,
    });
    await page.reload();
    const fee = seen(page.locator(".fee-card"));
    await fee.waitFor();
    await seen(fee.getByText("待缴费")).waitFor();
    await seen(fee.getByText("按量计收")).waitFor();
    await seen(fee.getByText("1700元")).waitFor();
    await seen(fee.getByText(/20个工作日内/)).waitFor();
    await seen(fee.getByText(/国办函〔2020〕109号/)).waitFor();
    await page.setViewportSize({ width: 320, height: 640 });
    await fee.scrollIntoViewIfNeeded();
    await assertNoOverflow("fee notice at 320 px");
    await shot("request-fee-320");
    await page.setViewportSize({ width: 390, height: 844 });
    await fireOk(staff.handler, requestId, { type: "feePaid", date: today() });
    await page.reload();
    await seen(page.locator(".fee-card .fee-status-paid", { hasText: "已缴费" })).waitFor();
    await seen(page.locator(".fee-card").getByText(/^已缴费（/)).waitFor();
    await shot("request-fee-paid");
  });

  it("lists the progress messages, unread count on 我的, reading clears it", async () => {
    await open("pages/me/index");
    const badge = seen(page.locator(".me-messages .me-badge"));
    await badge.waitFor();
    const unread = Number(await badge.textContent());
    assert.ok(unread >= 3, `staff's events became unread messages (${unread})`);
    await shot("me-unread");
    await seen(page.locator(".me-messages")).click();
    await seen(page.locator(".message-item")).waitFor();
    await seen(page.getByText(`${unread} 条未读`)).waitFor();
    const titles = await page
      .locator(".message-item .message-title")
      .filter({ visible: true })
      .allTextContents();
    assert.equal(titles[0], "信息处理费缴费通知", `newest first: ${titles.join(" / ")}`);
    assert.ok(titles.includes("申请需要补正"));
    await page.setViewportSize({ width: 320, height: 640 });
    await assertNoOverflow("messages at 320 px");
    await shot("messages-320");
    await page.setViewportSize({ width: 390, height: 844 });
    // A message opens its application and is then read; 全部已读 clears the rest.
    for (let left = unread; left > unread - 1; left--) {
      await open("pages/messages/list/index");
      await page.reload();
      await seen(page.getByText(`${left} 条未读`)).waitFor();
      await seen(page.locator(".message-item.is-unread")).click();
      await page.waitForURL(new RegExp(`mine/detail/index\\?id=${requestId}`));
      await seen(page.getByText("办理过程")).waitFor();
    }
    await open("pages/messages/list/index");
    await page.reload();
    await seen(page.getByText(`${unread - 1} 条未读`)).waitFor();
    await seen(page.locator(".messages-read-all")).click();
    await seen(page.getByText("没有未读消息")).waitFor();
    assert.equal(await page.locator(".message-item.is-unread").filter({ visible: true }).count(), 0);
    await page.reload();
    await seen(page.getByText("没有未读消息")).waitFor();
    await shot("messages-read");
    await open("pages/me/index");
    await page.reload();
    await seen(page.locator(".me-messages")).waitFor();
    await seen(page.locator(".me-messages").getByText("办理进度通知")).waitFor();
    assert.equal(await page.locator(".me-messages .me-badge").filter({ visible: true }).count(), 0);
    await open(`pages/mine/detail/index?id=${requestId}`);
    await seen(page.getByText("办理过程")).waitFor();
  });

  it("shows the decision and downloads the reply letter", async () => {
    await fireOk(staff.reviewer, requestId, { type: "decide", date: today(), outcome: "granted" });
    const letter = await staff.reviewer.post(`/api/requests/${requestId}/letters/reply`, {});
    assert.equal(letter.status, 201, JSON.stringify(letter.body));
    await page.reload();
    await seen(page.getByText("答复结果：予以公开：您申请的信息依法公开，详见答复书")).waitFor();
    assert.equal(await page.getByText(/只计这一情形/).count(), 0, "never the report's counting note");
    await seen(page.getByText("作出答复")).waitFor();
    await shot("request-decided");
    await seen(page.getByText("办理过程")).scrollIntoViewIfNeeded();
    await shot("request-timeline");
    const reply = seen(page.locator(".doc-item", { hasText: "答复" }));
    await reply.locator(".doc-read").click();
    await reply.locator(".letter-text").waitFor();
    assert.match((await reply.locator(".letter-text").textContent()) ?? "", /予以公开|公开/);
    await page.setViewportSize({ width: 320, height: 640 });
    await reply.locator(".letter-text").scrollIntoViewIfNeeded();
    await assertNoOverflow("letter text at 320 px");
    await shot("request-letter-text-320");
    await page.setViewportSize({ width: 390, height: 844 });
    const download = page.waitForEvent("download");
    await reply.locator(".doc-download").click();
    const file = await download;
    assert.match(file.suggestedFilename(), /答复告知书\.docx$/);
    const path = await file.path();
    assert.ok(path && readFileSync(path).subarray(0, 2).toString() === "PK", "a DOCX (zip) arrived");
    await open("pages/mine/list/index");
    await seen(page.locator(".mine-item")).waitFor();
    await shot("mine-list");
    await page.setViewportSize({ width: 320, height: 640 });
    await assertNoOverflow("my applications at 320 px");
    await page.setViewportSize({ width: 390, height: 844 });
  });

  it("先查再申: choosing a published item ends the flow without an application, and counts it", async () => {
    const before = await DisclosureRequest.countDocuments({});
    await open("pages/apply/form/index");
    await seen(page.locator(".agency-choices .choice", { hasText: staff.agency.name })).click();
    await seen(page.locator(".form-next")).click();
    await seen(page.locator(".input-name input")).fill("李四");
    await seen(page.locator(".input-id input")).fill("11010519491231002X");
    await seen(page.locator(".input-phone input")).fill("13812345678");
    await seen(page.locator(".form-next")).click();
    await seen(page.locator(".input-description textarea")).fill("空气质量监测月报");
    const item = seen(page.locator(".suggest-item", { hasText: itemTitle }));
    await item.waitFor();
    await page.setViewportSize({ width: 320, height: 640 });
    await assertNoOverflow("先查再申 at 320 px");
    await shot("apply-deflect-320");
    await page.setViewportSize({ width: 390, height: 844 });
    await item.getByLabel(`就是这条：${itemTitle}，不再提出申请`).click();
    await seen(page.locator(".item-title", { hasText: itemTitle })).waitFor();
    assert.match(page.url(), /pages\/catalogue\/item\/index/);
    assert.equal(await Deflection.countDocuments({ agencyId: staff.agency._id }), 1, "counted once");
    assert.equal(await DisclosureRequest.countDocuments({}), before, "no application");
  });

  it("large-text mode and no page errors", async () => {
    await open("pages/me/index");
    await seen(page.locator(".large-text-switch")).click();
    await seen(page.locator(".shell.large-text")).waitFor();
    await shot("me-large-text");
    // Every page grows, including the texts pages size themselves and the tab bar outside the frame.
    const visits: Array<[string, string[]]> = [
      ["pages/index/index", [".home-entry-text", ".weui-tabbar__label", ".card-title"]],
      ["pages/catalogue/list/index", [".card-title", ".muted"]],
      ["pages/apply/form/index", [".step-dot"]],
      ["pages/messages/list/index", [".message-step", ".message-title"]],
      [`pages/mine/detail/index?id=${requestId}`, [".state-tag", ".card-title"]],
    ];
    const large: number[][] = [];
    for (const [route, selectors] of visits) large.push(await fontSizes(route, selectors));
    await open("pages/catalogue/list/index");
    await shot("catalogue-large-text");
    await open("pages/me/index");
    await seen(page.locator(".large-text-switch")).click();
    await seen(page.locator(".shell:not(.large-text)")).waitFor();
    for (const [i, [route, selectors]] of visits.entries()) {
      const normal = await fontSizes(route, selectors);
      normal.forEach((size, j) => {
        const big = large[i]?.[j] ?? 0;
        assert.ok(big > size, `${route} ${selectors[j]}: ${big}px in 大字模式, ${size}px normally`);
      });
    }
    assert.deepEqual(pageErrors, []);
  });
});
