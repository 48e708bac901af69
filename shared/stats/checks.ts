/**
 * Consistency checks (勾稽关系) of an annual report, run on every generated draft and on imported
 * reports alike (law-and-report-format.md §2.5, §3). Tables may hold null cells (blank ≠ 0) when they
 * come from an imported report; arithmetic treats a blank as 0 but a blank total next to non-zero
 * parts fails. Hard failures block publishing; soft ones are shown to staff.
 */
import {
  applicantColumns,
  applicantTypeKeys,
  outcomeGroups,
  outcomes,
  type Table4BlockKey,
  table2Blocks2019,
  table2Blocks2021,
  table4Blocks,
  table4Columns,
} from "./keys.ts";
import {
  type CheckResult,
  COUNT_ROWS,
  type FormatVersion,
  type Table2Values,
  type Table3Values,
  type Table4Values,
  table3RowsOf,
} from "./report.ts";

/** A table cell that may be blank. */
export type Cell = number | null | undefined;

/** Tables as checks read them (generated tables satisfy it; imported ones may have blanks). */
export interface CheckTables {
  two: Record<string, Record<string, Cell>>;
  three: Record<string, Record<string, Cell>>;
  four: Record<string, Record<string, Cell>>;
}

/** The check view of generated tables (table 三 by rows). */
export function checkTablesOf(tables: {
  two: Table2Values;
  three: Table3Values;
  four: Table4Values;
}): CheckTables {
  return { two: tables.two, three: tables.three.rows, four: tables.four };
}

/** Last year's known report: its 四 (结转下年度) per column and its table 二. */
export interface PreviousReport {
  /** e.g. "2018年度报告（已导入）". */
  source: string;
  formatVersion: FormatVersion;
  carriedForward?: Record<string, Cell>;
  two?: Record<string, Record<string, Cell>>;
}

/** Input of `runChecks`. */
export interface CheckInput {
  year: number;
  formatVersion: FormatVersion;
  tables: CheckTables;
  previous?: PreviousReport | null;
  /** The text of section 一、总体情况 (all paragraphs), whose numbers must agree with the tables. */
  narrative?: string;
  /** Applications closed in the year without an outcome key (generated reports only). */
  closedWithoutOutcome?: readonly string[];
  /** Report blank table 二 cells (generated: manual inputs not yet entered). */
  flagBlankTable2?: boolean;
  /**
   * Why this year's 二 differs from last year's 四, as recorded by staff. Without it a difference is
   * a hard failure (上年结转 must never be silently zero); with it the difference is stated and shown.
   */
  carriedOverReason?: string;
  /** The reporting agency's level: a department (工作部门) makes no 规章. */
  agencyLevel?: "government" | "department";
}

/** A number stated in the narrative, tied to a table figure. */
export interface NarrativeClaim {
  kind: ClaimKind;
  value: number;
  /** The words the number was read from. */
  snippet: string;
}

/** What a narrative number speaks about. */
export type ClaimKind =
  | "received"
  | "carriedOver"
  | "closed"
  | "carriedForward"
  | "allClosed"
  | "reconsideration"
  | "litigation"
  | `group.${string}`;

const rowLabel = (formatVersion: FormatVersion, key: string) =>
  table3RowsOf(formatVersion).find((row) => row.key === key)?.label ?? key;

/** Runs every check and returns one result per rule (or one per failing column/row/block). */
export function runChecks(input: CheckInput): CheckResult[] {
  const results: CheckResult[] = [];
  results.push(...checkBalance(input));
  results.push(...checkClosedTotal(input));
  results.push(...checkColumnTotals(input));
  results.push(...checkTable4Totals(input));
  if (input.closedWithoutOutcome && input.closedWithoutOutcome.length > 0) {
    const ids = input.closedWithoutOutcome;
    results.push({
      rule: "three.closedWithoutOutcome",
      ok: false,
      severity: "hard",
      message: `有 ${ids.length} 件申请已办结但未选择办理结果，无法计入表三：${ids.slice(0, 10).join("、")}${ids.length > 10 ? " 等" : ""}`,
    });
  }
  results.push(...checkCarriedOver(input));
  results.push(...checkRollForward(input));
  results.push(...checkBlanks(input));
  results.push(...checkDepartmentRegulations(input));
  if (input.narrative !== undefined) results.push(...checkNarrative(input, input.narrative));
  return results;
}

/** Whether any hard check failed. */
export function hasHardFailure(checks: readonly CheckResult[]): boolean {
  return checks.some((check) => !check.ok && check.severity === "hard");
}

