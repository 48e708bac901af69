/**
 * Review cases (行政复议 and 行政诉讼 about government information disclosure): the inputs of the staff
 * endpoints, the DTO, and the labels used by the admin page, the ledger (台账) sheet 复议诉讼 and
 * table 四 of the annual report. Kinds and results use the table 四 block and column keys.
 */
import { z } from "zod";
import { DateString, ObjectIdString } from "./common.ts";

/** Case kinds, in table 四 block order. */
export const reviewCaseKinds = [
  "reconsideration",
  "litigationDirect",
  "litigationAfterReconsideration",
] as const;

/** A case kind (a table 四 block key). */
export type ReviewCaseKind = (typeof reviewCaseKinds)[number];

/** Case results once closed (table 四 columns 结果维持, 结果纠正, 其他结果); pending cases have none. */
export const reviewCaseResults = ["upheld", "corrected", "other"] as const;

/** A closed case's result. */
export type ReviewCaseResult = (typeof reviewCaseResults)[number];

/** Full kind labels for staff screens. */
export const reviewCaseKindLabels: Readonly<Record<ReviewCaseKind, string>> = {
  reconsideration: "行政复议",
  litigationDirect: "行政诉讼（未经复议直接起诉）",
  litigationAfterReconsideration: "行政诉讼（复议后起诉）",
};

/** Kind names in the ledger's 案件类型 column. */
export const reviewCaseKindLedgerNames: Readonly<Record<ReviewCaseKind, string>> = {
  reconsideration: "行政复议",
  litigationDirect: "直接起诉",
  litigationAfterReconsideration: "复议后起诉",
};

/** Result labels for staff screens (table 四 wording). */
export const reviewCaseResultLabels: Readonly<Record<ReviewCaseResult, string>> = {
  upheld: "结果维持",
  corrected: "结果纠正",
  other: "其他结果",
};

/** Result names in the ledger's 结果 column (empty = 未审结). */
export const reviewCaseResultLedgerNames: Readonly<Record<ReviewCaseResult, string>> = {
  upheld: "维持",
  corrected: "纠正",
  other: "其他",
};

/** Label of a pending case (table 四 尚未审结). */
export const reviewCasePendingLabel = "尚未审结";

const caseNo = z
  .string({ error: "请填写案件编号" })
  .trim()
  .min(1, "请填写案件编号")
  .max(100, "案件编号不能超过 100 个字");
const kind = z.enum(reviewCaseKinds, { error: "请选择案件类型（行政复议、直接起诉或复议后起诉）" });
const result = z.enum(reviewCaseResults, { error: "请选择结果（维持、纠正或其他）" });
const notes = z.string().trim().max(2000, "备注不能超过 2000 个字");
const serialNo = z.string().trim().max(100, "申请编号不能超过 100 个字");

/** Checks the rules shared by create and update: 结案日期 ≥ 立案日期, and 结果 ⇔ 结案日期. */
function checkClosure(
  value: { filedDate?: string; closedDate?: string | null; result?: ReviewCaseResult | null },
  ctx: z.RefinementCtx,
): void {
  const { filedDate, closedDate, result: chosen } = value;
  if (closedDate && filedDate && closedDate < filedDate) {
    ctx.addIssue({ code: "custom", path: ["closedDate"], message: "结案日期不能早于立案日期" });
  }
  if (closedDate && !chosen) {
    ctx.addIssue({ code: "custom", path: ["result"], message: "已结案的案件请选择结果" });
  }
  if (chosen && closedDate === null) {
    ctx.addIssue({ code: "custom", path: ["closedDate"], message: "填写结果的，请同时填写结案日期" });
  }
}

/** Registers a case; pass `closedDate` and `result` together to record an already closed case. */
export const ReviewCaseCreateInput = z
  .object({
    agencyId: ObjectIdString,
    caseNo,
    kind,
    /** The application the case is about, by id or by 申请编号 (either one). */
    requestId: ObjectIdString.nullable().optional(),
    requestSerialNo: serialNo.optional(),
    filedDate: DateString,
    closedDate: DateString.nullable().optional(),
    result: result.nullable().optional(),
    notes: notes.default(""),
  })
  .superRefine((value, ctx) => {
    checkClosure(value, ctx);
    if (value.result && value.closedDate === undefined) {
      ctx.addIssue({ code: "custom", path: ["closedDate"], message: "填写结果的，请同时填写结案日期" });
    }
  });
export type ReviewCaseCreateInput = z.infer<typeof ReviewCaseCreateInput>;

/**
 * Corrects a case; omitted fields stay. Setting `closedDate` and `result` to null together reopens it.
 * The combined record is checked again on the server.
 */
export const ReviewCaseUpdateInput = z
  .object({
    caseNo: caseNo.optional(),
    kind: kind.optional(),
    requestId: ObjectIdString.nullable().optional(),
    requestSerialNo: serialNo.optional(),
    filedDate: DateString.optional(),
    closedDate: DateString.nullable().optional(),
    result: result.nullable().optional(),
    notes: notes.optional(),
  })
  .superRefine(checkClosure);
export type ReviewCaseUpdateInput = z.infer<typeof ReviewCaseUpdateInput>;

/** Closes a pending case with its result. */
export const ReviewCaseCloseInput = z.object({ closedDate: DateString, result });
export type ReviewCaseCloseInput = z.infer<typeof ReviewCaseCloseInput>;

/** Filters of the case list. */
export const ReviewCaseListQuery = z.object({
  agencyId: ObjectIdString.optional(),
  kind: kind.optional(),
  status: z.enum(["pending", "closed"], { error: "状态应为 pending 或 closed" }).optional(),
  /** Cases filed in this year. */
  year: z.coerce
    .number({ error: "年份应为数字" })
    .int("年份应为整数")
    .min(2000, "年份不能早于 2000 年")
    .max(2100, "年份不能晚于 2100 年")
    .optional(),
});
export type ReviewCaseListQuery = z.infer<typeof ReviewCaseListQuery>;

/** Path parameters of one case. */
export const ReviewCaseParams = z.object({ id: ObjectIdString });

/** A review case as the API returns it. */
export interface ReviewCaseDTO {
  id: string;
  agencyId: string;
  caseNo: string;
  kind: ReviewCaseKind;
  requestId: string | null;
  requestSerialNo: string;
  filedDate: string;
  closedDate: string | null;
  result: ReviewCaseResult | null;
  notes: string;
  source: "platform" | "ledger";
  createdAt: string;
  updatedAt: string;
}
