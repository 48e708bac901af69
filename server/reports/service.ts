/**
 * Annual report commands: generate or refresh a draft (idempotent upsert by agency and year), edit
 * manual inputs and paragraphs, publish (refused while a hard check fails), reopen for a correction
 * (the next publish is a new revision with its reason), import an already published historical
 * report, and read a cell's provenance. Routes, the CLI and the yearly job all go through here.
 *
 * This module is the only writer of a report's `status` (draft → published → draft for a correction,
 * or imported), as requestTransitioner is of a request's state; an architecture test enforces it.
 */
import type { PreviousReport } from "@govinfo/shared/stats/checks";
import { hasHardFailure } from "@govinfo/shared/stats/checks";
import {
  type CheckResult,
  type FormatVersion,
  formatVersionForYear,
  type NarrativeParagraph,
  type ReportModel,
  type ReportSections,
  type RevisionInfo,
  type Table2Values,
  type Table3Values,
  type Table4Basis,
  type Table4Values,
} from "@govinfo/shared/stats/report";
import type { Context } from "koa";
import { Types } from "mongoose";
import { AppError, Conflict, NotFound } from "../errors.ts";
import { Agency } from "../models/Agency.ts";
import { AnnualReport, type AnnualReportDoc } from "../models/AnnualReport.ts";
import { DisclosureRequest } from "../models/DisclosureRequest.ts";
import { ReviewCase } from "../models/ReviewCase.ts";
import { audit } from "../services/audit.ts";
import { type AuditResult, auditReportText } from "./audit/parse.ts";
import { type BuiltReport, buildReport } from "./build.ts";
import { collectReportData, subtreeIds } from "./collect.ts";

/** The agency fields a report needs. */
export interface ReportAgency {
  _id: Types.ObjectId;
  code: string;
  name: string;
  level: "department" | "government";
}

/** Options of a generation. */
export interface GenerateOptions {
  formatVersion?: FormatVersion;
  scope?: "agency" | "subtree";
  manual?: Table2Values;
  table4Basis?: Table4Basis;
  stored?: ReportSections | null;
  previous?: PreviousReport | null;
  /** Why 二 differs from last year's 四 (a draft's manual input). */
  carriedOverReason?: string;
}

/** What a stored snapshot holds besides the sections. */
export interface StoredSnapshot {
  tables: ReportModel["tables"];
  provenance: Record<string, string[]>;
  closedWithoutOutcome: string[];
  facts: BuiltReport["facts"];
}

/** Finds an agency by id or code. */
export async function findAgency(idOrCode: string): Promise<ReportAgency> {
  const filter =
    Types.ObjectId.isValid(idOrCode) && /^[0-9a-f]{24}$/i.test(idOrCode)
      ? { _id: idOrCode }
      : { code: idOrCode };
  const agency = await Agency.findOne(filter, { code: 1, name: 1, level: 1 }).lean();
  if (!agency) throw NotFound("agency", "机关不存在");
  return reportAgencyOf(agency);
}

/** The report's view of a stored agency. */
export function reportAgencyOf(agency: {
  _id: Types.ObjectId;
  code: string;
  name: string;
  level: string;
}): ReportAgency {
  return {
    _id: agency._id,
    code: agency.code,
    name: agency.name,
    level: agency.level as ReportAgency["level"],
  };
}

/** Collects and builds a report without storing it (CLI, previews, summaries). */
export async function generateReport(
  agency: ReportAgency,
  year: number,
  options: GenerateOptions = {},
): Promise<BuiltReport> {
  const formatVersion = options.formatVersion ?? formatVersionForYear(year);
  const ids = options.scope === "subtree" ? await subtreeIds(agency._id) : [agency._id];
  const data = await collectReportData(ids, year, formatVersion);
  const previous = options.previous === undefined ? await previousReport(agency._id, year) : options.previous;
  return buildReport({
    agency,
    year,
    formatVersion,
    data,
    manual: options.manual ?? {},
    carriedOverReason: options.carriedOverReason ?? "",
    table4Basis: options.table4Basis ?? "filedInYear",
    stored: options.stored ?? null,
    previous,
  });
}

/**
 * Last year's known report (published: its latest revision; or imported): its 四 per column and its
 * table 二, for the carried-over and roll-forward checks. Null when there is none.
 */
