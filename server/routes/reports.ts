/**
 * Annual reports (政府信息公开工作年度报告). Staff of an agency (admin, reviewer) generate and refresh the
 * draft, enter manual figures and paragraphs, see the checks and the applications behind any figure,
 * preview and download DOCX/XLSX/JSON, publish, and correct with a reason; supervisors read the
 * agencies below them and a summary. The public lists published reports and reads each one as HTML
 * or JSON, with its revision history.
 */
import { rolesFor } from "@govinfo/shared/access/capabilities";
import type { StaffRole } from "@govinfo/shared/schemas/auth";
import { ObjectIdString } from "@govinfo/shared/schemas/common";
import type { Context } from "koa";
import { z } from "zod";
import { Forbidden } from "../errors.ts";
import { agenciesWith, hasRole, type StaffActor } from "../policies/actor.ts";
import {
  presentDashboard,
  presentPublicReportList,
  presentReport,
  presentSummary,
  writePublicReport,
  writeReportFile,
} from "../presenters/annualReport.ts";
import {
  findAgency,
  importReport,
  publishReport,
  type ReportAgency,
  refreshDraft,
  reviseReport,
  updateInputs,
  updateSections,
} from "../reports/service.ts";
import {
  publishedReportOf,
  publishedReports,
  reportCellProvenance,
  reportDashboard,
  reportModel,
  storedReport,
  summarizeReports,
} from "../services/annualReports.ts";
import { access, buildRouter, route, staffOf } from "./define.ts";

const WRITERS: readonly StaffRole[] = rolesFor("writeReports");
const READERS: readonly StaffRole[] = rolesFor("readReports");

const Year = z.coerce
  .number()
  .int("年份应为整数")
  .min(2008, "年份不能早于 2008 年")
  .max(2100, "年份不能晚于 2100 年");
const Params = z.object({ agencyId: ObjectIdString, year: Year });
const FormatVersionInput = z.enum(["2019", "2021"], { error: "报告格式应为 2019 或 2021" });
const Figure = z.number({ error: "应为数字" }).finite().nullable();
const Table2Input = z.record(z.string().max(40), z.record(z.string().max(40), Figure));

