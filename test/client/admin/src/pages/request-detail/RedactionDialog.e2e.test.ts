/**
 * End to end in headless Chromium (issue 20): a handler opens an uploaded PDF in the 区分处理 tool,
 * draws a box over the image holding the ID number, searches a name and the ID-number pattern and
 * marks every occurrence, each with its legal ground; applies; the reviewer sees the boxes over the
 * original; the decision 部分公开 is recorded in the dialog and the redacted file delivered — and the
 * delivered file holds none of the secrets; a Word file then opens in the tool as the PDF it was
 * converted to. Screenshots go to test-output/admin-redaction/.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { after, before, test } from "node:test";
import type { Page } from "playwright-core";
import type { AgencyDoc } from "../../../../../../server/models/Agency.ts";
import { DisclosureRequest } from "../../../../../../server/models/DisclosureRequest.ts";
import { createPersonalDataCipher } from "../../../../../../server/security/personalData.ts";
import { readFile } from "../../../../../../server/services/documents/files.ts";
import { buildAgency, buildStaff } from "../../../../../factories/people.ts";
import { buildRequest } from "../../../../../factories/requests.ts";
import { fireOk, today } from "../../../../../server/routes/requests.support.ts";
import { launchTestBrowser, type TestBrowser, typeAndPickOption } from "../../../../../support/browser.ts";
import { loginStaff } from "../../../../../support/clients.ts";
import { buildSecretDocx } from "../../../../../support/redactionDocx.ts";
import {
  buildSecretPdf,
  colourCounts,
  extractEverything,
  IMAGE_SECRET_RECT,
  SECRET,
} from "../../../../../support/redactionPdf.ts";
import { startTestServer, type TestServer } from "../../../../../support/testServer.ts";

const root = resolve(import.meta.dirname, "../../../../../..");
const shots = join(root, "test-output/admin-redaction");
const cipher = createPersonalDataCipher(randomBytes(32));

let server: TestServer;
let browser: TestBrowser;
let page: Page;
let login: { username: string; password: string };
let bureau: AgencyDoc;
let requestId = "";

const shot = (name: string) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
const dialog = () => page.getByRole("dialog");

before(async () => {
  if (!existsSync(join(root, "client/admin/dist/index.html")))
    execFileSync("npx", ["vite", "build"], { cwd: join(root, "client/admin"), stdio: "inherit" });
  mkdirSync(shots, { recursive: true });
  server = await startTestServer();
  const city = await buildAgency({ code: "HDS", name: "海东市人民政府", level: "government" });
  bureau = await buildAgency({ code: "HDSTHJ", name: "海东市生态环境局", parent: city });
  const roles = (["registrar", "handler", "reviewer", "admin"] as const).map((role) => ({
    agency: bureau,
    role,
  }));
  login = await buildStaff(roles, { displayName: "李承办" });
  requestId = String((await buildRequest(bureau, cipher, { today: "2026-01-01" }))._id);
  const staff = await loginStaff(server, login.username, login.password);
  const uploaded = await server.request(`/api/requests/${requestId}/files?kind=delivered`, {
    method: "POST",
    headers: {
      ...staff.headers,
      "Content-Type": "application/octet-stream",
      "X-Filename": encodeURIComponent("执法检查记录.pdf"),
    },
    body: buildSecretPdf(1),
  });
  assert.equal(uploaded.status, 201, JSON.stringify(uploaded.body));
  browser = await launchTestBrowser("admin-redaction", { width: 1440, height: 1000 });
  page = browser.page;
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test("draw a box, search and mark, apply, review and deliver a redacted PDF", async () => {
  try {
    await walkThrough();
  } catch (error) {
    await shot("99-failure").catch(() => undefined);
    throw error;
  }
});

/**
 * Picks an option of one of the dialog's selects and checks it took: under load a click can land
 * while the dropdown is still animating and miss, so a missed pick is retried (three tries at most).
 */
async function pick(ariaLabel: string, label: string): Promise<void> {
  const select = dialog().locator(`.ant-select[aria-label="${ariaLabel}"]`);
  const chosen = select.locator(".ant-select-selection-item").filter({ hasText: label });
  for (let attempt = 1; attempt <= 3; attempt++) {
    await select.click();
    await page.locator(".ant-select-item-option").filter({ hasText: label }).first().click();
    try {
      await chosen.waitFor({ timeout: 2_000 });
      return;
    } catch {
      await page.keyboard.press("Escape");
    }
  }
  assert.fail(`could not pick “${label}” in ${ariaLabel}`);
}

async function pickGround(label: string): Promise<void> {
  await pick("不予公开的理由", label);
}

