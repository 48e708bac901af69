/**
 * Ledger (台账) fixtures for the import/export and CLI tests: valid rows covering every path of the
 * lifecycle, and writers for XLSX and CSV files built the way a clerk's spreadsheet would be.
 */
import { creditCodeCheckChar, idCheckDigit } from "@govinfo/shared/identity";
import ExcelJS from "exceljs";
import {
  type ApplicationColumn,
  applicationColumns,
  type ReviewCaseColumn,
  reviewCaseColumns,
} from "../../../server/services/ledger/columns.ts";

/** A sheet 1 row by header (missing columns are empty). */
export type Row = Partial<Record<ApplicationColumn | "当前状态", string>>;
/** A sheet 2 row by header. */
export type CaseRow = Partial<Record<ReviewCaseColumn, string>>;

/** A valid 居民身份证号码 from its first 17 digits. */
export function idNumber(first17: string): string {
  return `${first17}${idCheckDigit(first17)}`;
}

/** A valid 统一社会信用代码 from its first 17 characters. */
export function creditCode(first17: string): string {
  return `${first17}${creditCodeCheckChar(first17)}`;
}

const person = {
  申请人类型: "自然人",
  申请人姓名或名称: "张三",
  证件类型: "居民身份证",
  证件号码: idNumber("63210219800101123"),
  联系电话: "13812345678",
  通信地址: "青海省海东市乐都区碾伯镇1号",
  电子邮箱: "zhangsan@example.com",
  信息形式: "电子",
  获取方式: "电子邮件",
};

/** Eleven valid rows: open, 补正 pending and answered, extension, consultation, fees, every closure. */
export function goodRows(prefix = "T"): Row[] {
  return [
    {
      申请编号: `${prefix}-001`,
      收到日期: "2025-03-03",
      收到渠道: "当面",
      ...person,
      申请内容: "2024年环境质量公报",
    },
    {
      申请编号: `${prefix}-002`,
      收到日期: "2025-03-04",
      收到渠道: "邮寄",
      ...person,
      申请人类型: "商业企业",
      申请人姓名或名称: "海东某某环保科技有限公司",
      证件类型: "统一社会信用代码",
      证件号码: creditCode("91632100MA752QKX1"),
      申请内容: '某项目环评批复，含 "引号"，逗号, 与\n换行',
      办结日期: "2025-03-20",
      办理结果: "予以公开",
      备注: "=SUM(A1:A2) 公式样的备注",
    },
    {
      申请编号: `${prefix}-003`,
      收到日期: "2025-03-05",
      收到渠道: "网络",
      ...person,
      申请内容: "排污许可证",
      补正告知日期: "2025-03-07",
      补正期限: "2025-03-21",
    },
    {
      申请编号: `${prefix}-004`,
      收到日期: "2025-03-05",
      收到渠道: "传真",
      ...person,
      申请内容: "排污许可证（补正后）",
      补正告知日期: "2025-03-07",
      补正期限: "2025-03-21",
      补正收到日期: "2025-03-12",
      延期告知日期: "2025-04-01",
      延期工作日数: "15",
      办结日期: "2025-04-20",
      办理结果: "无法提供-补正后不明确",
    },
    {
      申请编号: `${prefix}-005`,
      收到日期: "2025-04-01",
      收到渠道: "电子邮件",
      ...person,
      申请内容: "第三方企业监测数据",
      征求意见开始日期: "2025-04-03",
      征求意见结束日期: "2025-04-18",
      办结日期: "2025-05-06",
      办理结果: "不予公开-第三方权益",
    },
    {
      申请编号: `${prefix}-006`,
      收到日期: "2025-04-02",
      收到渠道: "其他",
      ...person,
      申请内容: "大量历史档案复制件",
      收费通知日期: "2025-04-10",
      缴费日期: "2025-04-15",
      办结日期: "2025-04-28",
      办理结果: "部分公开",
    },
    {
      申请编号: `${prefix}-007`,
      收到日期: "2025-04-02",
      收到渠道: "当面",
      ...person,
      申请内容: "大量档案（未缴费）",
      收费通知日期: "2025-04-10",
      办结日期: "2025-05-20",
      办理结果: "其他处理-逾期未缴费",
    },
    {
      申请编号: `${prefix}-008`,
      收到日期: "2025-05-06",
      收到渠道: "当面",
      ...person,
      申请内容: "内容不明确的申请",
      补正告知日期: "2025-05-08",
      补正期限: "2025-05-22",
      办结日期: "2025-05-30",
      办理结果: "其他处理-逾期不补正",
    },
    {
      申请编号: `${prefix}-009`,
      收到日期: "2025-06-03",
      收到渠道: "当面",
      ...person,
      申请内容: "申请人撤回的申请",
      办结日期: "2025-06-05",
      办理结果: "其他处理-其他",
      当前状态: "已撤回",
    },
    {
      申请编号: `${prefix}-010`,
      收到日期: "2025-06-03",
      收到渠道: "当面",
      申请人类型: "其他",
      申请人姓名或名称: "某村民委员会",
      申请内容: "没有证件信息的组织申请",
      办结日期: "2025-06-10",
      办理结果: "不予处理-信访举报投诉",
    },
    {
      申请编号: `${prefix}-011`,
      收到日期: "2024-12-30",
      收到渠道: "当面",
      ...person,
      申请内容: "上年结转、延期后尚未办结",
      延期告知日期: "2025-01-20",
      延期工作日数: "20",
    },
  ];
}

