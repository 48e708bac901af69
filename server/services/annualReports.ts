/**
 * The queries behind the annual-report routes: the staff dashboard, a supervisor's summary of the
 * agencies below them, the public list and page of published reports, and a stored report read for
 * staff (its provenance and exports). Commands that change a report live in `reports/service.ts`,
 * the only writer of its status; this module only reads.
 */
import { table4Blocks, table4Columns } from "@govinfo/shared/stats/keys";
import type { ReportModel, Table3Values } from "@govinfo/shared/stats/report";
import { Types } from "mongoose";
import { NotFound } from "../errors.ts";
import { Agency } from "../models/Agency.ts";
import { AnnualReport, type AnnualReportDoc } from "../models/AnnualReport.ts";
import { subtreeIds } from "../reports/collect.ts";
import {
  cellProvenance,
  currentModel,
  generateReport,
  loadReport,
  publishedModelOf,
  type ReportAgency,
  reportAgencyOf,
} from "../reports/service.ts";
import { dateInChina } from "./calendar.ts";

/** An agency as the dashboard and the summary list it. */
export interface ListedAgency {
  _id: Types.ObjectId;
  code: string;
  name: string;
  level: string;
}

/** Last year's report of each agency given, for the dashboard. */
export interface ReportDashboard {
  today: string;
  year: number;
  agencies: ListedAgency[];
  reports: Pick<AnnualReportDoc, "agencyId" | "status" | "checks">[];
}

/** The dashboard's data: last statistics year's report (if any) of each of `agencyIds`. */
export async function reportDashboard(agencyIds: readonly string[]): Promise<ReportDashboard> {
  const today = dateInChina();
  const year = Number(today.slice(0, 4)) - 1;
  const ids = agencyIds.map((id) => new Types.ObjectId(id));
  const [agencies, reports] = await Promise.all([
    Agency.find({ _id: { $in: ids } }, { code: 1, name: 1, level: 1 }).lean(),
    AnnualReport.find(
      { agencyId: { $in: ids }, year },
      { agencyId: 1, status: 1, checks: 1, revisions: { $slice: -1 } },
    ).lean(),
  ]);
  return { today, year, agencies, reports };
}

/** One agency of a summary: its stored report (if any) and the model counted in the totals. */
export interface SummaryEntry {
  agency: ReportAgency;
  doc: AnnualReportDoc | undefined;
  model: ReportModel;
}

/** A summary of the agencies under a root: each one's report and the summed tables 三 and 四. */
export interface ReportSummary {
  year: number;
  entries: SummaryEntry[];
  totals: { three: Record<string, Record<string, number>>; four: Record<string, Record<string, number>> };
}

/** Sums a subtree's reports: stored snapshots where a report exists (published ones as published), live figures otherwise. */
export async function summarizeReports(rootId: string, year: number): Promise<ReportSummary> {
  const ids = await subtreeIds(rootId);
  const agencies = await Agency.find({ _id: { $in: ids } }, { code: 1, name: 1, level: 1 }).lean();
  const reports = await AnnualReport.find({ agencyId: { $in: ids }, year }).lean<AnnualReportDoc[]>();
  const three: Record<string, Record<string, number>> = {};
  const four: Record<string, Record<string, number>> = {};
  for (const block of table4Blocks)
    four[block.key] = Object.fromEntries(table4Columns.map((c) => [c.key, 0]));
  const entries: SummaryEntry[] = [];
  for (const agency of agencies) {
    const ref = reportAgencyOf(agency);
    const doc = reports.find((r) => String(r.agencyId) === String(agency._id));
    const model =
      doc && doc.status !== "imported"
        ? currentModel(ref, doc)
        : (await generateReport(ref, year, { previous: null })).model;
    for (const [row, cells] of Object.entries((model.tables.three as Table3Values).rows)) {
      const sum = three[row] ?? {};
      three[row] = sum;
      for (const [column, value] of Object.entries(cells)) sum[column] = (sum[column] ?? 0) + value;
    }
    for (const block of table4Blocks)
      for (const column of table4Columns) {
        const target = four[block.key] as Record<string, number>;
        target[column.key] = (target[column.key] ?? 0) + model.tables.four[block.key][column.key];
      }
    entries.push({ agency: ref, doc, model });
  }
  return { year, entries, totals: { three, four } };
}

/** A published report as the public list shows it (revision facts only, no snapshot). */
export type PublishedReportRow = Pick<AnnualReportDoc, "agencyId" | "year" | "revisions">;

/** Published reports with the agencies they belong to. */
export interface PublishedReports {
  reports: PublishedReportRow[];
  agencies: { _id: Types.ObjectId; code: string; name: string }[];
}

/** Published reports, newest year first, optionally of one agency (by code), with their agencies. */
export async function publishedReports(agencyCode: string | undefined): Promise<PublishedReports> {
  const agencyFilter = agencyCode ? await Agency.find({ code: agencyCode }, { _id: 1 }).lean() : null;
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
    .lean<PublishedReportRow[]>();
  const agencies = await Agency.find(
    { _id: { $in: reports.map((r) => r.agencyId) } },
    { code: 1, name: 1 },
  ).lean();
  return { reports, agencies };
}

/** The latest published revision of an agency's report (what the public reads), or 404. */
export async function publishedReportOf(agencyCode: string, year: number): Promise<ReportModel> {
  const agency = await Agency.findOne({ code: agencyCode }, { _id: 1 }).lean();
  const doc = agency
    ? await AnnualReport.findOne({ agencyId: agency._id, year }).lean<AnnualReportDoc>()
    : null;
  const model = doc ? publishedModelOf(doc) : null;
  if (!model) throw NotFound("annualReport", "该年度报告尚未发布");
  return model;
}

/**
 * A stored report for staff; with `missingAsNull`, null when none was generated yet (the dashboard
 * asks for this year's draft, which often does not exist: null spares every page load a 404).
 */
export async function storedReport(
  agency: ReportAgency,
  year: number,
  missingAsNull = false,
): Promise<AnnualReportDoc | null> {
  if (missingAsNull && !(await AnnualReport.exists({ agencyId: agency._id, year }))) return null;
  return loadReport(agency._id, year);
}

/** The current model of a stored report (for exports and previews). */
export async function reportModel(agency: ReportAgency, year: number): Promise<ReportModel> {
  return currentModel(agency, await loadReport(agency._id, year));
}

/** The applications or cases behind one figure of a stored report. */
export async function reportCellProvenance(agency: ReportAgency, year: number, cell: string) {
  const doc = await loadReport(agency._id, year);
  const ids = doc.scope === "subtree" ? await subtreeIds(agency._id) : [agency._id];
  return cellProvenance(ids, currentModel(agency, doc), cell);
}
