/**
 * Annual reports (政府信息公开工作年度报告). Staff of an agency (admin, reviewer) generate and refresh the
 * draft, enter manual figures and paragraphs, see the checks and the applications behind any figure,
 * preview and download DOCX/XLSX/JSON, publish, and correct with a reason; supervisors read the
 * agencies below them and a summary. The public lists published reports and reads each one as HTML
 * or JSON, with its revision history.
 */
import { reportsApi } from "@govinfo/shared/api/routes/reports";
import type { StaffRole } from "@govinfo/shared/schemas/auth";
import { table4Blocks, table4Columns } from "@govinfo/shared/stats/keys";
import type { ReportModel, Table3Values } from "@govinfo/shared/stats/report";
import type { Context } from "koa";
import { Types } from "mongoose";
import { Forbidden, NotFound } from "../errors.ts";
import { Agency } from "../models/Agency.ts";
import { AnnualReport, type AnnualReportDoc } from "../models/AnnualReport.ts";
import { hasRole, type StaffActor } from "../policies/actor.ts";
import { auditReportText } from "../reports/audit/parse.ts";
import { subtreeIds } from "../reports/collect.ts";
import { renderDocx } from "../reports/export/docx.ts";
import { renderHtml } from "../reports/export/html.ts";
import { toReportJson } from "../reports/export/json.ts";
import { renderXlsx } from "../reports/export/xlsx.ts";
import {
  cellProvenance,
  daysUntil,
  findAgency,
  generateReport,
  loadReport,
  modelOf,
  previousReport,
  publishedModelOf,
  publishReport,
  type ReportAgency,
  refreshDraft,
  reportDeadline,
  reviseReport,
  revisionInfos,
  updateInputs,
  updateSections,
} from "../reports/service.ts";
import { audit } from "../services/audit.ts";
import { dateInChina } from "../services/calendar.ts";
import { access, buildRouter, route, staffOf } from "./define.ts";

const WRITERS: readonly StaffRole[] = ["admin", "reviewer"];
const READERS: readonly StaffRole[] = ["admin", "reviewer", "supervisor"];