/** Body of "generate/refresh the draft". */
const DraftInput = z.object({
  formatVersion: FormatVersionInput.optional(),
  scope: z.enum(["agency", "subtree"]).optional(),
});
/** Body of "edit manual inputs". */
const InputsInput = z.object({
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
const SectionsInput = z.object({
  overview: z
    .array(z.object({ key: z.string().min(1).max(80), text: ParagraphText }))
    .max(50)
    .optional(),
  problems: z.array(ParagraphText).max(30).optional(),
  other: z.array(ParagraphText).max(30).optional(),
});
const ReviseInput = z.object({
  reason: z.string().trim().min(2, "请说明更正理由").max(500, "更正理由不能超过 500 字"),
});
const ImportInput = z.object({ text: z.string().min(20, "请粘贴报告全文").max(500_000, "报告全文过长") });
const CellQuery = z.object({ cell: z.string().regex(/^(three|four)\.[A-Za-z.]+$/, "单元格编号格式不正确") });
const ExportParams = Params.extend({ format: z.enum(["docx", "xlsx", "json", "html"]) });
const ReportReadQuery = z.object({
  missing: z.enum(["null"], { error: "missing 只能是 null" }).optional(),
});
const SummaryQuery = z.object({ agencyId: ObjectIdString, year: Year });
const PublicParams = z.object({
  agencyCode: z.string().min(1).max(60),
  year: z.string().regex(/^\d{4}(\.json)?$/, "年份格式不正确"),
});
const PublicListQuery = z.object({ agencyCode: z.string().max(60).optional() });

/** The /api/reports router. */
export function createReportsRouter() {
  return buildRouter("/reports", [
    route({
      method: "get",
      path: "/dashboard",
      summary: "年度报告看板：各机关上一年度报告的状态与距法定期限天数",
      access: access.staff("readReports"),
      handler: async (ctx) => presentDashboard(await reportDashboard(agenciesWith(staffOf(ctx), READERS))),
    }),
    route({
      method: "get",
      path: "/summary",
      summary: "汇总：所辖机关年度报告的表格合计、发布情况和未通过的校验",
      access: access.staff("readReportSummary"),
      query: SummaryQuery,
      handler: async (ctx, { query }) => {
        assertRole(staffOf(ctx), query.agencyId, rolesFor("readReportSummary"));
        return presentSummary(await summarizeReports(query.agencyId, query.year));
      },
    }),
    route({
      method: "get",
      path: "/public",
      summary: "公开：各机关已发布的年度报告（按年度）",
      access: access.public,
      query: PublicListQuery,
      handler: async (_ctx, { query }) => presentPublicReportList(await publishedReports(query.agencyCode)),
    }),
    route({
      method: "get",
      path: "/public/:agencyCode/:year",
      summary: "公开：年度报告页面（HTML），加 .json 为开放数据",
      access: access.public,
      params: PublicParams,
      handler: async (ctx, { params }) => {
        const year = Number(params.year.slice(0, 4));
        const model = await publishedReportOf(params.agencyCode, year);
        writePublicReport(ctx, model, params.agencyCode, year, params.year.endsWith(".json"));
      },
    }),
    route({
      method: "post",
      path: "/agencies/:agencyId/:year/draft",
      summary: "生成或刷新年度报告草稿",
      access: access.staff("writeReports"),
      params: Params,
      body: DraftInput,
      handler: async (ctx, { params, body }) => {
        const agency = await writable(ctx, params.agencyId);
        return presentReport(agency, await refreshDraft(agency, params.year, { ...body, ctx }));
      },
    }),
    route({
      method: "get",
      path: "/agencies/:agencyId/:year",
      summary: "年度报告（草稿或已发布），含校验结果；missing=null 时尚未生成的报告答 null 而非 404",
      access: access.staff("readReports"),
      params: Params,
      query: ReportReadQuery,
      handler: async (ctx, { params, query }) => {
        const agency = await readable(ctx, params.agencyId);
        const doc = await storedReport(agency, params.year, query.missing === "null");
        return doc ? presentReport(agency, doc) : null;
      },
    }),
    route({
      method: "put",
      path: "/agencies/:agencyId/:year/inputs",
      summary: "填写表二人工数据、表四统计口径",
      access: access.staff("writeReports"),
      params: Params,
      body: InputsInput,
      handler: async (ctx, { params, body }) => {
        const agency = await writable(ctx, params.agencyId);
        return presentReport(agency, await updateInputs(agency, params.year, body, ctx));
      },
    }),
    route({
      method: "put",
      path: "/agencies/:agencyId/:year/sections",
      summary: "编辑总体情况各段及第五、六部分",
      access: access.staff("writeReports"),
      params: Params,
      body: SectionsInput,
      handler: async (ctx, { params, body }) => {
        const agency = await writable(ctx, params.agencyId);
        return presentReport(agency, await updateSections(agency, params.year, body, ctx));
      },
    }),
    route({
      method: "get",
      path: "/agencies/:agencyId/:year/provenance",
      summary: "某个数字背后的申请或案件",
      access: access.staff("readReports"),
      params: Params,
      query: CellQuery,
      handler: async (ctx, { params, query }) =>
        reportCellProvenance(await readable(ctx, params.agencyId), params.year, query.cell),
    }),
    route({
      method: "get",
      path: "/agencies/:agencyId/:year/export/:format",
      summary: "预览（html）或下载（docx、xlsx、json）年度报告",
      access: access.staff("readReports"),
      params: ExportParams,
      handler: async (ctx, { params }) => {
        const agency = await readable(ctx, params.agencyId);
        const model = await reportModel(agency, params.year);
        await writeReportFile(ctx, model, params.format, `${agency.code}-${params.year}-annual-report`);
      },
    }),
    route({
      method: "post",
      path: "/agencies/:agencyId/:year/publish",
      summary: "发布年度报告（必须通过的校验未通过时拒绝）",
      access: access.staff("publishReports"),
      params: Params,
      handler: async (ctx, { params }) => {
        const agency = await writable(ctx, params.agencyId, rolesFor("publishReports"));
        return presentReport(agency, await publishReport(agency, params.year, ctx));
      },
    }),
    route({
      method: "post",
      path: "/agencies/:agencyId/:year/revise",
      summary: "更正已发布的年度报告（说明理由，再次发布为新版本）",
      access: access.staff("publishReports"),
      params: Params,
      body: ReviseInput,
      handler: async (ctx, { params, body }) => {
        const agency = await writable(ctx, params.agencyId, rolesFor("publishReports"));
        return presentReport(agency, await reviseReport(agency, params.year, body.reason, ctx));
      },
    }),
    route({
      method: "post",
      path: "/agencies/:agencyId/:year/import",
      summary: "导入并审核已发布的历史年度报告（文本或 HTML）",
      access: access.staff("writeReports"),
      params: Params,
      body: ImportInput,
      handler: async (ctx, { params, body }) =>
        importReport(await writable(ctx, params.agencyId), params.year, body.text, ctx),
    }),
  ]);
}

function assertRole(actor: StaffActor, agencyId: string, roles: readonly StaffRole[]): void {
  if (!hasRole(actor, agencyId, roles)) throw Forbidden("您在该机关没有相应权限");
}

/** Authorizes a change at the agency, then loads it. */
async function writable(
  ctx: Context,
  agencyId: string,
  roles: readonly StaffRole[] = WRITERS,
): Promise<ReportAgency> {
  assertRole(staffOf(ctx), agencyId, roles);
  return findAgency(agencyId);
}

/** Authorizes a read at the agency, then loads it. */
async function readable(ctx: Context, agencyId: string): Promise<ReportAgency> {
  assertRole(staffOf(ctx), agencyId, READERS);
  return findAgency(agencyId);
}
