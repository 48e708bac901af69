/**
 * Imports a ledger (台账) into one agency: all rows or none. Every row of both sheets is checked
 * first — cells, date order, the events replayed through the shared machine, conflicts with records
 * already stored — and every problem is reported with its row and column. Only a clean file is
 * written, in one transaction. Rows whose 申请编号 (or 案件编号) already exists with identical content
 * are skipped, so importing the same file twice changes nothing.
 */

import { computeClock } from "@govinfo/shared/calendar/clock";
import type { LedgerImportResultDto } from "@govinfo/shared/schemas/ledger";
import type { RequestEvent } from "@govinfo/shared/schemas/requestEvent";
import type { Context } from "koa";
import mongoose, { type ClientSession, Types } from "mongoose";
import { AppError, BadRequest, Conflict, NotFound } from "../../errors.ts";
import { Agency, type AgencyDoc } from "../../models/Agency.ts";
import { Counter } from "../../models/Counter.ts";
import { DisclosureRequest, type DisclosureRequestDoc } from "../../models/DisclosureRequest.ts";
import { ReviewCase, type ReviewCaseDoc } from "../../models/ReviewCase.ts";
import type { PersonalDataCipher } from "../../security/personalData.ts";
import { audit } from "../audit.ts";
import { calendarOverrides, dateInChina } from "../calendar.ts";
import {
  APPLICATION_SHEET,
  type ApplicationColumn,
  applicationColumns,
  REVIEW_CASE_SHEET,
  reviewCaseColumns,
} from "./columns.ts";
import { type ReplayResult, replayLedgerEvents } from "./events.ts";
import { applicationCells, differingColumns, reviewCaseCells } from "./format.ts";
import { type Parsed, parseApplicationSheet, parseReviewCaseSheet } from "./parse.ts";
import {
  ledgerToRequestFields,
  ledgerToReviewCaseFields,
  requestToLedger,
  reviewCaseToLedger,
} from "./records.ts";
import type { LedgerApplication, LedgerFormat, LedgerProblem, LedgerReviewCase } from "./types.ts";
import { LedgerFileError, readLedgerFile } from "./workbook.ts";

/** What an import did. */
export type LedgerImportResult = LedgerImportResultDto;

/** The file has problems; nothing was written. `details.rows` lists every one of them. */
export function LedgerImportFailed(problems: LedgerProblem[]): AppError {
  return new AppError("validation_error", {
    message: `台账中有 ${problems.length} 处错误，未导入任何记录；请按行号和列名修改后重新导入`,
    details: { rows: problems },
  });
}

/**
 * Imports a ledger file into an agency.
 * @param ctx the Koa context of the staff member importing (audit), or null from the command line.
 * @param today the date after which no ledger date may fall; today in Asia/Shanghai by default.
 */