export async function previousReport(agencyId: Types.ObjectId, year: number): Promise<PreviousReport | null> {
  const doc = await AnnualReport.findOne(
    { agencyId, year: year - 1, status: { $in: ["published", "imported"] } },
    { status: 1, formatVersion: 1, snapshot: 1, revisions: { $slice: -1 } },
  ).lean<Pick<AnnualReportDoc, "status" | "formatVersion" | "snapshot" | "revisions">>();
  if (!doc) return null;
  const last = doc.revisions?.at(-1)?.snapshot as ReportModel | undefined;
  const tables =
    (doc.status === "published" ? last?.tables : (doc.snapshot as StoredSnapshot | null)?.tables) ?? null;
  if (!tables) return null;
  return {
    source: `${year - 1}年度报告${doc.status === "imported" ? "（导入）" : ""}`,
    formatVersion: doc.formatVersion as FormatVersion,
    carriedForward: tables.three.rows.carriedForward,
    two: tables.two,
  };
}

/**
 * Creates or refreshes the draft of (agency, year): recollects the data, redrafts paragraphs staff
 * have not edited, reruns the checks. A published report is left alone (returns it unchanged).
 */
export async function refreshDraft(
  agency: ReportAgency,
  year: number,
  options: { formatVersion?: FormatVersion; scope?: "agency" | "subtree"; ctx?: Context | null } = {},
): Promise<AnnualReportDoc> {
  const existing = await AnnualReport.findOne({ agencyId: agency._id, year }).lean<AnnualReportDoc>();
  if (existing && existing.status !== "draft") {
    if (existing.status === "imported")
      throw Conflict("report.imported", "该年度报告为导入的历史报告，不能在此生成");
    return existing;
  }
  const formatVersion =
    options.formatVersion ??
    (existing?.formatVersion as FormatVersion | undefined) ??
    formatVersionForYear(year);
  const scope = options.scope ?? (existing?.scope as "agency" | "subtree" | undefined) ?? "agency";
  const manual = (existing?.manualInputs?.two ?? {}) as Table2Values;
  const table4Basis = (existing?.manualInputs?.table4Basis ?? "filedInYear") as Table4Basis;
  const carriedOverReason = existing?.manualInputs?.carriedOverReason ?? "";
  const built = await generateReport(agency, year, {
    formatVersion,
    scope,
    manual,
    table4Basis,
    carriedOverReason,
    stored: existing ? sectionsOf(existing) : null,
  });
  const snapshot: StoredSnapshot = {
    tables: built.model.tables,
    provenance: built.model.provenance,
    closedWithoutOutcome: built.closedWithoutOutcome,
    facts: built.facts,
  };
  const doc = await AnnualReport.findOneAndUpdate(
    { agencyId: agency._id, year, status: "draft" },
    {
      $set: {
        formatVersion,
        scope,
        sections: built.model.sections,
        snapshot,
        checks: built.model.checks,
        generatedAt: new Date(),
      },
      $setOnInsert: {
        agencyId: agency._id,
        year,
        status: "draft",
        manualInputs: { two: manual, table4Basis },
      },
    },
    { upsert: true, returnDocument: "after", lean: true },
  );
  if (!doc) throw Conflict("report.state_changed");
  if (!existing)
    await auditReport(options.ctx ?? null, "report.draft", agency, doc._id, { year, formatVersion });
  return doc as AnnualReportDoc;
}

/** Audits an action on `agency`'s report (`reportId` its document, or agency code/year for an import). */
function auditReport(
  ctx: Context | null,
  action: string,
  agency: ReportAgency,
  reportId: Types.ObjectId | string,
  details?: Record<string, unknown>,
): Promise<void> {
  return audit(ctx, {
    action,
    targetType: "annualReport",
    targetId: reportId,
    agencyId: agency._id,
    details,
  });
}

/** Loads the stored report of (agency, year), or throws not_found. */
export async function loadReport(agencyId: Types.ObjectId, year: number): Promise<AnnualReportDoc> {
  const doc = await AnnualReport.findOne({ agencyId, year }).lean<AnnualReportDoc>();
  if (!doc) throw NotFound("annualReport", "该年度报告尚未生成");
  return doc;
}

