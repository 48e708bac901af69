/**
 * The shared rules of issue 17's workflow: a 转办 reply (36(五) to an agency of the deployment, with the
 * applicant's consent), the 重复申请 checklist, the similarity score of two application texts, and the
 * queue's due tones.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dueTone } from "@govinfo/shared/calendar/reminders";
import { textSimilarity } from "@govinfo/shared/schemas/duplicates";
import { duplicateChecklistComplete, RequestEventInput } from "@govinfo/shared/schemas/requestEvent";
import { SupervisionCreateInput } from "@govinfo/shared/schemas/supervision";

const agencyId = "0123456789abcdef01234567";
const decide = (extra: Record<string, unknown>) =>
  RequestEventInput.safeParse({ type: "decide", date: "2025-03-10", ...extra });
const messages = (result: ReturnType<typeof decide>) =>
  result.success ? [] : result.error.issues.map((issue) => issue.message);

describe("转办 reply", () => {
  const transfer = {
    outcome: "unable.notHeld",
    ground: "notResponsible",
    responsibleAgencyId: agencyId,
    note: "由自然资源部门负责公开",
    transfer: { consentMethod: "writing", consentDate: "2025-03-09" },
  };
  it("accepts 36(五) to an agency picked from the tree, with the consent", () => {
    assert.equal(decide(transfer).success, true);
  });
  it("refuses it to an agency typed by name, or on another ground", () => {
    const { responsibleAgencyId: _omitted, ...typed } = transfer;
    assert.match(messages(decide({ ...typed, responsibleAgencyName: "某局" })).join(), /转办仅适用于/);
    assert.match(
      messages(decide({ ...transfer, ground: "notExist", responsibleAgencyId: undefined })).join(),
      /转办仅适用于/,
    );
  });
  it("refuses a consent without its method or date", () => {
    assert.match(
      messages(decide({ ...transfer, transfer: { consentDate: "2025-03-09" } })).join(),
      /请选择申请人同意转送的方式/,
    );
    assert.match(messages(decide({ ...transfer, transfer: { consentMethod: "phone" } })).join(), /日期/);
  });
});

describe("重复申请 checklist", () => {
  it("needs all four points for 不予处理-重复申请, and names the missing ones", () => {
    assert.equal(
      decide({ outcome: "notProcessed.duplicate", duplicateChecklist: duplicateChecklistComplete }).success,
      true,
    );
    assert.deepEqual(messages(decide({ outcome: "notProcessed.duplicate" })), [
      "认定重复申请须逐项确认：同一申请人、向同一行政机关提出、申请公开同一政府信息、事实和理由未发生变化",
    ]);
    const partly = { ...duplicateChecklistComplete, sameAgency: false, factsUnchanged: false };
    assert.deepEqual(messages(decide({ outcome: "notProcessed.duplicate", duplicateChecklist: partly })), [
      "认定重复申请须逐项确认：向同一行政机关提出、事实和理由未发生变化",
    ]);
  });
  it("refuses the checklist on any other outcome", () => {
    assert.match(
      messages(decide({ outcome: "granted", duplicateChecklist: duplicateChecklistComplete })).join(),
      /仅在办理结果为“重复申请”时填写/,
    );
  });
});

describe("similarity of two applications", () => {
  it("scores the same request in other words high, and a different one low", () => {
    assert.equal(textSimilarity("2024年空气质量月报", "2024年空气质量月报"), 100);
    assert.equal(
      textSimilarity("2024年 空气质量，月报", "2024年空气质量月报"),
      100,
      "punctuation and spaces",
    );
    const near = textSimilarity(
      "2024年乐都区空气质量监测月报（1至12月）",
      "2024年乐都区空气质量监测月报1-12月",
    );
    assert.ok(near >= 60, `near ${near}`);
    const far = textSimilarity("2024年乐都区空气质量监测月报", "2023年度区财政预算执行情况");
    assert.ok(far < 20, `far ${far}`);
    assert.equal(textSimilarity("", ""), 100);
    assert.equal(textSimilarity("甲", "乙"), 0);
  });
});

describe("due tones", () => {
  it("marks overdue, due within 3 working days, and nothing otherwise or once closed", () => {
    assert.equal(dueTone({ open: true, overdue: true, workingDaysLeft: -2 }), "overdue");
    assert.equal(dueTone({ open: true, overdue: false, workingDaysLeft: 3 }), "dueSoon");
    assert.equal(dueTone({ open: true, overdue: false, workingDaysLeft: 0 }), "dueSoon");
    assert.equal(dueTone({ open: true, overdue: false, workingDaysLeft: 4 }), null);
    assert.equal(dueTone({ open: false, overdue: true, workingDaysLeft: null }), null);
  });
});

describe("督办单 input", () => {
  it("takes an application or an agency, not both, with a deadline of 1 to 60 working days", () => {
    assert.equal(
      SupervisionCreateInput.safeParse({ agencyId, reason: "督办", workingDays: 5 }).success,
      true,
    );
    const both = SupervisionCreateInput.safeParse({
      agencyId,
      requestId: agencyId,
      reason: "督办",
      workingDays: 5,
    });
    assert.equal(both.success, false);
    assert.equal(
      SupervisionCreateInput.safeParse({ agencyId, reason: "督办", workingDays: 61 }).success,
      false,
    );
  });
});