/** Reads the numbers the narrative states about applications, outcomes and review cases. */
export function extractNarrativeClaims(text: string): NarrativeClaim[] {
  const claims: NarrativeClaim[] = [];
  for (const sentence of text.split(/[。；;！!？?\n]/)) {
    const aboutRequests = /申请/.test(sentence);
    for (const pattern of PATTERNS) {
      if (pattern.needsRequest && !aboutRequests) continue;
      pattern.regex.lastIndex = 0;
      for (let m = pattern.regex.exec(sentence); m; m = pattern.regex.exec(sentence)) {
        const raw = m[1];
        if (pattern.kind === "allClosed") {
          claims.push({ kind: "allClosed", value: 0, snippet: m[0].trim() });
          continue;
        }
        if (raw === undefined) continue;
        if (pattern.skipIf?.test(sentence.slice(Math.max(0, m.index - 2), m.index + m[0].length))) continue;
        claims.push({ kind: pattern.kind, value: Number(raw.replace(/,/g, "")), snippet: m[0].trim() });
      }
    }
  }
  return claims;
}

interface Pattern {
  kind: ClaimKind;
  regex: RegExp;
  needsRequest: boolean;
  skipIf?: RegExp;
}

const GAP = "[^。；;\\n\\d]{0,24}?";
const NUM = "(\\d[\\d,]*)\\s*(?:件|份)";
const PATTERNS: readonly Pattern[] = [
  {
    kind: "carriedOver",
    regex: new RegExp(`(?:上年度?|上一年度?)结转${GAP}${NUM}`, "g"),
    needsRequest: false,
  },
  {
    kind: "carriedForward",
    regex: new RegExp(`(?:结转(?:至|到)?下一?年度?|转入下一?年度?)${GAP}${NUM}`, "g"),
    needsRequest: false,
  },
  {
    kind: "closed",
    regex: new RegExp(`(?:办结|办理完毕|办理完结)${GAP}${NUM}`, "g"),
    needsRequest: true,
    skipIf: /(?:按时|按期|逾期|超期)(?:办结|办理)/,
  },
  {
    kind: "received",
    regex: new RegExp(`(?:收到|新收|受理|接收)${GAP}${NUM}`, "g"),
    needsRequest: true,
    skipIf: /结转/,
  },
  { kind: "allClosed", regex: /(?:均已|全部|已全部)办结/g, needsRequest: true },
  ...outcomeGroups.map((group) => ({
    kind: `group.${group.key}` as ClaimKind,
    regex: new RegExp(`${group.label.replace(/（.）/, "").replace(/（.*$/, "")}\\s*${NUM}`, "g"),
    needsRequest: false,
  })),
  { kind: "reconsideration", regex: new RegExp(`行政复议${GAP}${NUM}`, "g"), needsRequest: false },
  { kind: "litigation", regex: new RegExp(`行政诉讼${GAP}${NUM}`, "g"), needsRequest: false },
];

function n(cell: Cell): number {
  return typeof cell === "number" ? cell : 0;
}

function isBlank(cell: Cell): boolean {
  return cell === null || cell === undefined;
}

function fmt(cell: Cell): string {
  return isBlank(cell) ? "空白" : String(cell);
}

function cellOf(table: Record<string, Record<string, Cell>>, row: string, column: string): Cell {
  return table[row]?.[column];
}

// Compares a stated total with the sum of its parts; a blank total is fine only when the parts are all blank or 0.
function agrees(total: Cell, parts: Cell[]): boolean {
  const sum = parts.reduce<number>((acc, part) => acc + n(part), 0);
  if (isBlank(total)) return sum === 0;
  return total === sum;
}

function checkBalance({ tables }: CheckInput): CheckResult[] {
  const failures: CheckResult[] = [];
  for (const column of applicantColumns) {
    const t = tables.three;
    const a = cellOf(t, "newReceived", column.key);
    const b = cellOf(t, "carriedOver", column.key);
    const c = cellOf(t, "closedTotal", column.key);
    const d = cellOf(t, "carriedForward", column.key);
    if (n(a) + n(b) === n(c) + n(d)) continue;
    failures.push({
      rule: "three.balance",
      ok: false,
      severity: "hard",
      message: `表三“${column.label}”列：一（${fmt(a)}）+ 二（${fmt(b)}）= ${n(a) + n(b)}，而（七）总计（${fmt(c)}）+ 四（${fmt(d)}）= ${n(c) + n(d)}，不满足“第一项加第二项之和，等于第三项加第四项之和”`,
    });
  }
  if (failures.length > 0) return failures;
  const total = (row: string) => fmt(cellOf(tables.three, row, "total"));
  return [
    {
      rule: "three.balance",
      ok: true,
      severity: "hard",
      message: `表三各列均满足一 + 二 =（七）+ 四（总计列：${total("newReceived")} + ${total("carriedOver")} = ${total("closedTotal")} + ${total("carriedForward")}）`,
    },
  ];
}

