/**
 * The three tables of an annual report laid out as the official templates print them, for a phone:
 * grouped column headers (法人或其他组织; 行政复议 | 行政诉讼 · 未经复议直接起诉 / 复议后起诉), the
 * spanning 三、本年度办理结果 label and the group labels （三）…（六） of table 三 as rows of their own,
 * and the numbers (blank stays blank, never 0). Pure (unit-tested under node).
 */
import {
  applicantColumns,
  applicantOrgColumnKeys,
  applicantOrgGroupLabel,
  isOutcomeKey,
  outcomeGroups,
  outcomes,
  table2Blocks2019,
  table2Blocks2021,
  table3OutcomeSectionLabel,
  table3Rows2019,
  table3Rows2021,
  table4Blocks,
  table4Columns,
} from "@govinfo/shared/stats/keys";
import type { ReportJson, ReportSections } from "@govinfo/shared/stats/report";

/** A column header; one with children spans them (a grouped header). */
export interface HeaderCell {
  label: string;
  children?: HeaderCell[];
}

/**
 * A row: `data` carries numbers; `section` (三、本年度办理结果) and `group` (（三）不予公开 …) are
 * labels over the rows that follow. `level` is the indent of the label (0, 1 or 2).
 */
export interface TableRow {
  kind: "data" | "section" | "group";
  key: string;
  label: string;
  level: 0 | 1 | 2;
  cells: string[];
}

/** A table ready to draw. */
export interface ReportTable {
  key: string;
  title: string;
  /** Header of the sticky label column; null when the table has no label column (table 四). */
  corner: string | null;
  header: HeaderCell[];
  rows: TableRow[];
}

/** The public report JSON plus the narrative the server adds for readers. */
export type PublicReport = ReportJson & { sections?: ReportSections };

function cell(value: number | null | undefined): string {
  return value === null || value === undefined ? "" : String(value);
}

/** The leaf columns of a header, left to right. */
export function leafLabels(header: readonly HeaderCell[]): string[] {
  return header.flatMap((h) => (h.children ? leafLabels(h.children) : [h.label]));
}

/** Number of leaf columns a header cell spans. */
export function spanOf(header: HeaderCell): number {
  return header.children ? header.children.reduce((sum, child) => sum + spanOf(child), 0) : 1;
}

/** Tables 二 (one per Art. 20 item). */
function tableTwo(report: PublicReport): ReportTable[] {
  const blocks = report.formatVersion === "2019" ? table2Blocks2019 : table2Blocks2021;
  return blocks.map((block, i) => ({
    key: `two-${i + 1}`,
    title: `二、主动公开政府信息情况 · ${block.item}`,
    corner: "信息内容",
    header: block.columns.map((c) => ({ label: c.label })),
    rows: block.rows.map((row) => ({
      kind: "data" as const,
      key: row.key,
      label: row.label,
      level: 0 as const,
      cells: block.columns.map((c) => cell(report.tables.two[row.key]?.[c.key])),
    })),
  }));
}

const groupedOutcomes = new Set(["withheld", "unable", "notProcessed", "other"]);

/** Table 三 in the official layout (2019 has one （六）其他处理 row, 2021 three sub-rows). */
export function tableThree(report: PublicReport): ReportTable {
  const rows3 = report.formatVersion === "2019" ? table3Rows2019 : table3Rows2021;
  const orgKeys: readonly string[] = applicantOrgColumnKeys;
  const header: HeaderCell[] = [
    { label: "自然人" },
    {
      label: applicantOrgGroupLabel,
      children: applicantColumns.filter((c) => orgKeys.includes(c.key)).map((c) => ({ label: c.label })),
    },
    { label: "总计" },
  ];
  const numbers = (key: string) => applicantColumns.map((c) => cell(report.tables.three.rows[key]?.[c.key]));
  const blank = applicantColumns.map(() => "");
  const rows: TableRow[] = [];
  let isInSection = false;
  const seenGroups = new Set<string>();
  for (const row of rows3) {
    const outcome = isOutcomeKey(row.key) ? outcomes[row.key] : null;
    if ((outcome || row.key === "other") && !isInSection) {
      isInSection = true;
      rows.push({
        kind: "section",
        key: "outcomes",
        label: table3OutcomeSectionLabel,
        level: 0,
        cells: blank,
      });
    }
    if (outcome && groupedOutcomes.has(outcome.group) && !seenGroups.has(outcome.group)) {
      seenGroups.add(outcome.group);
      const group = outcomeGroups.find((g) => g.key === outcome.group);
      rows.push({ kind: "group", key: outcome.group, label: group?.label ?? "", level: 1, cells: blank });
    }
    const isSub = outcome !== null && groupedOutcomes.has(outcome.group);
    const inSection = outcome !== null || row.key === "other" || row.key === "closedTotal";
    rows.push({
      kind: "data",
      key: row.key,
      label: outcome ? outcome.label : row.label,
      level: isSub ? 2 : inSection ? 1 : 0,
      cells: numbers(row.key),
    });
  }
  return {
    key: "three",
    title: "三、收到和处理政府信息公开申请情况",
    corner: "申请人情况",
    header,
    rows,
  };
}

/** Table 四: 行政复议 | 行政诉讼 (未经复议直接起诉 / 复议后起诉), each with the five result columns. */
export function tableFour(report: PublicReport): ReportTable {
  const leaves = (): HeaderCell[] => table4Columns.map((c) => ({ label: c.label }));
  const [reconsideration, direct, after] = table4Blocks;
  const subLabel = (label: string) => label.replace(/^行政诉讼\s*·\s*/, "");
  const header: HeaderCell[] = [
    { label: reconsideration.label, children: leaves() },
    {
      label: "行政诉讼",
      children: [
        { label: subLabel(direct.label), children: leaves() },
        { label: subLabel(after.label), children: leaves() },
      ],
    },
  ];
  return {
    key: "four",
    title: "四、政府信息公开行政复议、行政诉讼情况",
    corner: null,
    header,
    rows: [
      {
        kind: "data",
        key: "counts",
        label: "",
        level: 0,
        cells: table4Blocks.flatMap((block) =>
          table4Columns.map((c) => cell(report.tables.four[block.key]?.[c.key])),
        ),
      },
    ],
  };
}

/** Tables 二, 三 and 四. */
export function reportTables(report: PublicReport): ReportTable[] {
  return [...tableTwo(report), tableThree(report), tableFour(report)];
}

/** Narrative sections 一, 五, 六 with their headings. */
export function narrative(
  report: PublicReport,
): Array<{ title: string; paragraphs: Array<{ key: string; heading?: string; text: string }> }> {
  const sections = report.sections;
  if (!sections) return [];
  return [
    { title: "一、总体情况", paragraphs: sections.overview },
    { title: "五、存在的主要问题及改进情况", paragraphs: sections.problems },
    { title: "六、其他需要报告的事项", paragraphs: sections.other },
  ].filter((s) => s.paragraphs.length > 0);
}
