import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { byPagesFee } from "@govinfo/shared/fees";
import { duplicateChecklistComplete, replyOutcomeKeys } from "@govinfo/shared/schemas/requestEvent";
import { type OutcomeKey, outcomeKeys, outcomes } from "@govinfo/shared/stats/keys";
import { Agency, type AgencyDoc } from "../../../../server/models/Agency.ts";
import type { DisclosureRequestDoc } from "../../../../server/models/DisclosureRequest.ts";
import { createPersonalDataCipher } from "../../../../server/security/personalData.ts";
import { previewLetter } from "../../../../server/services/documents/letterIssuer.ts";
import { buildLetter, renderDocx } from "../../../../server/services/documents/letters.ts";
import { remedyOf } from "../../../../server/services/documents/replyLetter.ts";
import { buildAgency } from "../../../factories/people.ts";
import { buildRequest } from "../../../factories/requests.ts";
import { readDocx } from "../../../support/docx.ts";
import { startTestServer, type TestServer } from "../../../support/testServer.ts";

let server: TestServer;
let agency: AgencyDoc;
const cipher = createPersonalDataCipher(randomBytes(32));
const RECEIVED = "2025-03-03";
const DECIDED = "2025-03-25";

before(async () => {
  server = await startTestServer();
  const created = await buildAgency({ code: "HDSTHJ", name: "海东市生态环境局" });
  await Agency.updateOne(
    { _id: created._id },
    {
      $set: {
        serialPrefix: "海东生环",
        letterhead: {
          title: "海东市生态环境局",
          address: "青海省海东市乐都区平安大道1号",
          phone: "0972-8612345",
          postcode: "810700",
        },
      },
    },
  );
  agency = (await Agency.findById(created._id).lean()) as AgencyDoc;
});
after(async () => {
  await server.close();
});

/** Builds the request, previews the letter as the dialog would, renders it and reads the DOCX back. */
async function letterText(request: DisclosureRequestDoc, kind: Parameters<typeof previewLetter>[1]) {
  const model = await previewLetter(request, kind, { today: "2025-04-30" });
  const docx = readDocx(await renderDocx(model));
  return { model, ...docx };
}

