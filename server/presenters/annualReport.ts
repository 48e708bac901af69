/**
 * Annual reports as staff and the public see them: the report with its checks (provenance left out,
 * it is read cell by cell), the dashboard rows, a supervisor's summary, the public list, and the
 * files (HTML preview, DOCX, XLSX, JSON) written straight to the response.
 */
import type { ReportModel } from "@govinfo/shared/stats/report";
import type { Context } from "koa";
import type { AnnualReportDoc } from "../models/AnnualReport.ts";
import { renderDocx } from "../reports/export/docx.ts";
import { renderHtml } from "../reports/export/html.ts";
import { toReportJson } from "../reports/export/json.ts";
import { renderXlsx } from "../reports/export/xlsx.ts";
import {
  currentModel,
  daysUntil,
  type ReportAgency,
  reportDeadline,
  revisionInfos,
} from "../reports/service.ts";
import type { PublishedReports, ReportDashboard, ReportSummary } from "../services/annualReports.ts";

/** A stored report for staff: its current model without provenance, plus the draft's own facts. */
export function presentReport(agency: ReportAgency, doc: AnnualReportDoc) {
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

/** One row per agency: last year's report status, its legal deadline and the days left. */
export function presentDashboard({ today, year, agencies, reports }: ReportDashboard) {
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
}

/** The summary: per agency its status, deadline and failing checks; the summed tables. */
export function presentSummary({ year, entries, totals }: ReportSummary) {
  return {
    year,
    agencies: entries.map(({ agency, doc, model }) => ({
      agencyId: String(agency._id),
      code: agency.code,
      name: agency.name,
      status: doc?.status ?? "none",
      published: (doc?.revisions?.length ?? 0) > 0,
      deadline: reportDeadline(agency.level, year),
      failingChecks: model.checks
        .filter((c) => !c.ok)
        .map((c) => ({ rule: c.rule, severity: c.severity, message: c.message })),
    })),
    totals,
  };
}

/** Published reports grouped by agency, each with its latest revision and public address. */
export function presentPublicReportList({ reports, agencies }: PublishedReports) {
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
    const last = revisionInfos(report).at(-1);
    entry.reports.push({
      year: report.year,
      revision: last?.revision ?? 1,
      publishedAt: last?.publishedAt ?? "",
      url: `/api/reports/public/${encodeURIComponent(agency.code)}/${report.year}`,
    });
    grouped.set(agency.code, entry);
  }
  return [...grouped.values()];
}

/** The public page of a published report: HTML linking its open data, or the JSON itself. */
export function writePublicReport(
  ctx: Context,
  model: ReportModel,
  agencyCode: string,
  year: number,
  asJson: boolean,
): void {
  if (asJson) {
    ctx.type = "application/json; charset=utf-8";
    // The narrative rides along for readers (the mini-program); report.json's own fields are unchanged.
    ctx.body = { ...toReportJson(model), revisions: model.revisions, sections: model.sections };
    return;
  }
  ctx.type = "text/html; charset=utf-8";
  ctx.body = renderHtml(model, {
    jsonHref: `/api/reports/public/${encodeURIComponent(agencyCode)}/${year}.json`,
  });
}

/** A staff export: the HTML preview (with checks) inline, the other formats as a download. */
export async function writeReportFile(
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