/** The /api/reports router. */
export function createReportsRouter() {
  return buildRouter("", [
    route({
      ...reportsApi.dashboard,
      summary: "年度报告看板：各机关上一年度报告的状态与距法定期限天数",
      access: access.staff(...READERS),
      handler: async (ctx) => {
        const actor = staffOf(ctx);
        const today = dateInChina();
        const year = Number(today.slice(0, 4)) - 1;
        const ids = [...actor.roles.entries()]
          .filter(([, roles]) => READERS.some((r) => roles.has(r)))
          .map(([id]) => new Types.ObjectId(id));
        const [agencies, reports] = await Promise.all([
          Agency.find({ _id: { $in: ids } }, { code: 1, name: 1, level: 1 }).lean(),
          AnnualReport.find(
            { agencyId: { $in: ids }, year },
            { agencyId: 1, status: 1, checks: 1, revisions: { $slice: -1 } },
          ).lean(),
        ]);
        return agencies.map((agency) => {
          const report = reports.find((r) => String(r.agencyId) === String(agency._id));
          const deadline = reportDeadline(agency.level as ReportAgency["level"], year);
          return {
            agencyId: String(agency._id),
            code: agency.code,
            name: agency.name,
            level: agency.level,
            year,
            deadline,
            daysLeft: daysUntil(today, deadline),
            status: report?.status ?? "none",
            failingHardChecks: (report?.checks ?? []).filter((c) => !c.ok && c.severity === "hard").length,
          };
        });
      },
    }),
    route({
      ...reportsApi.summary,
      summary: "汇总：所辖机关年度报告的表格合计、发布情况和未通过的校验",
      access: access.staff("supervisor", "admin"),
      handler: async (ctx, { query }) => {
        assertRole(staffOf(ctx), query.agencyId, ["supervisor", "admin"]);
        return summarize(query.agencyId, query.year);
      },
    }),
    route({
      ...reportsApi.publicList,
      summary: "公开：各机关已发布的年度报告（按年度）",
      access: access.public,
      handler: async (_ctx, { query }) => {
        const agencyFilter = query.agencyCode
          ? await Agency.find({ code: query.agencyCode }, { _id: 1 }).lean()
          : null;
        const reports = await AnnualReport.find(
          {
            "revisions.0": { $exists: true },
            ...(agencyFilter ? { agencyId: { $in: agencyFilter.map((a) => a._id) } } : {}),
          },
          {
            agencyId: 1,
            year: 1,
            "revisions.revision": 1,
            "revisions.publishedAt": 1,
            "revisions.reason": 1,
          },
        )
          .sort({ year: -1 })
          .lean();
        const agencies = await Agency.find(
          { _id: { $in: reports.map((r) => r.agencyId) } },
          { code: 1, name: 1 },
        ).lean();
        const byId = new Map(agencies.map((a) => [String(a._id), a]));
        const grouped = new Map<
          string,
          {
            code: string;
            name: string;
            reports: { year: number; revision: number; publishedAt: string; url: string }[];
          }
        >();
        for (const report of reports) {
          const agency = byId.get(String(report.agencyId));
          if (!agency) continue;
          const entry = grouped.get(agency.code) ?? { code: agency.code, name: agency.name, reports: [] };
          const last = revisionInfos(report as AnnualReportDoc).at(-1);
          entry.reports.push({
            year: report.year,
            revision: last?.revision ?? 1,
            publishedAt: last?.publishedAt ?? "",
            url: `/api/reports/public/${encodeURIComponent(agency.code)}/${report.year}`,
          });
          grouped.set(agency.code, entry);
        }
        return [...grouped.values()];
      },
    }),
    route({
      ...reportsApi.publicOne,
      summary: "公开：年度报告页面（HTML），加 .json 为开放数据",
      access: access.public,
      handler: async (ctx, { params }) => {
        const isJson = params.year.endsWith(".json");
        const year = Number(params.year.slice(0, 4));
        const agency = await Agency.findOne({ code: params.agencyCode }, { _id: 1 }).lean();
        const doc = agency
          ? await AnnualReport.findOne({ agencyId: agency._id, year }).lean<AnnualReportDoc>()
          : null;
        const model = doc ? publishedModelOf(doc) : null;
        if (!model) throw NotFound("annualReport", "该年度报告尚未发布");
        if (isJson) {
          ctx.type = "application/json; charset=utf-8";
          // The narrative rides along for readers (the mini-program); report.json's own fields are unchanged.
          ctx.body = { ...toReportJson(model), revisions: model.revisions, sections: model.sections };
          return;
        }
        ctx.type = "text/html; charset=utf-8";
        ctx.body = renderHtml(model, {
          jsonHref: `/api/reports/public/${encodeURIComponent(params.agencyCode)}/${year}.json`,
        });
      },
    }),
    route({
      ...reportsApi.draft,
      summary: "生成或刷新年度报告草稿",
      access: access.staff(...WRITERS),
      handler: async (ctx, { params, body }) => {
        const agency = await writable(ctx, params.agencyId);
        const doc = await refreshDraft(agency, params.year, { ...body, ctx });
        return presentReport(agency, doc);
      },
    }),
    route({
      ...reportsApi.load,
      summary: "年度报告（草稿或已发布），含校验结果；missing=null 时尚未生成的报告答 null 而非 404",
      access: access.staff(...READERS),
      handler: async (ctx, { params, query }) => {
        const agency = await readable(ctx, params.agencyId);
        // The dashboard asks for this year's draft, which often does not exist yet: a null answer
        // spares every page load a 404 in the browser console.
        if (
          query.missing === "null" &&
          !(await AnnualReport.exists({ agencyId: agency._id, year: params.year }))
        )
          return null;
        return presentReport(agency, await loadReport(agency._id, params.year));
      },
    }),
    route({
      ...reportsApi.saveInputs,
      summary: "填写表二人工数据、表四统计口径",
      access: access.staff(...WRITERS),
      handler: async (ctx, { params, body }) => {
        const agency = await writable(ctx, params.agencyId);
        return presentReport(agency, await updateInputs(agency, params.year, body, ctx));
      },
    }),
    route({
      ...reportsApi.saveSections,
      summary: "编辑总体情况各段及第五、六部分",
      access: access.staff(...WRITERS),
      handler: async (ctx, { params, body }) => {
        const agency = await writable(ctx, params.agencyId);
        return presentReport(agency, await updateSections(agency, params.year, body, ctx));
      },
    }),
    route({
      ...reportsApi.provenance,
      summary: "某个数字背后的申请或案件",
      access: access.staff(...READERS),
      handler: async (ctx, { params, query }) => {
        const agency = await readable(ctx, params.agencyId);
        const doc = await loadReport(agency._id, params.year);
        const ids = doc.scope === "subtree" ? await subtreeIds(agency._id) : [agency._id];
        return cellProvenance(ids, currentModel(agency, doc), query.cell);
      },
    }),
    route({
      ...reportsApi.exportFile,
      summary: "预览（html）或下载（docx、xlsx、json）年度报告",
      access: access.staff(...READERS),
      handler: async (ctx, { params }) => {
        const agency = await readable(ctx, params.agencyId);
        const model = currentModel(agency, await loadReport(agency._id, params.year));
        const base = `${agency.code}-${params.year}-annual-report`;
        await send(ctx, model, params.format, base);
      },
    }),
    route({
      ...reportsApi.publish,
      summary: "发布年度报告（必须通过的校验未通过时拒绝）",
      access: access.staff("admin"),
      handler: async (ctx, { params }) => {
        const agency = await writable(ctx, params.agencyId, ["admin"]);
        return presentReport(agency, await publishReport(agency, params.year, ctx));
      },
    }),
    route({
      ...reportsApi.revise,
      summary: "更正已发布的年度报告（说明理由，再次发布为新版本）",
      access: access.staff("admin"),
      handler: async (ctx, { params, body }) => {
        const agency = await writable(ctx, params.agencyId, ["admin"]);
        return presentReport(agency, await reviseReport(agency, params.year, body.reason, ctx));
      },
    }),
    route({
      ...reportsApi.importText,
      summary: "导入并审核已发布的历史年度报告（文本或 HTML）",
      access: access.staff(...WRITERS),
      handler: async (ctx, { params, body }) => {
        const agency = await writable(ctx, params.agencyId);
        const result = auditReportText(body.text, await previousReport(agency._id, params.year));
        const existing = await AnnualReport.findOne(
          { agencyId: agency._id, year: params.year },
          { status: 1 },
        ).lean();
        if (existing && existing.status !== "imported")
          return { stored: false, parsed: result.parsed, checks: result.checks };
        await AnnualReport.updateOne(
          { agencyId: agency._id, year: params.year },
          {
            $set: {
              status: "imported",
              formatVersion: result.parsed.formatVersion,
              importedText: body.text,
              snapshot: { tables: { ...result.parsed.tables, three: { rows: result.parsed.tables.three } } },
              checks: result.checks,
            },
          },
          { upsert: true },
        );
        await audit(ctx, {
          action: "report.import",
          targetType: "annualReport",
          targetId: `${agency.code}/${params.year}`,
          agencyId: agency._id,
        });
        return { stored: true, parsed: result.parsed, checks: result.checks };
      },
    }),
  ]);
}

