/**
 * The three tables of the report as grids of cells with the official merged header cells and exact
 * row labels, in HTML order (a spanned position has no cell of its own). DOCX, XLSX and HTML all
 * render these grids, so the layouts cannot drift apart.
 */
import {
  applicantColumns,
  applicantOrgColumnKeys,
  applicantOrgGroupLabel,
  outcomeGroups,
  outcomes,
  type Table2Block,
  table3OutcomeSectionLabel,
  table4Blocks,
  table4Columns,
} from "@govinfo/shared/stats/keys";
import {
  type ReportModel,
  table2BlocksOf,
  table3RowsOf,
  table4BasisNotes,
} from "@govinfo/shared/stats/report";

/** One cell at its top-left position. */
export interface GridCell {
  text?: string;
  /** A figure; null renders as a blank cell (blank ≠ 0). */
  value?: number | null;
  colSpan?: number;
  rowSpan?: number;
  header?: boolean;
  /** For HTML `<th scope>`. */
  scope?: "col" | "colgroup" | "row" | "rowgroup";
  /** Provenance key of a figure ("three.granted.natural"). */
  cellKey?: string;
}

/** A table as rows of cells. */
export interface Grid {
  caption: string;
  columnCount: number;
  /** Relative column widths (sum is arbitrary). */
  widths: number[];
  headerRows: number;
  rows: GridCell[][];
  note?: string;
}

/** Exact wording of table 三's top-left header cell. */
export const table3BalanceNote = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）";

/** Section headings 一…六 of the report. */
export const sectionHeadings = [
  "一、总体情况",
  "二、主动公开政府信息情况",
  "三、收到和处理政府信息公开申请情况",
  "四、政府信息公开行政复议、行政诉讼情况",
  "五、存在的主要问题及改进情况",
  "六、其他需要报告的事项",
] as const;

/** The report's title lines: agency, then "<year>年政府信息公开工作年度报告". */
export function titleLines(model: ReportModel): [string, string] {
  return [model.agency.name, `${model.year}年政府信息公开工作年度报告`];
}

/** Table 二 grid (format-specific blocks; a block with fewer columns stretches its last cell). */
export function table2Grid(model: ReportModel): Grid {
  const blocks = table2BlocksOf(model.formatVersion);
  const width = Math.max(...blocks.map((b) => b.columns.length));
  const rows: GridCell[][] = [];
  for (const block of blocks) {
    rows.push([{ text: block.item, colSpan: width + 1, header: true, scope: "colgroup" }]);
    rows.push([
      { text: "信息内容", header: true, scope: "col" },
      ...block.columns.map((c, i) => ({
        text: c.label,
        header: true,
        scope: "col" as const,
        ...spanOf(block, i, width),
      })),
    ]);
    for (const row of block.rows)
      rows.push([
        { text: row.label, header: true, scope: "row" },
        ...block.columns.map((c, i) => ({
          value: model.tables.two[row.key]?.[c.key] ?? null,
          cellKey: `two.${row.key}.${c.key}`,
          ...spanOf(block, i, width),
        })),
      ]);
  }
  return {
    caption: "主动公开政府信息情况",
    columnCount: width + 1,
    widths: [2.2, ...Array.from({ length: width }, () => 1.6)],
    headerRows: 0,
    rows,
  };
}

