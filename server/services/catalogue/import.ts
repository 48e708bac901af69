/**
 * Imports an existing catalogue from CSV or XLSX: one row per item with 标题, 文号, 类别, 生成日期,
 * 发布日期, 正文 or 链接 and optionally 索引号. Every row is checked first and problems are reported
 * per row in Chinese; only a file without problems is written, in one transaction (all or nothing).
 * Re-importing the same file changes nothing: rows are matched by 索引号, or by 标题 + 生成日期 when
 * the file has no 索引号.
 */

import type { FieldProblem } from "@govinfo/shared/api/errors";
import { isIsoDate } from "@govinfo/shared/calendar/date";
import {
  type CategoryKey,
  type DocKind,
  findCategory,
  type Validity,
} from "@govinfo/shared/catalogue/categories";
import { isHttpUrl } from "@govinfo/shared/schemas/common";
import ExcelJS from "exceljs";
import type { Context } from "koa";
import mongoose, { Types } from "mongoose";
import { NotFound, ValidationFailed } from "../../errors.ts";
import { Agency, type AgencyDoc } from "../../models/Agency.ts";
import { InfoItem, type InfoItemDoc } from "../../models/InfoItem.ts";
import { assertArchiveWithinLimits, isZipArchive } from "../../security/archives.ts";
import { audit } from "../audit.ts";
import { calendarOverrides, dateInChina } from "../calendar.ts";
import { bumpCatalogueGeneration } from "./cache.ts";
import { lateness } from "./compliance.ts";
import { dateProblems, excerptOf, formatIndexNo, reserveIndexSeqs } from "./items.ts";
import { itemTokens } from "./tokens.ts";

/** Largest import file. */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;
/** Most rows one import may carry. */
export const MAX_IMPORT_ROWS = 20_000;

/** Column → the header names accepted for it (first one is the canonical name). */
export const importColumns = {
  title: ["标题", "名称", "信息名称", "title"],
  docNumber: ["文号", "发文字号", "docNumber"],
  category: ["类别", "分类", "栏目", "主题分类", "category"],
  formedDate: ["生成日期", "成文日期", "formedDate"],
  publishedDate: ["发布日期", "公开日期", "publishedDate"],
  body: ["正文", "内容", "body"],
  link: ["链接", "网址", "link", "url"],
  indexNo: ["索引号", "indexNo"],
  docKind: ["文件类型", "docKind"],
  topics: ["专题", "topics"],
  summary: ["内容概述", "摘要", "summary"],
  repealedDate: ["废止日期", "repealedDate"],
  validity: ["有效性", "validity"],
} as const;

/** A column key of the import file. */
export type ImportColumn = keyof typeof importColumns;

/** What an import did. */
export interface ImportResult {
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  indexNos: string[];
}

/** One checked row, ready to write. */
interface ParsedRow {
  line: number;
  indexNo: string;
  title: string;
  docNumber: string;
  category: CategoryKey;
  docKind: DocKind;
  topics: string[];
  summary: string;
  body: string;
  link: string;
  formedDate: string;
  publishedDate: string | null;
  repealedDate: string | null;
  validity: Validity;
}

/** Reads the cells of a CSV or XLSX file (detected by content) as header-keyed rows. */
export async function readTable(bytes: Buffer): Promise<string[][]> {
  if (isZipArchive(bytes)) return readXlsx(bytes);
  return parseCsv(decodeText(bytes));
}

/** Decodes a CSV file: UTF-8 (with or without BOM), else GB18030 as saved by Chinese Excel. */
export function decodeText(bytes: Buffer): string {
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(body);
  } catch {
    return new TextDecoder("gb18030").decode(body);
  }
}

/** Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF); blank lines are skipped. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
      continue;
    }
    if (ch === '"' && field === "") quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += ch;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((cell) => cell.trim() !== ""));
}

async function readXlsx(bytes: Buffer): Promise<string[][]> {
  await assertArchiveWithinLimits(bytes);
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw ValidationFailed([{ path: "file", message: "无法读取 Excel 文件，请另存为 .xlsx 或 CSV 后重试" }]);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return [];
  const rows: string[][] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = [];
    for (let c = 1; c <= row.cellCount; c++) cells.push(cellText(row.getCell(c).value));
    rows.push(cells);
  });
  return rows.filter((r) => r.some((cell) => cell.trim() !== ""));
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === "object") {
    if ("richText" in value) return value.richText.map((part) => part.text).join("");
    if ("hyperlink" in value) return String(value.text ?? value.hyperlink);
    if ("result" in value) return cellText(value.result as ExcelJS.CellValue);
    if ("error" in value) return "";
  }
  return String(value);
}

/** Reads a date written as 2019-03-05, 2019/3/5, 2019.3.5, 2019年3月5日 or an Excel serial number. */
export function parseLooseDate(text: string): string | null {
  const value = text.trim();
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(value);
  if (m) {
    const iso = `${m[1]}-${(m[2] as string).padStart(2, "0")}-${(m[3] as string).padStart(2, "0")}`;
    return isIsoDate(iso) ? iso : null;
  }
  if (/^\d{5}$/.test(value)) {
    // Excel's day 25569 is 1970-01-01.
    const iso = new Date((Number(value) - 25569) * 86_400_000).toISOString().slice(0, 10);
    return isIsoDate(iso) ? iso : null;
  }
  return null;
}

const docKindNames: Record<string, DocKind> = {
  规章: "regulation",
  regulation: "regulation",
  行政规范性文件: "normative",
  规范性文件: "normative",
  normative: "normative",
  其他: "other",
  other: "other",
  "": "other",
};

const validityNames: Record<string, Validity> = {
  现行有效: "inForce",
  有效: "inForce",
  已废止: "repealed",
  废止: "repealed",
  失效: "repealed",
  已修订: "amended",
  修订: "amended",
};

/** Checks every row; returns the parsed rows or the problems (row numbers as the spreadsheet shows them). */
export function checkRows(table: string[][], today: string): { rows: ParsedRow[]; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const [header, ...data] = table;
  if (!header) return { rows: [], problems: [{ path: "file", message: "文件为空，第 1 行应为列名" }] };
  const columnAt = new Map<ImportColumn, number>();
  header.forEach((name, index) => {
    const clean = name.replace(/^\uFEFF/, "").replace(/[*＊\s]/g, "");
    for (const [key, names] of Object.entries(importColumns) as Array<[ImportColumn, readonly string[]]>) {
      if (names.includes(clean) && !columnAt.has(key)) columnAt.set(key, index);
    }
  });
  const missing = (["title", "category", "formedDate"] as const).filter((key) => !columnAt.has(key));
  if (missing.length > 0)
    return {
      rows: [],
      problems: [
        { path: "file", message: `缺少必需的列：${missing.map((k) => importColumns[k][0]).join("、")}` },
      ],
    };
  if (data.length === 0) return { rows: [], problems: [{ path: "file", message: "文件中没有数据行" }] };
  if (data.length > MAX_IMPORT_ROWS)
    return { rows: [], problems: [{ path: "file", message: `一次最多导入 ${MAX_IMPORT_ROWS} 行` }] };

  const rows: ParsedRow[] = [];
  const seenIndexNos = new Map<string, number>();
  data.forEach((cells, i) => {
    const line = i + 2;
    const cell = (key: ImportColumn) => {
      const at = columnAt.get(key);
      return at === undefined ? "" : (cells[at] ?? "").trim();
    };
    const rowProblems: FieldProblem[] = [];
    const bad = (key: ImportColumn, message: string) =>
      rowProblems.push({ path: `rows.${line}.${key}`, message: `第 ${line} 行：${message}` });

    const title = cell("title");
    if (title === "") bad("title", "标题不能为空");
    else if (title.length > 200) bad("title", "标题不能超过 200 个字");
    const docNumber = cell("docNumber");
    if (docNumber.length > 60) bad("docNumber", "文号不能超过 60 个字");
    const categoryText = cell("category");
    const category = findCategory(categoryText);
    if (!category) bad("category", categoryText === "" ? "类别不能为空" : `类别“${categoryText}”不存在`);
    const formedText = cell("formedDate");
    const formedDate = parseLooseDate(formedText);
    if (!formedDate)
      bad(
        "formedDate",
        formedText === "" ? "生成日期不能为空" : `生成日期“${formedText}”无法识别，应为 YYYY-MM-DD`,
      );
    const publishedText = cell("publishedDate");
    const publishedDate = publishedText === "" ? null : parseLooseDate(publishedText);
    if (publishedText !== "" && !publishedDate)
      bad("publishedDate", `发布日期“${publishedText}”无法识别，应为 YYYY-MM-DD`);
    const repealedText = cell("repealedDate");
    const repealedDate = repealedText === "" ? null : parseLooseDate(repealedText);
    if (repealedText !== "" && !repealedDate)
      bad("repealedDate", `废止日期“${repealedText}”无法识别，应为 YYYY-MM-DD`);
    if (repealedDate && !publishedDate && publishedText === "")
      bad("repealedDate", "未发布的信息不能有废止日期");
    const body = cell("body");
    const link = cell("link");
    if (body === "" && link === "") bad("body", "正文和链接至少填写一项");
    if (link !== "" && !isHttpUrl(link))
      bad("link", `链接“${link.slice(0, 50)}”格式不正确，应以 http:// 或 https:// 开头`);
    const kindText = cell("docKind");
    const docKind = docKindNames[kindText];
    if (!docKind) bad("docKind", `文件类型“${kindText}”不正确，应为 规章、行政规范性文件 或 其他`);
    const validityText = cell("validity");
    let validity: Validity | undefined = validityText === "" ? undefined : validityNames[validityText];
    if (validityText !== "" && !validity)
      bad("validity", `有效性“${validityText}”不正确，应为 现行有效、已废止 或 已修订`);
    validity ??= repealedDate ? "repealed" : "inForce";
    if (validity !== "inForce" && !repealedDate) bad("repealedDate", "已废止或已修订的信息应填写废止日期");
    const indexNo = cell("indexNo");
    if (indexNo.length > 64) bad("indexNo", "索引号不能超过 64 个字符");
    if (indexNo !== "") {
      const earlier = seenIndexNos.get(indexNo);
      if (earlier !== undefined) bad("indexNo", `索引号“${indexNo}”与第 ${earlier} 行重复`);
      else seenIndexNos.set(indexNo, line);
    }
    if (formedDate) {
      for (const p of dateProblems({ formedDate, publishedDate, repealedDate }, today))
        bad(p.path as ImportColumn, p.message);
    }
    if (rowProblems.length > 0) {
      problems.push(...rowProblems);
      return;
    }
    rows.push({
      line,
      indexNo,
      title,
      docNumber,
      category: (category as NonNullable<typeof category>).key,
      docKind: docKind as DocKind,
      topics: cell("topics")
        .split(/[;；,，、\s]+/)
        .map((t) => t.trim())
        .filter((t) => t !== "")
        .slice(0, 10),
      summary: cell("summary").slice(0, 500),
      body,
      link,
      formedDate: formedDate as string,
      publishedDate,
      repealedDate,
      validity,
    });
  });
  return { rows, problems };
}