function assertRole(actor: StaffActor, agencyId: string, roles: readonly StaffRole[]): void {
  if (!hasRole(actor, agencyId, roles)) throw Forbidden("您在该机关没有相应权限");
}

async function writable(
  ctx: Context,
  agencyId: string,
  roles: readonly StaffRole[] = WRITERS,
): Promise<ReportAgency> {
  assertRole(staffOf(ctx), agencyId, roles);
  return findAgency(agencyId);
}

async function readable(ctx: Context, agencyId: string): Promise<ReportAgency> {
  assertRole(staffOf(ctx), agencyId, READERS);
  return findAgency(agencyId);
}

function currentModel(agency: ReportAgency, doc: AnnualReportDoc): ReportModel {
  if (doc.status === "imported") throw NotFound("annualReport", "导入的历史报告没有可导出的版本");
  return doc.status === "published" ? (publishedModelOf(doc) ?? modelOf(agency, doc)) : modelOf(agency, doc);
}

function presentReport(agency: ReportAgency, doc: AnnualReportDoc) {
  const model = currentModel(agency, doc);
  const { provenance: _provenance, ...rest } = model;
  return {
    ...rest,
    agencyId: String(agency._id),
    scope: doc.scope,
    manualInputs: doc.manualInputs,
    generatedAt: doc.generatedAt,
    pendingRevisionReason: doc.pendingRevisionReason,
    publishable: !model.checks.some((c) => !c.ok && c.severity === "hard"),
  };
}