/** Table 三 grid: 3 label columns + 7 applicant columns, merged headers and the outcome section. */
export function table3Grid(model: ReportModel): Grid {
  const columns = applicantColumns.map((c) => c.key);
  const figures = (rowKey: string): GridCell[] =>
    columns.map((column) => ({
      value: model.tables.three.rows[rowKey]?.[column] ?? 0,
      cellKey: `three.${rowKey}.${column}`,
    }));
  const rows: GridCell[][] = [
    [
      { text: table3BalanceNote, colSpan: 3, rowSpan: 3, header: true },
      { text: "申请人情况", colSpan: 7, header: true, scope: "colgroup" },
    ],
    [
      { text: "自然人", rowSpan: 2, header: true, scope: "col" },
      {
        text: applicantOrgGroupLabel,
        colSpan: applicantOrgColumnKeys.length,
        header: true,
        scope: "colgroup",
      },
      { text: "总计", rowSpan: 2, header: true, scope: "col" },
    ],
    applicantColumns
      .filter((c) => (applicantOrgColumnKeys as readonly string[]).includes(c.key))
      .map((c) => ({ text: c.label, header: true, scope: "col" as const })),
  ];
  const tableRows = table3RowsOf(model.formatVersion);
  const label = (key: string) => tableRows.find((r) => r.key === key)?.label ?? key;
  rows.push([
    { text: label("newReceived"), colSpan: 3, header: true, scope: "row" },
    ...figures("newReceived"),
  ]);
  rows.push([
    { text: label("carriedOver"), colSpan: 3, header: true, scope: "row" },
    ...figures("carriedOver"),
  ]);

  const outcomeRows = tableRows.filter(
    (r) => !["newReceived", "carriedOver", "carriedForward"].includes(r.key),
  );
  let first = true;
  for (const group of outcomeGroups) {
    const keys = outcomeRows
      .map((r) => r.key)
      .filter((key) =>
        key === "other" ? group.key === "other" : outcomes[key as keyof typeof outcomes]?.group === group.key,
      );
    keys.forEach((key, index) => {
      const row: GridCell[] = [];
      if (first) {
        row.push({
          text: table3OutcomeSectionLabel,
          rowSpan: outcomeRows.length,
          header: true,
          scope: "rowgroup",
        });
        first = false;
      }
      const single = keys.length === 1;
      if (single) row.push({ text: group.label, colSpan: 2, header: true, scope: "row" });
      else {
        if (index === 0)
          row.push({ text: group.label, rowSpan: keys.length, header: true, scope: "rowgroup" });
        row.push({ text: outcomes[key as keyof typeof outcomes]?.label ?? key, header: true, scope: "row" });
      }
      rows.push([...row, ...figures(key)]);
    });
  }
  rows.push([
    { text: label("closedTotal"), colSpan: 2, header: true, scope: "row" },
    ...figures("closedTotal"),
  ]);
  rows.push([
    { text: label("carriedForward"), colSpan: 3, header: true, scope: "row" },
    ...figures("carriedForward"),
  ]);
  return {
    caption: "收到和处理政府信息公开申请情况",
    columnCount: 10,
    widths: [1, 1.3, 2.6, 1, 1, 1, 1, 1, 1, 1],
    headerRows: 3,
    rows,
  };
}

/** Table 四 grid: 行政复议 and 行政诉讼 {未经复议直接起诉, 复议后起诉} × five columns, one data row. */
export function table4Grid(model: ReportModel): Grid {
  const [reconsideration, direct, after] = table4Blocks;
  const sub = (label: string) => label.replace(/^行政诉讼 · /, "");
  const columnHeads: GridCell[] = [];
  const values: GridCell[] = [];
  for (const block of table4Blocks)
    for (const column of table4Columns) {
      columnHeads.push({ text: column.label, header: true, scope: "col" });
      values.push({
        value: model.tables.four[block.key][column.key],
        cellKey: `four.${block.key}.${column.key}`,
      });
    }
  return {
    caption: "政府信息公开行政复议、行政诉讼情况",
    columnCount: 15,
    widths: Array.from({ length: 15 }, () => 1),
    headerRows: 3,
    rows: [
      [
        { text: reconsideration.label, colSpan: 5, rowSpan: 2, header: true, scope: "colgroup" },
        { text: "行政诉讼", colSpan: 10, header: true, scope: "colgroup" },
      ],
      [
        { text: sub(direct.label), colSpan: 5, header: true, scope: "colgroup" },
        { text: sub(after.label), colSpan: 5, header: true, scope: "colgroup" },
      ],
      columnHeads,
      values,
    ],
    note: table4BasisNotes[model.table4Basis],
  };
}

/** Positions every cell of a grid on the full matrix (row, column, 0-based) for spreadsheet output. */
export function placeCells(grid: Grid): { row: number; column: number; cell: GridCell }[] {
  const taken = new Set<string>();
  const placed: { row: number; column: number; cell: GridCell }[] = [];
  grid.rows.forEach((cells, r) => {
    let c = 0;
    for (const cell of cells) {
      while (taken.has(`${r}:${c}`)) c++;
      placed.push({ row: r, column: c, cell });
      for (let dr = 0; dr < (cell.rowSpan ?? 1); dr++)
        for (let dc = 0; dc < (cell.colSpan ?? 1); dc++) taken.add(`${r + dr}:${c + dc}`);
      c += cell.colSpan ?? 1;
    }
  });
  return placed;
}

function spanOf(block: Table2Block, index: number, width: number): { colSpan?: number } {
  const last = index === block.columns.length - 1;
  const span = last ? width - block.columns.length + 1 : 1;
  return span > 1 ? { colSpan: span } : {};
}