describe("letters", () => {
  it("登记回执 states the receipt date, the serial as 文号 and the statutory answer date", async () => {
    const request = await buildRequest(agency, cipher, { input: { receiptDate: RECEIVED } });
    const { model, text, paragraphs, documentXml, footerXml } = await letterText(request, "receipt");
    assert.match(request.serialNo, /^海东生环依申〔2025〕\d+号$/);
    assert.equal(model.documentNumber, request.serialNo);
    assert.equal(paragraphs[0], "海东市生态环境局", "the letterhead comes first");
    assert.ok(paragraphs.includes(request.serialNo), "文号 on its own line");
    assert.ok(paragraphs.includes("政府信息公开申请登记回执"));
    assert.ok(text.includes("2025年3月3日收到"));
    // 20 working days counted from 2025-03-04 (no holidays in March 2025) end on Monday 31 March.
    assert.ok(text.includes("2025年3月31日前"), text);
    assert.ok(text.includes("第三十一条") && text.includes("第三十三条第二款"));
    assert.ok(text.includes("张三："));
    assert.equal(paragraphs.at(-1), "2025年3月3日", "成文日期 last");
    assert.ok(documentXml.includes('w:eastAsia="仿宋_GB2312"'));
    assert.ok(documentXml.includes('w:eastAsia="方正小标宋简体"'));
    assert.ok(footerXml.includes("青海省海东市乐都区平安大道1号") && footerXml.includes("0972-8612345"));
  });

  it("补正告知书 lists every item once, the deadline, the restart and 视为放弃申请 (Art. 30)", async () => {
    const request = await buildRequest(agency, cipher, {
      events: [
        {
          type: "requestCorrection",
          date: "2025-03-05",
          items: ["请明确所申请信息的年份", "请提供文件的文号或者其他特征性描述"],
          deadline: "2025-03-20",
        },
      ],
    });
    const { text, model } = await letterText(request, "correction");
    assert.equal(model.eventIndex, 1);
    assert.equal(model.date, "2025-03-05");
    assert.ok(text.includes(request.serialNo));
    assert.ok(text.includes("第三十条"));
    assert.ok(text.includes("一、请明确所申请信息的年份"));
    assert.ok(text.includes("二、请提供文件的文号或者其他特征性描述"));
    assert.ok(text.includes("请您于2025年3月20日前"));
    assert.ok(text.includes("答复期限自本机关收到补正的申请之日起计算"));
    assert.ok(text.includes("视为放弃申请"));
    assert.ok(text.includes("2025年3月5日"));
  });

  it("延期答复告知书 states the approved days and the new due date (Art. 33)", async () => {
    const request = await buildRequest(agency, cipher, {
      events: [
        {
          type: "extend",
          date: "2025-03-20",
          workingDays: 20,
          reason: "申请公开的信息数量较多，需要调档核实",
          approver: "李四",
        },
      ],
    });
    const { text } = await letterText(request, "extension");
    assert.ok(text.includes("第三十三条第二款"));
    assert.ok(text.includes("政府信息公开工作机构负责人同意"));
    assert.ok(text.includes("延长20个工作日"));
    // 31 March + 20 working days: 清明 4 April off, Sunday 27 April a make-up working day.
    assert.ok(text.includes("延长后的答复期限至2025年4月28日"), text);
    assert.ok(text.includes("因申请公开的信息数量较多，需要调档核实"));
    assert.ok(!text.includes("李四"), "the approver is internal");
  });

  it("征求第三方意见函 goes to the third party with 15 working days and the silence rule (Art. 32)", async () => {
    const request = await buildRequest(agency, cipher, {
      events: [
        { type: "startConsultation", date: "2025-03-10", party: "thirdParty", name: "海东某化工有限公司" },
      ],
    });
    const { text, model } = await letterText(request, "consultation");
    assert.equal(model.forApplicant, false);
    assert.equal(model.addressee, "海东某化工有限公司：");
    assert.equal(model.title, "政府信息公开征求第三方意见函");
    assert.ok(text.includes("第三十二条"));
    assert.ok(text.includes("15个工作日"));
    assert.ok(text.includes("逾期未提出意见的，由本机关依照《条例》的规定决定是否公开"));
    assert.ok(!text.includes("张三"), "the third party must not learn who applied");
  });

  it("a consultation of another agency cites Art. 34 (silence = consent)", async () => {
    const request = await buildRequest(agency, cipher, {
      events: [{ type: "startConsultation", date: "2025-03-10", party: "otherAgency", name: "海东市水务局" }],
    });
    const { text } = await letterText(request, "consultation");
    assert.ok(text.includes("第三十四条") && text.includes("视为同意公开"));
  });

  it("收费通知书 states method, amount, basis, the 20-working-day window and the consequence (109号)", async () => {
    const amount = byPagesFee(150).amount;
    const request = await buildRequest(agency, cipher, {
      events: [
        { type: "feeNotice", date: "2025-03-10", delivery: "online", method: "byPages", pages: 150, amount },
      ],
    });
    const { text } = await letterText(request, "fee");
    assert.equal(amount, 1700);
    assert.ok(text.includes("按量计收") && text.includes("共150页"));
    assert.ok(text.includes("人民币1700元"));
    assert.ok(text.includes("国办函〔2020〕109号") && text.includes("第四十二条"));
    assert.ok(text.includes("自收到本通知之日的次日起20个工作日内缴纳"));
    // Sent online on 10 March: 20 working days from 11 March (清明 4 April off) end on 8 April.
    assert.ok(text.includes("即2025年4月8日前（含当日）"), text);
    assert.ok(text.includes("逾期未缴纳的，视为放弃申请"));
  });

  it("refuses a letter whose event has not happened (409)", async () => {
    const request = await buildRequest(agency, cipher);
    for (const kind of ["correction", "extension", "consultation", "fee", "reply"] as const) {
      await assert.rejects(previewLetter(request, kind), (error: { status: number }) => error.status === 409);
    }
  });
});

