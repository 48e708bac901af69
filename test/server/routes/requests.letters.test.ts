/**
 * Letters and deadlines a court would uphold (issue 14), over real HTTP against the embedded database:
 * each item with the sentences a lawyer expects, written out by hand.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { AgencyNodeDto } from "@govinfo/shared/schemas/agency";
import type { LetterModelDto } from "@govinfo/shared/schemas/documents";
import { duplicateChecklistComplete } from "@govinfo/shared/schemas/requestEvent";
import { Agency, type AgencyDoc } from "../../../server/models/Agency.ts";
import { InfoItem } from "../../../server/models/InfoItem.ts";
import { buildAgency, buildStaff } from "../../factories/people.ts";
import { type Client, loginStaff } from "../../support/clients.ts";
import { startTestServer, type TestServer } from "../../support/testServer.ts";
import { detail, fails, fire, fireOk, ok, registration } from "./requests.support.ts";

let server: TestServer;
let city: AgencyDoc;
let bureau: AgencyDoc;
let county: AgencyDoc;
let health: AgencyDoc;
let tax: AgencyDoc;
/** Staff of 海东市生态环境局 (a department of 海东市人民政府). */
let staff: { registrar: Client; handler: Client; reviewer: Client; admin: Client };
/** Reviewer of 海东市乐都区人民政府 (a government below 海东市人民政府). */
let countyStaff: { registrar: Client; reviewer: Client };
let taxStaff: { registrar: Client; reviewer: Client; admin: Client };

