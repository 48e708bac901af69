/**
 * Imports the text of an existing annual report in the national format (plain text as published, or
 * HTML) and runs the same checks on it. Tolerates what real reports look like (law-and-report-format.md
 * §3): markdown-ish headings, labels split across lines, half-width brackets, blank cells (kept as
 * null: blank ≠ 0), "无" and "/" (null), units and signs inside cells ("21665720 元", "+1036"). Raw
 * cells are accepted and flagged, never rejected.
 */
import {
  type CheckInput,
  type CheckTables,
  type PreviousReport,
  runChecks,
} from "@govinfo/shared/stats/checks";
import {
  applicantColumns,
  table2Blocks2019,
  table2Blocks2021,
  table4Blocks,
  table4Columns,
} from "@govinfo/shared/stats/keys";
import type { CheckResult, FormatVersion } from "@govinfo/shared/stats/report";

/** A report read from text. */
export interface ParsedReport {
  agencyName: string;
  year: number | null;
  /** Format of table 三 (the one the checks use). */
  formatVersion: FormatVersion;
  /** Format of table 二 as detected from its column labels (may differ: hybrid templates). */
  table2Format: FormatVersion;
  tables: CheckTables;
  /** Section texts: 一 (narrative), 五, 六. */
  sections: { overview: string; problems: string; other: string };
  /** What could not be read (rows not found and the like). */
  warnings: string[];
}

/** Result of an audit: the parsed report and its check results. */
export interface AuditResult {
  parsed: ParsedReport;
  checks: CheckResult[];
}

/**
 * Parses a report and runs the checks; `previous` (last year's imported or published report) seeds the
 * carried-over check.
 */
export function auditReportText(text: string, previous: PreviousReport | null = null): AuditResult {
  const parsed = parseReportText(text);
  const input: CheckInput = {
    year: parsed.year ?? 0,
    formatVersion: parsed.formatVersion,
    tables: parsed.tables,
    previous,
    narrative: parsed.sections.overview,
    flagBlankTable2: true,
  };
  const checks = runChecks(input);
  if (parsed.table2Format !== parsed.formatVersion)
    checks.push({
      rule: "format.hybrid",
      ok: false,
      severity: "soft",
      message: `表二使用${parsed.table2Format}年格式，表三使用${parsed.formatVersion}年格式（模板混用）`,
    });
  for (const warning of parsed.warnings)
    checks.push({ rule: "parse.warning", ok: false, severity: "soft", message: warning });
  return { parsed, checks };
}

/** Reads title, year, sections and the cells of tables 二, 三 and 四 from plain text or HTML. */
export function parseReportText(input: string): ParsedReport {
  const text = /<(table|p|div|html|body)\b/i.test(input) ? htmlToText(input) : input.replace(/\r\n?/g, "\n");
  const lines = text.split("\n");
  const warnings: string[] = [];
  const heads = findSections(lines);
  const slice = (n: number) => {
    const start = heads[n];
    if (start === undefined) return [] as string[];
    const next = heads.slice(n + 1).find((v): v is number => v !== undefined);
    return lines.slice(start + 1, next ?? lines.length);
  };
  for (let i = 0; i < 6; i++)
    if (heads[i] === undefined) warnings.push(`未找到第${"一二三四五六"[i]}部分的标题`);
  const firstLines = lines
    .slice(0, heads[0] ?? 10)
    .map(clean)
    .filter((l) => l !== "");
  const titleLine = firstLines.find((l) => /年度?政府信息公开工作年度报告/.test(l));
  const year = Number(/(\d{4})\s*年/.exec(titleLine ?? firstLines.join(" "))?.[1] ?? Number.NaN);
  const agencyName = firstLines.find((l) => !/年度报告|报告如下/.test(l)) ?? "";

  const section3 = tableLines(slice(2));
  const format3: FormatVersion = section3.some((l) => /逾期不补正|逾期未按收费/.test(squash(l)))
    ? "2021"
    : "2019";
  const section2 = tableLines(slice(1));
  const format2: FormatVersion = section2.some((l) =>
    /本年制发件数|本年处理决定数量|收费金额/.test(squash(l)),
  )
    ? "2021"
    : "2019";
  return {
    agencyName,
    year: Number.isFinite(year) ? year : null,
    formatVersion: format3,
    table2Format: format2,
    tables: {
      two: parseTable2(section2, format2, warnings),
      three: parseTable3(section3, format3, warnings),
      four: parseTable4(tableLines(slice(3)), warnings),
    },
    sections: {
      overview: slice(0).map(clean).filter(Boolean).join("\n"),
      problems: slice(4).map(clean).filter(Boolean).join("\n"),
      other: slice(5).map(clean).filter(Boolean).join("\n"),
    },
    warnings,
  };
}