/** Stores manual inputs (table 二 figures, table 四 basis) of a draft and refreshes it. */
export async function updateInputs(
  agency: ReportAgency,
  year: number,
  input: {
    two?: Table2Values;
    table4Basis?: Table4Basis;
    formatVersion?: FormatVersion;
    carriedOverReason?: string;
  },
  ctx: Context | null,
): Promise<AnnualReportDoc> {
  const doc = await editableDraft(agency, year);
  const two = { ...((doc.manualInputs?.two ?? {}) as Table2Values) };
  for (const [row, cells] of Object.entries(input.two ?? {})) two[row] = { ...(two[row] ?? {}), ...cells };
  await AnnualReport.updateOne(
    { _id: doc._id, status: "draft" },
    {
      $set: {
        "manualInputs.two": two,
        ...(input.table4Basis ? { "manualInputs.table4Basis": input.table4Basis } : {}),
        ...(input.carriedOverReason !== undefined
          ? { "manualInputs.carriedOverReason": input.carriedOverReason }
          : {}),
      },
    },
  );
  await auditReport(ctx, "report.inputs", agency, doc._id, {
    rows: Object.keys(input.two ?? {}),
    table4Basis: input.table4Basis ?? null,
    carriedOverReason: input.carriedOverReason ?? null,
  });
  return refreshDraft(agency, year, {
    ctx,
    ...(input.formatVersion ? { formatVersion: input.formatVersion } : {}),
  });
}

/** Paragraph edits: overview paragraphs by key; sections 五 and 六 as whole lists of texts. */
export interface SectionEdits {
  overview?: { key: string; text: string }[];
  problems?: string[];
  other?: string[];
}

/** Stores staff's paragraphs (marked edited, so refreshes keep them) and refreshes the draft's checks. */
export async function updateSections(
  agency: ReportAgency,
  year: number,
  edits: SectionEdits,
  ctx: Context | null,
): Promise<AnnualReportDoc> {
  const doc = await editableDraft(agency, year);
  const sections = sectionsOf(doc);
  for (const edit of edits.overview ?? []) {
    const target = sections.overview.find((p) => p.key === edit.key);
    if (target) {
      target.text = edit.text;
      target.edited = true;
    } else sections.overview.push({ key: edit.key, text: edit.text, edited: true });
  }
  const asParagraphs = (prefix: string, texts: string[]): NarrativeParagraph[] =>
    texts.map((text, i) => ({ key: `${prefix}.${i + 1}`, text, edited: true }));
  if (edits.problems) sections.problems = asParagraphs("problems", edits.problems);
  if (edits.other) {
    // 六's generated fee sentence stays unless staff replaced the whole section explicitly.
    sections.other = asParagraphs("other", edits.other);
  }
  await AnnualReport.updateOne({ _id: doc._id, status: "draft" }, { $set: { sections } });
  await auditReport(ctx, "report.sections", agency, doc._id, {
    overview: (edits.overview ?? []).map((e) => e.key),
    problems: edits.problems?.length ?? null,
    other: edits.other?.length ?? null,
  });
  return refreshDraft(agency, year, { ctx });
}

/** The hard checks that failed (empty when the report may be published). */
export function failingHardChecks(checks: readonly CheckResult[]): CheckResult[] {
  return checks.filter((c) => !c.ok && c.severity === "hard");
}

/**
 * Publishes the draft as a new revision (refreshed first, so the frozen figures are current);
 * refused with 409 and the failing hard checks when any hard check fails.
 */
export async function publishReport(
  agency: ReportAgency,
  year: number,
  ctx: Context | null,
  now: Date = new Date(),
): Promise<AnnualReportDoc> {
  await editableDraft(agency, year);
  const doc = await refreshDraft(agency, year, { ctx });
  const failing = failingHardChecks(doc.checks as CheckResult[]);
  if (hasHardFailure(doc.checks as CheckResult[])) {
    throw new AppError("conflict", {
      message: `有 ${failing.length} 项必须通过的校验未通过，不能发布：${failing.map((c) => c.message).join("；")}`,
      details: { reason: "report.checks_failed", checks: failing },
    });
  }
  const revision = (doc.revisions?.length ?? 0) + 1;
  const reason = revision === 1 ? "" : doc.pendingRevisionReason || "更正";
  const model = modelOf(agency, { ...doc, status: "published" }, [
    ...revisionInfos(doc),
    { revision, publishedAt: now.toISOString(), reason },
  ]);
  const updated = await AnnualReport.findOneAndUpdate(
    { _id: doc._id, status: "draft", "revisions.revision": { $ne: revision } },
    {
      $set: { status: "published", pendingRevisionReason: "" },
      $push: { revisions: { revision, publishedAt: now, reason, snapshot: model } },
    },
    { returnDocument: "after", lean: true },
  );
  if (!updated) throw Conflict("report.state_changed");
  await auditReport(ctx, "report.publish", agency, doc._id, { year, revision, reason });
  return updated as AnnualReportDoc;
}