async function clients<R extends "registrar" | "handler" | "reviewer" | "admin">(
  agency: AgencyDoc,
  roles: R[],
) {
  const entries = await Promise.all(
    roles.map(async (role) => {
      const user = await buildStaff([{ agency, role }]);
      return [role, await loginStaff(server, user.username, user.password)] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<R, Client>;
}

before(async () => {
  server = await startTestServer();
  const province = await buildAgency({ name: "青海省人民政府", level: "government" });
  city = await buildAgency({ name: "海东市人民政府", level: "government", parent: province });
  bureau = await buildAgency({ name: "海东市生态环境局", parent: city });
  county = await buildAgency({ name: "海东市乐都区人民政府", level: "government", parent: city });
  health = await buildAgency({ name: "互助县卫生健康局", parent: city });
  await Agency.updateOne(
    { _id: health._id },
    { $set: { letterhead: { title: "", address: "互助县威远镇1号", phone: "0972-8321234", postcode: "" } } },
  );
  const provincialTax = await buildAgency({ name: "国家税务总局青海省税务局", parent: province });
  tax = await buildAgency({ name: "国家税务总局海东市税务局", parent: provincialTax });
  staff = await clients(bureau, ["registrar", "handler", "reviewer", "admin"]);
  countyStaff = await clients(county, ["registrar", "reviewer"]);
  taxStaff = await clients(tax, ["registrar", "reviewer", "admin"]);
});
after(async () => {
  await server.close();
});

async function registerAt(client: Client, agency: AgencyDoc, receiptDate: string): Promise<string> {
  return ok<{ id: string }>(
    await client.post("/api/requests/register", registration(agency, receiptDate)),
    201,
  ).id;
}

async function replyLetter(client: Client, id: string): Promise<LetterModelDto> {
  return ok<LetterModelDto>(await client.get(`/api/requests/${id}/letters/reply/preview`));
}

async function letter(client: Client, id: string, kind: string): Promise<LetterModelDto> {
  return ok<LetterModelDto>(await client.get(`/api/requests/${id}/letters/${kind}/preview`));
}

const remedy2024 = (organ: string, article: string) =>
  `如您对本答复不服，可以自知道该行政行为之日起60日内，向${organ}申请行政复议（《中华人民共和国行政复议法》第二十条、${article}）；也可以自知道该行政行为之日起6个月内，依法向人民法院提起行政诉讼（《中华人民共和国行政诉讼法》第四十六条第一款）。`;

describe("item 1: 本机关不掌握 (36(四)) and 非本机关负责公开 (36(五)) are two letters", () => {
  it("36(四) says the information does not exist, and nothing about another agency", async () => {
    const id = await registerAt(staff.registrar, bureau, "2025-03-03");
    const done = await fireOk(staff.reviewer, id, {
      type: "decide",
      date: "2025-03-20",
      outcome: "unable.notHeld",
      ground: "notExist",
    });
    assert.equal(done.outcome, "unable.notHeld", "counted in table 三 （四）1");
    const { paragraphs } = await replyLetter(staff.reviewer, id);
    assert.ok(
      paragraphs.includes(
        "经检索，本机关没有您申请公开的政府信息。根据《条例》第三十六条第（四）项的规定，现告知您该政府信息不存在。",
      ),
      paragraphs.join("\n"),
    );
    assert.ok(!paragraphs.join("").includes("不属于本机关负责公开"), "never the either/or");
    assert.ok(paragraphs.includes(remedy2024("海东市人民政府", "第二十四条第一款第（一）项")));
  });

  it("36(五) names the agency picked from the tree with the contact of its letterhead", async () => {
    const id = await registerAt(staff.registrar, bureau, "2025-03-03");
    const done = await fireOk(staff.reviewer, id, {
      type: "decide",
      date: "2025-03-20",
      outcome: "unable.notHeld",
      ground: "notResponsible",
      note: "农村饮用水水质检测由卫生健康部门负责",
      responsibleAgencyId: String(health._id),
    });
    assert.equal(done.outcome, "unable.notHeld", "also counted in table 三 （四）1");
    const { paragraphs } = await replyLetter(staff.reviewer, id);
    assert.deepEqual(paragraphs.slice(2, 5), [
      "经审查，您申请公开的政府信息不属于本机关负责公开，理由如下：",
      "农村饮用水水质检测由卫生健康部门负责。",
      "根据《条例》第三十六条第（五）项的规定，现告知您：负责公开该政府信息的行政机关为互助县卫生健康局（地址：互助县威远镇1号；电话：0972-8321234），您可以向该行政机关提出政府信息公开申请。",
    ]);
  });

  it("36(五) with a typed agency, and with the explicit choice 无法确定", async () => {
    const typed = await registerAt(staff.registrar, bureau, "2025-03-03");
    await fireOk(staff.reviewer, typed, {
      type: "decide",
      date: "2025-03-20",
      outcome: "unable.notHeld",
      ground: "notResponsible",
      note: "该审批文件由省生态环境厅作出",
      responsibleAgencyName: "青海省生态环境厅",
      responsibleAgencyContact: "0971-8254321",
    });
    assert.ok(
      (await replyLetter(staff.reviewer, typed)).paragraphs.includes(
        "根据《条例》第三十六条第（五）项的规定，现告知您：负责公开该政府信息的行政机关为青海省生态环境厅（联系方式：0971-8254321），您可以向该行政机关提出政府信息公开申请。",
      ),
    );
    const unknown = await registerAt(staff.registrar, bureau, "2025-03-03");
    await fireOk(staff.reviewer, unknown, {
      type: "decide",
      date: "2025-03-20",
      outcome: "unable.notHeld",
      ground: "notResponsible",
      note: "本机关不履行该项管理职能",
      responsibleUndetermined: true,
    });
    assert.ok(
      (await replyLetter(staff.reviewer, unknown)).paragraphs.includes(
        "根据《条例》第三十六条第（五）项的规定，现告知您：本机关无法确定负责公开该政府信息的行政机关。",
      ),
    );
  });

  it("refuses a decision missing what its ground needs, with a field-level message, and writes nothing", async () => {
    const id = await registerAt(staff.registrar, bureau, "2025-03-03");
    const before = await detail(staff.reviewer, id);
    const cases: [Record<string, unknown>, string, string][] = [
      [
        { outcome: "unable.notHeld" },
        "ground",
        "请选择答复依据：经检索没有该政府信息（第三十六条第（四）项），或者不属于本机关负责公开（第三十六条第（五）项）",
      ],
      [
        { outcome: "unable.notHeld", ground: "notResponsible", note: "不属于本机关职责" },
        "responsibleAgency",
        "不属于本机关负责公开的，请从机关树中选择或者填写负责公开该政府信息的行政机关，或者选择“无法确定”",
      ],
      [
        { outcome: "granted", ground: "alreadyPublic" },
        "location",
        "已主动公开的，请关联政府信息公开目录中的条目，或者填写获取该政府信息的方式、途径",
      ],
      [
        {
          outcome: "unable.notHeld",
          ground: "notResponsible",
          note: "不属于本机关职责",
          responsibleAgencyId: String(bureau._id),
        },
        "responsibleAgency",
        "负责公开的行政机关不能是本机关",
      ],
    ];
    for (const [fields, path, message] of cases) {
      const error = fails(
        await fire(staff.reviewer, id, { type: "decide", date: "2025-03-20", ...fields }),
        400,
      );
      assert.equal(error.message, message);
      assert.deepEqual(error.details?.fields, [{ path, message }]);
    }
    const after = await detail(staff.reviewer, id);
    assert.equal(after.version, before.version, "nothing written");
    assert.equal(after.state, "received");
  });
});

describe("item 2: the right 复议机关, named, with the law in force on the decision date", () => {
  it("derives it from the tree (department → 本级人民政府; government → 上一级人民政府; vertical → 上一级主管部门)", async () => {
    await ok(await taxStaff.admin.patch(`/api/agencies/${tax._id}`, { verticallyManaged: true }));
    const [bureauNode] = ok<AgencyNodeDto[]>(await staff.admin.get("/api/agencies/tree"));
    assert.equal(bureauNode?.reviewBody.name, "海东市人民政府");
    assert.equal(
      bureauNode?.reviewBody.rule,
      "部门的行政行为由本级人民政府管辖（《中华人民共和国行政复议法》第二十四条第一款第（一）项）",
    );
    const [taxNode] = ok<AgencyNodeDto[]>(await taxStaff.admin.get("/api/agencies/tree"));
    assert.equal(taxNode?.reviewBody.name, "国家税务总局青海省税务局");

    const countyId = await registerAt(countyStaff.registrar, county, "2025-03-03");
    await fireOk(countyStaff.reviewer, countyId, {
      type: "decide",
      date: "2025-03-20",
      outcome: "notProcessed.duplicate",
      duplicateChecklist: duplicateChecklistComplete,
    });
    assert.ok(
      (await replyLetter(countyStaff.reviewer, countyId)).paragraphs.includes(
        remedy2024("海东市人民政府", "第二十四条第一款第（二）项"),
      ),
    );
    const taxId = await registerAt(taxStaff.registrar, tax, "2025-03-03");
    await fireOk(taxStaff.reviewer, taxId, {
      type: "decide",
      date: "2025-03-20",
      outcome: "unable.needsCreation",
    });
    assert.ok(
      (await replyLetter(taxStaff.reviewer, taxId)).paragraphs.includes(
        remedy2024("国家税务总局青海省税务局", "第二十七条"),
      ),
    );
  });

  it("不予公开 since 2024 is 复议前置 (Art. 23 ¶1 (四)); the same refusal in 2023 offers review or suit", async () => {
    const now = await registerAt(staff.registrar, bureau, "2025-03-03");
    await fireOk(staff.reviewer, now, {
      type: "decide",
      date: "2025-03-20",
      outcome: "withheld.processInfo",
    });
    assert.ok(
      (await replyLetter(staff.reviewer, now)).paragraphs.includes(
        "根据《中华人民共和国行政复议法》第二十三条第一款第（四）项的规定，申请政府信息公开，行政机关不予公开的，应当先向行政复议机关申请行政复议。如您对本答复不服，可以自知道该行政行为之日起60日内，向海东市人民政府申请行政复议（《中华人民共和国行政复议法》第二十条、第二十四条第一款第（一）项）；对行政复议决定不服的，可以自收到行政复议决定书之日起15日内，行政复议机关逾期不作决定的，可以自行政复议期满之日起15日内，依法向人民法院提起行政诉讼（《中华人民共和国行政诉讼法》第四十五条）。",
      ),
    );
    const then = await registerAt(staff.registrar, bureau, "2023-11-01");
    await fireOk(staff.reviewer, then, {
      type: "decide",
      date: "2023-11-20",
      outcome: "withheld.processInfo",
    });
    assert.ok(
      (await replyLetter(staff.reviewer, then)).paragraphs.includes(
        "如您对本答复不服，可以自知道该具体行政行为之日起60日内，向海东市人民政府或者上一级主管部门申请行政复议（《中华人民共和国行政复议法》（2017年修正）第九条第一款、第十二条第一款）；也可以自知道该行政行为之日起6个月内，依法向人民法院提起行政诉讼（《中华人民共和国行政诉讼法》第四十六条第一款）。",
      ),
    );
  });

  it("every closure against the applicant carries the remedy; a withdrawal does not", async () => {
    const closed = await registerAt(staff.registrar, bureau, "2025-03-03");
    await fireOk(staff.reviewer, closed, {
      type: "closeUnprocessed",
      date: "2025-03-20",
      outcome: "other.other",
      reason: "申请人提交的申请未载明身份证明，经联系无法补充",
    });
    assert.ok(
      (await replyLetter(staff.reviewer, closed)).paragraphs.includes(
        "如您对本告知不服，可以自知道该行政行为之日起60日内，向海东市人民政府申请行政复议（《中华人民共和国行政复议法》第二十条、第二十四条第一款第（一）项）；也可以自知道该行政行为之日起6个月内，依法向人民法院提起行政诉讼（《中华人民共和国行政诉讼法》第四十六条第一款）。",
      ),
    );
    const withdrawn = await registerAt(staff.registrar, bureau, "2025-03-03");
    await fireOk(staff.registrar, withdrawn, { type: "withdraw", date: "2025-03-20" });
    assert.ok(!(await replyLetter(staff.reviewer, withdrawn)).paragraphs.join("").includes("行政复议"));
  });

  it("lets the agency's administrator override it; letters then name the override", async () => {
    const patched = ok<AgencyNodeDto>(
      await staff.admin.patch(`/api/agencies/${bureau._id}`, {
        reviewBodyName: "海东市人民政府（行政复议机构：海东市司法局）",
      }),
    );
    assert.equal(patched.reviewBody.derivedName, "海东市人民政府");
    assert.equal(patched.reviewBody.name, "海东市人民政府（行政复议机构：海东市司法局）");
    const refused = fails(
      await staff.reviewer.patch(`/api/agencies/${bureau._id}`, { reviewBodyName: "某机关" }),
      403,
    );
    assert.equal(refused.message, "您的角色不能执行此操作");
    const id = await registerAt(staff.registrar, bureau, "2025-03-03");
    await fireOk(staff.reviewer, id, {
      type: "decide",
      date: "2025-03-20",
      outcome: "notProcessed.complaint",
    });
    assert.ok(
      (await replyLetter(staff.reviewer, id)).paragraphs.includes(
        "如您对本答复不服，可以自知道该行政行为之日起60日内，向海东市人民政府（行政复议机构：海东市司法局）申请行政复议（《中华人民共和国行政复议法》第二十条）；也可以自知道该行政行为之日起6个月内，依法向人民法院提起行政诉讼（《中华人民共和国行政诉讼法》第四十六条第一款）。",
      ),
    );
    await ok(await staff.admin.patch(`/api/agencies/${bureau._id}`, { reviewBodyName: "" }));
  });
});

describe("item 3: 已主动公开 (36(一)) tells where and how, linking the catalogue item", () => {
  it("cites 36(一), names the catalogue item, and counts as 予以公开", async () => {
    const item = await InfoItem.create({
      agencyId: bureau._id,
      indexNo: "HDSTHJ-2024-000031",
      title: "海东市2023年度生态环境状况公报",
      category: "agencyInfo",
      formedDate: "2024-05-20",
      publishedDate: "2024-06-05",
      publishedYear: 2024,
      status: "published",
    });
    const draft = await InfoItem.create({
      agencyId: bureau._id,
      indexNo: "HDSTHJ-2024-000032",
      title: "草稿",
      category: "agencyInfo",
      formedDate: "2024-05-20",
    });
    const id = await registerAt(staff.registrar, bureau, "2025-03-03");
    const unpublished = fails(
      await fire(staff.reviewer, id, {
        type: "decide",
        date: "2025-03-20",
        outcome: "granted",
        ground: "alreadyPublic",
        catalogueItemId: String(draft._id),
      }),
      400,
    );
    assert.equal(
      unpublished.message,
      "所关联的政府信息公开目录条目不存在或者尚未发布，不能据此告知已主动公开",
    );
    const done = await fireOk(staff.reviewer, id, {
      type: "decide",
      date: "2025-03-20",
      outcome: "granted",
      ground: "alreadyPublic",
      catalogueItemId: String(item._id),
    });
    assert.equal(done.outcome, "granted");
    const { paragraphs } = await replyLetter(staff.reviewer, id);
    assert.deepEqual(paragraphs.slice(2, 4), [
      "经审查，您申请获取的政府信息已经主动公开。根据《条例》第三十六条第（一）项的规定，现告知您获取该政府信息的方式、途径：",
      "该政府信息已于2024年6月5日在本机关政府信息公开目录中主动公开（索引号：HDSTHJ-2024-000031，名称：“海东市2023年度生态环境状况公报”），您可以在本机关政府信息公开平台“主动公开”栏目中按索引号或者名称查阅、下载。",
    ]);
    assert.ok(!paragraphs.join("").includes("行政复议"), "a grant offers no remedy");
  });
});

describe("item 4: letters say what happened", () => {
  it("a third-party refusal states the objection, or the silence and the agency's own decision (Art. 32)", async () => {
    const objected = await registerAt(staff.registrar, bureau, "2025-03-03");
    await fireOk(staff.handler, objected, {
      type: "startConsultation",
      date: "2025-03-05",
      party: "thirdParty",
      name: "海东某化工有限公司",
    });
    await fireOk(staff.handler, objected, {
      type: "endConsultation",
      date: "2025-03-14",
      result: "objected",
    });
    await fireOk(staff.reviewer, objected, {
      type: "decide",
      date: "2025-03-20",
      outcome: "withheld.thirdParty",
    });
    assert.equal(
      (await replyLetter(staff.reviewer, objected)).paragraphs[2],
      "经审查，您申请获取的政府信息涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害。本机关于2025年3月5日书面征求第三方意见。第三方于2025年3月14日书面答复不同意公开，理由合理。根据《条例》第十五条、第三十二条、第三十六条第（三）项的规定，本机关决定不予公开。",
    );

    const silent = await registerAt(staff.registrar, bureau, "2025-03-03");
    await fireOk(staff.handler, silent, {
      type: "startConsultation",
      date: "2025-03-05",
      party: "thirdParty",
      name: "某公司",
    });
    await fireOk(staff.handler, silent, { type: "endConsultation", date: "2025-03-26", result: "noReply" });
    await fireOk(staff.reviewer, silent, {
      type: "decide",
      date: "2025-03-27",
      outcome: "withheld.thirdParty",
    });
    assert.equal(
      (await replyLetter(staff.reviewer, silent)).paragraphs[2],
      "经审查，您申请获取的政府信息涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害。本机关于2025年3月5日书面征求第三方意见。第三方在收到征求意见函之日起15个工作日内未提出意见，本机关依照《条例》第三十二条的规定作出决定：根据《条例》第十五条、第三十二条、第三十六条第（三）项的规定，本机关决定不予公开。",
    );

    const agreed = await registerAt(staff.registrar, bureau, "2025-03-03");
    await fireOk(staff.handler, agreed, {
      type: "startConsultation",
      date: "2025-03-05",
      party: "thirdParty",
      name: "某公司",
    });
    await fireOk(staff.handler, agreed, { type: "endConsultation", date: "2025-03-10", result: "agreed" });
    const refused = fails(
      await fire(staff.reviewer, agreed, {
        type: "decide",
        date: "2025-03-20",
        outcome: "withheld.thirdParty",
      }),
      400,
    );
    assert.equal(
      refused.message,
      "第三方已同意公开，不能以保护第三方合法权益为由不予公开（《条例》第十五条、第三十二条）",
    );
    const unconsulted = await registerAt(staff.registrar, bureau, "2025-03-03");
    const notAsked = fails(
      await fire(staff.reviewer, unconsulted, {
        type: "decide",
        date: "2025-03-20",
        outcome: "withheld.thirdParty",
      }),
      400,
    );
    assert.match(notAsked.message, /应当先书面征求第三方意见/);
  });

  it("a fee notice states the amount, the method and the payment deadline", async () => {
    const id = await registerAt(staff.registrar, bureau, "2025-03-03");
    await fireOk(staff.reviewer, id, {
      type: "feeNotice",
      date: "2025-03-10",
      delivery: "online",
      method: "perRequest",
      ordinalInMonth: 12,
      amount: 100,
    });
    const { paragraphs } = await letter(staff.reviewer, id, "fee");
    assert.ok(paragraphs.includes("计收方式：按件计收。本申请为您本自然月内提出的第12件政府信息公开申请。"));
    assert.ok(paragraphs.includes("收费金额：人民币100元。"));
    assert.ok(
      paragraphs.includes(
        "缴费期限：请您自收到本通知之日的次日起20个工作日内缴纳（本通知通过网上送达，以发出之日为收到之日），即2025年4月8日前（含当日）。逾期未缴纳的，视为放弃申请，本机关不再处理该政府信息公开申请。",
      ),
      paragraphs.join("\n"),
    );
  });

  it("a 补正 notice lists the items and the deadline", async () => {
    const id = await registerAt(staff.registrar, bureau, "2025-03-03");
    await fireOk(staff.registrar, id, {
      type: "requestCorrection",
      date: "2025-03-05",
      items: ["请明确所申请信息的年份", "请提供文件的文号"],
      deadline: "2025-03-20",
    });
    const { paragraphs } = await letter(staff.reviewer, id, "correction");
    assert.ok(paragraphs.includes("一、请明确所申请信息的年份"));
    assert.ok(paragraphs.includes("二、请提供文件的文号"));
    assert.ok(
      paragraphs.includes(
        "请您于2025年3月20日前（含当日）提交补正后的申请。答复期限自本机关收到补正的申请之日起计算。",
      ),
    );
  });
});

describe("item 5: the clock follows Art. 33 and the 109号 fee measures", () => {
  it("refuses an extension or an Art. 35 delay after the period ran out, and writes nothing", async () => {
    const id = await registerAt(staff.registrar, bureau, "2025-03-03");
    const before = await detail(staff.reviewer, id);
    const late = fails(
      await fire(staff.reviewer, id, {
        type: "extend",
        date: "2025-04-01",
        workingDays: 20,
        reason: "需调档",
        approver: "李四",
      }),
      409,
    );
    assert.equal(
      late.message,
      "答复期限已于2025-03-31届满，不能再延长答复期限：延长答复期限应当在答复期限内决定并告知申请人（《条例》第三十三条第二款）",
    );
    const delay = fails(
      await fire(staff.reviewer, id, {
        type: "delayDeadline",
        date: "2025-04-01",
        deadline: "2025-05-30",
        reason: "申请数量较多",
      }),
      409,
    );
    assert.match(delay.message, /^答复期限已于2025-03-31届满，不能再确定延迟答复期限/);
    assert.equal((await detail(staff.reviewer, id)).version, before.version);
    // On the last day of the period it is still allowed.
    const extended = await fireOk(staff.reviewer, id, {
      type: "extend",
      date: "2025-03-31",
      workingDays: 10,
      reason: "需调档",
      approver: "李四",
    });
    assert.equal(extended.clock.dueDate, "2025-04-15");
  });

  it("runs the payment window from the signing date of a mailed notice; online notices need no signing date", async () => {
    const mailed = await registerAt(staff.registrar, bureau, "2025-03-03");
    await fireOk(staff.reviewer, mailed, {
      type: "feeNotice",
      date: "2025-03-10",
      delivery: "mail",
      method: "perRequest",
      ordinalInMonth: 12,
      amount: 100,
    });
    const waiting = await detail(staff.reviewer, mailed);
    assert.equal(waiting.clock.feePaymentDueDate, undefined);
    const signed = await fireOk(staff.registrar, mailed, { type: "recordFeeDelivery", date: "2025-03-17" });
    // 20 working days from 03-18, 清明 04-04 off → 2025-04-15.
    assert.equal(signed.clock.feePaymentDueDate, "2025-04-15");
    assert.match(signed.timeline.at(-1)?.summary ?? "", /申请人签收收费通知/);

    const online = await registerAt(staff.registrar, bureau, "2025-03-03");
    await fireOk(staff.reviewer, online, {
      type: "feeNotice",
      date: "2025-03-10",
      delivery: "online",
      method: "perRequest",
      ordinalInMonth: 12,
      amount: 100,
    });
    const refused = fails(
      await fire(staff.registrar, online, { type: "recordFeeDelivery", date: "2025-03-12" }),
      409,
    );
    assert.equal(refused.message, "该收费通知不是邮寄送达的，以发出之日为申请人收到之日，无需记录签收日期");
    const missing = fails(
      await fire(staff.reviewer, await registerAt(staff.registrar, bureau, "2025-03-03"), {
        type: "feeNotice",
        date: "2025-03-10",
        method: "perRequest",
        ordinalInMonth: 12,
        amount: 100,
      }),
      400,
    );
    assert.equal(missing.message, "请选择收费通知的送达方式");
  });
});
