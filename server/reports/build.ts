/**
 * Pure assembly of an annual report from collected data: tables with provenance (shared
 * `computeTables`), the narrative (drafted, merged with staff edits), and the checks, which re-read
 * the narrative's numbers. No I/O, so the benchmark and the golden tests exercise exactly this.
 */
import { checkTablesOf, hasHardFailure, type PreviousReport, runChecks } from "@govinfo/shared/stats/checks";
import {
  type CheckResult,
  computeTables,
  type FormatVersion,
  formatVersionForYear,
  type ReportModel,
  type ReportSections,
  type RevisionInfo,
  type Table2Values,
  type Table4Basis,
} from "@govinfo/shared/stats/report";
import type { CollectedData } from "./collect.ts";
import {
  draftSections,
  mergeSections,
  type NarrativeFacts,
  PLACEHOLDER_MARK,
  sectionText,
} from "./narrative.ts";

/** Input of `buildReport`. */
export interface BuildInput {
  agency: { code: string; name: string; level: "department" | "government" };
  year: number;
  formatVersion: FormatVersion;
  data: CollectedData;
  /** Table 二 figures entered by staff (row → column → number | null). */
  manual: Table2Values;
  table4Basis: Table4Basis;
  /** Stored paragraphs; the edited ones survive. */
  stored?: ReportSections | null;
  /** Last year's known report (published or imported): seeds the carried-over check. */
  previous?: PreviousReport | null;
  /** Staff's reason why 二 differs from last year's 四 ('' when none recorded). */
  carriedOverReason?: string;
  status?: "draft" | "published";
  revisions?: RevisionInfo[];
}

/** A built report: the model every export renders, and the facts behind the narrative. */
export interface BuiltReport {
  model: ReportModel;
  facts: NarrativeFacts;
  closedWithoutOutcome: string[];
}

/** Builds the report model (tables, provenance, narrative, checks). */
export function buildReport(input: BuildInput): BuiltReport {
  const { year, formatVersion, data } = input;
  const computed = computeTables({
    year,
    formatVersion,
    requests: data.requests,
    cases: data.cases,
    table2: { catalogue: data.catalogue, manual: input.manual },
    table4Basis: input.table4Basis,
  });
  const facts: NarrativeFacts = {
    agencyName: input.agency.name,
    level: input.agency.level,
    year,
    formatVersion,
    two: computed.two,
    three: computed.three,
    four: computed.four,
    timeliness: timeliness(data, year),
    previousYear: previousYearTotals(data, year),
    publicity: data.publicity,
    fees: data.fees,
    carriedOver: carriedOverFacts(input, computed.three),
  };
  const sections = mergeSections(draftSections(facts), input.stored);
  const previous = input.previous ?? null;
  const catalogueRollForward: PreviousReport | null =
    formatVersion === "2021" && formatVersionForYear(year - 1) === "2021"
      ? { source: `${year - 1}年目录数据`, formatVersion: "2021", two: data.previousCatalogue }
      : null;
  const checks = [
    ...runChecks({
      year,
      formatVersion,
      tables: checkTablesOf(computed),
      previous: previous ?? catalogueRollForward,
      narrative: sectionText(sections.overview),
      closedWithoutOutcome: computed.closedWithoutOutcome,
      carriedOverReason: input.carriedOverReason ?? "",
      agencyLevel: input.agency.level,
    }),
    ...sectionChecks(sections),
  ];
  const model: ReportModel = {
    agency: { code: input.agency.code, name: input.agency.name },
    year,
    formatVersion,
    tables: { two: computed.two, three: computed.three, four: computed.four },
    checks,
    provenance: computed.provenance,
    sections,
    table4Basis: input.table4Basis,
    status: input.status ?? "draft",
    revisions: input.revisions ?? [],
  };
  return { model, facts, closedWithoutOutcome: computed.closedWithoutOutcome };
}

/** Re-runs the checks of a model after staff edited its paragraphs (tables unchanged). */
export function recheck(
  model: ReportModel,
  previous: PreviousReport | null,
  closedWithoutOutcome: string[],
): CheckResult[] {
  return [
    ...runChecks({
      year: model.year,
      formatVersion: model.formatVersion,
      tables: checkTablesOf(model.tables),
      previous,
      narrative: sectionText(model.sections.overview),
      closedWithoutOutcome,
    }),
    ...sectionChecks(model.sections),
  ];
}

/** Whether the report may be published (no failing hard check). */
export function isPublishable(checks: readonly CheckResult[]): boolean {
  return !hasHardFailure(checks);
}

/** "（（三）政府信息管理、…）" for paragraphs with headings; numbered paragraphs are named by position. */
function headingsOf<P extends { heading?: string | null }>(open: P[], all: P[]): string {
  const names = open.map((p) => p.heading ?? `第${all.indexOf(p) + 1}段`);
  return `（${names.join("、")}）`;
}

// Sections staff must write: a placeholder left in any paragraph blocks publishing.
function sectionChecks(sections: ReportSections): CheckResult[] {
  const names: [keyof ReportSections, string][] = [
    ["overview", "一、总体情况"],
    ["problems", "五、存在的主要问题及改进情况"],
    ["other", "六、其他需要报告的事项"],
  ];
  const results: CheckResult[] = [];
  for (const [key, name] of names) {
    const open = sections[key].filter((p) => p.text.includes(PLACEHOLDER_MARK));
    const empty = sections[key].every((p) => p.text.trim() === "");
    results.push({
      rule: `sections.${key}`,
      ok: open.length === 0 && !empty,
      severity: "hard",
      message:
        open.length > 0
          ? `${name}还有 ${open.length} 段待填写${headingsOf(open, sections[key])}`
          : empty
            ? `${name}尚未填写`
            : `${name}已填写`,
    });
  }
  return results;
}

// The difference between last year's 四 and this year's 二 (totals), when staff recorded its reason.
function carriedOverFacts(input: BuildInput, three: NarrativeFacts["three"]): NarrativeFacts["carriedOver"] {
  const reason = input.carriedOverReason?.trim() ?? "";
  const before = input.previous?.carriedForward?.total;
  const now = three.rows.carriedOver?.total ?? 0;
  if (!reason || typeof before !== "number" || before === now) return null;
  return { reason, previousTotal: before, currentTotal: now, source: input.previous?.source ?? "" };
}

// On time = closed no later than the answer due date the clock had when the outcome was set.
function timeliness(data: CollectedData, year: number): NarrativeFacts["timeliness"] {
  const start = `${year}-01-01`;
  const end = `${year}-12-31`;
  let measured = 0;
  let onTime = 0;
  const late: string[] = [];
  for (const request of data.requests) {
    const closed = request.closedDate;
    if (!request.receiptDate || closed === null || closed < start || closed > end || !request.dueDate)
      continue;
    measured++;
    if (closed <= request.dueDate) onTime++;
    else late.push(request.serialNo);
  }
  return { measured, onTime, late };
}

function previousYearTotals(data: CollectedData, year: number): NarrativeFacts["previousYear"] {
  const start = `${year - 1}-01-01`;
  const end = `${year - 1}-12-31`;
  let newReceived = 0;
  let closedTotal = 0;
  for (const request of data.requests) {
    if (!request.receiptDate) continue;
    if (request.receiptDate >= start && request.receiptDate <= end) newReceived++;
    if (request.closedDate !== null && request.closedDate >= start && request.closedDate <= end)
      closedTotal++;
  }
  return newReceived + closedTotal === 0 ? null : { newReceived, closedTotal };
}