async function walkThrough(): Promise<void> {
  await page.goto(`${server.baseUrl}/admin/`);
  await page.getByLabel("用户名").fill(login.username);
  await page.getByLabel("密码").fill(login.password);
  await page.getByRole("button", { name: /登\s*录/ }).click();
  await page.getByRole("heading", { name: "工作台" }).waitFor();

  await page.goto(`${server.baseUrl}/admin/#/requests/${requestId}`);
  await page.getByRole("button", { name: "区分处理" }).click();
  const sheet = page.getByTestId("redaction-page-1");
  await sheet.locator("img").waitFor();
  // The page image is rendered by the server; wait until the browser has decoded it.
  let decoded = false;
  for (let attempt = 0; attempt < 100 && !decoded; attempt++) {
    decoded = await sheet.locator("img").evaluate((img) => {
      const element = img as unknown as { complete: boolean; naturalWidth: number };
      return element.complete && element.naturalWidth > 0;
    });
    if (!decoded) await page.waitForTimeout(100);
  }
  assert.ok(decoded, "the page image was not rendered");

  // Draw a box over the red ID number inside the image (国家秘密 here, to show one ground per box).
  await pickGround("国家秘密");
  const origin = await sheet.boundingBox();
  assert.ok(origin);
  await page.mouse.move(origin.x + IMAGE_SECRET_RECT.x, origin.y + IMAGE_SECRET_RECT.y);
  await page.mouse.down();
  await page.mouse.move(origin.x + IMAGE_SECRET_RECT.x + 130, origin.y + IMAGE_SECRET_RECT.y + 25, {
    steps: 5,
  });
  await page.mouse.move(
    origin.x + IMAGE_SECRET_RECT.x + IMAGE_SECRET_RECT.width,
    origin.y + IMAGE_SECRET_RECT.y + IMAGE_SECRET_RECT.height,
    { steps: 5 },
  );
  await page.mouse.up();
  await dialog().getByText("共 1 处遮盖").waitFor();

  // Search a name (third party's rights), then every ID number and phone.
  await pickGround("第三方合法权益（第三方不同意公开）");
  await dialog().getByLabel("备注").fill("第三方个人信息");
  await dialog().getByLabel("查找内容").fill(SECRET.name);
  await dialog().getByRole("button", { name: "查找并全部标记" }).click();
  await dialog().getByText("共 2 处遮盖").waitFor();
  for (const kind of ["居民身份证号码", "电话号码"]) {
    await pick("查找类型", kind);
    await dialog().getByRole("button", { name: "查找并全部标记" }).click();
  }
  // Two in the text layer, two in the annotation (which holds both the ID number and the phone).
  await dialog().getByText("共 6 处遮盖").waitFor();
  await shot("01-boxes-drawn-and-searched");

  await dialog().getByRole("button", { name: "生成区分处理后的文件" }).click();
  await page.getByText("已生成区分处理后的文件").waitFor();
  await page.getByRole("heading", { name: "执法检查记录（区分处理）" }).waitFor();
  await shot("02-applied");

  // The reviewer opens the original again: the boxes are drawn over it.
  await page.getByRole("button", { name: "区分处理" }).first().click();
  await page.getByTestId("redaction-page-1").locator(".redaction-box").nth(5).waitFor();
  assert.equal(await page.getByTestId("redaction-page-1").locator(".redaction-box").count(), 6);
  assert.ok(await dialog().getByText("已生成区分处理文件（第 1 版）").isVisible());
  await shot("03-review-over-original");
  await dialog()
    .getByRole("button", { name: /关\s*闭/ })
    .last()
    .click();

  // Decide 部分公开 in the dialog (no letter issued here), then deliver.
  await page.getByRole("button", { name: /作出答复/ }).click();
  await typeAndPickOption(page, dialog().getByRole("combobox").first(), "（二）部分公开");
  await dialog()
    .getByText(/同时出具/)
    .click();
  await dialog()
    .getByRole("button", { name: /确\s*定/ })
    .click();
  await page.locator(".ant-card-head").getByText("已答复").waitFor();
  const staff = await loginStaff(server, login.username, login.password);
  const delivered = await fireOk(staff, requestId, { type: "deliver", date: today(), method: "email" });
  assert.equal(delivered.state, "delivered");
  assert.equal(delivered.outcome, "partial");
  await shot("04-decided");

  const stored = await DisclosureRequest.findById(requestId).lean();
  const redacted = stored?.documents.find((doc) => doc.kind === "redacted");
  const original = stored?.documents.find((doc) => doc.kind === "delivered");
  assert.ok(redacted?.forApplicant, "the redacted file is delivered");
  assert.equal(original?.forApplicant, false, "the original is kept on file only");
  const bytes = await readFile(redacted.fileId);
  const { text, annotations, raw } = extractEverything(bytes);
  for (const secret of Object.values(SECRET)) {
    assert.ok(!text.includes(secret), `${secret} leaked in the text`);
    assert.ok(
      !annotations.some((contents) => contents.includes(secret)),
      `${secret} leaked in an annotation`,
    );
  }
  assert.ok(!raw.includes(SECRET.idNumber) && !raw.includes(SECRET.phone), "a secret is left in the bytes");
  assert.equal(colourCounts(bytes, 0, IMAGE_SECRET_RECT).red, 0, "the image's ID number is gone");
  assert.ok(text.includes("依《条例》第十四条不予公开") && text.includes("依《条例》第十五条不予公开"));

  // A Word file opens in the same tool, as the PDF the server converted it to.
  const word = await server.request(`/api/requests/${requestId}/files?kind=delivered`, {
    method: "POST",
    headers: {
      ...staff.headers,
      "Content-Type": "application/octet-stream",
      "X-Filename": encodeURIComponent("询问笔录.docx"),
    },
    body: await buildSecretDocx(1),
  });
  assert.equal(word.status, 201, JSON.stringify(word.body));
  await page.reload();
  await page.getByRole("button", { name: "区分处理" }).last().click();
  await dialog().getByText("Word 文件已转换为 PDF 进行区分处理").waitFor();
  await dialog().getByTestId("redaction-page-1").locator("img").waitFor();
  await shot("05-word-file-converted");
}