/** Three review cases: one pending, one closed, one linked to an application of the file. */
export function goodCases(prefix = "T"): CaseRow[] {
  return [
    {
      案件编号: "东复〔2025〕1号",
      关联申请编号: `${prefix}-005`,
      案件类型: "行政复议",
      立案日期: "2025-06-01",
    },
    {
      案件编号: "（2025）青02行初3号",
      关联申请编号: "",
      案件类型: "直接起诉",
      立案日期: "2025-02-01",
      结案日期: "2025-08-01",
      结果: "维持",
    },
    {
      案件编号: "（2025）青02行初9号",
      关联申请编号: `${prefix}-007`,
      案件类型: "复议后起诉",
      立案日期: "2025-07-01",
      结案日期: "2025-09-01",
      结果: "纠正",
    },
  ];
}

/** Sheet 1 as a header plus rows of cells. */
export function applicationTable(rows: Row[]): string[][] {
  return [[...applicationColumns], ...rows.map((row) => applicationColumns.map((c) => row[c] ?? ""))];
}

/** Writes a CSV the way Excel's "CSV UTF-8" does (quoted where needed), with or without BOM. */
export function toCsv(rows: Row[], options: { bom?: boolean; extraStateColumn?: boolean } = {}): Buffer {
  const header = [...applicationColumns, ...(options.extraStateColumn ? ["当前状态"] : [])] as (
    | ApplicationColumn
    | "当前状态"
  )[];
  const lines = [header, ...rows.map((row) => header.map((c) => row[c] ?? ""))].map((cells) =>
    cells.map((cell) => (/[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell)).join(","),
  );
  return Buffer.from(`${options.bom ? "\uFEFF" : ""}${lines.join("\r\n")}\r\n`, "utf8");
}

/** Writes an XLSX with sheets 申请 and (when given) 复议诉讼; dates in `dateCells` become real date cells. */
export async function toXlsx(
  rows: Row[],
  cases?: CaseRow[],
  options: { dateCells?: boolean } = {},
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("申请");
  const header = [...applicationColumns, "当前状态"] as (ApplicationColumn | "当前状态")[];
  sheet.addRow(header);
  for (const row of rows) {
    sheet.addRow(
      header.map((c) => {
        const value = row[c] ?? "";
        if (options.dateCells && /^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(`${value}T00:00:00Z`);
        return value === "" ? null : value;
      }),
    );
  }
  if (cases) {
    const second = workbook.addWorksheet("复议诉讼");
    second.addRow([...reviewCaseColumns]);
    for (const item of cases) second.addRow(reviewCaseColumns.map((c) => item[c] ?? ""));
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Reads every sheet of an XLSX as rows of cell strings (for cell-by-cell comparisons). */
export async function readXlsx(bytes: Buffer | ArrayBuffer): Promise<Record<string, string[][]>> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  const sheets: Record<string, string[][]> = {};
  for (const worksheet of workbook.worksheets) {
    const rows: string[][] = [];
    worksheet.eachRow((row) => {
      const cells: string[] = [];
      for (let c = 1; c <= worksheet.columnCount; c++) cells.push(String(row.getCell(c).value ?? ""));
      rows.push(cells);
    });
    sheets[worksheet.name] = rows;
  }
  return sheets;
}
