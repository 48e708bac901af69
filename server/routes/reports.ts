/**
 * Annual reports (政府信息公开工作年度报告). Staff of an agency (admin, reviewer) generate and refresh the
 * draft, enter manual figures and paragraphs, see the checks and the applications behind any figure,
 * preview and download DOCX/XLSX/JSON, publish, and correct with a reason; supervisors read the
 * agencies below them and a summary. The public lists published reports and reads each one as HTML
 * or JSON, with its revision history.
 */

import { rolesFor } from "@govinfo/shared/access/capabilities";
import { reportsApi } from "@govinfo/shared/api/routes/reports";
import type { StaffRole } from "@govinfo/shared/schemas/auth";
import type { Context } from "koa";
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

/** The /api/reports router. */
export function createReportsRouter() {
  return buildRouter("", [
    route({
      ...reportsApi.dashboard,
      summary: "年度报告看板：各机关上一年度报告的状态与距法定期限天数",
      access: access.staff("readReports"),
      handler: async (ctx) => presentDashboard(await reportDashboard(agenciesWith(staffOf(ctx), READERS))),
    }),
    route({
      ...reportsApi.summary,
      summary: "汇总：所辖机关年度报告的表格合计、发布情况和未通过的校验",
      access: access.staff("readReportSummary"),
      handler: async (ctx, { query }) => {
        assertRole(staffOf(ctx), query.agencyId, rolesFor("readReportSummary"));
        return presentSummary(await summarizeReports(query.agencyId, query.year));
      },
    }),
    route({
      ...reportsApi.publicList,
      summary: "公开：各机关已发布的年度报告（按年度）",
      access: access.public,
      handler: async (_ctx, { query }) => presentPublicReportList(await publishedReports(query.agencyCode)),
    }),
    route({
      ...reportsApi.publicOne,
      summary: "公开：年度报告页面（HTML），加 .json 为开放数据",
      access: access.public,
      handler: async (ctx, { params }) => {
        const year = Number(params.year.slice(0, 4));
        const model = await publishedReportOf(params.agencyCode, year);
        writePublicReport(ctx, model, params.agencyCode, year, params.year.endsWith(".json"));
      },
    }),
    route({
      ...reportsApi.draft,
      summary: "生成或刷新年度报告草稿",
      access: access.staff("writeReports"),
      handler: async (ctx, { params, body }) => {
        const agency = await writable(ctx, params.agencyId);
        return presentReport(agency, await refreshDraft(agency, params.year, { ...body, ctx }));
      },
    }),
    route({
      ...reportsApi.load,
      summary: "年度报告（草稿或已发布），含校验结果；missing=null 时尚未生成的报告答 null 而非 404",
      access: access.staff("readReports"),
      handler: async (ctx, { params, query }) => {
        const agency = await readable(ctx, params.agencyId);
        const doc = await storedReport(agency, params.year, query.missing === "null");
        return doc ? presentReport(agency, doc) : null;
      },
    }),
    route({
      ...reportsApi.saveInputs,
      summary: "填写表二人工数据、表四统计口径",
      access: access.staff("writeReports"),
      handler: async (ctx, { params, body }) => {
        const agency = await writable(ctx, params.agencyId);
        return presentReport(agency, await updateInputs(agency, params.year, body, ctx));
      },
    }),
    route({
      ...reportsApi.saveSections,
      summary: "编辑总体情况各段及第五、六部分",
      access: access.staff("writeReports"),
      handler: async (ctx, { params, body }) => {
        const agency = await writable(ctx, params.agencyId);
        return presentReport(agency, await updateSections(agency, params.year, body, ctx));
      },
    }),
    route({
      ...reportsApi.provenance,
      summary: "某个数字背后的申请或案件",
      access: access.staff("readReports"),
      handler: async (ctx, { params, query }) =>
        reportCellProvenance(await readable(ctx, params.agencyId), params.year, query.cell),
    }),
    route({
      ...reportsApi.exportFile,
      summary: "预览（html）或下载（docx、xlsx、json）年度报告",
      access: access.staff("readReports"),
      handler: async (ctx, { params }) => {
        const agency = await readable(ctx, params.agencyId);
        const model = await reportModel(agency, params.year);
        await writeReportFile(ctx, model, params.format, `${agency.code}-${params.year}-annual-report`);
      },
    }),
    route({
      ...reportsApi.publish,
      summary: "发布年度报告（必须通过的校验未通过时拒绝）",
      access: access.staff("publishReports"),
      handler: async (ctx, { params }) => {
        const agency = await writable(ctx, params.agencyId, rolesFor("publishReports"));
        return presentReport(agency, await publishReport(agency, params.year, ctx));
      },
    }),
    route({
      ...reportsApi.revise,
      summary: "更正已发布的年度报告（说明理由，再次发布为新版本）",
      access: access.staff("publishReports"),
      handler: async (ctx, { params, body }) => {
        const agency = await writable(ctx, params.agencyId, rolesFor("publishReports"));
        return presentReport(agency, await reviseReport(agency, params.year, body.reason, ctx));
      },
    }),
    route({
      ...reportsApi.importText,
      summary: "导入并审核已发布的历史年度报告（文本或 HTML）",
      access: access.staff("writeReports"),
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
