/**
 * End to end in headless Chromium (issue 17, item 5): where 催办 and 超期预警 reach a staff member. The
 * handler registers their own mobile and WeChat openid in 我的账号 (a bad number is refused in the
 * form with the field's Chinese message, nothing saved); the administrator sees it masked in 用户与角色
 * and registers the reviewer's number there. The phone is stored sealed.
 * Screenshots go to test-output/admin-staff-contact/.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Page } from "playwright-core";
import { User } from "../../../../../server/models/User.ts";
import { buildAgency, buildStaff } from "../../../../factories/people.ts";
import { ensureAdminBuilt, screenshots, signIn } from "../../../../support/adminE2e.ts";
import { launchTestBrowser, type TestBrowser } from "../../../../support/browser.ts";
import { startTestServer, type TestServer } from "../../../../support/testServer.ts";

let server: TestServer;
let browser: TestBrowser;
let page: Page;
const logins = {} as Record<
  "handler" | "reviewer" | "admin",
  { id: unknown; username: string; password: string }
>;

const shot = screenshots("admin-staff-contact", () => page);
const dialog = () => page.getByRole("dialog");
const save = () => dialog().getByRole("button", { name: /保\s*存/ });

before(async () => {
  ensureAdminBuilt();
  server = await startTestServer();
  const bureau = await buildAgency({ code: "HDSTHJ", name: "海东市生态环境局" });
  logins.handler = await buildStaff([{ agency: bureau, role: "handler" }], { displayName: "李承办" });
  logins.reviewer = await buildStaff([{ agency: bureau, role: "reviewer" }], { displayName: "张审核" });
  logins.admin = await buildStaff([{ agency: bureau, role: "admin" }], { displayName: "祁管理" });
  browser = await launchTestBrowser("admin-staff-contact", { width: 1440, height: 1000 });
  page = browser.page;
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test("我的账号 and 用户与角色 register the phone and WeChat for reminders", async () => {
  try {
    await walkThrough();
  } catch (error) {
    await shot("99-failure").catch(() => undefined);
    throw error;
  }
});

async function walkThrough(): Promise<void> {
  await signIn(page, server.baseUrl, logins.handler);
  await page.getByRole("button", { name: "我的账号" }).click();
  await dialog().getByText("当前：未登记（留空不修改）").waitFor();
  await dialog().getByLabel("手机号码").fill("1370000123");
  await save().click();
  await dialog().getByText("手机号码格式不正确，应为11位中国大陆手机号码").waitFor();
  await shot("01-my-account-refused");
  assert.equal((await User.findById(logins.handler.id).lean())?.phoneSealed, "", "nothing saved");

  await dialog().getByLabel("手机号码").fill("137 0000 4321");
  await dialog().getByLabel("微信用户标识（openid）").fill("oQ8Wd5Ab_cDeFgHiJkLmNoPqR-12");
  await save().click();
  await dialog().waitFor({ state: "hidden" });
  const handler = await User.findById(logins.handler.id).lean();
  assert.ok(handler?.phoneSealed && !handler.phoneSealed.includes("13700004321"), "sealed at rest");
  assert.equal(handler.wechatOpenid, "oQ8Wd5Ab_cDeFgHiJkLmNoPqR-12");
  await page.getByRole("button", { name: "我的账号" }).click();
  await dialog().getByText("当前：137****4321（留空不修改）").waitFor();
  await shot("02-my-account-saved");

  await signIn(page, server.baseUrl, logins.admin);
  await page.goto(`${server.baseUrl}/admin/#/system`);
  await page.getByRole("tab", { name: "用户与角色" }).click();
  const handlerCell = page.getByTestId(`contact-${logins.handler.username}`);
  await handlerCell.filter({ hasText: "137****4321" }).waitFor();
  assert.match((await handlerCell.textContent()) ?? "", /微信已绑定/);
  await page
    .getByRole("row", { name: new RegExp(logins.reviewer.username) })
    .getByRole("button", { name: "手机/微信" })
    .click();
  await dialog().getByLabel("手机号码").fill("13900007788");
  await shot("03-admin-sets-reviewer");
  await save().click();
  await dialog().waitFor({ state: "hidden" });
  await page.getByTestId(`contact-${logins.reviewer.username}`).filter({ hasText: "139****7788" }).waitFor();
  await shot("04-users-tab-masked");
  assert.ok((await User.findById(logins.reviewer.id).lean())?.phoneSealed, "the reviewer's phone is saved");
}
