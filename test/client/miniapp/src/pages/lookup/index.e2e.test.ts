/**
 * 查询码 in the H5 build, in Debian's headless chromium against the real app on the embedded database:
 * a counter application registered by staff is followed by its 查询码 and the applicant's name without
 * logging in (state, working days left, the 登记回执 downloaded), then linked to the account after a
 * phone login with the phone on file; once closed with a refusal, it is rated (满意度评价) and the remedy
 * guide downloads the pre-filled 行政复议申请书 and opens its print view, in 大字模式 too. Checked at 390 px
 * and 320 px; screenshots in test-output/miniapp.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import { formatQueryCode } from "@govinfo/shared/schemas/lookup";
import type { RequestDetailDto } from "@govinfo/shared/schemas/requestDto";
import { type BrowserContext, chromium, type Locator, type Page } from "playwright-core";
import { SatisfactionRating } from "../../../../../../server/models/SatisfactionRating.ts";
import {
  fireOk,
  ok,
  register,
  type StaffedAgency,
  secrets,
  staffedAgency,
  submission,
  today,
} from "../../../../../server/routes/requests.support.ts";
import { readDocx } from "../../../../../support/docx.ts";
import { startTestServer, type TestServer } from "../../../../../support/testServer.ts";
import { ensureBuilt } from "../../../build.ts";

const CHROMIUM = "/usr/bin/chromium";
const shots = resolve(import.meta.dirname, "../../../../../../test-output/miniapp");

let server: TestServer;
let staff: StaffedAgency;
let browser: BrowserContext;
let page: Page;
let profileDir = "";
let counter: RequestDetailDto;

function seen(locator: Locator): Locator {
  return locator.filter({ visible: true }).first();
}

async function shot(name: string): Promise<void> {
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

/** The page's scroll width at the current viewport (nothing may overflow). */
async function overflow(): Promise<number> {
  await page.waitForTimeout(600);
  return page.evaluate(() => {
    const root = (
      globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }
    ).document.documentElement;
    return root.scrollWidth - root.clientWidth;
  });
}