export async function importLedger(args: {
  agencyId: Types.ObjectId | string;
  bytes: Buffer;
  format: LedgerFormat;
  cipher: PersonalDataCipher;
  ctx?: Context | null;
  filename?: string;
  via?: "api" | "cli";
  today?: string;
}): Promise<LedgerImportResult> {
  const today = args.today ?? dateInChina();
  const agency = await Agency.findById(args.agencyId).lean<AgencyDoc>();
  if (!agency) throw NotFound("agency", "机关不存在");
  let raw: Awaited<ReturnType<typeof readLedgerFile>>;
  try {
    raw = await readLedgerFile(args.bytes, args.format);
  } catch (error) {
    if (error instanceof LedgerFileError) throw BadRequest(error.message);
    throw error;
  }

  const problems: LedgerProblem[] = [];
  const applications = parseApplicationSheet(raw.applications, today);
  problems.push(...applications.problems);
  const cases = raw.reviewCases ? parseReviewCaseSheet(raw.reviewCases, today) : { rows: [], problems: [] };
  problems.push(...cases.problems);

  const planned = await planApplications(agency._id, applications.rows, args.cipher, problems);
  const serialsInFile = new Set(
    raw.applications.rows
      .map((r) => r.cells[raw.applications.header.indexOf("申请编号")] ?? "")
      .filter(Boolean),
  );
  const plannedCases = await planReviewCases(agency._id, cases.rows, serialsInFile, problems);
  if (problems.length > 0) throw LedgerImportFailed(sortProblems(problems));

  const result: LedgerImportResult = {
    imported: planned.create.length,
    skipped: planned.skipped,
    reviewCases: { imported: plannedCases.create.length, skipped: plannedCases.skipped },
  };
  if (planned.create.length === 0 && plannedCases.create.length === 0) return result;
  const overrides = await calendarOverrides();
  try {
    await mongoose.connection.transaction(async (session) => {
      const recordedAt = new Date();
      const docs = planned.create.map(({ id, app, replayed }) => {
        const { events } = replayed;
        const clock = computeClock(
          events.map((e) => ({ ...e.payload, type: e.type, date: e.date }) as RequestEvent),
          { today, channel: app.channel, overrides },
        );
        return {
          _id: id,
          agencyId: agency._id,
          year: Number(app.receiptDate.slice(0, 4)),
          ...ledgerToRequestFields({ app, events, cipher: args.cipher, recordedAt }),
          state: replayed.state,
          version: events.length - 1,
          outcome: replayed.outcome,
          receiptDate: clock.receiptDate,
          closedDate: replayed.closedDate,
          dueDate: clock.dueDate,
        };
      });
      const seqs = await allocateSerials(agency, docs, session);
      await DisclosureRequest.insertMany(
        docs.map((doc, i) => ({ ...doc, seq: seqs[i] })),
        { session },
      );
      const serialIds = new Map(docs.map((d) => [d.serialNo, d._id]));
      await ReviewCase.insertMany(
        plannedCases.create.map((item) => ({
          agencyId: agency._id,
          ...ledgerToReviewCaseFields(
            item,
            item.requestSerialNo === ""
              ? null
              : (serialIds.get(item.requestSerialNo) ?? plannedCases.links.get(item.requestSerialNo) ?? null),
          ),
        })),
        { session },
      );
      await audit(
        args.ctx ?? null,
        {
          action: "ledger.import",
          targetType: "agency",
          targetId: agency._id,
          agencyId: agency._id,
          details: {
            via: args.via ?? "api",
            filename: args.filename ?? "",
            format: args.format,
            imported: result.imported,
            skipped: result.skipped,
            reviewCases: result.reviewCases,
            serialNos: docs.map((d) => d.serialNo),
          },
        },
        session,
      );
    });
  } catch (error) {
    // Someone stored one of these numbers between the check and the write.
    if (error instanceof mongoose.mongo.MongoServerError && error.code === 11000) {
      throw Conflict(
        "ledger.concurrent_change",
        "导入期间有相同编号的记录被写入，未导入任何记录，请重新导入",
      );
    }
    throw error;
  }
  return result;
}

interface PlannedApplication {
  id: Types.ObjectId;
  app: LedgerApplication;
  replayed: Extract<ReplayResult, { ok: true }>;
}

/** Replays every row, finds duplicates and conflicts with stored records; returns what to create. */
async function planApplications(
  agencyId: Types.ObjectId,
  rows: Parsed<LedgerApplication>[],
  cipher: PersonalDataCipher,
  problems: LedgerProblem[],
): Promise<{ create: PlannedApplication[]; skipped: number }> {
  const problem = (row: number, column: string, message: string) =>
    problems.push({ sheet: APPLICATION_SHEET, row, column, message });
  const firstRowOf = new Map<string, number>();
  const unique: Parsed<LedgerApplication>[] = [];
  for (const row of rows) {
    const earlier = firstRowOf.get(row.value.serialNo);
    if (earlier !== undefined) {
      problem(row.rowNumber, "申请编号", `申请编号与第 ${earlier} 行重复`);
      continue;
    }
    firstRowOf.set(row.value.serialNo, row.rowNumber);
    unique.push(row);
  }
  const stored = await DisclosureRequest.find({
    agencyId,
    serialNo: { $in: unique.map((r) => r.value.serialNo) },
  }).lean<DisclosureRequestDoc[]>();
  const storedBySerial = new Map(stored.map((doc) => [doc.serialNo, doc]));

  const create: PlannedApplication[] = [];
  let skipped = 0;
  for (const { rowNumber, value } of unique) {
    const replay = replayLedgerEvents(value);
    if (!replay.ok) {
      for (const p of replay.problems) problem(rowNumber, p.column, p.message);
      continue;
    }
    const existing = storedBySerial.get(value.serialNo);
    if (!existing) {
      create.push({ id: new Types.ObjectId(), app: value, replayed: replay });
      continue;
    }
    const differing = differingColumns(
      applicationCells(value),
      applicationCells(requestToLedger(existing, cipher)),
    );
    if (differing.length === 0) skipped++;
    else {
      problem(
        rowNumber,
        "申请编号",
        `本机关已有申请编号为“${value.serialNo}”的记录，但以下各列与已有记录不一致：${differing.join("、")}`,
      );
    }
  }
  return { create, skipped };
}

