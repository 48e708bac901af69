/**
 * The annual report (政府信息公开工作年度报告) model and its pure table computation. Dates are
 * Asia/Shanghai civil dates 'YYYY-MM-DD', so string comparison is chronological comparison.
 *
 * Counting rules (architecture.md, "Statistics and the annual report"):
 * - 一 newReceived: receipt date in the year;
 * - 二 carriedOver: received before the year and not closed before 1 January;
 * - outcome rows: closed in the year, by outcome key (2019 format folds other.* into `other`);
 * - 四 carriedForward: received by 31 December and not closed by 31 December;
 * - columns: the applicant type recorded at intake, plus `total`.
 * An application without a receipt date (submitted online, never confirmed) was never received and
 * counts nowhere. Every cell keeps the 申请编号 (or 案件编号) behind it.
 */
import {
  type ApplicantColumnKey,
  type ApplicantType,
  applicantColumns,
  applicantTypeKeys,
  type OutcomeKey,
  type Table2Block,
  type Table4BlockKey,
  type Table4ColumnKey,
  table2Blocks2019,
  table2Blocks2021,
  table3Rows2019,
  table3Rows2021,
  table4Blocks,
  table4Columns,
  toOutcomeKey2019,
} from "./keys.ts";

/** Format version as written in report.json. */
export type FormatVersion = "2019" | "2021";

/** Table 二 values: row key → column key → number, or null when not filled in (blank ≠ 0). */
export type Table2Values = Record<string, Record<string, number | null>>;

/** Table 三: the seven columns and row key → column key → count. */
export interface Table3Values {
  columns: ApplicantColumnKey[];
  rows: Record<string, Record<ApplicantColumnKey, number>>;
}

/** Table 四: block → column → count. */
export type Table4Values = Record<Table4BlockKey, Record<Table4ColumnKey, number>>;

/** A check result (see checks.ts). */
export interface CheckResult {
  rule: string;
  ok: boolean;
  severity: "hard" | "soft";
  /** Chinese, with the numbers involved. */
  message: string;
}

/** report.json (open data), exactly the schema of issue 6. */
export interface ReportJson {
  agency: { code: string; name: string };
  year: number;
  formatVersion: FormatVersion;
  tables: { two: Table2Values; three: Table3Values; four: Table4Values };
  checks: CheckResult[];
  /** "three.<row>.<column>" → 申请编号; "four.<block>.<column>" → 案件编号. */
  provenance: Record<string, string[]>;
}

/** How table 四 counts cases; the basis is stated in the report. */
export type Table4Basis = "filedInYear" | "includeCarriedOver";

/** The sentence stating each table 四 count basis, printed under the table. */
export const table4BasisNotes: Readonly<Record<Table4Basis, string>> = {
  filedInYear:
    "注：行政复议、行政诉讼数量按本年度新收案件统计，审理结果截至本年12月31日，届时尚未审结的计入“尚未审结”。",
  includeCarriedOver:
    "注：行政复议、行政诉讼数量含上年度结转数量，审理结果截至本年12月31日，届时尚未审结的计入“尚未审结”。",
};

/** One paragraph of the narrative; `edited` paragraphs survive a refresh of the draft. */
export interface NarrativeParagraph {
  /** Stable key, e.g. "overview.request.1". */
  key: string;
  /** Sub-heading printed before the paragraph, e.g. （一）主动公开. */
  heading?: string;
  text: string;
  edited: boolean;
}

/** The six sections; 二/三/四 are the tables, so only 一, 五 and 六 hold text. */
export interface ReportSections {
  overview: NarrativeParagraph[];
  problems: NarrativeParagraph[];
  other: NarrativeParagraph[];
}

/** One published revision as the public page lists it. */
export interface RevisionInfo {
  revision: number;
  publishedAt: string;
  reason: string;
}

/** The full report model every export renders (tables, narrative, notes, status). */
export interface ReportModel extends ReportJson {
  sections: ReportSections;
  table4Basis: Table4Basis;
  status: "draft" | "published";
  revisions: RevisionInfo[];
}

/** The minimal fields of an application that table 三 reads. */
export interface ReportRequestInput {
  serialNo: string;
  applicantType: ApplicantType;
  receiptDate: string | null;
  closedDate: string | null;
  outcome: OutcomeKey | null;
}

/** The minimal fields of a review case that table 四 reads. */
export interface ReportCaseInput {
  caseNo: string;
  kind: Table4BlockKey;
  filedDate: string;
  closedDate: string | null;
  result: "upheld" | "corrected" | "other" | null;
}

/** Table 二 sources: catalogue figures (规章, 规范性文件) and manual inputs (the rest, or overrides). */
export interface Table2Sources {
  catalogue?: Table2Values;
  manual?: Table2Values;
}

/** Input of `computeTables`. */
export interface ComputeInput {
  year: number;
  formatVersion: FormatVersion;
  requests: readonly ReportRequestInput[];
  cases: readonly ReportCaseInput[];
  table2: Table2Sources;
  table4Basis?: Table4Basis;
}

/** Output of `computeTables`. */
export interface ComputedTables {
  two: Table2Values;
  three: Table3Values;
  four: Table4Values;
  provenance: Record<string, string[]>;
  /** Applications closed in the year without an outcome key (they break 一+二=（七）+四). */
  closedWithoutOutcome: string[];
}

/** The table 三 rows of a format version. */
export function table3RowsOf(formatVersion: FormatVersion) {
  return formatVersion === "2019" ? table3Rows2019 : table3Rows2021;
}

/** The table 二 blocks of a format version. */
export function table2BlocksOf(formatVersion: FormatVersion): readonly Table2Block[] {
  return formatVersion === "2019" ? table2Blocks2019 : table2Blocks2021;
}

