/**
 * JSON export: report.json (open data), exactly the schema of issue 6 — agency, year, formatVersion,
 * tables (two, three, four), checks and per-cell provenance.
 */
import type { ReportJson, ReportModel } from "@govinfo/shared/stats/report";

/** The report.json object of a report model (no narrative, no status). */
export function toReportJson(model: ReportModel): ReportJson {
  return {
    agency: { code: model.agency.code, name: model.agency.name },
    year: model.year,
    formatVersion: model.formatVersion,
    tables: model.tables,
    checks: model.checks,
    provenance: model.provenance,
  };
}

/** report.json as text (two-space indent, trailing newline). */
export function renderJson(model: ReportModel): string {
  return `${JSON.stringify(toReportJson(model), null, 2)}\n`;
}
