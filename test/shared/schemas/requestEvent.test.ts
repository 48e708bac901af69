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
      { type: "feeNotice", date: "2025-03-07", method: "perRequest", ordinalInMonth: 11, amount: 100 },
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

  it("checks fee notices against the 109号 standard and forbids mixing methods", () => {
    assert.deepEqual(
      messages({ type: "feeNotice", date: "2025-03-07", method: "byPages", pages: 150, amount: 1000 }),
      ["收费金额与按量计收标准不符"],
    );
    assert.deepEqual(messages({ type: "feeNotice", date: "2025-03-07", method: "byPages", amount: 10 }), [
      "按量计收须填写页数",
    ]);
    assert.deepEqual(
      messages({
        type: "feeNotice",
        date: "2025-03-07",
        method: "perRequest",
        ordinalInMonth: 11,
        amount: 100,
        pages: 40,
      }),
      ["按件计收与按量计收不得同时适用"],
    );
    assert.deepEqual(
      messages({ type: "feeNotice", date: "2025-03-07", method: "perRequest", ordinalInMonth: 3, amount: 0 }),
      ["收费金额应大于0元"],
    );
  });
});