async function send(
  ctx: Context,
  model: ReportModel,
  format: "docx" | "xlsx" | "json" | "html",
  base: string,
): Promise<void> {
  if (format === "html") {
    ctx.type = "text/html; charset=utf-8";
    ctx.body = renderHtml(model, { showChecks: true });
    return;
  }
  if (format === "json") {
    ctx.type = "application/json; charset=utf-8";
    ctx.attachment(`${base}.json`);
    ctx.body = toReportJson(model);
    return;
  }
  ctx.attachment(`${base}.${format}`);
  ctx.type =
    format === "docx"
      ? "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
      : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  ctx.body = format === "docx" ? await renderDocx(model) : await renderXlsx(model);
}

// Stored snapshots where a report exists (published ones as published), live figures otherwise.
async function summarize(rootId: string, year: number) {
  const ids = await subtreeIds(rootId);
  const agencies = await Agency.find({ _id: { $in: ids } }, { code: 1, name: 1, level: 1 }).lean();
  const reports = await AnnualReport.find({ agencyId: { $in: ids }, year }).lean<AnnualReportDoc[]>();
  const rows: Record<string, Record<string, number>> = {};
  const four: Record<string, Record<string, number>> = {};
  for (const block of table4Blocks)
    four[block.key] = Object.fromEntries(table4Columns.map((c) => [c.key, 0]));
  const items = [];
  for (const agency of agencies) {
    const ref: ReportAgency = {
      _id: agency._id,
      code: agency.code,
      name: agency.name,
      level: agency.level as ReportAgency["level"],
    };
    const doc = reports.find((r) => String(r.agencyId) === String(agency._id));
    const model =
      doc && doc.status !== "imported"
        ? currentModel(ref, doc)
        : (await generateReport(ref, year, { previous: null })).model;
    const three = model.tables.three as Table3Values;
    for (const [row, cells] of Object.entries(three.rows)) {
      const sum = rows[row] ?? {};
      rows[row] = sum;
      for (const [column, value] of Object.entries(cells)) sum[column] = (sum[column] ?? 0) + value;
    }
    for (const block of table4Blocks)
      for (const column of table4Columns) {
        const target = four[block.key] as Record<string, number>;
        target[column.key] = (target[column.key] ?? 0) + model.tables.four[block.key][column.key];
      }
    items.push({
      agencyId: String(agency._id),
      code: agency.code,
      name: agency.name,
      status: doc?.status ?? "none",
      published: (doc?.revisions?.length ?? 0) > 0,
      deadline: reportDeadline(ref.level, year),
      failingChecks: model.checks
        .filter((c) => !c.ok)
        .map((c) => ({ rule: c.rule, severity: c.severity, message: c.message })),
    });
  }
  return { year, agencies: items, totals: { three: rows, four } };
}