type ItemFields = Omit<ParsedRow, "line" | "indexNo">;

function fieldsOf(row: ParsedRow): ItemFields {
  const { line: _line, indexNo: _indexNo, ...fields } = row;
  return fields;
}

function sameFields(doc: InfoItemDoc, fields: ItemFields, status: string): boolean {
  return (
    doc.status === status &&
    (Object.keys(fields) as Array<keyof ItemFields>).every(
      (key) => JSON.stringify(doc[key] ?? null) === JSON.stringify(fields[key] ?? null),
    )
  );
}

/**
 * Imports a file into an agency's catalogue; throws one 400 listing every row problem, or writes
 * every row in one transaction.
 */
export async function importCatalogue(
  ctx: Context | null,
  agencyId: string,
  bytes: Buffer,
): Promise<ImportResult> {
  const agency = await Agency.findById(agencyId).lean<AgencyDoc>();
  if (!agency) throw NotFound("agency", "机关不存在");
  if (bytes.length === 0) throw ValidationFailed([{ path: "file", message: "文件为空" }]);
  const { rows, problems } = checkRows(await readTable(bytes), dateInChina());

  // Existing items the rows refer to: by 索引号, else by 标题 + 生成日期 in this agency.
  const givenIndexNos = rows.filter((r) => r.indexNo !== "").map((r) => r.indexNo);
  const byIndexNo = new Map(
    (await InfoItem.find({ indexNo: { $in: givenIndexNos } }).lean<InfoItemDoc[]>()).map((d) => [
      d.indexNo,
      d,
    ]),
  );
  const titles = rows.filter((r) => r.indexNo === "").map((r) => r.title);
  const byTitle = new Map(
    (await InfoItem.find({ agencyId: agency._id, title: { $in: titles } }).lean<InfoItemDoc[]>()).map((d) => [
      `${d.title}\u0000${d.formedDate}`,
      d,
    ]),
  );
  for (const row of rows) {
    const existing = byIndexNo.get(row.indexNo);
    if (existing && String(existing.agencyId) !== String(agency._id))
      problems.push({
        path: `rows.${row.line}.indexNo`,
        message: `第 ${row.line} 行：索引号“${row.indexNo}”已被其他机关使用`,
      });
  }
  if (problems.length > 0) {
    problems.sort((a, b) => rowOf(a.path) - rowOf(b.path));
    throw ValidationFailed(
      problems,
      `导入失败，共 ${problems.length} 处问题，未导入任何数据：${problems[0]?.message}`,
    );
  }

  const overrides = await calendarOverrides();
  const computed = (row: ParsedRow) => {
    const fields = fieldsOf(row);
    return {
      ...fields,
      status: row.publishedDate ? "published" : "draft",
      publishedYear: row.publishedDate ? Number(row.publishedDate.slice(0, 4)) : null,
      excerpt: excerptOf(row.body, row.summary),
      lateByWorkingDays: lateness(row.formedDate, row.publishedDate, overrides),
      ...itemTokens(fields),
    };
  };
  const result: ImportResult = { rows: rows.length, created: 0, updated: 0, unchanged: 0, indexNos: [] };
  await mongoose.connection.transaction(async (session) => {
    const inserts: Array<Record<string, unknown>> = [];
    const updates: Array<{ id: Types.ObjectId; set: Record<string, unknown> }> = [];
    const needNumbers: Array<{ row: ParsedRow; doc: Record<string, unknown> }> = [];
    for (const row of rows) {
      const existing =
        row.indexNo !== "" ? byIndexNo.get(row.indexNo) : byTitle.get(`${row.title}\u0000${row.formedDate}`);
      const status = row.publishedDate ? "published" : "draft";
      if (existing) {
        result.indexNos.push(existing.indexNo);
        if (sameFields(existing, fieldsOf(row), status)) result.unchanged++;
        else {
          updates.push({ id: existing._id, set: computed(row) });
          result.updated++;
        }
        continue;
      }
      const doc = { ...computed(row), agencyId: agency._id, indexNo: row.indexNo, _id: new Types.ObjectId() };
      if (row.indexNo === "") needNumbers.push({ row, doc });
      inserts.push(doc);
      result.created++;
    }
    await assignIndexNos(agency, needNumbers, session);
    for (const { doc } of needNumbers) result.indexNos.push(String(doc.indexNo));
    for (const row of rows)
      if (row.indexNo !== "" && !byIndexNo.has(row.indexNo)) result.indexNos.push(row.indexNo);
    if (inserts.length > 0) await InfoItem.insertMany(inserts, { session });
    if (updates.length > 0)
      await InfoItem.bulkWrite(
        updates.map((u) => ({ updateOne: { filter: { _id: u.id }, update: { $set: u.set } } })),
        { session },
      );
    await audit(
      ctx,
      {
        action: "catalogue.import",
        targetType: "agency",
        targetId: agency._id,
        agencyId: agency._id,
        details: {
          rows: result.rows,
          created: result.created,
          updated: result.updated,
          unchanged: result.unchanged,
        },
      },
      session,
    );
  });
  if (result.created + result.updated > 0) bumpCatalogueGeneration();
  return result;
}

