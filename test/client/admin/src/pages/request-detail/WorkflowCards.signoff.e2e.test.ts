/**
 * End to end in headless Chromium (issue 17): the agency admin requires 拟办、审核、签发 for 不予公开;
 * the handler drafts the reply by following the decision guide (the guide sets and locks the
 * outcome), the reviewer returns it with a reason, the handler redrafts with an edited letter, the
 * reviewer approves, the signer signs it off, and the reviewer issues the reply with the signed
 * text. Screenshots go to test-output/admin-signoff/.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, test } from "node:test";
import type { Page } from "playwright-core";
import { Agency, type AgencyDoc } from "../../../../../../server/models/Agency.ts";
import { DisclosureRequest } from "../../../../../../server/models/DisclosureRequest.ts";
import { createPersonalDataCipher } from "../../../../../../server/security/personalData.ts";
import { buildAgency, buildStaff } from "../../../../../factories/people.ts";
import { buildRequest } from "../../../../../factories/requests.ts";
import { ensureAdminBuilt, screenshots, signIn as signInAs } from "../../../../../support/adminE2e.ts";
import { launchTestBrowser, type TestBrowser } from "../../../../../support/browser.ts";
import { readDocx } from "../../../../../support/docx.ts";
import { startTestServer, type TestServer } from "../../../../../support/testServer.ts";

const cipher = createPersonalDataCipher(randomBytes(32));

type Person = "admin" | "handler" | "reviewer" | "signer" | "registrar";
let server: TestServer;
let browser: TestBrowser;
let page: Page;
let bureau: AgencyDoc;
let requestId = "";
let assignedId = "";
const logins = {} as Record<Person, { username: string; password: string }>;

const shot = screenshots("admin-signoff", () => page);
const dialog = () => page.getByRole("dialog");
const ok = () => dialog().getByRole("button", { name: /确\s*定/ });
const ADDED = "经复核，该信息系本机关内部管理制度，不对外产生约束力。";

before(async () => {
  ensureAdminBuilt();
  server = await startTestServer();
  const city = await buildAgency({ code: "HDS", name: "海东市人民政府", level: "government" });
  bureau = await buildAgency({ code: "HDSTHJ", name: "海东市生态环境局", parent: city });
  const names: Record<Person, string> = {
    admin: "祁管理",
    handler: "李承办",
    reviewer: "张审核",
    registrar: "马登记",
    signer: "王签发",
  };
  for (const person of Object.keys(names) as Person[]) {
    const user = await buildStaff([{ agency: bureau, role: person }], { displayName: names[person] });
    logins[person] = { username: user.username, password: user.password };
  }
  requestId = String((await buildRequest(bureau, cipher, { today: "2026-01-01" }))._id);
  assignedId = String((await buildRequest(bureau, cipher, { today: "2026-01-01" }))._id);
  browser = await launchTestBrowser("admin-signoff", { width: 1440, height: 1100 });
  page = browser.page;
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test("draft → 返工 → redraft → 审核 → 签发 → issue, with the guide choosing the outcome", async () => {
  try {
    await walkThrough();
  } catch (error) {
    await shot("99-failure").catch(() => undefined);
    throw error;
  }
});

test("签收/退回: the handler returns an assignment with a reason; the registrar finds it in the queue", async () => {
  try {
    await signIn("registrar");
    await page.goto(`${server.baseUrl}/admin/#/requests/${assignedId}`);
    await page.getByRole("combobox", { name: "指派承办人" }).focus();
    await page.keyboard.press("ArrowDown");
    await page.locator(".ant-select-item-option").filter({ hasText: "李承办" }).click();
    await page.getByTestId("assignment-status").filter({ hasText: "待签收" }).waitFor();

    await signIn("handler");
    await page.goto(`${server.baseUrl}/admin/#/requests/${assignedId}`);
    await page.getByRole("button", { name: /^签\s*收$/ }).waitFor();
    await page.getByRole("button", { name: /^退\s*回$/ }).click();
    await dialog().getByLabel("退回理由").fill("不属于本人承办范围，请改派");
    await dialog()
      .getByRole("button", { name: /^退\s*回$/ })
      .click();
    await page.getByTestId("assignment-returned").filter({ hasText: "不属于本人承办范围，请改派" }).waitFor();
    await shot("07-assignment-returned");

    await signIn("registrar");
    await page.goto(`${server.baseUrl}/admin/#/requests?assignment=returned`);
    const row = page.locator(".ant-table-row").filter({ has: page.getByTestId("returned-marker") });
    await row.first().waitFor();
    assert.equal(await page.locator(".ant-table-row").count(), 1, "only the returned application");
    assert.equal(
      await row.getByTestId("returned-marker").getAttribute("title"),
      "退回理由：不属于本人承办范围，请改派",
    );
    await shot("08-registrar-queue-returned");
  } catch (error) {
    await shot("98-failure").catch(() => undefined);
    throw error;
  }
});

async function signIn(person: Person): Promise<void> {
  await signInAs(page, server.baseUrl, logins[person]);
}

async function openRequest(): Promise<void> {
  await page.goto(`${server.baseUrl}/admin/#/requests/${requestId}`);
  await page.getByTestId("event-buttons").waitFor();
}

/** The stage badge of the sign-off chain on the detail page. */
async function expectStage(label: string): Promise<void> {
  await page.getByTestId("signoff-stage").filter({ hasText: label }).waitFor();
}

