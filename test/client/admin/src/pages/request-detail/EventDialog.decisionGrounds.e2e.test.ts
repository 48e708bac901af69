/**
 * End to end in headless Chromium (issue 14): the decision dialog offers the grounds a court expects —
 * 36(一) 已主动公开 linked to a catalogue item, 36(四) 不存在 and 36(五) 非本机关负责 with the
 * responsible agency picked from the tree — refuses an incomplete 36(五) choice with the field's
 * Chinese message, and the agencies tab shows each agency's 行政复议机关.
 * Screenshots go to test-output/admin-grounds/.
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
import { InfoItem } from "../../../../../../server/models/InfoItem.ts";
import { createPersonalDataCipher } from "../../../../../../server/security/personalData.ts";
import { buildAgency, buildStaff } from "../../../../../factories/people.ts";
import { buildRequest } from "../../../../../factories/requests.ts";
import { launchTestBrowser, type TestBrowser, typeAndPickOption } from "../../../../../support/browser.ts";
import { startTestServer, type TestServer } from "../../../../../support/testServer.ts";

const root = resolve(import.meta.dirname, "../../../../../..");
const shots = join(root, "test-output/admin-grounds");
const cipher = createPersonalDataCipher(randomBytes(32));

let server: TestServer;
let browser: TestBrowser;
let page: Page;
let login: { username: string; password: string };
let bureau: AgencyDoc;
const ids: Record<"published" | "missing" | "repeat", string> = { published: "", missing: "", repeat: "" };

const shot = (name: string) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
const dialog = () => page.getByRole("dialog");
const ok = () => dialog().getByRole("button", { name: /确\s*定/ });

before(async () => {
  if (!existsSync(join(root, "client/admin/dist/index.html")))
    execFileSync("npx", ["vite", "build"], { cwd: join(root, "client/admin"), stdio: "inherit" });
  mkdirSync(shots, { recursive: true });
  server = await startTestServer();
  const city = await buildAgency({ code: "HDS", name: "海东市人民政府", level: "government" });
  bureau = await buildAgency({ code: "HDSTHJ", name: "海东市生态环境局", parent: city });
  await buildAgency({ code: "HZWJ", name: "互助县卫生健康局", parent: city });
  await InfoItem.create({
    agencyId: bureau._id,
    indexNo: "HDSTHJ-2024-000031",
    title: "海东市2023年度生态环境状况公报",
    category: "agencyInfo",
    formedDate: "2024-05-20",
    publishedDate: "2024-06-05",
    publishedYear: 2024,
    status: "published",
  });
  const roles = (["registrar", "handler", "reviewer", "admin"] as const).map((role) => ({
    agency: bureau,
    role,
  }));
  login = await buildStaff(roles, { displayName: "李审核" });
  ids.published = String((await buildRequest(bureau, cipher, { today: "2026-01-01" }))._id);
  ids.missing = String((await buildRequest(bureau, cipher, { today: "2026-01-01" }))._id);
  ids.repeat = String((await buildRequest(bureau, cipher, { today: "2026-01-01" }))._id);
  browser = await launchTestBrowser("admin-grounds", { width: 1440, height: 1000 });
  page = browser.page;
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test("the decision dialog offers 36(一), 36(四) and 36(五), and the agencies tab names the 复议机关", async () => {
  try {
    await walkThrough();
  } catch (error) {
    await shot("99-failure").catch(() => undefined);
    throw error;
  }
});

async function pickOutcome(label: string): Promise<void> {
  await typeAndPickOption(page, dialog().getByRole("combobox").first(), label);
}

async function replyText(id: string): Promise<string> {
  const response = await page.request.get(`${server.baseUrl}/api/requests/${id}/letters/reply/preview`);
  assert.equal(response.status(), 200);
  return ((await response.json()) as { data: { paragraphs: string[] } }).data.paragraphs.join("\n");
}

async function walkThrough(): Promise<void> {
  await page.goto(`${server.baseUrl}/admin/`);
  await page.getByLabel("用户名").fill(login.username);
  await page.getByLabel("密码").fill(login.password);
  await page.getByRole("button", { name: /登\s*录/ }).click();
  await page.getByRole("heading", { name: "工作台" }).waitFor();

  // 36(一): 予以公开 → 已主动公开, linked to the catalogue item.
  await page.goto(`${server.baseUrl}/admin/#/requests/${ids.published}`);
  await page.getByRole("button", { name: /作出答复/ }).click();
  await pickOutcome("（一）予以公开");
  await dialog()
    .getByRole("radio", { name: /已主动公开，告知获取方式、途径/ })
    .check();
  await typeAndPickOption(page, dialog().getByLabel("政府信息公开目录条目"), "HDSTHJ-2024-000031");
  await shot("01-already-public");
  await dialog()
    .getByText(/同时出具/)
    .click(); // the letter is read back below, not issued here
  await ok().click();
  await page.locator(".ant-card-head").getByText("已答复").waitFor();
  const published = await replyText(ids.published);
  assert.ok(
    published.includes(
      "经审查，您申请获取的政府信息已经主动公开。根据《条例》第三十六条第（一）项的规定，现告知您获取该政府信息的方式、途径：",
    ),
    published,
  );
  assert.ok(published.includes("索引号：HDSTHJ-2024-000031，名称：“海东市2023年度生态环境状况公报”"));

  // 36(五) without naming the agency is refused in the dialog; then pick it from the tree.
  await page.goto(`${server.baseUrl}/admin/#/requests/${ids.missing}`);
  await page.getByRole("button", { name: /作出答复/ }).click();
  await pickOutcome("1.本机关不掌握相关政府信息");
  await dialog()
    .getByRole("radio", { name: /告知该政府信息不存在/ })
    .waitFor();
  await dialog()
    .getByRole("radio", { name: /不属于本机关负责公开，告知并说明理由/ })
    .check();
  await dialog()
    .getByLabel(/^说明（/)
    .fill("农村饮用水水质检测由卫生健康部门负责");
  await ok().click();
  await dialog()
    .getByText(
      "不属于本机关负责公开的，请从机关树中选择或者填写负责公开该政府信息的行政机关，或者选择“无法确定”",
    )
    .first()
    .waitFor();
  await shot("02-not-responsible-refused");
  await dialog().getByRole("radio", { name: "从机关树中选择" }).check();
  await typeAndPickOption(page, dialog().getByLabel("行政机关", { exact: true }), "互助县卫生健康局");
  await dialog().getByRole("radio", { name: "无法确定" }).waitFor();
  await shot("03-not-responsible-tree");
  await dialog()
    .getByText(/同时出具/)
    .click();
  await ok().click();
  await page.locator(".ant-card-head").getByText("已答复").waitFor();
  const missing = await replyText(ids.missing);
  assert.ok(
    missing.includes(
      "根据《条例》第三十六条第（五）项的规定，现告知您：负责公开该政府信息的行政机关为互助县卫生健康局，您可以向该行政机关提出政府信息公开申请。",
    ),
    missing,
  );
  assert.ok(missing.includes("向海东市人民政府申请行政复议"), missing);

  // The agencies tab shows the 行政复议机关 derived from the tree.
  await page.goto(`${server.baseUrl}/admin/#/system`);
  await page.getByRole("tab", { name: "机关" }).click();
  const body = page.getByTestId("review-body-HDSTHJ");
  await body.waitFor();
  assert.equal(await body.textContent(), "海东市人民政府");
  await shot("04-agencies-review-body");
}

test("a guide ending at 不予处理-重复申请 asks the four-point checklist before the reply can be made", async () => {
  try {
    await page.goto(`${server.baseUrl}/admin/#/requests/${ids.repeat}`);
    await page.getByRole("button", { name: /作出答复/ }).click();
    const answer = async (question: string, name: RegExp) =>
      dialog().getByTestId(`guide-${question}`).getByRole("radio", { name }).check();
    await answer("correction", /申请内容明确，可以办理/);
    await answer("governmentInfo", /不予处理：重复申请/);
    await dialog().getByTestId("guide-result").filter({ hasText: "2.重复申请" }).waitFor();
    const checklist = dialog().getByTestId("duplicate-checklist");
    await checklist.waitFor();
    const points = ["同一申请人", "向同一行政机关提出", "申请公开同一政府信息", "事实和理由未发生变化"];
    for (const point of points) await checklist.getByRole("checkbox", { name: point }).waitFor();
    assert.equal(await ok().isDisabled(), true, "no reply before the checklist is ticked");
    for (const point of points.slice(0, 3)) await checklist.getByRole("checkbox", { name: point }).check();
    assert.equal(await ok().isDisabled(), true, "three points of four are not enough");
    await shot("05-duplicate-three-of-four");
    await checklist.getByRole("checkbox", { name: points[3] ?? "" }).check();
    assert.equal(await ok().isEnabled(), true, "all four ticked: the reply can be made");
    await shot("06-duplicate-checklist-complete");
    await dialog()
      .getByText(/同时出具/)
      .click();
    await ok().click();
    await page.locator(".ant-card-head").getByText("已答复").waitFor();
    const stored = await DisclosureRequest.findById(ids.repeat).lean();
    assert.equal(stored?.outcome, "notProcessed.duplicate");
    assert.deepEqual(stored?.events.at(-1)?.payload?.duplicateChecklist, {
      sameApplicant: true,
      sameAgency: true,
      sameInformation: true,
      factsUnchanged: true,
    });
  } catch (error) {
    await shot("98-failure").catch(() => undefined);
    throw error;
  }
});