// Generated numbers skip any 索引号 an earlier import brought along in the same pattern.
async function assignIndexNos(
  agency: AgencyDoc,
  pending: Array<{ row: ParsedRow; doc: Record<string, unknown> }>,
  session: mongoose.ClientSession,
): Promise<void> {
  const byYear = new Map<number, Array<Record<string, unknown>>>();
  for (const { row, doc } of pending) {
    const year = Number(row.formedDate.slice(0, 4));
    byYear.set(year, [...(byYear.get(year) ?? []), doc]);
  }
  for (const [year, docs] of byYear) {
    let waiting = docs;
    while (waiting.length > 0) {
      const first = await reserveIndexSeqs(agency._id, year, waiting.length, session);
      const numbers = waiting.map((_, i) => formatIndexNo(agency.code, year, first + i));
      const taken = new Set(
        (
          await InfoItem.find({ indexNo: { $in: numbers } }, { indexNo: 1 })
            .session(session)
            .lean()
        ).map((d) => d.indexNo),
      );
      const next: Array<Record<string, unknown>> = [];
      waiting.forEach((doc, i) => {
        const number = numbers[i] as string;
        if (taken.has(number)) next.push(doc);
        else doc.indexNo = number;
      });
      waiting = next;
    }
  }
}

function rowOf(path: string): number {
  return Number(/^rows\.(\d+)\./.exec(path)?.[1] ?? 0);
}
