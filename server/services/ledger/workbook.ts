/**
 * Reads a ledger file (XLSX or CSV) into raw sheets of trimmed strings, and writes sheets back. Every
 * cell is written as text, so Excel never turns a 申请编号 into a number or a date into a serial.
 */
import ExcelJS from "exceljs";
import { assertArchiveWithinLimits } from "../../security/archives.ts";
import { APPLICATION_SHEET, REVIEW_CASE_SHEET } from "./columns.ts";
import { decodeCsv, formatCsv, parseCsv, restoreFormula } from "./csv.ts";
import type { LedgerFormat, RawSheet } from "./types.ts";

/** Rows accepted per sheet; larger ledgers are split by year. */
export const MAX_ROWS = 50_000;

/** The sheets of a ledger file; `reviewCases` is null when the file has no 复议诉讼 sheet (always for CSV). */
export interface RawLedger {
  applications: RawSheet;
  reviewCases: RawSheet | null;
}

/** A file that cannot be read at all (not a workbook, no header, too many rows). */
export class LedgerFileError extends Error {
  override readonly name = "LedgerFileError";
}

/**
 * Reads a ledger file.
 * @param format how to read the bytes.
 */
export async function readLedgerFile(bytes: Buffer, format: LedgerFormat): Promise<RawLedger> {
  if (format === "csv") {
    const records = parseCsv(decodeCsv(bytes)).map((cells) => cells.map((c) => restoreFormula(c).trim()));
    return {
      applications: toSheet(
        APPLICATION_SHEET,
        records.map((cells, i) => ({ rowNumber: i + 1, cells })),
      ),
      reviewCases: null,
    };
  }
  await assertArchiveWithinLimits(bytes);
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs's typing predates Node's generic Buffer.
    await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  } catch {
    throw new LedgerFileError("无法读取该 Excel 文件，请确认是 .xlsx 格式（不支持旧版 .xls）且未加密");
  }
  const first = workbook.worksheets[0];
  const applications = workbook.getWorksheet(APPLICATION_SHEET) ?? first;
  if (!applications) throw new LedgerFileError("Excel 文件中没有工作表");
  const reviewCases = workbook.getWorksheet(REVIEW_CASE_SHEET);
  return {
    applications: toSheet(APPLICATION_SHEET, worksheetRows(applications)),
    reviewCases: reviewCases ? toSheet(REVIEW_CASE_SHEET, worksheetRows(reviewCases)) : null,
  };
}

/** Writes sheets as an XLSX workbook (all cells text, bold frozen header, sensible widths). */
export async function writeXlsx(
  sheets: { name: string; rows: readonly (readonly string[])[] }[],
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "政府信息公开平台";
  for (const sheet of sheets) {
    const worksheet = workbook.addWorksheet(sheet.name, { views: [{ state: "frozen", ySplit: 1 }] });
    const width = sheet.rows[0]?.length ?? 0;
    for (let c = 1; c <= width; c++) {
      const column = worksheet.getColumn(c);
      column.numFmt = "@";
      const longest = Math.max(...sheet.rows.map((r) => displayWidth(r[c - 1] ?? "")));
      column.width = Math.min(60, Math.max(10, longest + 2));
    }
    for (const row of sheet.rows) worksheet.addRow([...row]);
    worksheet.getRow(1).font = { bold: true };
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Writes one sheet as CSV (UTF-8 with BOM). */
export function writeCsv(rows: readonly (readonly string[])[]): Buffer {
  return formatCsv(rows);
}

function toSheet(name: string, rows: { rowNumber: number; cells: string[] }[]): RawSheet {
  const [headerRow, ...data] = rows;
  if (!headerRow) throw new LedgerFileError(`工作表“${name}”是空的，第1行应为表头`);
  const nonEmpty = data.filter((row) => row.cells.some((cell) => cell !== ""));
  if (nonEmpty.length > MAX_ROWS) {
    throw new LedgerFileError(`工作表“${name}”超过 ${MAX_ROWS} 行，请按年度拆分后分别导入`);
  }
  return { name, header: headerRow.cells.map((h) => h.replace(/^\uFEFF/, "").trim()), rows: nonEmpty };
}

function worksheetRows(worksheet: ExcelJS.Worksheet): { rowNumber: number; cells: string[] }[] {
  const rows: { rowNumber: number; cells: string[] }[] = [];
  const width = worksheet.columnCount;
  worksheet.eachRow({ includeEmpty: true }, (row, rowNumber) => {
    const cells: string[] = [];
    for (let c = 1; c <= width; c++) cells.push(cellText(row.getCell(c).value).trim());
    rows.push({ rowNumber, cells });
  });
  // Row 1 must be the header even when it is empty, so that the error names the right row.
  if (rows[0]?.rowNumber !== 1) rows.unshift({ rowNumber: 1, cells: [] });
  return rows;
}

/** The text of a cell as the clerk sees it; dates become YYYY-MM-DD. */
function cellText(value: ExcelJS.CellValue | { richText: ExcelJS.RichText[] }): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : String(value);
  if (typeof value === "boolean") return value ? "是" : "否";
  if (value instanceof Date) {
    // exceljs reads date cells as UTC midnight of the civil date.
    return value.toISOString().slice(0, 10);
  }
  if ("richText" in value) return value.richText.map((part) => part.text).join("");
  if ("hyperlink" in value) {
    const text = value.text as unknown;
    if (typeof text === "string") return text;
    if (text && typeof text === "object" && "richText" in text) {
      return cellText(text as { richText: ExcelJS.RichText[] });
    }
    return value.hyperlink.replace(/^mailto:/, "");
  }
  if ("error" in value) return "";
  if ("result" in value) {
    const result = value.result;
    if (result === undefined) return "";
    return cellText(result);
  }
  return "";
}

// CJK characters are about twice as wide as Latin ones in Excel's default font.
function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += (ch.codePointAt(0) ?? 0) > 0x2e80 ? 2 : 1;
  return width;
}
