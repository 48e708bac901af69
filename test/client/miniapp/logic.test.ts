import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RequestDetailDto } from "@govinfo/shared/schemas/requestDto";
import {
  emptyApplyForm,
  firstInvalidStep,
  toSubmitBody,
  validateAll,
  validateStep,
} from "../../../client/miniapp/src/logic/applyForm.ts";
import {
  narrative,
  type PublicReport,
  reportTables,
} from "../../../client/miniapp/src/logic/reportTables.ts";
import {
  chineseDate,
  daysLeftText,
  emphasize,
  feeText,
  timelineLines,
} from "../../../client/miniapp/src/logic/timeline.ts";

const agencyId = "665f1c2e9b1e8a0012345678";

function filledForm() {
  const form = emptyApplyForm();
  form.agencyId = agencyId;
  form.applicant = { ...form.applicant, name: "李四", idNumber: "11010519491231002X", phone: "13812345678" };
  form.description = "2024年乐都区空气质量监测月报";
  return form;
}

describe("application form steps (shared RequestSubmitInput)", () => {
  it("an empty form stops at the first step with the schema's own messages", () => {
    const form = emptyApplyForm();
    assert.equal(firstInvalidStep(form), "type");
    assert.ok(validateStep("type", form).agencyId, "the agency must be chosen");
    const identity = validateStep("identity", form);
    assert.ok(identity["applicant.name"]);
    assert.ok(identity["applicant.idNumber"]);
    assert.ok(identity["applicant.phone"]);
    assert.deepEqual(
      Object.keys(validateStep("identity", form)).filter((k) => !k.startsWith("applicant.")),
      [],
    );
  });

  it("each step reports only its own fields", () => {
    const form = filledForm();
    form.applicant.idNumber = "110105194912310021";
    assert.deepEqual(validateStep("type", form), {});
    assert.match(validateStep("identity", form)["applicant.idNumber"] ?? "", /校验|身份证/);
    assert.deepEqual(validateStep("info", form), {});
  });

  it("mail needs an address and e-mail needs an address, on the delivery step", () => {
    const form = filledForm();
    form.delivery = "mail";
    assert.equal(validateStep("delivery", form)["applicant.address"], "选择邮寄的，请填写通信地址");
    form.delivery = "email";
    assert.equal(validateStep("delivery", form)["applicant.email"], "选择电子邮件的，请填写电子邮箱");
    form.applicant.email = "lisi@example.com";
    assert.deepEqual(validateStep("delivery", form), {});
  });

  it("an organisation must give a 统一社会信用代码 (the schema's rule)", () => {
    const form = filledForm();
    form.applicant.type = "legalService";
    form.applicant.idType = "idCard";
    assert.equal(validateStep("identity", form)["applicant.idType"], "法人或其他组织请填写统一社会信用代码");
  });

  it("a complete form passes every step and yields the submit body (no purpose field)", () => {
    const form = filledForm();
    assert.deepEqual(validateAll(form), {});
    assert.equal(firstInvalidStep(form), null);
    const body = toSubmitBody(form);
    assert.ok(body);
    assert.equal(body.applicant.name, "李四");
    assert.equal(body.delivery, "online");
    assert.ok(!("purpose" in body));
  });
});

const entry = (
  over: Partial<RequestDetailDto["timeline"][number]>,
): RequestDetailDto["timeline"][number] => ({
  type: "submit",
  label: "提交申请",
  date: "2026-03-05",
  at: "2026-03-05T02:00:00.000Z",
  actorKind: "applicant",
  actorName: "申请人",
  summary: "",
  ...over,
});

describe("timeline and deadline text", () => {
  it("writes dates and events in plain Chinese", () => {
    assert.equal(chineseDate("2026-03-05"), "2026年3月5日");
    const lines = timelineLines([
      entry({}),
      entry({
        type: "requestCorrection",
        label: "一次性告知补正",
        date: "2026-03-09",
        actorKind: "staff",
        summary: "请写明所需监测月报的月份",
      }),
    ]);
    assert.deepEqual(lines[0], { date: "2026年3月5日", title: "提交申请", who: "您", text: "您提交申请" });
    assert.equal(lines[1]?.who, "行政机关");
    assert.equal(lines[1]?.text, "请写明所需监测月报的月份");
  });

  it("says how many working days are left, or why the clock is not running", () => {
    const base = { workingDaysLeft: 12, overdue: false, dueDate: "2026-04-01", state: "received" as const };
    assert.equal(daysLeftText(base), "距答复期限还有 12 个工作日（2026年4月1日）");
    assert.equal(daysLeftText({ ...base, workingDaysLeft: -2, overdue: true }), "已超过答复期限 2 个工作日");
    assert.match(
      daysLeftText({ ...base, state: "submitted", dueDate: null, workingDaysLeft: null }),
      /双方确认/,
    );
    assert.match(daysLeftText({ ...base, state: "correctionRequested" }), /重新计算/);
    assert.equal(daysLeftText({ ...base, state: "delivered" }), "已办结");
  });

  it("shows the fee notice with its payment deadline", () => {
    const text = feeText({
      state: "feeNotified",
      timeline: [entry({ type: "feeNotice", label: "发出收费通知", summary: "按件计收，信息处理费100元" })],
      clock: { feePaymentDueDate: "2026-04-10" } as RequestDetailDto["clock"],
    });
    assert.equal(text, "按件计收，信息处理费100元；请于2026年4月10日前缴纳，逾期未缴纳的视为放弃申请");
    assert.equal(feeText({ state: "received", timeline: [], clock: {} as RequestDetailDto["clock"] }), null);
  });

  it("inlines the highlight style for rich-text", () => {
    assert.equal(
      emphasize("关于<em>空气</em>质量"),
      '关于<em style="color:#b71c1c;font-style:normal;font-weight:600">空气</em>质量',
    );
  });
});

describe("annual report tables for a phone", () => {
  it("keeps blanks blank and labels rows and columns with the template's terms", () => {
    const report = {
      agency: { code: "A1", name: "测试机关" },
      year: 2025,
      formatVersion: "2021",
      tables: {
        two: { regulations: { issued: 1, repealed: null, inForce: 3 } },
        three: { columns: [], rows: { newReceived: { natural: 2, total: 2 } } },
        four: { reconsideration: { upheld: 0, total: 0 } },
      },
      checks: [],
      provenance: {},
      sections: {
        overview: [{ key: "o", heading: "（一）主动公开", text: "本年度……", edited: false }],
        problems: [],
        other: [],
      },
    } as unknown as PublicReport;
    const tables = reportTables(report);
    const first = tables[0];
    assert.deepEqual(first?.header, ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]);
    assert.deepEqual(first?.rows[0], ["规章", "1", "", "3"]);
    const three = tables.find((t) => t.title.startsWith("三"));
    assert.equal(three?.header.length, 8);
    assert.deepEqual(three?.rows[0]?.slice(0, 2), ["一、本年新收政府信息公开申请数量", "2"]);
    assert.equal(tables.at(-1)?.rows.length, 3);
    assert.deepEqual(
      narrative(report).map((s) => s.title),
      ["一、总体情况"],
    );
  });
});
