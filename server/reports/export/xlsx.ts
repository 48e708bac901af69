/**
 * XLSX export: one sheet per table (表二, 表三, 表四) with the official merged header cells, figures as
 * numbers and blank cells for null (blank ≠ 0), plus a sheet with the check results.
 */
import type { ReportModel } from "@govinfo/shared/stats/report";
import ExcelJS from "exceljs";
import { type Grid, placeCells, table2Grid, table3Grid, table4Grid, titleLines } from "./layout.ts";

/** Sheet names, in order. */
export const xlsxSheetNames = ["表二 主动公开", "表三 依申请公开", "表四 复议诉讼", "校验结果"] as const;

/** Renders the report's tables as an .xlsx workbook. */
export async function renderXlsx(model: ReportModel): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = model.agency.name;
  const [agency, title] = titleLines(model);
  const grids = [table2Grid(model), table3Grid(model), table4Grid(model)];
  grids.forEach((grid, i) => {
    addGridSheet(workbook, xlsxSheetNames[i] ?? `表${i + 2}`, `${agency}${title}`, grid);
  });
  const checks = workbook.addWorksheet(xlsxSheetNames[3]);
  checks.columns = [
    { header: "规则", key: "rule", width: 28 },
    { header: "级别", key: "severity", width: 8 },
    { header: "结果", key: "ok", width: 8 },
    { header: "说明", key: "message", width: 100 },
  ];
  for (const check of model.checks)
    checks.addRow({
      rule: check.rule,
      severity: check.severity === "hard" ? "必须" : "提示",
      ok: check.ok ? "通过" : "未通过",
      message: check.message,
    });
  const data = await workbook.xlsx.writeBuffer();
  return Buffer.from(data as ArrayBuffer);
}

/** Rows before a grid starts on its sheet (title line and caption line). */
export const XLSX_GRID_FIRST_ROW = 3;

function addGridSheet(workbook: ExcelJS.Workbook, name: string, title: string, grid: Grid): void {
  const sheet = workbook.addWorksheet(name);
  sheet.getCell(1, 1).value = title;
  sheet.getCell(1, 1).font = { bold: true, size: 14 };
  sheet.getCell(2, 1).value = grid.caption;
  sheet.getCell(2, 1).font = { bold: true };
  grid.widths.forEach((w, i) => {
    sheet.getColumn(i + 1).width = Math.round(w * 10);
  });
  const border: Partial<ExcelJS.Borders> = {
    top: { style: "thin" },
    left: { style: "thin" },
    bottom: { style: "thin" },
    right: { style: "thin" },
  };
  for (const { row, column, cell } of placeCells(grid)) {
    const r = row + XLSX_GRID_FIRST_ROW;
    const c = column + 1;
    const rowSpan = cell.rowSpan ?? 1;
    const colSpan = cell.colSpan ?? 1;
    if (rowSpan > 1 || colSpan > 1) sheet.mergeCells(r, c, r + rowSpan - 1, c + colSpan - 1);
    const target = sheet.getCell(r, c);
    if (cell.text !== undefined) target.value = cell.text;
    else if (typeof cell.value === "number") target.value = cell.value;
    else target.value = null;
    target.alignment = {
      vertical: "middle",
      horizontal: cell.text !== undefined && cell.scope === "row" ? "left" : "center",
      wrapText: true,
    };
    if (cell.header) target.font = { bold: cell.scope !== "row" };
    for (let dr = 0; dr < rowSpan; dr++)
      for (let dc = 0; dc < colSpan; dc++) sheet.getCell(r + dr, c + dc).border = border;
  }
  if (grid.note) sheet.getCell(XLSX_GRID_FIRST_ROW + grid.rows.length + 1, 1).value = grid.note;
}
