/**
 * Parses the rows of a ledger file into records, checking every cell and collecting every problem
 * (row, column, Chinese message) instead of stopping at the first. Lifecycle rules are checked
 * afterwards by replaying the events (see `events.ts`).
 */
import { isIsoDate } from "@govinfo/shared/calendar/date";
import { checkCreditCode, checkIdNumber } from "@govinfo/shared/identity";
import { reviewCaseKindLedgerNames, reviewCaseResultLedgerNames } from "@govinfo/shared/schemas/reviewCase";
import {
  type ApplicationColumn,
  applicantTypeAliases,
  applicantTypeLedgerNames,
  applicationColumns,
  channelAliases,
  channelLedgerNames,
  deliveryAliases,
  deliveryLedgerNames,
  idTypeAliases,
  idTypeLedgerNames,
  infoFormAliases,
  infoFormLedgerNames,
  listNames,
  outcomeAliases,
  outcomeLedgerNames,
  type ReviewCaseColumn,
  reviewCaseColumns,
  reviewCaseKindAliases,
  reviewCaseResultAliases,
  withdrawnStateLabel,
} from "./columns.ts";
import type { LedgerApplication, LedgerProblem, LedgerReviewCase, RawSheet } from "./types.ts";

/** A parsed row with its spreadsheet row number. */
export interface Parsed<T> {
  rowNumber: number;
  value: T;
}

/** Text limits, the same as the intake form's. */
const limits: Partial<Record<ApplicationColumn, number>> = {
  申请编号: 100,
  申请人姓名或名称: 100,
  证件号码: 40,
  联系电话: 50,
  通信地址: 200,
  电子邮箱: 100,
  申请内容: 2000,
  备注: 2000,
};

/**
 * Parses sheet 1. Rows with problems are left out of `rows`; their problems are in `problems`.
 * @param today dates after it are refused.
 */
export function parseApplicationSheet(
  sheet: RawSheet,
  today: string,
): { rows: Parsed<LedgerApplication>[]; problems: LedgerProblem[] } {
  return parseSheet(sheet, applicationColumns, (get, problem, cells, index) =>
    parseApplication(get, problem, today, cells[index.当前状态 ?? -1] ?? ""),
  );
}

/** Parses sheet 2 (same contract as `parseApplicationSheet`). */
export function parseReviewCaseSheet(
  sheet: RawSheet,
  today: string,
): { rows: Parsed<LedgerReviewCase>[]; problems: LedgerProblem[] } {
  return parseSheet(sheet, reviewCaseColumns, (get, problem) => parseReviewCase(get, problem, today));
}

/** Checks the header, then parses every row, keeping a row only when it has no problem. */
function parseSheet<C extends string, T>(
  sheet: RawSheet,
  columns: readonly C[],
  parseRow: (
    get: Get<C>,
    problem: Problem,
    cells: readonly string[],
    index: Record<C, number> & { 当前状态?: number },
  ) => T | null | undefined,
): { rows: Parsed<T>[]; problems: LedgerProblem[] } {
  const problems: LedgerProblem[] = [];
  const index = headerIndex(sheet, columns, problems);
  if (!index) return { rows: [], problems };
  const rows: Parsed<T>[] = [];
  for (const { rowNumber, cells } of sheet.rows) {
    const rowProblems: LedgerProblem[] = [];
    const get = (column: C) => cells[index[column]] ?? "";
    const problem = (column: string, message: string) =>
      rowProblems.push({ sheet: sheet.name, row: rowNumber, column, message });
    const value = parseRow(get, problem, cells, index);
    problems.push(...rowProblems);
    if (value && rowProblems.length === 0) rows.push({ rowNumber, value });
  }
  return { rows, problems };
}

type Get<C extends string> = (column: C) => string;
type Problem = (column: string, message: string) => void;