/** Reopens a published report for a correction; the next publish records a revision with `reason`. */
export async function reviseReport(
  agency: ReportAgency,
  year: number,
  reason: string,
  ctx: Context | null,
): Promise<AnnualReportDoc> {
  const updated = await AnnualReport.findOneAndUpdate(
    { agencyId: agency._id, year, status: "published" },
    { $set: { status: "draft", pendingRevisionReason: reason } },
    { returnDocument: "after", lean: true },
  );
  if (!updated) throw Conflict("report.not_published", "只有已发布的报告才能更正");
  await auditReport(ctx, "report.revise", agency, updated._id, { year, reason });
  return updated as AnnualReportDoc;
}

/** What an import answers: the parsed report and its checks, and whether it was stored. */
export type ImportResult = { stored: boolean } & AuditResult;

/**
 * Audits a historical report's text (pasted or HTML) and stores it as `imported` unless the year
 * already has a report of this platform (then it is only checked, not stored).
 */
export async function importReport(
  agency: ReportAgency,
  year: number,
  text: string,
  ctx: Context | null,
): Promise<ImportResult> {
  const result = auditReportText(text, await previousReport(agency._id, year));
  const existing = await AnnualReport.findOne({ agencyId: agency._id, year }, { status: 1 }).lean();
  if (existing && existing.status !== "imported")
    return { stored: false, parsed: result.parsed, checks: result.checks };
  await AnnualReport.updateOne(
    { agencyId: agency._id, year },
    {
      $set: {
        status: "imported",
        formatVersion: result.parsed.formatVersion,
        importedText: text,
        snapshot: { tables: { ...result.parsed.tables, three: { rows: result.parsed.tables.three } } },
        checks: result.checks,
      },
    },
    { upsert: true },
  );
  await auditReport(ctx, "report.import", agency, `${agency.code}/${year}`);
  return { stored: true, parsed: result.parsed, checks: result.checks };
}

/**
 * The model staff see of a stored report: a draft's live figures, a published report's latest
 * revision. An imported report has no model of this platform (404).
 */
export function currentModel(agency: ReportAgency, doc: AnnualReportDoc): ReportModel {
  if (doc.status === "imported") throw NotFound("annualReport", "导入的历史报告没有可导出的版本");
  return doc.status === "published" ? (publishedModelOf(doc) ?? modelOf(agency, doc)) : modelOf(agency, doc);
}

/** The report model of a stored report (the live draft, or the stored state of a published one). */
export function modelOf(
  agency: Pick<ReportAgency, "code" | "name">,
  doc: AnnualReportDoc,
  revisions?: RevisionInfo[],
): ReportModel {
  const snapshot = doc.snapshot as StoredSnapshot;
  return {
    agency: { code: agency.code, name: agency.name },
    year: doc.year,
    formatVersion: doc.formatVersion as FormatVersion,
    tables: snapshot.tables,
    checks: (doc.checks ?? []).map((c) => ({
      rule: c.rule,
      ok: c.ok,
      severity: c.severity as "hard" | "soft",
      message: c.message,
    })),
    provenance: snapshot.provenance,
    sections: sectionsOf(doc),
    table4Basis: (doc.manualInputs?.table4Basis ?? "filedInYear") as Table4Basis,
    status: doc.status === "published" ? "published" : "draft",
    revisions: revisions ?? revisionInfos(doc),
  };
}

/** The latest published revision of a report (what the public sees), with the revision list. */
export function publishedModelOf(doc: AnnualReportDoc): ReportModel | null {
  const last = doc.revisions?.at(-1);
  if (!last) return null;
  return { ...(last.snapshot as ReportModel), status: "published", revisions: revisionInfos(doc) };
}