/** Answers the guide: 内容明确, 是政府信息, 本机关负责, 存在, 不予公开：内部事务信息. */
async function followGuide(): Promise<void> {
  const answer = async (question: string, name: RegExp) =>
    dialog().getByTestId(`guide-${question}`).getByRole("radio", { name }).check();
  await answer("correction", /申请内容明确，可以办理/);
  await answer("governmentInfo", /^是政府信息$/);
  await answer("responsible", /^由本机关负责公开$/);
  await answer("exists", /^存在，本机关现有$/);
  await answer("disclosable", /不予公开：属于三类内部事务信息/);
  await dialog().getByTestId("guide-result").filter({ hasText: "5.属于三类内部事务信息" }).waitFor();
}

async function walkThrough(): Promise<void> {
  // The agency admin requires 拟办、审核、签发 for every 不予公开.
  await signIn("admin");
  await page.goto(`${server.baseUrl}/admin/#/system`);
  await page.getByRole("tab", { name: "机关" }).click();
  await page
    .getByRole("row", { name: /海东市生态环境局/ })
    .getByRole("button", { name: "编辑" })
    .click();
  // The tall dialog is still settling when it opens; the keyboard opens the picker without a click.
  await dialog().getByRole("combobox", { name: "（三）不予公开的审核签发环节" }).focus();
  await page.keyboard.press("ArrowDown");
  await page.locator(".ant-select-item-option").filter({ hasText: "拟办、审核、签发" }).click();
  await dialog().locator(".ant-select-selection-item").filter({ hasText: "拟办、审核、签发" }).waitFor();
  await shot("01-admin-setting");
  await dialog()
    .getByRole("button", { name: /保\s*存/ })
    .click();
  await dialog().waitFor({ state: "hidden" });
  const saved = await Agency.findById(bureau._id).lean();
  assert.equal(saved?.signOffPolicy?.withheld, "signOff");

  // The handler drafts by following the guide; the guide locks the outcome it leads to.
  await signIn("handler");
  await openRequest();
  assert.equal(await page.getByRole("button", { name: "作出答复" }).count(), 0, "handlers do not answer");
  await page.getByRole("button", { name: /^拟\s*办$/ }).click();
  await followGuide();
  assert.equal(
    await dialog().locator(".ant-select-disabled").filter({ hasText: "5.属于三类内部事务信息" }).count(),
    1,
    "the outcome picker shows the guide's outcome and is locked",
  );
  await dialog()
    .getByLabel(/^说明（/)
    .fill("属于本机关内部管理信息");
  await dialog()
    .getByTestId("letter-preview")
    .getByText(/第十六条/)
    .first()
    .waitFor();
  await shot("02-draft-with-guide");
  await ok().click();
  await dialog().waitFor({ state: "hidden" });
  await expectStage("拟办待审核");

  // The reviewer returns it with a reason; there is no 答复 button while a draft waits.
  await signIn("reviewer");
  await openRequest();
  await expectStage("拟办待审核");
  assert.equal(await page.getByRole("button", { name: "作出答复" }).count(), 0);
  await page.getByRole("button", { name: "退回返工" }).click();
  await dialog()
    .getByTestId("draft-card")
    .getByText(/拟办：/)
    .waitFor();
  await dialog()
    .getByLabel(/^退回理由/)
    .fill("请写明该信息不对外产生约束力");
  await ok().click();
  await dialog().waitFor({ state: "hidden" });
  await expectStage("已退回返工");
  await page.getByText("退回返工（理由：请写明该信息不对外产生约束力）").waitFor();
  await shot("03-returned");

  // The handler redrafts, adding the sentence the reviewer asked for to the letter.
  await signIn("handler");
  await openRequest();
  await page.getByRole("button", { name: /^拟\s*办$/ }).click();
  await followGuide();
  await dialog()
    .getByLabel(/^说明（/)
    .fill("属于本机关内部管理信息");
  await dialog()
    .getByTestId("letter-preview")
    .getByText(/第十六条/)
    .first()
    .waitFor();
  await dialog().getByTestId("letter-edit").click();
  const text = dialog().getByTestId("letter-text");
  const current = await text.inputValue();
  const lines = current.split("\n");
  lines.splice(lines.length - 1, 0, ADDED);
  await text.fill(lines.join("\n"));
  await ok().click();
  await dialog().waitFor({ state: "hidden" });
  await expectStage("拟办待审核");

  // The reviewer approves; 签发 is still needed before the reply.
  await signIn("reviewer");
  await openRequest();
  await page.getByRole("button", { name: "审核通过" }).click();
  await dialog().getByTestId("draft-card").getByText(ADDED).waitFor();
  await dialog().getByLabel("审核意见").fill("同意");
  await ok().click();
  await dialog().waitFor({ state: "hidden" });
  await expectStage("审核通过待签发");
  assert.equal(await page.getByRole("button", { name: "作出答复" }).count(), 0, "no reply before 签发");

  // The signer reads the text and signs it off.
  await signIn("signer");
  await openRequest();
  await page.getByRole("button", { name: /^签\s*发$/ }).click();
  await dialog().getByTestId("draft-card").getByText(ADDED).waitFor();
  await shot("04-sign-off");
  await ok().click();
  await dialog().waitFor({ state: "hidden" });
  await expectStage("已签发");

  // The reviewer issues the reply as signed, with the 答复告知书.
  await signIn("reviewer");
  await openRequest();
  await page.getByRole("button", { name: "作出答复" }).click();
  await dialog().getByTestId("draft-card").getByText(ADDED).waitFor();
  await shot("05-issue-signed");
  await ok().click();
  await dialog().waitFor({ state: "hidden" });
  await page.locator(".ant-card-head").getByText("已答复").waitFor();
  await shot("06-decided");

  const stored = await DisclosureRequest.findById(requestId).lean();
  assert.equal(stored?.outcome, "withheld.internalAffairs");
  assert.deepEqual(
    stored?.events.map((e) => [e.type, e.actorName]),
    [
      ["register", stored?.events[0]?.actorName],
      ["draftDecision", "李承办"],
      ["returnDraft", "张审核"],
      ["draftDecision", "李承办"],
      ["approveDraft", "张审核"],
      ["signOff", "王签发"],
      ["decide", "张审核"],
    ],
  );
  const reply = stored?.documents.find((d) => d.kind === "reply");
  assert.ok(reply, "the reply letter was issued");
  const download = await page.request.get(
    `${server.baseUrl}/api/requests/${requestId}/documents/${reply._id}`,
  );
  assert.equal(download.status(), 200);
  const letter = readDocx(Buffer.from(await download.body())).text;
  assert.ok(letter.includes(ADDED), letter);
}