/** The longest line that can be a table row (a label and a few dozen figures). */
const MAX_TABLE_LINE = 2000;

/**
 * The lines of a section that can be table rows: each row label is looked for in every line, so a
 * paragraph of 500 000 characters would otherwise be squashed and split once per label.
 */
function tableLines(lines: readonly string[]): string[] {
  return lines.filter((line) => line.length <= MAX_TABLE_LINE);
}

/** Reads one cell: a number (units, signs and thousands separators dropped), or null when blank/无//. */
export function parseCell(raw: string | undefined): number | null {
  if (raw === undefined) return null;
  const value = raw.replace(/\s+/g, "").replace(/,/g, "");
  const m = FIGURE.exec(value);
  return m ? Number(m[1]) : null;
}

// A whole cell holding a figure: optional sign, number, optional unit, optional note in brackets.
const FIGURE = /^[+＋]?(-?\d+(?:\.\d+)?)(?:元|万元|件|项|个)?(?:（[^）]*）|\([^)]*\))?$/;

const SECTION_PATTERNS: readonly RegExp[] = [
  /^一、.*总体情况/,
  /^二、.*主动公开/,
  /^三、.*(收到和处理|依申请)/,
  /^四、.*(复议|诉讼)/,
  /^五、.*问题/,
  /^六、.*(其他|事项)/,
];

function findSections(lines: readonly string[]): (number | undefined)[] {
  const heads: (number | undefined)[] = [];
  lines.forEach((line, index) => {
    if (line.includes("\t")) return;
    const t = clean(line);
    if (t.length > 40) return;
    SECTION_PATTERNS.forEach((pattern, n) => {
      if (heads[n] === undefined && pattern.test(t)) heads[n] = index;
    });
  });
  return heads;
}