/** The format version that applies to a statistics year (2019–2020 → 2019, 2021 on → 2021). */
export function formatVersionForYear(year: number): FormatVersion {
  return year >= 2021 ? "2021" : "2019";
}

/** Outcome row keys (（一）…（六）) of a format version, in table order. */
export function outcomeRowKeys(formatVersion: FormatVersion): string[] {
  return table3RowsOf(formatVersion)
    .map((row) => row.key)
    .filter((key) => !COUNT_ROWS.has(key));
}

/** The count rows of table 三 that are not outcome rows. */
export const COUNT_ROWS: ReadonlySet<string> = new Set([
  "newReceived",
  "carriedOver",
  "closedTotal",
  "carriedForward",
]);

/** The seven column keys of table 三, in order. */
export const table3Columns: ApplicantColumnKey[] = applicantColumns.map((c) => c.key);

/** Computes tables 二, 三 and 四 with per-cell provenance (pure). */
export function computeTables(input: ComputeInput): ComputedTables {
  const { year, formatVersion } = input;
  const start = `${year}-01-01`;
  const end = `${year}-12-31`;
  const rowKeys = table3RowsOf(formatVersion).map((row) => row.key);
  const lists = new Map<string, string[]>();
  for (const row of rowKeys) for (const column of table3Columns) lists.set(`three.${row}.${column}`, []);
  const add = (row: string, column: string, id: string) => {
    lists.get(`three.${row}.${column}`)?.push(id);
    lists.get(`three.${row}.total`)?.push(id);
  };
  const closedWithoutOutcome: string[] = [];
  const fold = formatVersion === "2019";

  for (const request of input.requests) {
    const receipt = request.receiptDate;
    if (!receipt || receipt > end) continue;
    const closed = request.closedDate;
    if (closed !== null && closed < start) continue;
    const column = request.applicantType;
    const id = request.serialNo;
    if (receipt >= start) add("newReceived", column, id);
    else add("carriedOver", column, id);
    if (closed !== null && closed <= end) {
      if (request.outcome === null) {
        closedWithoutOutcome.push(id);
        continue;
      }
      add(fold ? toOutcomeKey2019(request.outcome) : request.outcome, column, id);
      add("closedTotal", column, id);
    } else {
      add("carriedForward", column, id);
    }
  }

  const rows = {} as Record<string, Record<ApplicantColumnKey, number>>;
  for (const row of rowKeys) {
    const counts = {} as Record<ApplicantColumnKey, number>;
    for (const column of table3Columns) counts[column] = lists.get(`three.${row}.${column}`)?.length ?? 0;
    rows[row] = counts;
  }

  const four = computeTable4(input.cases, year, input.table4Basis ?? "filedInYear", lists);
  const provenance: Record<string, string[]> = {};
  for (const [key, ids] of lists) provenance[key] = ids;
  return {
    two: mergeTable2(formatVersion, input.table2),
    three: { columns: [...table3Columns], rows },
    four,
    provenance,
    closedWithoutOutcome,
  };
}

/** Merges catalogue figures and manual inputs into the format's table 二 (manual wins; missing = null). */
export function mergeTable2(formatVersion: FormatVersion, sources: Table2Sources): Table2Values {
  const two: Table2Values = {};
  for (const block of table2BlocksOf(formatVersion)) {
    for (const row of block.rows) {
      const cells: Record<string, number | null> = {};
      for (const column of block.columns) {
        const manual = sources.manual?.[row.key]?.[column.key];
        const catalogue = sources.catalogue?.[row.key]?.[column.key];
        cells[column.key] = manual !== undefined ? manual : catalogue !== undefined ? catalogue : null;
      }
      two[row.key] = cells;
    }
  }
  return two;
}

/** An all-zero table 四. */
export function emptyTable4(): Table4Values {
  const four = {} as Table4Values;
  for (const block of table4Blocks) {
    const cells = {} as Record<Table4ColumnKey, number>;
    for (const column of table4Columns) cells[column.key] = 0;
    four[block.key] = cells;
  }
  return four;
}

/** Sums of the six applicant columns (the `total` column of a row, recomputed). */
export function sumApplicantColumns(cells: Readonly<Record<string, number | null | undefined>>): number {
  let sum = 0;
  for (const key of applicantTypeKeys) sum += cells[key] ?? 0;
  return sum;
}

// Table 四: which cases count (basis) and in which column (result as of 31 December).
function computeTable4(
  cases: readonly ReportCaseInput[],
  year: number,
  basis: Table4Basis,
  lists: Map<string, string[]>,
): Table4Values {
  const start = `${year}-01-01`;
  const end = `${year}-12-31`;
  for (const block of table4Blocks)
    for (const column of table4Columns) lists.set(`four.${block.key}.${column.key}`, []);
  for (const item of cases) {
    if (item.filedDate > end) continue;
    const filedThisYear = item.filedDate >= start;
    const openAtStart = item.closedDate === null || item.closedDate >= start;
    if (!filedThisYear && !(basis === "includeCarriedOver" && openAtStart)) continue;
    const closedByEnd = item.closedDate !== null && item.closedDate <= end;
    const column: Table4ColumnKey = closedByEnd ? (item.result ?? "other") : "pending";
    lists.get(`four.${item.kind}.${column}`)?.push(item.caseNo);
    lists.get(`four.${item.kind}.total`)?.push(item.caseNo);
  }
  const four = emptyTable4();
  for (const block of table4Blocks)
    for (const column of table4Columns)
      four[block.key][column.key] = lists.get(`four.${block.key}.${column.key}`)?.length ?? 0;
  return four;
}