function checkClosedTotal({ formatVersion, tables }: CheckInput): CheckResult[] {
  const outcomeRows = table3RowsOf(formatVersion)
    .map((row) => row.key)
    .filter((key) => !COUNT_ROWS.has(key));
  const failures: CheckResult[] = [];
  for (const column of applicantColumns) {
    const parts = outcomeRows.map((row) => cellOf(tables.three, row, column.key));
    const stated = cellOf(tables.three, "closedTotal", column.key);
    if (agrees(stated, parts)) continue;
    const sum = parts.reduce<number>((acc, part) => acc + n(part), 0);
    failures.push({
      rule: "three.closedTotal",
      ok: false,
      severity: "hard",
      message: `表三“${column.label}”列：（七）总计为 ${fmt(stated)}，而（一）至（六）各项之和为 ${sum}`,
    });
  }
  if (failures.length > 0) return failures;
  return [
    {
      rule: "three.closedTotal",
      ok: true,
      severity: "hard",
      message: `表三各列（七）总计均等于（一）至（六）各项之和（总计列 ${fmt(cellOf(tables.three, "closedTotal", "total"))}）`,
    },
  ];
}

function checkColumnTotals({ formatVersion, tables }: CheckInput): CheckResult[] {
  const failures: CheckResult[] = [];
  for (const row of table3RowsOf(formatVersion)) {
    const parts = applicantTypeKeys.map((key) => cellOf(tables.three, row.key, key));
    const stated = cellOf(tables.three, row.key, "total");
    if (agrees(stated, parts)) continue;
    const sum = parts.reduce<number>((acc, part) => acc + n(part), 0);
    failures.push({
      rule: "three.columnTotal",
      ok: false,
      severity: "hard",
      message: `表三“${rowLabel(formatVersion, row.key)}”行：总计为 ${fmt(stated)}，而六类申请人之和为 ${sum}`,
    });
  }
  if (failures.length > 0) return failures;
  return [
    { rule: "three.columnTotal", ok: true, severity: "hard", message: "表三各行总计均等于六类申请人之和" },
  ];
}

function checkTable4Totals({ tables }: CheckInput): CheckResult[] {
  const failures: CheckResult[] = [];
  for (const block of table4Blocks) {
    const parts = table4Columns
      .filter((c) => c.key !== "total")
      .map((c) => cellOf(tables.four, block.key, c.key));
    const stated = cellOf(tables.four, block.key, "total");
    if (agrees(stated, parts)) continue;
    const sum = parts.reduce<number>((acc, part) => acc + n(part), 0);
    failures.push({
      rule: "four.total",
      ok: false,
      severity: "hard",
      message: `表四“${block.label}”：总计为 ${fmt(stated)}，而结果维持、结果纠正、其他结果、尚未审结之和为 ${sum}（${parts.map(fmt).join(" + ")}）`,
    });
  }
  if (failures.length > 0) return failures;
  return [
    {
      rule: "four.total",
      ok: true,
      severity: "hard",
      message: "表四各项总计均等于结果维持、结果纠正、其他结果、尚未审结之和",
    },
  ];
}

function checkCarriedOver({ year, tables, previous, carriedOverReason }: CheckInput): CheckResult[] {
  if (!previous?.carriedForward) return [];
  const failures: CheckResult[] = [];
  const reason = carriedOverReason?.trim() ?? "";
  // Generated reports (they know why) block publishing; an imported historical report is only flagged.
  const severity = carriedOverReason === undefined || reason ? "soft" : "hard";
  for (const column of applicantColumns) {
    const now = cellOf(tables.three, "carriedOver", column.key);
    const before = previous.carriedForward[column.key];
    if (isBlank(before) || n(now) === n(before)) continue;
    failures.push({
      rule: "three.carriedOver",
      ok: false,
      severity,
      message: `表三“${column.label}”列：${year}年 二、上年结转（${fmt(now)}）与${previous.source} 四、结转下年度继续办理（${fmt(before)}）不一致${
        severity === "hard"
          ? "；请导入上年结转的申请，或者记录差异原因（发布的报告将载明该原因）"
          : reason
            ? `；差异原因：${reason}`
            : ""
      }`,
    });
  }
  if (failures.length > 0) return failures;
  return [
    {
      rule: "three.carriedOver",
      ok: true,
      severity: "soft",
      message: `本年 二、上年结转 与${previous.source} 四、结转下年度继续办理 各列一致（总计 ${fmt(cellOf(tables.three, "carriedOver", "total"))}）`,
    },
  ];
}

