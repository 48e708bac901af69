import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RequestEventInput } from "@govinfo/shared/schemas/requestEvent";

function messages(input: unknown): string[] {
  const result = RequestEventInput.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => i.message);
}

describe("request event schemas", () => {
  it("accepts well-formed events", () => {
    const good: unknown[] = [
      { type: "register", date: "2025-01-20", channel: "inPerson" },
      { type: "requestCorrection", date: "2025-01-22", items: ["请明确文号"], deadline: "2025-02-14" },
      { type: "extend", date: "2025-02-18", workingDays: 20, reason: "需调阅档案", approver: "张三" },
      { type: "startConsultation", date: "2025-09-26", party: "otherAgency", name: "某市自然资源局" },
      { type: "endConsultation", date: "2025-10-14" },
      {
        type: "feeNotice",
        date: "2025-03-07",
        delivery: "mail",
        method: "perRequest",
        ordinalInMonth: 11,
        amount: 100,
      },
      { type: "recordFeeDelivery", date: "2025-03-10" },
      {
        type: "decide",
        date: "2025-02-10",
        outcome: "granted",
        ground: "alreadyPublic",
        location: "见本机关门户网站",
      },
      {
        type: "decide",
        date: "2025-02-10",
        outcome: "unable.notHeld",
        ground: "notResponsible",
        note: "该信息由市卫生健康委员会制作",
        responsibleUndetermined: true,
      },
      {
        type: "decide",
        date: "2025-02-10",
        outcome: "withheld.thirdParty",
        documentNumber: "某环信公开〔2025〕3号",
      },
      { type: "deliver", date: "2025-02-11", method: "mail", trackingNo: "EMS123" },
      { type: "withdraw", date: "2025-02-11" },
      { type: "closeUnprocessed", date: "2025-02-11", outcome: "other.other", reason: "申请人死亡" },
    ];
    for (const e of good) assert.deepEqual(messages(e), [], JSON.stringify(e));
  });

  it("rejects bad payloads with Chinese messages", () => {
    assert.deepEqual(
      messages({ type: "requestCorrection", date: "2025-01-22", items: [], deadline: "2025-01-21" }),
      ["请至少列明一项需要补正的事项", "补正期限应晚于补正告知日期"],
    );
    assert.deepEqual(
      messages({ type: "extend", date: "2025-02-18", workingDays: 21, reason: "x", approver: "张三" }),
      ["延长期限最长不得超过20个工作日"],
    );
    assert.deepEqual(
      messages({ type: "extend", date: "2025-02-18", workingDays: 5, reason: " ", approver: "张三" }),
      ["请填写延期理由"],
    );
    assert.deepEqual(
      messages({ type: "register", date: "2025-02-30", channel: "pigeon" }).sort(),
      ["日期格式应为YYYY-MM-DD", "请选择申请渠道"].sort(),
    );
    assert.deepEqual(messages({ type: "decide", date: "2025-02-10", outcome: "other.noCorrection" }), [
      "请选择办理结果",
    ]);
    assert.deepEqual(messages({ type: "nonsense", date: "2025-02-10" }), ["未知的事件类型"]);
  });

  it("asks each decision ground for the fields it needs (36(一), 36(四)/(五))", () => {
    const decide = { type: "decide", date: "2025-02-10" };
    assert.deepEqual(messages({ ...decide, outcome: "unable.notHeld" }), [
      "请选择答复依据：经检索没有该政府信息（第三十六条第（四）项），或者不属于本机关负责公开（第三十六条第（五）项）",
    ]);
    assert.deepEqual(messages({ ...decide, outcome: "granted", ground: "alreadyPublic" }), [
      "已主动公开的，请关联政府信息公开目录中的条目，或者填写获取该政府信息的方式、途径",
    ]);
    assert.deepEqual(
      messages({ ...decide, outcome: "unable.notHeld", ground: "notResponsible", note: "不属于本机关职责" }),
      ["不属于本机关负责公开的，请从机关树中选择或者填写负责公开该政府信息的行政机关，或者选择“无法确定”"],
    );
    assert.deepEqual(
      messages({
        ...decide,
        outcome: "unable.notHeld",
        ground: "notResponsible",
        note: "不属于本机关职责",
        responsibleAgencyName: "某局",
        responsibleUndetermined: true,
      }),
      ["负责公开的行政机关只能选择一种：从机关树中选择、填写名称或者“无法确定”"],
    );
    assert.deepEqual(
      messages({
        ...decide,
        outcome: "unable.notHeld",
        ground: "notResponsible",
        responsibleUndetermined: true,
      }),
      ["不属于本机关负责公开的，请在说明中写明理由（《条例》第三十六条第（五）项）"],
    );
    assert.deepEqual(messages({ ...decide, outcome: "partial", ground: "notExist" }), [
      "答复依据与办理结果不符",
    ]);
    assert.deepEqual(
      messages({ ...decide, outcome: "unable.notHeld", ground: "notExist", location: "网站" }),
      ["获取方式、途径仅在答复依据为“已主动公开”时填写"],
    );
  });

  it("checks fee notices against the 109号 standard and forbids mixing methods", () => {
    assert.deepEqual(
      messages({
        type: "feeNotice",
        date: "2025-03-07",
        delivery: "online",
        method: "byPages",
        pages: 150,
        amount: 1000,
      }),
      ["收费金额与按量计收标准不符"],
    );
    assert.deepEqual(
      messages({ type: "feeNotice", date: "2025-03-07", delivery: "online", method: "byPages", amount: 10 }),
      ["按量计收须填写页数"],
    );
    assert.deepEqual(
      messages({
        type: "feeNotice",
        date: "2025-03-07",
        delivery: "online",
        method: "perRequest",
        ordinalInMonth: 11,
        amount: 100,
        pages: 40,
      }),
      ["按件计收与按量计收不得同时适用"],
    );
    assert.deepEqual(
      messages({
        type: "feeNotice",
        date: "2025-03-07",
        delivery: "online",
        method: "perRequest",
        ordinalInMonth: 3,
        amount: 0,
      }),
      ["收费金额应大于0元"],
    );
    assert.deepEqual(
      messages({
        type: "feeNotice",
        date: "2025-03-07",
        method: "perRequest",
        ordinalInMonth: 11,
        amount: 100,
      }),
      ["请选择收费通知的送达方式"],
    );
  });
});
