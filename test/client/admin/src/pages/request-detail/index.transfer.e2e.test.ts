/**
 * End to end in headless Chromium (issue 17, item 3): a 转办 seen by both agencies and by the
 * applicant. 海东市生态环境局's reviewer hands an online application on to 海东市自然资源局 from the
 * application page (the applicant's consent recorded); the first agency's page shows it closed as 非本机关
 * 负责公开 and linked; 海东市自然资源局's registrar finds the new application in the queue, received
 * today and linked back; the applicant, in the H5 查询码 lookup, sees the hand-over on the timeline and
 * the new application with its own 查询码, and follows that one too. Screenshots: test-output/admin-transfer/.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { formatQueryCode } from "@govinfo/shared/schemas/lookup";
import type { RequestDetailDto } from "@govinfo/shared/schemas/requestDto";
import type { Page } from "playwright-core";
import { resetRateLimits } from "../../../../../../server/middlewares/rateLimit.ts";
import { DisclosureRequest } from "../../../../../../server/models/DisclosureRequest.ts";
import { buildAgency, buildStaff } from "../../../../../factories/people.ts";
import { fireOk, ok, submission, today } from "../../../../../server/routes/requests.support.ts";
import { ensureAdminBuilt, screenshots, signIn } from "../../../../../support/adminE2e.ts";
import { launchTestBrowser, type TestBrowser, typeAndPickOption } from "../../../../../support/browser.ts";
import { loginApplicant, loginStaff } from "../../../../../support/clients.ts";
import { startTestServer, type TestServer } from "../../../../../support/testServer.ts";
import { ensureBuilt } from "../../../../miniapp/build.ts";

let server: TestServer;
let browser: TestBrowser;
let page: Page;
let bureauStaff: { username: string; password: string };
let landStaff: { username: string; password: string };
let application: RequestDetailDto;

const shot = screenshots("admin-transfer", () => page);

before(async () => {
  ensureAdminBuilt();
  ensureBuilt("h5");
  server = await startTestServer();
  const city = await buildAgency({ code: "HDS", name: "海东市人民政府", level: "government" });
  const bureau = await buildAgency({ code: "HDSTHJ", name: "海东市生态环境局", parent: city });
  const land = await buildAgency({ code: "HDSZRZY", name: "海东市自然资源局", parent: city });
  bureauStaff = await buildStaff(
    (["registrar", "handler", "reviewer", "admin"] as const).map((role) => ({ agency: bureau, role })),
    { displayName: "李审核" },
  );
  landStaff = await buildStaff([{ agency: land, role: "registrar" }], { displayName: "王登记" });
  const citizen = await loginApplicant(server, "13900001919");
  const created = ok<RequestDetailDto>(
    await citizen.post(
      "/api/requests",
      submission(bureau, { description: "海东市2024年度国土空间规划批复文件" }),
    ),
    201,
  );
  const registrar = await loginStaff(server, bureauStaff.username, bureauStaff.password);
  application = await fireOk(registrar, created.id, { type: "confirmReceipt", date: today() });
  browser = await launchTestBrowser("admin-transfer", { width: 1440, height: 1000 });
  page = browser.page;
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test("a 转办 is seen by both agencies and by the applicant", async () => {
  try {
    await walkThrough();
  } catch (error) {
    await shot("99-failure").catch(() => undefined);
    throw error;
  }
});

async function logIn(login: { username: string; password: string }): Promise<void> {
  await signIn(page, server.baseUrl, login);
}

async function walkThrough(): Promise<void> {
  // 1. The first agency hands the application on, recording the applicant's consent.
  await logIn(bureauStaff);
  await page.goto(`${server.baseUrl}/admin/#/requests/${application.id}`);
  await page.getByRole("button", { name: "转办（非本机关负责公开）" }).click();
  const dialog = page.getByRole("dialog");
  await typeAndPickOption(page, dialog.getByRole("combobox").first(), "海东市自然资源局");
  await dialog.getByLabel("理由（写入告知书）").fill("国土空间规划批复文件由自然资源部门制作并保存");
  await shot("01-transfer-dialog");
  await dialog.getByRole("button", { name: "确定转办" }).click();
  const sent = page.getByTestId("transfer-to");
  await sent.waitFor();
  const sentText = (await sent.textContent()) ?? "";
  assert.match(
    sentText,
    /经申请人同意，已转送海东市自然资源局办理（新申请编号 HDSZRZY依申〔\d{4}〕1号，已收到申请）/,
  );
  await page.getByText("办理结果：（四）无法提供 1.本机关不掌握相关政府信息").waitFor();
  await page
    .getByText(/已转送海东市自然资源局办理/)
    .first()
    .waitFor();
  await shot("02-first-agency-closed");

  const second = await DisclosureRequest.findOne({ transferredFromId: application.id }).lean();
  assert.ok(second, "the receiving agency has a new application");

  // 2. The receiving agency finds it in its queue, received today, linked back.
  await logIn(landStaff);
  await page.goto(`${server.baseUrl}/admin/#/requests`);
  await page.getByRole("link", { name: second.serialNo }).click();
  const from = page.getByTestId("transfer-from");
  await from.waitFor();
  assert.match(
    (await from.textContent()) ?? "",
    new RegExp(`由海东市生态环境局转送（原申请编号 ${escapeRe(application.serialNo)}`),
  );
  await page.getByText("海东市2024年度国土空间规划批复文件").waitFor();
  await page.getByText(/收到海东市生态环境局转送的申请/).waitFor();
  await shot("03-receiving-agency");

  // 3. The applicant follows the first application by its 查询码 in the H5 build and sees both.
  // The applicant is nobody's staff session: a leftover admin cookie would ask for a CSRF token.
  await page.context().clearCookies();
  await page.setViewportSize({ width: 390, height: 844 });
  const code = formatQueryCode(application.queryCode ?? "");
  await page.goto(`${server.baseUrl}/h5/#/pages/lookup/index?code=${encodeURIComponent(code)}`);
  const visible = (selector: string) => page.locator(selector).filter({ visible: true }).first();
  await page.getByLabel("申请人姓名或手机号码后4位").locator("input").filter({ visible: true }).fill("李四");
  await visible(".lookup-submit").click();
  const link = visible(".lookup-transfer");
  await link.waitFor();
  const linkText = (await link.textContent()) ?? "";
  assert.match(linkText, new RegExp(`已转办至海东市自然资源局（${escapeRe(second.serialNo)}`));
  assert.ok(linkText.includes(formatQueryCode(second.queryCode ?? "")), linkText);
  await page
    .getByText(/已转送海东市自然资源局办理/)
    .filter({ visible: true })
    .first()
    .waitFor();
  await shot("04-applicant-lookup-first");

  await page.goto(
    `${server.baseUrl}/h5/#/pages/lookup/index?code=${encodeURIComponent(formatQueryCode(second.queryCode ?? ""))}`,
  );
  await page.getByLabel("申请人姓名或手机号码后4位").locator("input").filter({ visible: true }).fill("李四");
  await visible(".lookup-submit").click();
  await page.getByText(second.serialNo).filter({ visible: true }).first().waitFor();
  await page
    .getByText(/收到海东市生态环境局转送的申请/)
    .filter({ visible: true })
    .first()
    .waitFor();
  assert.match((await visible(".lookup-transfer").textContent()) ?? "", /转办自海东市生态环境局/);
  await shot("05-applicant-lookup-second");

  // 4. Logged in with their phone, the applicant's 我的申请 lists both, and each detail names the other.
  const phone = "13900001919";
  // The setup's API login sent this phone a code moments ago; one code a minute per phone is the rule.
  resetRateLimits();
  await page.goto(`${server.baseUrl}/h5/#/pages/me/index`);
  await visible(".login-phone input").fill(phone);
  await visible(".login-send").click();
  await page.getByText("验证码已发送，请查看短信").filter({ visible: true }).first().waitFor();
  const sms = /(\d{6})/.exec(server.sms.lastTo(phone) ?? "")?.[1];
  assert.ok(sms, "the one-time code was sent");
  await visible(".login-code input").fill(sms);
  await visible(".login-submit").click();
  await page.getByText("退出登录").filter({ visible: true }).first().waitFor();
  await page.goto(`${server.baseUrl}/h5/#/pages/mine/list/index`);
  await page.getByText(application.serialNo).filter({ visible: true }).first().waitFor();
  await page.getByText(second.serialNo).filter({ visible: true }).first().click();
  const card = visible(".transfer-card");
  await card.waitFor();
  assert.match((await card.textContent()) ?? "", /由海东市生态环境局转送（原申请/);
  await shot("06-applicant-mine-second");
}

function escapeRe(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
