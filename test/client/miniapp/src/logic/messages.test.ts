import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RequestDetailDto } from "@govinfo/shared/schemas/requestDto";
import {
  emptyApplyForm,
  firstInvalidStep,
  toSubmitBody,
  validateAll,
  validateStep,
} from "../../../../../client/miniapp/src/logic/applyForm.ts";
import { messageTime, unreadBadge } from "../../../../../client/miniapp/src/logic/messages.ts";
import {
  leafLabels,
  narrative,
  type PublicReport,
  reportTables,
  spanOf,
} from "../../../../../client/miniapp/src/logic/reportTables.ts";
import {
  acceptedTemplates,
  configuredKinds,
  refusedNotice,
} from "../../../../../client/miniapp/src/logic/subscribe.ts";
import {
  chineseDate,
  daysLeftText,
  emphasize,
  feeInfo,
  timelineLines,
} from "../../../../../client/miniapp/src/logic/timeline.ts";

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
    assert.equal(
      daysLeftText({ ...base, state: "feeNotified" }),
      "已发出收费通知，缴费期间不计算在答复期限内，恢复计算后剩余 12 个工作日",
    );
    assert.equal(
      daysLeftText({ ...base, state: "consulting", workingDaysLeft: null }),
      "正在征求第三方意见，所需时间不计算在答复期限内",
    );
    assert.equal(daysLeftText({ ...base, state: "delivered" }), "已办结");
  });

  it("shows the fee notice: method, amount, the 20-working-day deadline, the legal basis, then 已缴费", () => {
    const notice = entry({
      type: "feeNotice",
      label: "发出收费通知",
      date: "2026-03-10",
      actorKind: "staff",
      summary: "发出收费通知：按量计收，信息处理费1100元",
      fee: { method: "byPages", amount: 1100 },
    });
    const clock = { feePaymentDueDate: "2026-04-08" } as RequestDetailDto["clock"];
    const unpaid = feeInfo({ timeline: [entry({}), notice], clock });
    assert.equal(unpaid?.status, "unpaid");
    assert.equal(unpaid?.methodLabel, "按量计收");
    assert.equal(unpaid?.amount, 1100);
    assert.equal(unpaid?.dueDate, "2026-04-08");
    assert.match(
      unpaid?.statusText ?? "",
      /请于2026年4月8日前缴纳（自收到收费通知之日的次日起20个工作日内）/,
    );
    assert.match(unpaid?.legalBasis ?? "", /国办函〔2020〕109号/);
    assert.match(unpaid?.legalBasis ?? "", /第四十二条/);

    const paid = feeInfo({
      timeline: [notice, entry({ type: "feePaid", label: "确认已缴费", date: "2026-03-20" })],
      clock: {} as RequestDetailDto["clock"],
    });
    assert.equal(paid?.status, "paid");
    assert.equal(paid?.paidDate, "2026-03-20");
    assert.match(paid?.statusText ?? "", /^已缴费（2026年3月20日）/);

    const expired = feeInfo({
      timeline: [notice, entry({ type: "expireFee", label: "逾期未缴费" })],
      clock: {} as RequestDetailDto["clock"],
    });
    assert.equal(expired?.status, "expired");

    // A ledger import knows only the date of the notice.
    const bare = feeInfo({
      timeline: [{ ...notice, summary: "发出收费通知", fee: undefined }],
      clock: {} as RequestDetailDto["clock"],
    });
    assert.equal(bare?.methodLabel, null);
    assert.equal(bare?.amount, null);
    assert.match(bare?.statusText ?? "", /20个工作日内缴纳/);
    assert.equal(feeInfo({ timeline: [entry({})], clock: {} as RequestDetailDto["clock"] }), null);
  });

  it("writes message times in Beijing time and caps the unread badge", () => {
    assert.equal(messageTime("2026-03-05T02:04:00.000Z"), "2026年3月5日 10:04");
    assert.equal(messageTime("2026-03-05T17:00:00.000Z"), "2026年3月6日 01:00");
    assert.equal(unreadBadge(0), "");
    assert.equal(unreadBadge(3), "3");
    assert.equal(unreadBadge(120), "99+");
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
    assert.equal(first?.corner, "信息内容");
    assert.deepEqual(leafLabels(first?.header ?? []), ["本年制发件数", "本年废止件数", "现行有效件数"]);
    assert.deepEqual(first?.rows[0]?.cells, ["1", "", "3"]);
    assert.equal(first?.rows[0]?.label, "规章");

    const three = tables.find((t) => t.key === "three");
    assert.equal(three?.corner, "申请人情况");
    assert.deepEqual(
      three?.header.map((h) => [h.label, spanOf(h)]),
      [
        ["自然人", 1],
        ["法人或其他组织", 5],
        ["总计", 1],
      ],
    );
    assert.equal(leafLabels(three?.header ?? []).length, 7);
    const rows = three?.rows ?? [];
    assert.deepEqual(
      [rows[0]?.label, rows[0]?.cells[0], rows[0]?.cells[6]],
      ["一、本年新收政府信息公开申请数量", "2", "2"],
    );
    // The spanning 三、本年度办理结果 label, then the outcome rows under their group labels.
    const labels = rows.map((r) => `${r.kind}:${r.level}:${r.label}`);
    const at = (text: string) => labels.findIndex((l) => l.endsWith(`:${text}`));
    assert.equal(labels[2], "section:0:三、本年度办理结果");
    assert.equal(labels[3], "data:1:（一）予以公开");
    assert.match(labels[4] ?? "", /^data:1:（二）部分公开/);
    assert.equal(labels[5], "group:1:（三）不予公开");
    assert.equal(labels[6], "data:2:1.属于国家秘密");
    for (const group of ["（四）无法提供", "（五）不予处理", "（六）其他处理"]) {
      const i = at(group);
      assert.ok(i > 0 && labels[i]?.startsWith("group:1:"), `${group} is a group label row`);
      assert.ok(labels[i + 1]?.startsWith("data:2:1."), `${group} is followed by its sub-row 1.`);
    }
    assert.equal(labels.at(-2), "data:1:（七）总计");
    assert.equal(labels.at(-1), "data:0:四、结转下年度继续办理");
    assert.ok(
      rows.filter((r) => r.kind !== "data").every((r) => r.cells.every((c) => c === "")),
      "label rows carry no numbers",
    );

    // The 2019 format: a single （六）其他处理 data row.
    const three2019 = reportTables({ ...report, formatVersion: "2019" } as PublicReport).find(
      (t) => t.key === "three",
    );
    const rows2019 = (three2019?.rows ?? []).map((r) => `${r.kind}:${r.label}`);
    assert.ok(rows2019.includes("data:（六）其他处理"));
    assert.ok(!rows2019.includes("group:（六）其他处理"));
    assert.ok(rows2019.includes("group:（五）不予处理"));
    assert.ok(rows2019.includes("section:三、本年度办理结果"));

    const four = tables.at(-1);
    assert.equal(four?.key, "four");
    assert.equal(four?.corner, null);
    assert.deepEqual(
      four?.header.map((h) => [h.label, spanOf(h), (h.children ?? []).map((c) => c.label)]),
      [
        ["行政复议", 5, ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]],
        ["行政诉讼", 10, ["未经复议直接起诉", "复议后起诉"]],
      ],
    );
    assert.deepEqual(
      four?.header[1]?.children?.[0]?.children?.map((c) => c.label),
      ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"],
    );
    assert.deepEqual(four?.rows[0]?.cells.slice(0, 6), ["0", "", "", "", "0", ""]);
    assert.equal(four?.rows[0]?.cells.length, 15);
    assert.deepEqual(
      narrative(report).map((s) => s.title),
      ["一、总体情况"],
    );
  });
});