/** The events that bring a fresh request to each outcome through the real transitioner. */
function eventsFor(outcome: OutcomeKey): Record<string, unknown>[] {
  const correction = {
    type: "requestCorrection",
    date: "2025-03-05",
    items: ["请明确年份"],
    deadline: "2025-03-12",
  };
  switch (outcome) {
    case "unable.stillUnclear":
      return [
        correction,
        { type: "receiveCorrection", date: "2025-03-10" },
        { type: "decide", date: DECIDED, outcome, note: "补正后仍无法确定所指信息。" },
      ];
    case "other.noCorrection":
      return [correction, { type: "closeUnprocessed", date: DECIDED, outcome, reason: "逾期未补正" }];
    case "other.feeUnpaid":
      return [
        {
          type: "feeNotice",
          date: "2025-03-05",
          delivery: "online",
          method: "perRequest",
          ordinalInMonth: 12,
          amount: 100,
        },
        { type: "closeUnprocessed", date: DECIDED, outcome, reason: "逾期未缴费" },
      ];
    case "other.other":
      return [{ type: "withdraw", date: DECIDED, reason: "不再需要" }];
    case "unable.notHeld":
      return [{ type: "decide", date: DECIDED, outcome, ground: "notExist" }];
    case "notProcessed.duplicate":
      return [
        {
          type: "decide",
          date: DECIDED,
          outcome,
          note: "具体理由见本告知书。",
          duplicateChecklist: duplicateChecklistComplete,
        },
      ];
    case "withheld.thirdParty":
      return [
        { type: "startConsultation", date: "2025-03-05", party: "thirdParty", name: "海东某化工有限公司" },
        { type: "endConsultation", date: "2025-03-14", result: "objected" },
        { type: "decide", date: DECIDED, outcome, note: "具体理由见本告知书。" },
      ];
    default:
      return [{ type: "decide", date: DECIDED, outcome, note: "具体理由见本告知书。" }];
  }
}

describe("答复告知书 for every outcome", () => {
  it("every reply outcome of the decide event is covered", () => {
    assert.deepEqual(
      [...replyOutcomeKeys, "other.noCorrection", "other.feeUnpaid"].sort(),
      [...outcomeKeys].sort(),
    );
  });

  for (const outcome of outcomeKeys) {
    it(`${outcome}: serial, dates, the article cited and the remedy where required`, async () => {
      const request = await buildRequest(agency, cipher, { events: eventsFor(outcome) });
      assert.equal(request.outcome, outcome);
      const { text, model, paragraphs } = await letterText(request, "reply");
      assert.equal(model.title, "政府信息公开申请答复告知书");
      assert.ok(paragraphs.includes(request.serialNo), "文号");
      assert.ok(text.includes("2025年3月3日"), "receipt date");
      assert.equal(paragraphs.at(-1), "2025年3月25日", "dated on the decision");
      assert.equal(model.eventIndex, request.events.length - 1);
      // 本机关不掌握 covers two grounds; the letter cites the one chosen (here 36(四)).
      const basis =
        outcome === "unable.notHeld" ? "《条例》第三十六条第（四）项" : outcomes[outcome].legalBasis;
      if (basis.startsWith("《条例》第")) assert.ok(text.includes(basis), `cites ${basis}\n${text}`);
      assert.ok(text.includes("《中华人民共和国政府信息公开条例》（以下简称《条例》）"));
      const remedy = remedyOf(outcome, { withdrawn: outcome === "other.other", decidedOn: DECIDED });
      if (remedy === "none") {
        assert.ok(!text.includes("行政复议"), "no remedy for a grant or a withdrawal");
      } else {
        // The agency sits at the top of the test tree: no 本级人民政府 known, so the generic term.
        assert.ok(text.includes("60日内，向本级人民政府申请行政复议"), text);
        assert.ok(!text.includes("上一级行政机关或者本级人民政府"), "no either/or 复议机关 since 2024");
        assert.ok(text.includes("行政诉讼"));
      }
      if (outcome.startsWith("withheld.") && outcome !== "withheld.queryMatter") {
        assert.ok(text.includes("不予公开"));
        assert.equal(remedy, "reviewFirst", "不予公开 is 复议前置 under 《行政复议法》(2023) 第二十三条");
      }
      if (remedy === "reviewOrSuit") assert.ok(text.includes("6个月内"));
      if (outcome === "other.noCorrection")
        assert.ok(text.includes("2025年3月12日") && text.includes("视为您放弃申请"));
    });
  }

  it("drafts a reply for a chosen outcome before the decision, and the model is pure", async () => {
    const request = await buildRequest(agency, cipher);
    const draft = await previewLetter(request, "reply", {
      outcome: "withheld.stateSecret",
      today: "2025-03-20",
    });
    assert.equal(draft.eventIndex, -1);
    assert.equal(draft.date, "2025-03-20");
    const again = buildLetter(
      "reply",
      { ...request, applicant: { name: "张三" }, events: request.events },
      agency,
      { dueDate: null, receiptDate: RECEIVED },
      { outcome: "withheld.stateSecret", today: "2025-03-20" },
    );
    assert.deepEqual(again.paragraphs, draft.paragraphs);
  });
});
