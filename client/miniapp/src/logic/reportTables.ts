/**
 * The three tables of an annual report as rows of text cells for a phone: first column the label,
 * the rest the numbers (blank stays blank, never 0). Pure (unit-tested under node).
 */
import {
  applicantColumns,
  table2Blocks2019,
  table2Blocks2021,
  table3Rows2019,
  table3Rows2021,
  table4Blocks,
  table4Columns,
} from "@govinfo/shared/stats/keys";
import type { ReportJson, ReportSections } from "@govinfo/shared/stats/report";

/** A table ready to draw. */
export interface SimpleTable {
  title: string;
  header: string[];
  rows: string[][];
}

/** The public report JSON plus the narrative the server adds for readers. */
export type PublicReport = ReportJson & { sections?: ReportSections };

function cell(value: number | null | undefined): string {
  return value === null || value === undefined ? "" : String(value);
}

/** Tables 二, 三 and 四. */
export function reportTables(report: PublicReport): SimpleTable[] {
  const blocks = report.formatVersion === "2019" ? table2Blocks2019 : table2Blocks2021;
  const two: SimpleTable[] = blocks.map((block) => ({
    title: `二、主动公开政府信息情况 · ${block.item}`,
    header: ["信息内容", ...block.columns.map((c) => c.label)],
    rows: block.rows.map((row) => [
      row.label,
      ...block.columns.map((c) => cell(report.tables.two[row.key]?.[c.key])),
    ]),
  }));
  const rows3 = report.formatVersion === "2019" ? table3Rows2019 : table3Rows2021;
  const three: SimpleTable = {
    title: "三、收到和处理政府信息公开申请情况",
    header: ["申请人情况", ...applicantColumns.map((c) => c.label)],
    rows: rows3.map((row) => [
      row.label,
      ...applicantColumns.map((c) => cell(report.tables.three.rows[row.key]?.[c.key])),
    ]),
  };
  const four: SimpleTable = {
    title: "四、政府信息公开行政复议、行政诉讼情况",
    header: ["类别", ...table4Columns.map((c) => c.label)],
    rows: table4Blocks.map((block) => [
      block.label,
      ...table4Columns.map((c) => cell(report.tables.four[block.key]?.[c.key])),
    ]),
  };
  return [...two, three, four];
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
