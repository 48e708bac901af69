/**
 * A day in the office, per role, in headless Chromium against the real app seeded with the demo
 * (as a first start would): each demo account changes its one-time password, then
 * - the registrar finds the queue opening on open work (待确认 first, then the overdue case, no
 *   closed application) and assigns an unassigned application to the handler;
 * - the handler finds it under 我的申请;
 * - the reviewer opens the overdue case;
 * - the admin reads the audit log as Chinese sentences naming who assigned what to whom;
 * - the supervisor lands on the overview of the agencies they supervise with the late reports.
 * No page logs a console error. Screenshots of every page at 1440 px go to test-output/admin-roles/.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import { type Browser, chromium, type Page } from "playwright-core";
import { seedDemoData } from "../../../../server/demo/seed.ts";
import type { DemoLogin } from "../../../../server/demo/staff.ts";
import { createLogger } from "../../../../server/logger.ts";
import { createPersonalDataCipher } from "../../../../server/security/personalData.ts";
import { startTestServer, type TestServer } from "../../../support/testServer.ts";

const CHROMIUM = "/usr/bin/chromium";
const root = resolve(import.meta.dirname, "../../../..");
const shots = join(root, "test-output/admin-roles");
const NEW_PASSWORD = "Haidong2026day";

let server: TestServer;
let browser: Browser;
let logins: DemoLogin[];
const consoleErrors: string[] = [];

before(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing`);
  if (!existsSync(join(root, "client/admin/dist/index.html")))
    execFileSync("npx", ["vite", "build"], { cwd: join(root, "client/admin"), stdio: "inherit" });
  mkdirSync(shots, { recursive: true });
  const dataKey = randomBytes(32);
  server = await startTestServer({ dataKey });
  const seeded = await seedDemoData({
    cipher: createPersonalDataCipher(dataKey),
    logger: createLogger({ level: "silent" }),
  });
  logins = seeded.logins;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--lang=zh-CN"],
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** A fresh browser context signed in as the demo account of `role` (its password changed first). */
async function signIn(role: DemoLogin["role"]): Promise<Page> {
  const login = logins.find((l) => l.role === role);
  assert.ok(login, `a demo ${role}`);
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: "zh-CN" });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(`${role} ${page.url()}: ${message.text()}`);
  });
  await page.goto(`${server.baseUrl}/admin/`);
  await page.getByLabel("用户名").fill(login.username);
  await page.getByLabel("密码").fill(login.password);
  await page.getByRole("button", { name: /登\s*录/ }).click();
  await page.getByText("请修改初始密码").waitFor();
  await page.getByLabel("当前密码（一次性密码）").fill(login.password);
  await page.getByLabel("新密码", { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel("确认新密码").fill(NEW_PASSWORD);
  await page.getByRole("dialog").getByRole("button").last().click();
  await page.getByRole("menuitem").first().waitFor();
  return page;
}

/** Chooses `option` in the antd select labelled `label`. */
async function pick(page: Page, label: string, option: string): Promise<void> {
  await page.locator(".ant-select", { has: page.getByRole("combobox", { name: label }) }).click();
  await page.locator(`.ant-select-item-option[title="${option}"]`).click();
}

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });

/** Texts of one column of the table on the page. */
async function column(page: Page, index: number): Promise<string[]> {
  return page.locator(`.ant-table-tbody tr.ant-table-row td:nth-child(${index})`).allInnerTexts();
}