function checkRollForward({ year, formatVersion, tables, previous }: CheckInput): CheckResult[] {
  if (formatVersion !== "2021" || !previous?.two || previous.formatVersion !== "2021") return [];
  const results: CheckResult[] = [];
  for (const row of table2Blocks2021[0]?.rows ?? []) {
    const last = previous.two[row.key]?.inForce;
    const issued = tables.two[row.key]?.issued;
    const repealed = tables.two[row.key]?.repealed;
    const inForce = tables.two[row.key]?.inForce;
    if ([last, issued, repealed, inForce].some(isBlank)) continue;
    const expected = n(last) + n(issued) - n(repealed);
    results.push({
      rule: "two.rollForward",
      ok: expected === n(inForce),
      severity: "soft",
      message:
        expected === n(inForce)
          ? `表二“${row.label}”：上年现行有效 ${fmt(last)} + 本年制发 ${fmt(issued)} − 本年废止 ${fmt(repealed)} = 现行有效 ${fmt(inForce)}`
          : `表二“${row.label}”：上年现行有效 ${fmt(last)} + 本年制发 ${fmt(issued)} − 本年废止 ${fmt(repealed)} = ${expected}，但${year}年现行有效件数为 ${fmt(inForce)}`,
    });
  }
  return results;
}

// 规章 are made by people's governments only (《立法法》第九十三条); a department's own table 二
// has nothing in the 规章 row — a number there is usually the government's 规章 counted twice.
function checkDepartmentRegulations({ agencyLevel, tables }: CheckInput): CheckResult[] {
  if (agencyLevel !== "department") return [];
  const row = tables.two.regulations ?? {};
  const filled = Object.entries(row).filter(([, value]) => !isBlank(value) && n(value) !== 0);
  if (filled.length === 0) return [];
  return [
    {
      rule: "two.departmentRegulations",
      ok: false,
      severity: "soft",
      message:
        "表二“规章”行填有数字，但本机关是政府工作部门，不能制定规章（《立法法》第九十三条）；规章由本级人民政府在其年度报告中填报，请核实后将该行填为 0",
    },
  ];
}

function checkBlanks({ formatVersion, tables, flagBlankTable2 }: CheckInput): CheckResult[] {
  const results: CheckResult[] = [];
  let blank3 = 0;
  for (const row of table3RowsOf(formatVersion))
    for (const column of applicantColumns) if (isBlank(cellOf(tables.three, row.key, column.key))) blank3++;
  let blank4 = 0;
  for (const block of table4Blocks)
    for (const column of table4Columns) if (isBlank(cellOf(tables.four, block.key, column.key))) blank4++;
  if (blank3 > 0)
    results.push({
      rule: "three.blank",
      ok: false,
      severity: "soft",
      message: `表三有 ${blank3} 个空白单元格（空白不等于 0，应填写数字）`,
    });
  if (blank4 > 0)
    results.push({
      rule: "four.blank",
      ok: false,
      severity: "soft",
      message: `表四有 ${blank4} 个空白单元格（空白不等于 0，应填写数字）`,
    });
  if (flagBlankTable2 !== false) {
    const blocks = formatVersion === "2019" ? table2Blocks2019 : table2Blocks2021;
    const missing: string[] = [];
    for (const block of blocks)
      for (const row of block.rows)
        for (const column of block.columns)
          if (isBlank(tables.two[row.key]?.[column.key])) missing.push(`${row.label}·${column.label}`);
    if (missing.length > 0)
      results.push({
        rule: "two.blank",
        ok: false,
        severity: "soft",
        message: `表二有 ${missing.length} 项未填写：${missing.join("、")}`,
      });
  }
  return results;
}

