/**
 * End to end in headless Chromium (issue 15, item 3): the decision dialog's preview is the letter that
 * is issued — with the 答复文号 and 说明 typed in the dialog and the uploaded attachment listed — and
 * staff can edit its text before issuing; the 补正告知书 is issued with the 补正 step; a reply that
 * says "见附件" cannot be delivered before the attachment is uploaded, and the dialog says so.
 * Screenshots go to test-output/admin-letters/ (1440 px).
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { after, before, test } from "node:test";
import type { Page } from "playwright-core";
import type { AgencyDoc } from "../../../../../../server/models/Agency.ts";
import { createPersonalDataCipher } from "../../../../../../server/security/personalData.ts";
import { attachUpload, issueLetter } from "../../../../../../server/services/documents/letterIssuer.ts";
import { buildAgency, buildStaff } from "../../../../../factories/people.ts";
import { buildRequest } from "../../../../../factories/requests.ts";
import { launchTestBrowser, type TestBrowser, typeAndPickOption } from "../../../../../support/browser.ts";
import { startTestServer, type TestServer } from "../../../../../support/testServer.ts";

const root = resolve(import.meta.dirname, "../../../../../..");
const shots = join(root, "test-output/admin-letters");
const cipher = createPersonalDataCipher(randomBytes(32));

let server: TestServer;
let browser: TestBrowser;
let page: Page;
let login: { username: string; password: string };
let bureau: AgencyDoc;
const ids = { decide: "", deliver: "", correction: "" };
const consoleErrors: string[] = [];

const shot = (name: string) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
const dialog = () => page.getByRole("dialog");
const ok = () => dialog().getByRole("button", { name: /确\s*定/ });

function pdf(): Buffer {
  const bytes = randomBytes(2000);
  bytes.write("%PDF-1.7\n", 0, "latin1");
  return bytes;
}

before(async () => {
  if (!existsSync(join(root, "client/admin/dist/index.html")))
    execFileSync("npx", ["vite", "build"], { cwd: join(root, "client/admin"), stdio: "inherit" });
  mkdirSync(shots, { recursive: true });
  server = await startTestServer();
  bureau = await buildAgency({ code: "HDSTHJ", name: "海东市生态环境局" });
  const roles = (["registrar", "handler", "reviewer", "admin"] as const).map((role) => ({
    agency: bureau,
    role,
  }));
  login = await buildStaff(roles, { displayName: "李审核" });
  const decide = await buildRequest(bureau, cipher, { today: "2026-01-01" });
  await attachUpload({
    ctx: null,
    request: decide,
    filename: "环评批复.pdf",
    data: pdf(),
    kind: "delivered",
  });
  ids.decide = String(decide._id);
  const deliver = await buildRequest(bureau, cipher, {
    today: "2026-01-01",
    events: [{ type: "decide", date: "2025-03-25", outcome: "granted", ground: "disclosable" }],
  });
  // The reply is issued (it says 见附件); nothing is uploaded.
  await issueLetter({ ctx: null, request: deliver, kind: "reply", edits: {} });
  ids.deliver = String(deliver._id);
  ids.correction = String((await buildRequest(bureau, cipher, { today: "2026-01-01" }))._id);
  browser = await launchTestBrowser("admin-letters", { width: 1440, height: 1000 });
  page = browser.page;
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test("the letter preview is what is issued, editable; 补正告知书 at its step; no 见附件 without the attachment", async () => {
  try {
    await walkThrough();
  } catch (error) {
    await shot("99-failure").catch(() => undefined);
    throw error;
  }
});

/** The text of the application's last issued document of `kind`, read back from the DOCX. */
async function issuedText(id: string, kind: string): Promise<string> {
  const detail = await page.request.get(`${server.baseUrl}/api/requests/${id}`);
  const documents = ((await detail.json()) as { data: { documents: { id: string; kind: string }[] } }).data
    .documents;
  const doc = documents.findLast((d) => d.kind === kind);
  assert.ok(doc, `a ${kind} document was issued`);
  const text = await page.request.get(`${server.baseUrl}/api/requests/${id}/documents/${doc.id}?view=text`);
  assert.equal(text.status(), 200);
  return ((await text.json()) as { data: { paragraphs: string[] } }).data.paragraphs.join("\n");
}