describe("a day in the office, per role", () => {
  let assignedSerial = "";

  it("registrar: the queue opens on open work and an application is assigned to the handler", async () => {
    const page = await signIn("registrar");
    await page.getByRole("heading", { name: "工作台" }).waitFor();
    await page.getByTestId("stat-unassigned").waitFor();
    // December, and next year's holidays are not in the calendar: told whom to ask, not where to click.
    const today = new Intl.DateTimeFormat("sv-SE", { timeZone: "Asia/Shanghai" }).format(new Date());
    if (today.slice(5, 7) === "12") {
      const banner = page.getByTestId("calendar-banner");
      await banner.waitFor();
      assert.match((await banner.textContent()) ?? "", /上级监督管理人员/);
    }
    const unassigned = Number(
      ((await page.getByTestId("stat-unassigned").textContent()) ?? "").match(/(\d+)/)?.[1],
    );
    assert.ok(unassigned >= 1, "the dashboard shows work still to distribute");
    await shot(page, "registrar-01-dashboard");

    await page.getByRole("menuitem", { name: /申请办理/ }).click();
    await page.locator(".ant-table-row").first().waitFor();
    await shot(page, "registrar-02-queue");
    const due = await column(page, 6);
    const outcomes = await column(page, 7);
    assert.ok(
      outcomes.every((o) => o.trim() === "—"),
      "no closed application in the default queue",
    );
    const firstDated = due.findIndex((d) => /\d{4}-\d{2}-\d{2}/.test(d));
    assert.ok(firstDated > 0, "the 待确认 group comes first");
    assert.ok(
      due.slice(0, firstDated).every((d) => /待确认|待补正/.test(d)),
      `undated rows are marked: ${due.slice(0, firstDated)}`,
    );
    assert.match(due[firstDated] ?? "", /已超期/, "the overdue case leads the dated ones");
    const dates = due.slice(firstDated).map((d) => d.slice(0, 10));
    assert.deepEqual(dates, [...dates].sort(), "then by due date");

    await pick(page, "办理范围", "已办结");
    await page.waitForURL(/scope=closed/);
    const closedState = /已答复|已送达|已撤回|终止处理/;
    await page
      .locator(".ant-table-tbody tr.ant-table-row td:nth-child(5)")
      .first()
      .filter({ hasText: closedState })
      .waitFor();
    const closedStates = await column(page, 5);
    assert.ok(
      closedStates.every((state) => closedState.test(state)),
      `已办结 lists only closed applications: ${closedStates}`,
    );
    assert.ok(
      (await column(page, 7)).some((o) => o.trim() !== "—"),
      "with their results",
    );
    await shot(page, "registrar-03-queue-closed");

    // The dashboard's card leads to the unassigned applications; assign the first received one.
    await page.goto(`${server.baseUrl}/admin/#/requests?assignee=none`);
    await page.locator(".ant-table-row").first().waitFor();
    const rows = page.locator(".ant-table-row").filter({ hasText: "已收到申请" });
    await rows.first().locator("a").first().click();
    await page.getByText(/承办人：未分配/).waitFor();
    const heading =
      (await page
        .getByText(/申请编号 \S+/)
        .first()
        .textContent()) ?? "";
    assignedSerial = heading.match(/申请编号 (\S+)/)?.[1] ?? "";
    assert.ok(assignedSerial, "the detail names the application");
    await pick(page, "指派承办人", "李建华（承办人员）");
    await page.getByText("承办人：李建华").waitFor();
    await shot(page, "registrar-04-assigned");
    await page.context().close();
  });

  it("handler: 我的申请 lists the applications assigned to them", async () => {
    const page = await signIn("handler");
    await page.getByRole("menuitem", { name: /我的申请/ }).click();
    await page.getByRole("heading", { name: "我的申请" }).waitFor();
    await page.locator(".ant-table-row").first().waitFor();
    const assignees = await column(page, 8);
    assert.ok(assignees.length >= 3);
    assert.ok(
      assignees.every((a) => a.trim() === "李建华"),
      "only their own applications",
    );
    assert.ok((await column(page, 1)).includes(assignedSerial), "including the one just assigned");
    await shot(page, "handler-01-mine");
    await page.getByRole("menuitem", { name: /工作台/ }).click();
    await page.getByTestId("stat-overdue").waitFor();
    await shot(page, "handler-02-dashboard");
    await page.context().close();
  });

  it("reviewer: opens the overdue case from the dashboard", async () => {
    const page = await signIn("reviewer");
    await page.getByTestId("stat-overdue").click();
    await page.locator(".ant-table-row").first().waitFor();
    const due = await column(page, 6);
    assert.ok(due.length >= 1 && due.every((d) => d.includes("已超期")));
    await page.locator(".ant-table-row").first().locator("a").first().click();
    await page
      .getByText(/答复期限/)
      .first()
      .waitFor();
    await shot(page, "reviewer-01-overdue-detail");
    await page.context().close();
  });

  it("admin: the audit log reads as Chinese sentences", async () => {
    const page = await signIn("admin");
    await page.getByRole("menuitem", { name: /系统/ }).click();
    await page.getByRole("tab", { name: "审计日志" }).click();
    await page.locator(".ant-table-row").first().waitFor();
    const text = (await page.locator(".ant-table-tbody").textContent()) ?? "";
    assert.ok(text.includes(`马晓梅将申请 ${assignedSerial} 指派给李建华承办`), text.slice(0, 400));
    assert.doesNotMatch(text, /[{}]|"serialNo"|assigneeId/, "no JSON, no English keys");
    await shot(page, "admin-01-audit");
    await page.context().close();
  });

  it("supervisor: lands on the overview of the agencies they supervise", async () => {
    const page = await signIn("supervisor");
    await page.getByRole("heading", { name: "监督概览" }).waitFor();
    await page.locator(".ant-table-row").first().waitFor();
    const names = await column(page, 1);
    assert.deepEqual(
      [...names].sort(),
      ["海东市人民政府", "海东市住房和城乡建设局", "海东市生态环境局", "海东市自然资源局"].sort(),
    );
    const bureau = page.locator(".ant-table-row").filter({ hasText: "海东市生态环境局" });
    const cells = await bureau.locator("td").allInnerTexts();
    assert.match(cells[3] ?? "", /[1-9]\d*件/, "the bureau's overdue work");
    assert.match(cells[5] ?? "", /已发布/);
    const late = page.locator(".ant-alert-error");
    assert.match(
      (await late.textContent()) ?? "",
      /逾期\d+天/,
      "late reports are flagged with the days late",
    );
    await shot(page, "supervisor-01-overview");

    // The banner sends the one who keeps the calendar to it; the notice is pasted, checked, saved.
    const banner = page.getByTestId("calendar-banner");
    const missingYear = Number(((await banner.textContent()) ?? "").match(/(\d{4})年的法定节假日/)?.[1]);
    assert.ok(missingYear >= 2026, "a year is missing from the calendar");
    await banner.getByRole("link", { name: /系统 › 节假日/ }).click();
    await page
      .getByLabel("放假通知原文")
      .fill(
        `国务院办公厅关于${missingYear}年部分节假日安排的通知\n一、元旦：1月1日（周五）至3日（周日）放假，共3天。\n二、春节：2月6日（周六）至12日（周五）放假调休，共7天。2月20日（周六）上班。`,
      );
    await page.getByRole("button", { name: /解\s*析/ }).click();
    const preview = page.getByTestId("notice-preview");
    await preview.waitFor();
    assert.match((await preview.textContent()) ?? "", /读出放假 10 天、调休上班 1 天/);
    await shot(page, "supervisor-02-calendar-notice");
    await page.getByRole("button", { name: /保存这 11 天/ }).click();
    await page.getByText("已保存 11 天").waitFor();
    await page.reload();
    await page.getByRole("menuitem").first().waitFor();
    await page.getByRole("tab", { name: "节假日" }).waitFor();
    assert.equal(await page.getByTestId("calendar-banner").count(), 0, "the banner is gone");
    await page.getByRole("menuitem", { name: /监督概览/ }).click();
    await page.locator(".ant-table-row").first().waitFor();
    await bureau.getByRole("button", { name: "海东市生态环境局" }).click();
    await page.getByRole("heading", { name: "工作台" }).waitFor();
    await page.getByTestId("stat-open").waitFor();
    await shot(page, "supervisor-03-bureau-dashboard");
    await page.context().close();
  });

  it("logs no console error on any page", () => {
    assert.deepEqual(consoleErrors, []);
  });
});