function checkNarrative({ formatVersion, tables }: CheckInput, narrative: string): CheckResult[] {
  const t = tables.three;
  const total = (row: string) => n(cellOf(t, row, "total"));
  const groupSum = (group: string) =>
    table3RowsOf(formatVersion)
      .filter((row) => {
        if (COUNT_ROWS.has(row.key)) return false;
        if (row.key === "other") return group === "other";
        const info = outcomes[row.key as keyof typeof outcomes];
        return info?.group === group;
      })
      .reduce((acc, row) => acc + total(row.key), 0);
  const block = (key: Table4BlockKey) => n(cellOf(tables.four, key, "total"));
  const results: CheckResult[] = [];
  for (const claim of extractNarrativeClaims(narrative)) {
    let accepted: number[];
    let figure: string;
    let severity: "hard" | "soft" = "hard";
    switch (claim.kind) {
      case "received":
        // "受理" means 新收 in some reports and 新收 + 上年结转 in others (§3): accept either.
        accepted = [total("newReceived"), total("newReceived") + total("carriedOver")];
        figure = `表三 一、本年新收政府信息公开申请数量（总计）为 ${total("newReceived")}，上年结转 ${total("carriedOver")}`;
        break;
      case "carriedOver":
        accepted = [total("carriedOver")];
        figure = `表三 二、上年结转政府信息公开申请数量（总计）为 ${total("carriedOver")}`;
        break;
      case "closed":
        accepted = [total("closedTotal")];
        figure = `表三（七）总计为 ${total("closedTotal")}`;
        break;
      case "carriedForward":
        accepted = [total("carriedForward")];
        figure = `表三 四、结转下年度继续办理（总计）为 ${total("carriedForward")}`;
        break;
      case "allClosed":
        accepted = [0];
        figure = `表三 四、结转下年度继续办理（总计）为 ${total("carriedForward")}`;
        severity = "soft";
        if (total("carriedForward") === 0) continue;
        results.push({
          rule: "narrative.allClosed",
          ok: false,
          severity,
          message: `一、总体情况称“${claim.snippet}”，但${figure}`,
        });
        continue;
      case "reconsideration":
        accepted = [block("reconsideration")];
        figure = `表四 行政复议 总计为 ${block("reconsideration")}`;
        break;
      case "litigation":
        accepted = [block("litigationDirect") + block("litigationAfterReconsideration")];
        figure = `表四 行政诉讼 总计为 ${block("litigationDirect") + block("litigationAfterReconsideration")}（未经复议直接起诉 ${block("litigationDirect")}，复议后起诉 ${block("litigationAfterReconsideration")}）`;
        break;
      default: {
        const group = claim.kind.slice("group.".length);
        const label = outcomeGroups.find((g) => g.key === group)?.label ?? group;
        accepted = [groupSum(group)];
        figure = `表三 ${label.replace(/（区分.*$/, "")}（总计）为 ${groupSum(group)}`;
      }
    }
    const ok = accepted.includes(claim.value);
    const hint = ok ? "" : table2Hint(tables.two, claim.value);
    results.push({
      rule: `narrative.${claim.kind}`,
      ok,
      severity,
      message: ok
        ? `一、总体情况“${claim.snippet}”与表格一致`
        : `一、总体情况写明“${claim.snippet}”（${claim.value}），但${figure}，两者不一致${hint}`,
    });
  }
  return results;
}

// A narrative number that equals table 二 figures usually means a licensing count was reported as
// 依申请公开 (the seed's 356 = 274 + 82).
function table2Hint(two: Record<string, Record<string, Cell>>, value: number): string {
  if (value === 0) return "";
  const blocks = [...table2Blocks2019, ...table2Blocks2021];
  for (const [rowKey, cells] of Object.entries(two)) {
    const label = blocks.flatMap((b) => b.rows).find((r) => r.key === rowKey)?.label ?? rowKey;
    const entries = Object.entries(cells).filter((e): e is [string, number] => typeof e[1] === "number");
    for (const [, v] of entries) if (v === value) return `；该数字与表二“${label}”行的 ${v} 相同`;
    for (let i = 0; i < entries.length; i++)
      for (let j = i + 1; j < entries.length; j++) {
        const a = entries[i]?.[1] ?? 0;
        const b = entries[j]?.[1] ?? 0;
        if (a + b === value) return `；该数字恰为表二“${label}”行 ${a} + ${b}，疑将该类事项误计为依申请公开`;
      }
  }
  return "";
}

/** Labels used in messages, for tests and the UI. */
export const checkRuleLabels: Readonly<Record<string, string>> = {
  "three.balance": "表三：一 + 二 =（七）+ 四",
  "three.closedTotal": "表三：（七）总计 = 各项办理结果之和",
  "three.columnTotal": "表三：总计 = 六类申请人之和",
  "three.closedWithoutOutcome": "已办结申请均有办理结果",
  "four.total": "表四：总计 = 各结果之和",
  "three.carriedOver": "本年 二 = 上年 四",
  "two.rollForward": "表二：上年现行有效 + 本年制发 − 本年废止 = 现行有效",
  "three.blank": "表三无空白单元格",
  "four.blank": "表四无空白单元格",
  "two.blank": "表二已填写",
};