/** Revision list of a stored report. */
export function revisionInfos(doc: Pick<AnnualReportDoc, "revisions">): RevisionInfo[] {
  return (doc.revisions ?? []).map((r) => ({
    revision: r.revision,
    publishedAt: new Date(r.publishedAt).toISOString(),
    reason: r.reason ?? "",
  }));
}

/** One application or case behind a figure. */
export interface ProvenanceItem {
  kind: "request" | "case";
  number: string;
  receiptDate?: string | null;
  closedDate?: string | null;
  outcome?: string | null;
  applicantType?: string;
  filedDate?: string;
  result?: string | null;
}

/** The applications (or review cases) behind one cell, e.g. "three.granted.natural". */
export async function cellProvenance(
  agencyIds: Types.ObjectId[],
  model: ReportModel,
  cell: string,
): Promise<{ cell: string; value: number | null; items: ProvenanceItem[] }> {
  const numbers = model.provenance[cell];
  if (!numbers) throw NotFound("cell", `没有这个单元格：${cell}`);
  const parts = cell.split(".");
  const table = parts[0];
  const column = parts.at(-1);
  const row = parts.slice(1, -1).join(".");
  const value =
    table === "three"
      ? ((model.tables.three as Table3Values).rows[row]?.[column as keyof Table3Values["rows"][string]] ??
        null)
      : ((model.tables.four as Table4Values)[row as keyof Table4Values]?.[
          column as keyof Table4Values["reconsideration"]
        ] ?? null);
  if (table === "four") {
    const cases = await ReviewCase.find(
      { agencyId: { $in: agencyIds }, caseNo: { $in: numbers } },
      { caseNo: 1, kind: 1, filedDate: 1, closedDate: 1, result: 1 },
    ).lean();
    return {
      cell,
      value,
      items: cases.map((c) => ({
        kind: "case" as const,
        number: c.caseNo,
        filedDate: c.filedDate,
        closedDate: c.closedDate ?? null,
        result: c.result ?? null,
      })),
    };
  }
  const requests = await DisclosureRequest.find(
    { agencyId: { $in: agencyIds }, serialNo: { $in: numbers } },
    { serialNo: 1, receiptDate: 1, closedDate: 1, outcome: 1, "applicant.type": 1 },
  ).lean<
    {
      serialNo: string;
      receiptDate?: string | null;
      closedDate?: string | null;
      outcome?: string | null;
      applicant?: { type?: string };
    }[]
  >();
  const order = new Map(numbers.map((n, i) => [n, i]));
  requests.sort((a, b) => (order.get(a.serialNo) ?? 0) - (order.get(b.serialNo) ?? 0));
  return {
    cell,
    value,
    items: requests.map((r) => ({
      kind: "request" as const,
      number: r.serialNo,
      receiptDate: r.receiptDate ?? null,
      closedDate: r.closedDate ?? null,
      outcome: r.outcome ?? null,
      applicantType: r.applicant?.type,
    })),
  };
}

/** Report deadline of a statistics year for an agency level (部门 31 January, 政府 31 March). */
export function reportDeadline(level: "department" | "government", year: number): string {
  return level === "government" ? `${year + 1}-03-31` : `${year + 1}-01-31`;
}

/** Calendar days from `today` to `deadline` (negative once passed). */
export function daysUntil(today: string, deadline: string): number {
  return Math.round((Date.parse(`${deadline}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}

async function editableDraft(agency: ReportAgency, year: number): Promise<AnnualReportDoc> {
  const doc = await AnnualReport.findOne({ agencyId: agency._id, year }).lean<AnnualReportDoc>();
  if (!doc) return refreshDraft(agency, year);
  if (doc.status === "published")
    throw Conflict("report.published", "报告已发布，如需更正请先发起更正（说明理由）");
  if (doc.status === "imported") throw Conflict("report.imported", "导入的历史报告不能编辑");
  return doc;
}

function sectionsOf(doc: Pick<AnnualReportDoc, "sections">): ReportSections {
  const list = (items: unknown): NarrativeParagraph[] =>
    ((items ?? []) as NarrativeParagraph[]).map((p) => ({
      key: p.key,
      ...(p.heading ? { heading: p.heading } : {}),
      text: p.text ?? "",
      edited: p.edited === true,
    }));
  return {
    overview: list(doc.sections?.overview),
    problems: list(doc.sections?.problems),
    other: list(doc.sections?.other),
  };
}
