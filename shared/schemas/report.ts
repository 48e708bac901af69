/**
 * The annual-report API's inputs and the DTOs the clients read (政府信息公开工作年度报告).
 */
import { z } from "zod";
import type { CheckResult, ReportModel } from "../stats/report.ts";
import { ObjectIdString } from "./common.ts";

export const ReportYear = z.coerce
  .number()
  .int("年份应为整数")
  .min(2008, "年份不能早于 2008 年")
  .max(2100, "年份不能晚于 2100 年");
export const ReportParams = z.object({ agencyId: ObjectIdString, year: ReportYear });
const FormatVersionInput = z.enum(["2019", "2021"], { error: "报告格式应为 2019 或 2021" });
const Figure = z.number({ error: "应为数字" }).finite().nullable();
const Table2Input = z.record(z.string().max(40), z.record(z.string().max(40), Figure));

/** Body of "generate/refresh the draft". */
export const ReportDraftInput = z.object({
  formatVersion: FormatVersionInput.optional(),
  scope: z.enum(["agency", "subtree"]).optional(),
});
/** Body of "edit manual inputs". */
export const ReportInputsInput = z.object({
  two: Table2Input.optional(),
  table4Basis: z.enum(["filedInYear", "includeCarriedOver"]).optional(),
  formatVersion: FormatVersionInput.optional(),
  /** Why 二、上年结转 differs from last year's 四 when the pending applications are not imported. */
  carriedOverReason: z
    .string({ error: "上年结转差异的原因应为文字" })
    .trim()
    .max(500, "上年结转差异的原因不能超过 500 字")
    .optional(),
});
const ParagraphText = z.string().max(5000, "每段不能超过 5000 字");
/** Body of "edit paragraphs". */
export const ReportSectionsInput = z.object({
  overview: z
    .array(z.object({ key: z.string().min(1).max(80), text: ParagraphText }))
    .max(50)
    .optional(),
  problems: z.array(ParagraphText).max(30).optional(),
  other: z.array(ParagraphText).max(30).optional(),
});
export const ReportReviseInput = z.object({
  reason: z.string().trim().min(2, "请说明更正理由").max(500, "更正理由不能超过 500 字"),
});
export const ReportImportInput = z.object({
  text: z.string().min(20, "请粘贴报告全文").max(500_000, "报告全文过长"),
});
export const ReportCellQuery = z.object({
  cell: z.string().regex(/^(three|four)\.[A-Za-z.]+$/, "单元格编号格式不正确"),
});
export const ReportExportParams = ReportParams.extend({ format: z.enum(["docx", "xlsx", "json", "html"]) });
export const ReportReadQuery = z.object({
  missing: z.enum(["null"], { error: "missing 只能是 null" }).optional(),
});
export const ReportSummaryQuery = z.object({ agencyId: ObjectIdString, year: ReportYear });
export const PublicReportParams = z.object({
  agencyCode: z.string().min(1).max(60),
  year: z.string().regex(/^\d{4}(\.json)?$/, "年份格式不正确"),
});
export const PublicReportListQuery = z.object({ agencyCode: z.string().max(60).optional() });

/** A report as GET /reports/agencies/:id/:year answers it (the model without provenance). */
export type ReportDto = Omit<ReportModel, "provenance"> & {
  agencyId: string;
  scope: "agency" | "subtree";
  generatedAt: string | null;
  pendingRevisionReason: string | null;
  publishable: boolean;
  checks: CheckResult[];
};

/** The applications or cases behind one figure. */
export interface ProvenanceDto {
  cell: string;
  value: number | null;
  items: {
    kind: "request" | "case";
    number: string;
    receiptDate?: string | null;
    filedDate?: string;
    closedDate: string | null;
    outcome?: string | null;
    result?: string | null;
  }[];
}

/** One agency on the annual-report board (last year's report, its legal deadline and status). */
export interface ReportBoardRow {
  agencyId: string;
  code: string;
  name: string;
  year: number;
  deadline: string;
  /** Days until the deadline; negative when it has passed. */
  daysLeft: number;
  status: "none" | "draft" | "published" | "imported";
  failingHardChecks: number;
}

/** The reports of the agencies below one, for a supervisor. */
export interface ReportSummaryDto {
  year: number;
  agencies: {
    agencyId: string;
    name: string;
    status: string;
    published: boolean;
    deadline: string;
    failingChecks: CheckResult[];
  }[];
}

/** An agency's published reports, as the public list shows them. */
export interface PublicAgencyReportsDto {
  code: string;
  name: string;
  reports: { year: number; revision: number; publishedAt: string }[];
}

/** Where an agency's annual report of a year stands (`none`: not generated yet). */
export type ReportBoardStatus = ReportBoardRow["status"];

/** Labels of the report statuses. */
export const reportStatusLabels: Readonly<Record<ReportBoardStatus, string>> = {
  none: "未生成",
  draft: "草稿",
  published: "已发布",
  imported: "已导入",
};
