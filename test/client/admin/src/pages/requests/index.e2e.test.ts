/**
 * End to end in headless Chromium against the real app on the embedded database: log in, register
 * an application, request 补正, receive it, decide it with the reply letter, see the dashboard move,
 * publish a catalogue item, and generate, check, publish and download the annual report.
 * Screenshots of every page go to test-output/admin/.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, test } from "node:test";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { buildAgency, buildStaff } from "../../../../../factories/people.ts";
import { startTestServer, type TestServer } from "../../../../../support/testServer.ts";

const CHROMIUM = "/usr/bin/chromium";
const root = resolve(import.meta.dirname, "../../../../../..");
const shots = join(root, "test-output/admin");

let server: TestServer;
let browser: BrowserContext;
let page: Page;
let userDir: string;
let login: { username: string; password: string };

const shot = (name: string) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
const button = (name: string) => page.getByRole("button", { name: new RegExp(`${[...name].join("\\s*")}$`) });
const today = () => new Intl.DateTimeFormat("sv-SE", { timeZone: "Asia/Shanghai" }).format(new Date());
const inDays = (days: number) => {
  const date = new Date(`${today()}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
};

before(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium fonts-noto-cjk)`,
    );
  if (!existsSync(join(root, "client/admin/dist/index.html")))
    execFileSync("npx", ["vite", "build"], { cwd: join(root, "client/admin"), stdio: "inherit" });
  mkdirSync(shots, { recursive: true });
  server = await startTestServer();
  const agency = await buildAgency({ name: "某市交通运输局" });
  const roles = (["registrar", "handler", "reviewer", "admin"] as const).map((role) => ({ agency, role }));
  login = await buildStaff(roles, { displayName: "王办理" });
  userDir = mkdtempSync(join(tmpdir(), "admin-e2e-"));
  // A fresh profile per run: a persistent context in a new temporary directory.
  browser = await chromium.launchPersistentContext(userDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1440, height: 900 },
    locale: "zh-CN",
    acceptDownloads: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
      "--disable-sync",
      "--disable-quic",
      "--lang=zh-CN",
    ],
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(15_000);
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (userDir) rmSync(userDir, { recursive: true, force: true });
});

test("staff work an application from registration to the published annual report", async () => {
  try {
    await walkThrough();
  } catch (error) {
    await shot("99-failure").catch(() => undefined);
    throw error;
  }
});

async function walkThrough(): Promise<void> {
  await page.goto(`${server.baseUrl}/admin/`);
  await page.getByLabel("用户名").fill(login.username);
  await page.getByLabel("密码").fill("wrong-password");
  await button("登录").click();
  await page.getByText("用户名或密码错误").waitFor();
  await shot("01-login-error");
  await page.getByLabel("密码").fill(login.password);
  await button("登录").click();
  await page.getByRole("heading", { name: "工作台" }).waitFor();
  await page.getByTestId("count-received").waitFor();
  assert.equal(await page.getByTestId("count-decided").textContent(), "0");
  await shot("02-dashboard-empty");

  // Register an in-person application; a bad ID number is caught by the shared schema first.
  await page.getByRole("menuitem", { name: /申请办理/ }).click();
  await button("登记申请").click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("申请人姓名或名称").fill("张三");
  await dialog.getByLabel("证件号码").fill("123");
  await dialog.getByLabel("联系电话").fill("13800138000");
  await dialog.getByLabel(/特征性描述/).fill("2024年本市道路养护资金使用情况");
  await dialog.getByRole("button", { name: /登\s*记/ }).click();
  await dialog.locator(".ant-form-item-explain-error").first().waitFor();
  await shot("03-register-errors");
  await dialog.getByLabel("证件号码").fill("11010519491231002X");
  await dialog.getByRole("button", { name: /登\s*记/ }).click();
  await page
    .getByText(/申请编号 \S+/)
    .first()
    .waitFor();
  await shot("04-detail-registered");

  // 补正
  await button("一次性告知补正").click();
  await page
    .getByRole("dialog")
    .getByLabel(/需要补正的事项/)
    .fill("请明确所需信息的时间范围");
  await page.getByRole("dialog").getByLabel("补正期限").fill(inDays(15));
  await shot("05-correction-dialog");
  await page
    .getByRole("dialog")
    .getByRole("button", { name: /确\s*定/ })
    .click();
  await page.locator(".ant-card-head").getByText("补正中").waitFor();

  await button("收到补正申请").click();
  await page
    .getByRole("dialog")
    .getByLabel("补正后的申请内容")
    .fill("2024年1月至12月本市道路养护资金使用情况");
  await page
    .getByRole("dialog")
    .getByRole("button", { name: /确\s*定/ })
    .click();
  await page.locator(".ant-card-head").getByText("已收到申请").waitFor();

  // 答复 with the outcome picker and the letter preview, issuing the reply letter.
  await button("作出答复").click();
  const decide = page.getByRole("dialog");
  await decide.getByRole("combobox").click();
  await page.keyboard.type("予以公开");
  await page.locator(".ant-select-item-option").filter({ hasText: "（一）予以公开" }).click();
  await decide.getByTestId("letter-preview").waitFor();
  await shot("06-decide-dialog");
  await decide.getByRole("button", { name: /确\s*定/ }).click();
  await page.locator(".ant-card-head").getByText("已答复").waitFor();
  await page.getByText("政府信息公开申请答复告知书").first().waitFor();
  await page.getByRole("button", { name: /查看完整信息/ }).click();
  await page.getByText("本次查看已记入审计日志。").waitFor();
  await shot("07-detail-decided");

  // The queue opens on open work: the only application is closed, so it is behind 已办结.
  await page.getByRole("menuitem", { name: /申请办理/ }).click();
  await page.getByText("没有符合条件的申请").waitFor();
  await page.goto(`${server.baseUrl}/admin/#/requests?scope=closed`);
  await page.locator(".ant-table-row").first().waitFor();
  await shot("08-queue");

  await page.getByRole("menuitem", { name: /工作台/ }).click();
  await page.getByTestId("count-decided").filter({ hasText: "1" }).waitFor();
  await shot("09-dashboard-moved");

  // Catalogue: create and publish an item.
  await page.getByRole("menuitem", { name: /主动公开/ }).click();
  await button("新建信息").click();
  const drawer = page.locator(".ant-drawer");
  await drawer.getByLabel("标题").fill("关于2025年道路养护工作的通知");
  await drawer.getByLabel("文号").fill("某交发〔2025〕3号");
  await drawer.getByLabel("内容概述").fill("部署全年道路养护工作。");
  await shot("10-catalogue-editor");
  await drawer.getByRole("button", { name: /保\s*存/ }).click();
  await page.getByRole("button", { name: "关于2025年道路养护工作的通知" }).waitFor();
  await page
    .getByRole("button", { name: /^发\s*布$/ })
    .first()
    .click();
  await page.getByText("已公开").first().waitFor();
  await shot("11-catalogue-published");

  // Annual report: generate, check, publish, download DOCX.
  await page.getByRole("menuitem", { name: /年度报告/ }).click();
  await button("生成草稿").click();
  await page.getByText("三、收到和处理政府信息公开申请情况").waitFor();
  await shot("12-report-draft");
  // The paragraphs still to be written (【请填写…】) are hard checks: write them, save, see them pass.
  const areas = page.locator("textarea");
  for (let i = 0; i < (await areas.count()); i++) {
    const text = await areas.nth(i).inputValue();
    if (text.includes("【请填写"))
      await areas.nth(i).fill("本年度按照《中华人民共和国政府信息公开条例》要求开展工作。");
  }
  await page.getByRole("button", { name: /^保\s*存$/ }).click();
  await page.getByText("必须通过").first().waitFor({ state: "detached" });
  const publishButton = page.getByRole("button", { name: /^发\s*布$/ });
  assert.equal(await publishButton.isEnabled(), true, "the draft passes its hard checks");
  await page.getByTestId("cell-newReceived-total").click();
  await page.getByRole("dialog").getByRole("cell").first().waitFor();
  await shot("13-report-provenance");
  await page.locator(".ant-modal-close").click();
  await page.getByRole("dialog").waitFor({ state: "hidden" });
  await publishButton.click();
  // The summary card below shows the same tag once it reloads: wait for the header one.
  await page.locator(".ant-tag").getByText("已发布").first().waitFor();
  // The toolbar re-renders once the report is published; click the settled link, and allow a slow DOCX render on a busy CI machine.
  const docxLink = page.getByTestId("download-docx");
  await docxLink.waitFor({ state: "visible" });
  const [download] = await Promise.all([
    page.waitForEvent("download", { timeout: 60_000 }),
    docxLink.click(),
  ]);
  assert.match(download.suggestedFilename(), /-annual-report\.docx$/);
  const path = await download.path();
  assert.ok(path);
  const { statSync } = await import("node:fs");
  assert.ok(statSync(path).size > 2000, "the DOCX has content");
  await shot("14-report-published");

  for (const [menu, name] of [
    ["复议诉讼", "15-review-cases"],
    ["台账", "16-ledger"],
  ] as const) {
    await page.getByRole("menuitem", { name: new RegExp(menu) }).click();
    await page.locator(".ant-card").first().waitFor();
    await shot(name);
  }

  // 系统: create a user, see the one-time password once, find the action in the audit log.
  await page.getByRole("menuitem", { name: /系统/ }).click();
  await page.getByRole("tab", { name: "用户与角色" }).waitFor();
  await page.getByRole("cell", { name: login.username }).waitFor();
  await shot("17-system-users");
  await button("新建用户").click();
  const create = page.getByRole("dialog");
  await create.getByLabel("用户名").fill("zhang.dengji");
  await create.getByLabel("姓名").fill("张登记");
  // The dialog is still animating when it opens: click the checkbox's label, then wait for it to be checked.
  const registrarBox = create.getByLabel("登记人员");
  await create.locator("label.ant-checkbox-wrapper", { hasText: "登记人员" }).click();
  for (let tries = 0; !(await registrarBox.isChecked()) && tries < 50; tries++)
    await page.waitForTimeout(100);
  assert.equal(await registrarBox.isChecked(), true, "the 登记人员 role is ticked");
  await create.getByRole("button", { name: /创\s*建/ }).click();
  const otp = page.getByTestId("one-time-password");
  await otp.waitFor();
  assert.match((await otp.textContent()) ?? "", /^[A-Za-z2-9]{14}$/);
  await page.waitForTimeout(500); // let the dialog finish its opening animation before the screenshot
  await shot("18-system-one-time-password");
  await button("我已记下").click();
  await page.getByRole("cell", { name: "zhang.dengji" }).waitFor();
  await page.getByRole("tab", { name: "机关" }).click();
  await page.getByRole("cell", { name: "某市交通运输局" }).waitFor();
  await shot("19-system-agencies");
  await page.getByRole("tab", { name: "审计日志" }).click();
  await page.getByRole("cell", { name: "创建用户" }).first().waitFor();
  await shot("20-system-audit");
}