describe("subscribe messages", () => {
  const templates = { progress: "TplProgress_0123456789", result: "TplResult_0123456789" };

  it("asks only for the configured kinds, in table order", () => {
    assert.deepEqual(configuredKinds(templates), ["progress", "result"]);
    assert.deepEqual(configuredKinds({}), []);
    assert.deepEqual(configuredKinds({ action: "" }), []);
  });

  it("keeps the templates WeChat answered accept for", () => {
    const answer = {
      errMsg: "requestSubscribeMessage:ok",
      TplProgress_0123456789: "reject",
      TplResult_0123456789: "accept",
    };
    assert.deepEqual(acceptedTemplates(templates, answer), [
      { kind: "result", templateId: "TplResult_0123456789" },
    ]);
    assert.deepEqual(acceptedTemplates(templates, { TplProgress_0123456789: "ban" }), []);
  });

  it("tells the applicant where progress goes when notifications were refused", () => {
    assert.equal(refusedNotice(0, 0), null, "nothing asked, nothing to say");
    assert.equal(refusedNotice(2, 2), null);
    assert.match(refusedNotice(2, 0) ?? "", /未同意接收微信通知.*我的 → 消息/);
    assert.match(refusedNotice(3, 1) ?? "", /部分微信通知未开启/);
  });
});