async function walkThrough(): Promise<void> {
  await page.goto(`${server.baseUrl}/admin/`);
  await page.getByLabel("用户名").fill(login.username);
  await page.getByLabel("密码").fill(login.password);
  await page.getByRole("button", { name: /登\s*录/ }).click();
  await page.getByRole("heading", { name: "工作台" }).waitFor();

  // The preview follows what the clerk types, lists the attachment, and can be edited.
  await page.goto(`${server.baseUrl}/admin/#/requests/${ids.decide}`);
  await page.getByRole("button", { name: /作出答复/ }).click();
  await typeAndPickOption(page, dialog().getByRole("combobox").first(), "（一）予以公开");
  await dialog()
    .getByRole("radio", { name: /可以公开，向申请人提供/ })
    .check();
  await dialog().getByLabel("答复文号").fill("海东环公开〔2026〕7号");
  await dialog()
    .getByLabel(/^说明（/)
    .fill("所附材料为批复原件的扫描件。");
  const preview = page.getByTestId("letter-preview");
  await preview.getByText("海东环公开〔2026〕7号").waitFor();
  await preview.getByText("所附材料为批复原件的扫描件。").waitFor();
  await preview.getByText("附件：环评批复").waitFor();
  await preview
    .getByText(/第三十六条第（二）项/)
    .first()
    .waitFor();
  await shot("01-preview-follows-dialog");
  await page.getByTestId("letter-edit").click();
  const text = page.getByTestId("letter-text");
  await text.fill(`${await text.inputValue()}\n经办人补充：如需纸质件，请与本机关联系。`);
  await shot("02-preview-edited");
  await ok().click();
  await page.locator(".ant-card-head").getByText("已答复").waitFor();
  const issued = await issuedText(ids.decide, "reply");
  assert.ok(issued.includes("海东环公开〔2026〕7号"), issued);
  assert.ok(issued.includes("所附材料为批复原件的扫描件。"), issued);
  assert.ok(issued.includes("附件：环评批复"), issued);
  assert.ok(issued.includes("经办人补充：如需纸质件，请与本机关联系。"), "the edit is issued");

  // A reply that says 见附件 without an uploaded attachment: the dialog warns, the server refuses.
  await page.goto(`${server.baseUrl}/admin/#/requests/${ids.deliver}`);
  await page.getByText("政府信息公开申请答复告知书").first().waitFor();
  await page.getByRole("button", { name: /送达答复/ }).click();
  await page.getByTestId("attachment-warning").waitFor();
  await ok().click();
  await dialog()
    .getByText(/见附件/)
    .first()
    .waitFor();
  await shot("03-deliver-refused");
  assert.match((await dialog().locator(".ant-alert-error").textContent()) ?? "", /上传/);
  await dialog()
    .getByRole("button", { name: /取\s*消/ })
    .click();

  // The 补正告知书 is issued with the 补正 step.
  await page.goto(`${server.baseUrl}/admin/#/requests/${ids.correction}`);
  await page.getByRole("button", { name: /一次性告知补正/ }).click();
  await dialog().getByText("同时出具《政府信息公开申请补正告知书》").waitFor();
  await dialog()
    .getByLabel(/需要补正的事项/)
    .fill("请说明所需文件的名称或者文号");
  const deadline = new Date(Date.now() + 15 * 86_400_000).toISOString().slice(0, 10);
  await dialog().getByLabel("补正期限").fill(deadline);
  await ok().click();
  await dialog().waitFor({ state: "detached" });
  await page.locator(".ant-list-item", { hasText: "政府信息公开申请补正告知书" }).waitFor();
  assert.match(await issuedText(ids.correction, "correction"), /请说明所需文件的名称或者文号/);
  await shot("04-correction-letter");
  assert.deepEqual(
    consoleErrors.filter((e) => !e.includes("409")),
    [],
    "no console errors but the refused delivery",
  );
}