function parseApplication(
  get: Get<ApplicationColumn>,
  problem: Problem,
  today: string,
  stateLabel: string,
): LedgerApplication | null {
  for (const [column, max] of Object.entries(limits) as [ApplicationColumn, number][]) {
    if (get(column).length > max) problem(column, `${column}不能超过 ${max} 个字`);
  }
  const required = (column: ApplicationColumn) => {
    const value = get(column);
    if (value === "") problem(column, `${column}不能为空`);
    return value;
  };
  const date = (column: ApplicationColumn, isRequired = false) => {
    const value = isRequired ? required(column) : get(column);
    if (value === "") return null;
    if (!isIsoDate(value)) {
      problem(column, `${column}“${value}”不是有效日期，应为 YYYY-MM-DD 格式（如 2025-03-03）`);
      return null;
    }
    if (value > today) {
      problem(column, `${column}不能晚于今天（${today}）`);
      return null;
    }
    return value;
  };
  const choice = <T extends string>(
    column: ApplicationColumn,
    aliases: Readonly<Record<string, T>>,
    names: Readonly<Record<string, string>>,
  ): T | null => {
    const value = get(column);
    if (value === "") return null;
    const found = aliases[value];
    if (found === undefined) problem(column, `${column}“${value}”无法识别，应为：${listNames(names)}`);
    return found ?? null;
  };

  const serialNo = required("申请编号");
  const receiptDate = date("收到日期", true);
  const channel = choice("收到渠道", channelAliases, channelLedgerNames) ?? "ordinaryMail";
  const type =
    required("申请人类型") === ""
      ? null
      : choice("申请人类型", applicantTypeAliases, applicantTypeLedgerNames);
  const name = required("申请人姓名或名称");
  const description = required("申请内容");

  const idTypeChosen = choice("证件类型", idTypeAliases, idTypeLedgerNames);
  const idNumber = get("证件号码").toUpperCase();
  if (idNumber !== "" && get("证件类型") === "") problem("证件类型", "填写证件号码的，请同时填写证件类型");
  if (idNumber === "" && idTypeChosen) problem("证件号码", `证件类型为${get("证件类型")}的，请填写证件号码`);
  if (idTypeChosen === "idCard" && idNumber !== "") {
    const check = checkIdNumber(idNumber);
    if (!check.ok) problem("证件号码", check.error);
  }
  if (idTypeChosen === "creditCode" && idNumber !== "") {
    const check = checkCreditCode(idNumber);
    if (!check.ok) problem("证件号码", check.error);
  }
  const email = get("电子邮箱");
  if (email !== "" && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) problem("电子邮箱", "电子邮箱格式不正确");

  const infoForm = choice("信息形式", infoFormAliases, infoFormLedgerNames) ?? "electronic";
  const delivery = choice("获取方式", deliveryAliases, deliveryLedgerNames) ?? "online";

  const correctionNotice = date("补正告知日期");
  const correctionDeadline = date("补正期限");
  const correctionReceived = date("补正收到日期");
  const extensionDate = date("延期告知日期");
  const extensionDaysText = get("延期工作日数");
  const consultationStart = date("征求意见开始日期");
  const consultationEnd = date("征求意见结束日期");
  const feeNotice = date("收费通知日期");
  const feePaid = date("缴费日期");
  const closedDate = date("办结日期");
  const outcome = choice("办理结果", outcomeAliases, outcomeLedgerNames);

  // Pairs that only make sense together.
  if (get("补正告知日期") !== "" && get("补正期限") === "")
    problem("补正期限", "填写补正告知日期的，请同时填写补正期限");
  if (get("补正期限") !== "" && get("补正告知日期") === "")
    problem("补正告知日期", "填写补正期限的，请同时填写补正告知日期");
  if (get("补正收到日期") !== "" && get("补正告知日期") === "")
    problem("补正告知日期", "填写补正收到日期的，请同时填写补正告知日期");
  if (get("延期告知日期") !== "" && extensionDaysText === "")
    problem("延期工作日数", "填写延期告知日期的，请同时填写延期工作日数");
  if (extensionDaysText !== "" && get("延期告知日期") === "")
    problem("延期告知日期", "填写延期工作日数的，请同时填写延期告知日期");
  if (get("征求意见结束日期") !== "" && get("征求意见开始日期") === "")
    problem("征求意见开始日期", "填写征求意见结束日期的，请同时填写征求意见开始日期");
  if (get("缴费日期") !== "" && get("收费通知日期") === "")
    problem("收费通知日期", "填写缴费日期的，请同时填写收费通知日期");
  if (get("办理结果") !== "" && get("办结日期") === "")
    problem("办结日期", "填写办理结果的，请同时填写办结日期");
  if (get("办结日期") !== "" && get("办理结果") === "")
    problem("办理结果", "填写办结日期的，请同时选择办理结果（空白表示尚未办结）");

  let workingDays: number | null = null;
  if (extensionDaysText !== "") {
    workingDays = /^\d+$/.test(extensionDaysText) ? Number(extensionDaysText) : Number.NaN;
    if (!Number.isInteger(workingDays) || workingDays < 1 || workingDays > 20) {
      problem(
        "延期工作日数",
        "延期工作日数应为 1 至 20 的整数（《条例》第三十三条：延长期限最长不得超过20个工作日）",
      );
      workingDays = null;
    }
  }

  // Dates in order: nothing before receipt, ends not before starts, nothing after 办结.
  const after = (column: ApplicationColumn, value: string | null, earlier: string | null, what: string) => {
    if (value && earlier && value < earlier)
      problem(column, `${column}（${value}）不能早于${what}（${earlier}）`);
  };
  for (const column of [
    "补正告知日期",
    "补正收到日期",
    "延期告知日期",
    "征求意见开始日期",
    "征求意见结束日期",
    "收费通知日期",
    "缴费日期",
    "办结日期",
  ] as const) {
    const value = get(column);
    after(column, isIsoDate(value) ? value : null, receiptDate, "收到日期");
  }
  if (correctionDeadline && correctionNotice && correctionDeadline <= correctionNotice)
    problem("补正期限", `补正期限（${correctionDeadline}）应晚于补正告知日期（${correctionNotice}）`);
  after("补正收到日期", correctionReceived, correctionNotice, "补正告知日期");
  after("征求意见结束日期", consultationEnd, consultationStart, "征求意见开始日期");
  after("缴费日期", feePaid, feeNotice, "收费通知日期");
  const steps: [string, string | null][] = [
    ["补正告知日期", correctionNotice],
    ["补正收到日期", correctionReceived],
    ["延期告知日期", extensionDate],
    ["征求意见开始日期", consultationStart],
    ["征求意见结束日期", consultationEnd],
    ["收费通知日期", feeNotice],
    ["缴费日期", feePaid],
  ];
  for (const [what, value] of steps) after("办结日期", closedDate, value, what);

  if (!receiptDate || !type) return null;
  return {
    serialNo,
    receiptDate,
    channel,
    applicant: {
      type,
      name,
      idType: idNumber === "" ? "other" : (idTypeChosen ?? "other"),
      idNumber,
      phone: get("联系电话"),
      address: get("通信地址"),
      email,
    },
    description,
    infoForm,
    delivery,
    correction:
      correctionNotice && correctionDeadline
        ? { noticeDate: correctionNotice, deadline: correctionDeadline, receivedDate: correctionReceived }
        : null,
    extension: extensionDate && workingDays ? { date: extensionDate, workingDays } : null,
    consultation: consultationStart ? { startDate: consultationStart, endDate: consultationEnd } : null,
    fee: feeNotice ? { noticeDate: feeNotice, paidDate: feePaid } : null,
    closing:
      closedDate && outcome
        ? {
            date: closedDate,
            outcome,
            withdrawn: outcome === "other.other" && stateLabel === withdrawnStateLabel,
          }
        : null,
    remarks: get("备注"),
  };
}