// Heading markers and surrounding space go; the text itself stays.
function clean(line: string): string {
  return line.replace(/^\s*#+\s*/, "").trim();
}

// For matching labels: no whitespace, full-width brackets, Chinese punctuation unified.
function squash(line: string): string {
  return line
    .replace(/\s+/g, "")
    .replace(/\(/g, "（")
    .replace(/\)/g, "）")
    .replace(/[“”"]/g, "“")
    .replace(/．/g, ".");
}

function cellsOf(line: string): string[] {
  if (line.includes("\t")) return line.split("\t");
  return line.trim().split(/\s{2,}/);
}

// Cells after the one holding the label; a trailing empty cell (from a trailing tab) is layout.
function figuresAfter(line: string, key: RegExp, count: number): (number | null)[] {
  const cells = cellsOf(line);
  let labelIndex = cells.findIndex((cell) => key.test(squash(cell)));
  if (labelIndex < 0) labelIndex = 0;
  let rest = cells.slice(labelIndex + 1);
  if (rest.length > count && rest.at(-1)?.trim() === "") rest = rest.slice(0, -1);
  if (rest.length > count) rest = rest.slice(rest.length - count);
  const values = rest.map(parseCell);
  while (values.length < count) values.unshift(null);
  return values;
}

function parseTable2(section: readonly string[], format: FormatVersion, warnings: string[]) {
  const blocks = format === "2019" ? table2Blocks2019 : table2Blocks2021;
  const two: Record<string, Record<string, number | null>> = {};
  for (const block of blocks)
    for (const row of block.rows) {
      const line = section.find(
        (l) => squash(cellsOf(l)[0] ?? "").replace(/^(\d+\.|（.）)/, "") === row.label,
      );
      const cells: Record<string, number | null> = {};
      const values = line ? figuresAfter(line, new RegExp(`^${row.label}$`), block.columns.length) : [];
      block.columns.forEach((column, i) => {
        cells[column.key] = values[i] ?? null;
      });
      if (!line) warnings.push(`表二未找到“${row.label}”行`);
      two[row.key] = cells;
    }
  return two;
}

/** Distinctive words of each table 三 row (after squashing), most specific first. */
const ROW_KEYS: readonly { key: string; match: RegExp; format?: FormatVersion }[] = [
  { key: "newReceived", match: /本年新收/ },
  { key: "carriedOver", match: /上年结转/ },
  { key: "carriedForward", match: /结转下年度/ },
  { key: "closedTotal", match: /（七）总计/ },
  { key: "granted", match: /予以公开/ },
  { key: "partial", match: /部分公开/ },
  { key: "withheld.stateSecret", match: /国家秘密/ },
  { key: "withheld.lawProhibited", match: /法律行政法规禁止/ },
  { key: "withheld.securityStability", match: /三安全一稳定/ },
  { key: "withheld.thirdParty", match: /第三方合法权益/ },
  { key: "withheld.internalAffairs", match: /内部事务/ },
  { key: "withheld.processInfo", match: /过程性信息/ },
  { key: "withheld.enforcementFile", match: /执法案卷/ },
  { key: "withheld.queryMatter", match: /行政查询/ },
  { key: "unable.notHeld", match: /不掌握/ },
  { key: "unable.needsCreation", match: /另行制作/ },
  { key: "unable.stillUnclear", match: /仍不明确/ },
  { key: "notProcessed.complaint", match: /信访举报/ },
  { key: "notProcessed.duplicate", match: /重复申请/ },
  { key: "notProcessed.publication", match: /公开出版物/ },
  { key: "notProcessed.excessive", match: /大量反复/ },
  { key: "notProcessed.confirmation", match: /确认或重新出具/ },
  { key: "other.noCorrection", match: /逾期不补正/, format: "2021" },
  { key: "other.feeUnpaid", match: /逾期未按收费|未缴纳费用/, format: "2021" },
  { key: "other.other", match: /(^|\t)3\.其他($|\t)/, format: "2021" },
  { key: "other", match: /（六）其他处理/, format: "2019" },
];

function parseTable3(section: readonly string[], format: FormatVersion, warnings: string[]) {
  const three: Record<string, Record<string, number | null>> = {};
  const used = new Set<number>();
  for (const row of ROW_KEYS) {
    if (row.format && row.format !== format) continue;
    const index = section.findIndex((line, i) => {
      if (used.has(i)) return false;
      const label = squash(
        cellsOf(line)
          .filter((c) => parseCell(c) === null && c.trim() !== "")
          .join("\t"),
      );
      return row.match.test(label);
    });
    const cells: Record<string, number | null> = {};
    if (index < 0) {
      warnings.push(`表三未找到“${row.key}”行`);
      for (const column of applicantColumns) cells[column.key] = null;
    } else {
      used.add(index);
      const line = section[index] ?? "";
      const values = figuresAfter(line, row.match, applicantColumns.length);
      applicantColumns.forEach((column, i) => {
        cells[column.key] = values[i] ?? null;
      });
    }
    three[row.key] = cells;
  }
  return three;
}

function parseTable4(section: readonly string[], warnings: string[]) {
  const four: Record<string, Record<string, number | null>> = {};
  const count = table4Blocks.length * table4Columns.length;
  const dataLine = section.find((line) => {
    const cells = cellsOf(line).filter((c) => c.trim() !== "");
    return cells.length > 0 && cells.every((c) => parseCell(c) !== null) && cells.length <= count;
  });
  let values: (number | null)[] = [];
  if (dataLine) {
    const cells = dataLine.includes("\t") ? dataLine.split("\t") : dataLine.trim().split(/\s+/);
    values = cells.map(parseCell);
    if (values.length > count && dataLine.endsWith("\t")) values = values.slice(0, -1);
    if (values.filter((v) => v !== null).length < count && values.length !== count)
      warnings.push(`表四数据行只有 ${values.filter((v) => v !== null).length} 个数字（应为 ${count} 个）`);
  }
  table4Blocks.forEach((block, b) => {
    const cells: Record<string, number | null> = {};
    table4Columns.forEach((column, c) => {
      cells[column.key] = values[b * table4Columns.length + c] ?? null;
    });
    four[block.key] = cells;
  });
  return four;
}

// Tables become tab-separated lines (cells in order; spanned positions are not repeated). One pass
// over the HTML with indexOf, never a backtracking pattern over user text: an unclosed `<` or
// `<script` ends the markup instead of being searched for again from every later position, so any
// input is read in linear time.
function htmlToText(html: string): string {
  let out = "";
  let at = 0;
  while (at < html.length) {
    const open = html.indexOf("<", at);
    if (open < 0) {
      out += html.slice(at);
      break;
    }
    out += html.slice(at, open);
    const close = html.indexOf(">", open + 1);
    // No `>` anywhere after: the rest is text, as a browser would show it.
    if (close < 0) {
      out += html.slice(open);
      break;
    }
    const head = html.slice(open + 1, Math.min(close, open + 12)).toLowerCase();
    const name = /^\/?([a-z][a-z0-9]*)/.exec(head)?.[1] ?? "";
    const closing = head[0] === "/";
    at = close + 1;
    if (!closing && (name === "script" || name === "style")) {
      // Raw text up to the matching end tag (or to the end when it is never closed) is dropped.
      const end = endTagAt(html, name, at);
      if (end < 0) break;
      const endClose = html.indexOf(">", end);
      at = endClose < 0 ? html.length : endClose + 1;
      continue;
    }
    out += tagBreak(name, closing);
  }
  return trimLineEnds(decodeEntities(out));
}

/** Where `</name` next starts at or after `from` (any case), or -1; each `</` is looked at once. */
function endTagAt(html: string, name: string, from: number): number {
  for (let at = html.indexOf("</", from); at >= 0; at = html.indexOf("</", at + 2)) {
    if (html.slice(at + 2, at + 2 + name.length).toLowerCase() === name) return at;
  }
  return -1;
}

const BLOCK_ENDS = new Set([
  "p",
  "div",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "li",
  "caption",
  "section",
  "header",
]);

/** What a tag leaves in the text: a tab after a cell, a line break after a row, a block or `<br>`. */
function tagBreak(name: string, closing: boolean): string {
  if (name === "br") return "\n";
  if (!closing) return "";
  if (name === "td" || name === "th") return "\t";
  if (name === "tr" || BLOCK_ENDS.has(name)) return "\n";
  return "";
}

const NAMED_ENTITIES: Record<string, string> = {
  nbsp: " ",
  lt: "<",
  gt: ">",
  quot: '"',
  amp: "&",
  apos: "'",
};

/**
 * Decodes the named entities above and numeric character references in one pass; a reference to
 * no character (beyond U+10FFFF, a surrogate, NUL) stays as the text it is.
 */
function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,8}|#\d{1,10}|[a-z]{2,6});/gi, (whole, ref: string) => {
    if (ref[0] !== "#") return NAMED_ENTITIES[ref.toLowerCase()] ?? whole;
    const code = ref[1] === "x" || ref[1] === "X" ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1));
    if (code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return whole;
    return String.fromCodePoint(code);
  });
}

/** Drops spaces and ideographic spaces before each line break (a loop: a pattern would backtrack). */
function trimLineEnds(text: string): string {
  return text
    .split("\n")
    .map((line) => {
      let end = line.length;
      while (end > 0 && (line[end - 1] === " " || line[end - 1] === "\u3000")) end--;
      return line.slice(0, end);
    })
    .join("\n");
}