/** Checks review case rows against each other, the file's applications and stored cases. */
async function planReviewCases(
  agencyId: Types.ObjectId,
  rows: Parsed<LedgerReviewCase>[],
  serialsInFile: Set<string>,
  problems: LedgerProblem[],
): Promise<{ create: LedgerReviewCase[]; skipped: number; links: Map<string, Types.ObjectId> }> {
  const problem = (row: number, column: string, message: string) =>
    problems.push({ sheet: REVIEW_CASE_SHEET, row, column, message });
  const linked = [...new Set(rows.map((r) => r.value.requestSerialNo).filter(Boolean))];
  const storedRequests = await DisclosureRequest.find(
    { agencyId, serialNo: { $in: linked } },
    { _id: 1, serialNo: 1 },
  ).lean<{ _id: Types.ObjectId; serialNo: string }[]>();
  const links = new Map(storedRequests.map((r) => [r.serialNo, r._id]));
  const storedCases = await ReviewCase.find({
    agencyId,
    caseNo: { $in: rows.map((r) => r.value.caseNo) },
  }).lean<ReviewCaseDoc[]>();
  const casesByNo = new Map(storedCases.map((c) => [c.caseNo, c]));

  const firstRowOf = new Map<string, number>();
  const create: LedgerReviewCase[] = [];
  let skipped = 0;
  for (const { rowNumber, value } of rows) {
    const earlier = firstRowOf.get(value.caseNo);
    if (earlier !== undefined) {
      problem(rowNumber, "案件编号", `案件编号与第 ${earlier} 行重复`);
      continue;
    }
    firstRowOf.set(value.caseNo, rowNumber);
    if (
      value.requestSerialNo &&
      !serialsInFile.has(value.requestSerialNo) &&
      !links.has(value.requestSerialNo)
    ) {
      problem(
        rowNumber,
        "关联申请编号",
        `本机关没有申请编号为“${value.requestSerialNo}”的申请，本文件“申请”表中也没有`,
      );
      continue;
    }
    const existing = casesByNo.get(value.caseNo);
    if (!existing) {
      create.push(value);
      continue;
    }
    const differing = differingColumns(reviewCaseCells(value), reviewCaseCells(reviewCaseToLedger(existing)));
    if (differing.length === 0) skipped++;
    else {
      problem(
        rowNumber,
        "案件编号",
        `本机关已有案件编号为“${value.caseNo}”的案件，但以下各列与已有记录不一致：${differing.join("、")}`,
      );
    }
  }
  return { create, skipped, links };
}

/**
 * Takes serial numbers for imported records from the agency's per-year counters, in the same
 * transaction. Records keep their ledger 申请编号; the counter is first raised past any ledger number
 * in the platform's own format, so numbers the platform prints later never collide with them.
 */
async function allocateSerials(
  agency: AgencyDoc,
  docs: { year: number; serialNo: string }[],
  session: ClientSession,
): Promise<number[]> {
  const prefix = (agency.serialPrefix || agency.code).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const ownFormat = new RegExp(`^${prefix}依申〔(\\d{4})〕(\\d+)号$`);
  const highest = new Map<number, number>();
  for (const doc of docs) {
    const match = ownFormat.exec(doc.serialNo);
    if (!match) continue;
    const year = Number(match[1]);
    highest.set(year, Math.max(highest.get(year) ?? 0, Number(match[2])));
  }
  for (const [year, value] of highest) {
    await Counter.updateOne(
      { _id: counterId(agency._id, year) },
      { $max: { value } },
      { upsert: true, session },
    );
  }
  const perYear = new Map<number, number>();
  for (const doc of docs) perYear.set(doc.year, (perYear.get(doc.year) ?? 0) + 1);
  const next = new Map<number, number>();
  for (const [year, count] of perYear) {
    const counter = await Counter.findOneAndUpdate(
      { _id: counterId(agency._id, year) },
      { $inc: { value: count } },
      { upsert: true, returnDocument: "after", session },
    ).lean<{ value: number }>();
    next.set(year, (counter?.value ?? count) - count + 1);
  }
  return docs.map((doc) => {
    const seq = next.get(doc.year) ?? 1;
    next.set(doc.year, seq + 1);
    return seq;
  });
}

// Must match `nextSerial` in requestCreator.ts.
function counterId(agencyId: Types.ObjectId, year: number): string {
  return `request:${String(agencyId)}:${year}`;
}

function sortProblems(problems: LedgerProblem[]): LedgerProblem[] {
  const sheetRank = (sheet: string) => (sheet === APPLICATION_SHEET ? 0 : 1);
  const columnRank = (column: string) => {
    const a = applicationColumns.indexOf(column as ApplicationColumn);
    return a >= 0 ? a : reviewCaseColumns.indexOf(column as (typeof reviewCaseColumns)[number]);
  };
  return [...problems].sort(
    (x, y) =>
      sheetRank(x.sheet) - sheetRank(y.sheet) || x.row - y.row || columnRank(x.column) - columnRank(y.column),
  );
}
