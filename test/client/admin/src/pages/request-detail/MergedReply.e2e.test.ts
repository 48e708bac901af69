/**
 * End to end in headless Chromium (issue 17, item 6): 合并答复 through the real page. The same
 * applicant has two open applications at 海东市生态环境局; on the first one's page the reviewer picks
 * the second, answers each with its own outcome (予以公开; 本机关不掌握, 经检索不存在) under one 文号, and
 * issues one 答复告知书. Both applications are answered with their own outcome, each page names the
 * other, and the one letter (the DOCX read back) answers each application under its 编号.
 * Screenshots go to test-output/admin-merged-reply/.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, test } from "node:test";
import type { Page } from "playwright-core";
import {
  DisclosureRequest,
  type DisclosureRequestDoc,
} from "../../../../../../server/models/DisclosureRequest.ts";
import { createPersonalDataCipher } from "../../../../../../server/security/personalData.ts";
import { buildAgency, buildStaff } from "../../../../../factories/people.ts";
import { buildRequest } from "../../../../../factories/requests.ts";
import { ensureAdminBuilt, screenshots, signIn } from "../../../../../support/adminE2e.ts";
import { launchTestBrowser, type TestBrowser, typeAndPickOption } from "../../../../../support/browser.ts";
import { readDocx } from "../../../../../support/docx.ts";
import { startTestServer, type TestServer } from "../../../../../support/testServer.ts";

const cipher = createPersonalDataCipher(randomBytes(32));
const LETTER_NO = "海东生环依复〔2026〕18号";

let server: TestServer;
let browser: TestBrowser;
let page: Page;
let login: { username: string; password: string };
let first: DisclosureRequestDoc;
let second: DisclosureRequestDoc;

const shot = screenshots("admin-merged-reply", () => page);
const dialog = () => page.getByRole("dialog");

before(async () => {
  ensureAdminBuilt();
  server = await startTestServer();
  const city = await buildAgency({ code: "HDS", name: "海东市人民政府", level: "government" });
  const bureau = await buildAgency({ code: "HDSTHJ", name: "海东市生态环境局", parent: city });
  login = await buildStaff(
    (["registrar", "handler", "reviewer", "admin"] as const).map((role) => ({ agency: bureau, role })),
    { displayName: "李审核" },
  );
  first = await buildRequest(bureau, cipher, {
    today: "2026-01-01",
    input: { description: "2025年乐都区大气污染防治专项资金分配结果" },
  });
  second = await buildRequest(bureau, cipher, {
    today: "2026-01-01",
    input: { description: "2025年乐都区大气污染防治专项资金审计报告原件" },
  });
  browser = await launchTestBrowser("admin-merged-reply", { width: 1440, height: 1100 });
  page = browser.page;
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test("合并答复: one letter answers two applications, each keeping its own outcome", async () => {
  try {
    await walkThrough();
  } catch (error) {
    await shot("99-failure").catch(() => undefined);
    throw error;
  }
});

async function walkThrough(): Promise<void> {
  await signIn(page, server.baseUrl, login);
  await page.goto(`${server.baseUrl}/admin/#/requests/${first._id}`);
  const card = page.getByTestId("merge-card");
  await card.getByText(second.serialNo).waitFor();
  await card.getByRole("checkbox", { name: `合并答复 ${second.serialNo}` }).check();
  await shot("01-merge-card");
  await card.getByRole("button", { name: /合并答复（共2件）/ }).click();

  await dialog().getByLabel("答复文号（一份答复告知书）").fill(LETTER_NO);
  const partOne = dialog().getByTestId(`merge-part-${first.serialNo}`);
  const partTwo = dialog().getByTestId(`merge-part-${second.serialNo}`);
  await typeAndPickOption(page, partOne.getByRole("combobox").first(), "（一）予以公开");
  await partOne.getByRole("radio", { name: /可以公开，向申请人提供/ }).check();
  await typeAndPickOption(page, partTwo.getByRole("combobox").first(), "1.本机关不掌握相关政府信息");
  await partTwo.getByRole("radio", { name: /告知该政府信息不存在/ }).check();
  await partTwo.getByLabel(/^说明/).fill("经检索，本机关未制作、获取专项资金审计报告原件");
  await shot("02-merge-dialog");
  await dialog()
    .getByRole("button", { name: /确\s*定/ })
    .click();
  await dialog().waitFor({ state: "hidden" });

  // This page: answered, naming the other application; the one letter is issued here.
  const named = page.getByTestId("merged-with");
  await named.waitFor();
  assert.match((await named.textContent()) ?? "", new RegExp(escapeRe(second.serialNo)));
  await page
    .getByText(new RegExp(`与${escapeRe(second.serialNo)}合并答复`))
    .first()
    .waitFor();
  await shot("03-first-answered");

  const [a, b] = await Promise.all([
    DisclosureRequest.findById(first._id).lean(),
    DisclosureRequest.findById(second._id).lean(),
  ]);
  assert.equal(a?.state, "decided");
  assert.equal(b?.state, "decided");
  assert.equal(a?.outcome, "granted", "the first keeps its own outcome");
  assert.equal(b?.outcome, "unable.notHeld", "the second keeps its own outcome");
  const replies = [...(a?.documents ?? []), ...(b?.documents ?? [])].filter((d) => d.kind === "reply");
  assert.equal(replies.length, 1, "one letter for both");
  const reply = replies[0];
  assert.ok(reply);
  const download = await page.request.get(
    `${server.baseUrl}/api/requests/${first._id}/documents/${reply._id}`,
  );
  assert.equal(download.status(), 200);
  const letter = readDocx(Buffer.from(await download.body())).text;
  assert.ok(letter.includes(LETTER_NO), letter);
  assert.ok(letter.includes("上述2件申请系您向本机关提出的相关申请，本机关合并答复"), letter);
  assert.ok(letter.includes(`一、关于申请编号${first.serialNo}的申请（予以公开）`), letter);
  assert.ok(letter.includes(`二、关于申请编号${second.serialNo}的申请（本机关不掌握相关政府信息）`), letter);
  assert.ok(letter.includes("经检索，本机关未制作、获取专项资金审计报告原件"), letter);

  // The other page names this one, on the timeline and in the card.
  await page.goto(`${server.baseUrl}/admin/#/requests/${second._id}`);
  // The hash route changes without a reload: wait for this page's card, which names the first.
  const namesFirst = page.getByTestId("merged-with").filter({ hasText: first.serialNo });
  await namesFirst.waitFor();
  assert.match((await namesFirst.textContent()) ?? "", /答复告知书在合并答复的申请中出具/);
  await page
    .getByText(new RegExp(`与${escapeRe(first.serialNo)}合并答复`))
    .first()
    .waitFor();
  await shot("04-second-answered");
}

function escapeRe(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