before(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing`);
  ensureBuilt("h5");
  mkdirSync(shots, { recursive: true });
  server = await startTestServer();
  staff = await staffedAgency(server);
  counter = await register(staff, today(), {
    applicant: { ...submission(staff.agency).applicant, name: "王五" },
  });
  ok(await staff.registrar.post(`/api/requests/${counter.id}/letters/receipt`, {}), 201);
  profileDir = mkdtempSync(join(tmpdir(), "lookup-e2e-"));
  browser = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
    viewport: { width: 390, height: 844 },
    acceptDownloads: true,
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(15_000);
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });
});

describe("查询码 in the H5 mini-program", () => {
  it("follows a counter application by 查询码 and name, without logging in", async () => {
    const code = formatQueryCode(counter.queryCode ?? "");
    // The QR code on the 登记回执 opens this address with the code filled in.
    await page.goto(`${server.baseUrl}/h5/#/pages/lookup/index?code=${encodeURIComponent(code)}`);
    assert.equal(await seen(page.getByLabel("查询码").locator("input")).inputValue(), code);
    await seen(page.getByLabel("申请人姓名或手机号码后4位").locator("input")).fill("赵六");
    await seen(page.locator(".lookup-submit")).click();
    await seen(page.getByText("未查询到相符的申请")).waitFor();
    await seen(page.getByLabel("申请人姓名或手机号码后4位").locator("input")).fill("王五");
    await seen(page.locator(".lookup-submit")).click();
    await seen(page.getByText(counter.serialNo)).waitFor();
    const state = await seen(page.locator(".lookup-state")).textContent();
    assert.equal(state, counter.stateLabel);
    const days = await seen(page.locator(".lookup-days")).textContent();
    assert.match(days ?? "", new RegExp(`还剩 ${counter.clock.workingDaysLeft} 个工作日`));
    const body = (await page.locator("body").textContent()) ?? "";
    for (const secret of [secrets.idNumber, secrets.phone, secrets.address])
      assert.ok(!body.includes(secret));
    assert.equal(await overflow(), 0, "no overflow at 390 px");
    await shot("lookup-390");

    const download = page.waitForEvent("download");
    await seen(page.getByLabel("下载政府信息公开申请登记回执")).click();
    const file = await download;
    const { text } = readDocx(readFileSync((await file.path()) ?? ""));
    assert.match(text, new RegExp(`本申请的查询码为${code}`));

    await page.setViewportSize({ width: 320, height: 640 });
    assert.equal(await overflow(), 0, "no overflow at 320 px");
    await shot("lookup-320");
    await page.setViewportSize({ width: 390, height: 844 });
  });

  it("links it to the account after a phone login with the phone on file", async () => {
    await page.goto(`${server.baseUrl}/h5/#/pages/me/index`);
    await seen(page.locator(".login-phone input")).fill(secrets.phone);
    await seen(page.locator(".login-send")).click();
    await seen(page.getByText("验证码已发送，请查看短信")).waitFor();
    const sms = /(\d{6})/.exec(server.sms.lastTo(secrets.phone) ?? "")?.[1];
    assert.ok(sms);
    await seen(page.locator(".login-code input")).fill(sms);
    await seen(page.locator(".login-submit")).click();
    await seen(page.getByText("退出登录")).waitFor();

    const code = formatQueryCode(counter.queryCode ?? "");
    await page.goto(`${server.baseUrl}/h5/#/pages/lookup/index?code=${encodeURIComponent(code)}`);
    await seen(page.getByLabel("申请人姓名或手机号码后4位").locator("input")).fill(secrets.phone.slice(-4));
    await seen(page.locator(".lookup-submit")).click();
    await seen(page.locator(".lookup-link")).click();
    await seen(page.getByText("已关联到您的账户")).waitFor();
    await shot("lookup-linked");

    await page.goto(`${server.baseUrl}/h5/#/pages/mine/list/index`);
    await seen(page.getByText(counter.serialNo)).click();
    // The detail shows the 查询码 too, for whoever follows the application without the account.
    await seen(page.locator(".detail-query-code").getByText(code)).waitFor();
  });

  it("rates the closed application once and downloads the pre-filled 行政复议申请书", async () => {
    await fireOk(staff.reviewer, counter.id, {
      type: "decide",
      date: today(),
      outcome: "withheld.processInfo",
    });
    await page.reload();
    await seen(page.locator(".rating-card")).waitFor();
    await seen(page.getByLabel("2星，不满意")).click();
    await seen(page.getByLabel("评价意见").locator("textarea")).fill("答复理由不够具体");
    await seen(page.locator(".rating-submit")).click();
    await seen(page.getByText("感谢您的评价。每件申请只能评价一次。")).waitFor();
    assert.equal(await page.locator(".rating-submit").count(), 0, "no second rating");
    const stored = await SatisfactionRating.findOne({ requestId: counter.id }).lean();
    assert.deepEqual(
      [stored?.score, stored?.comment, Boolean(stored?.followUp)],
      [2, "答复理由不够具体", true],
    );

    // The remedy guide: review first (不予公开), the 复议机关 of the agency and a live countdown.
    await seen(page.locator(".remedy-card")).waitFor();
    assert.equal(await seen(page.locator(".remedy-review-body")).textContent(), staff.parent.name);
    assert.match(
      (await seen(page.locator(".remedy-review .remedy-countdown")).textContent()) ?? "",
      /还剩 \d+ 天/,
    );
    await seen(page.getByLabel("选择收到行政复议决定书的日期")).waitFor();
    assert.equal(await overflow(), 0, "no overflow at 390 px");
    await shot("remedy-390");

    const download = page.waitForEvent("download");
    await seen(page.getByLabel("下载预填的行政复议申请书")).click();
    const file = await download;
    assert.match(file.suggestedFilename(), /^行政复议申请书-.+\.docx$/);
    const { text } = readDocx(readFileSync((await file.path()) ?? ""));
    for (const expected of [
      "行政复议申请书",
      "姓名：王五",
      secrets.idNumber,
      staff.agency.name,
      staff.parent.name,
    ])
      assert.ok(text.includes(expected), `the 申请书 carries ${expected}`);

    await seen(page.getByLabel("打开行政复议申请书打印视图")).click();
    await seen(page.locator(".review-title")).waitFor();
    await seen(page.getByText(`名称：${staff.agency.name}`)).waitFor();
    await page.setViewportSize({ width: 320, height: 640 });
    assert.equal(await overflow(), 0, "the print view does not overflow at 320 px");
    await shot("review-application-320");

    // 大字模式: the remedy countdown grows, and nothing overflows at 320 px.
    const detailUrl = `${server.baseUrl}/h5/#/pages/mine/detail/index?id=${counter.id}`;
    await page.goto(detailUrl);
    // Measured on the visible countdown of the frame in the wanted mode, polled: a re-render may replace it.
    const sizeIn = async (frame: string): Promise<number> => {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const size = await page.evaluate((selector) => {
          const doc = (
            globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<unknown> } }
          ).document;
          const win = globalThis as unknown as { getComputedStyle(e: unknown): { fontSize: string } };
          const shown = Array.from(doc.querySelectorAll(selector)).filter(
            (el) => (el as { getClientRects(): ArrayLike<unknown> }).getClientRects().length > 0,
          );
          return shown[0] ? Number.parseFloat(win.getComputedStyle(shown[0]).fontSize) : 0;
        }, `${frame} .remedy-review .remedy-countdown`);
        if (size > 0) return size;
        if (Date.now() > deadline) throw new Error(`no visible countdown in ${frame}`);
        await page.waitForTimeout(200);
      }
    };
    const normal = await sizeIn(".shell:not(.large-text)");
    await page.goto(`${server.baseUrl}/h5/#/pages/me/index`);
    await seen(page.locator(".large-text-switch")).click();
    await seen(page.locator(".shell.large-text")).waitFor();
    await page.goto(detailUrl);
    await seen(page.locator(".shell.large-text .remedy-card")).waitFor();
    const large = await sizeIn(".shell.large-text");
    assert.ok(large > normal, `the countdown is larger in 大字模式 (${normal} → ${large} px)`);
    assert.equal(await overflow(), 0, "no overflow at 320 px in 大字模式");
    await shot("remedy-large-text-320");
    await page.goto(`${server.baseUrl}/h5/#/pages/me/index`);
    await seen(page.locator(".large-text-switch")).click();
    await seen(page.locator(".shell:not(.large-text)")).waitFor();
    await page.setViewportSize({ width: 390, height: 844 });
  });
});