function parseReviewCase(
  get: Get<ReviewCaseColumn>,
  problem: Problem,
  today: string,
): LedgerReviewCase | null {
  const caseNo = get("案件编号");
  if (caseNo === "") problem("案件编号", "案件编号不能为空");
  else if (caseNo.length > 100) problem("案件编号", "案件编号不能超过 100 个字");
  const kindText = get("案件类型");
  const kind = reviewCaseKindAliases[kindText];
  if (kindText === "") problem("案件类型", "案件类型不能为空");
  else if (!kind)
    problem("案件类型", `案件类型“${kindText}”无法识别，应为：${listNames(reviewCaseKindLedgerNames)}`);
  const date = (column: ReviewCaseColumn) => {
    const value = get(column);
    if (value === "") return null;
    if (!isIsoDate(value)) {
      problem(column, `${column}“${value}”不是有效日期，应为 YYYY-MM-DD 格式（如 2025-03-03）`);
      return null;
    }
    if (value > today) {
      problem(column, `${column}不能晚于今天（${today}）`);
      return null;
    }
    return value;
  };
  const filedDate = date("立案日期");
  if (get("立案日期") === "") problem("立案日期", "立案日期不能为空");
  const closedDate = date("结案日期");
  const resultText = get("结果");
  const result = resultText === "" ? null : (reviewCaseResultAliases[resultText] ?? null);
  if (resultText !== "" && !result)
    problem(
      "结果",
      `结果“${resultText}”无法识别，应为：${listNames(reviewCaseResultLedgerNames)}，未审结的请留空`,
    );
  if (get("结案日期") !== "" && resultText === "")
    problem("结果", "填写结案日期的，请同时填写结果（维持、纠正或其他）");
  if (resultText !== "" && get("结案日期") === "") problem("结案日期", "填写结果的，请同时填写结案日期");
  if (filedDate && closedDate && closedDate < filedDate)
    problem("结案日期", `结案日期（${closedDate}）不能早于立案日期（${filedDate}）`);
  if (!kind || !filedDate || caseNo === "") return null;
  return { caseNo, requestSerialNo: get("关联申请编号"), kind, filedDate, closedDate, result };
}

/** Maps each expected header to its column index; reports missing headers as row 1 problems. */
function headerIndex<C extends string>(
  sheet: RawSheet,
  columns: readonly C[],
  problems: LedgerProblem[],
): (Record<C, number> & { 当前状态?: number }) | null {
  const index: Record<string, number> = {};
  let missing = false;
  for (const column of columns) {
    const at = sheet.header.indexOf(column);
    if (at < 0) {
      missing = true;
      problems.push({ sheet: sheet.name, row: 1, column, message: `缺少表头“${column}”（第1行应为表头）` });
    } else index[column] = at;
  }
  const state = sheet.header.indexOf("当前状态");
  if (state >= 0) index.当前状态 = state;
  return missing ? null : (index as Record<C, number> & { 当前状态?: number });
}
