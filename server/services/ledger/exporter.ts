/**
 * Exports an agency's ledger (台账): one row per received application (optionally only those received
 * in one year), in the import format plus 答复期限, 是否超期 and 当前状态 from the clock and the
 * state; XLSX adds the 复议诉讼 sheet. Applications submitted online but never confirmed were never
 * received in law and are left out. ID numbers, phones, addresses and e-mails are masked unless the
 * caller asks for the full export (the API allows it to administrators with a reason); either way
 * the export is audited, the full one with its reason.
 */
import { computeClock } from "@govinfo/shared/calendar/clock";
import { maskAddress, maskEmail, maskIdNumber, maskPhone } from "@govinfo/shared/identity";
import type { Channel } from "@govinfo/shared/lifecycle/channels";
import { type State, stateLabels } from "@govinfo/shared/lifecycle/machine";
import type { RequestEvent } from "@govinfo/shared/schemas/requestEvent";
import type { Context } from "koa";
import type { Types } from "mongoose";
import { NotFound } from "../../errors.ts";
import { Agency, type AgencyDoc } from "../../models/Agency.ts";
import {
  DisclosureRequest,
  type DisclosureRequestDoc,
  type StoredEvent,
} from "../../models/DisclosureRequest.ts";
import { ReviewCase, type ReviewCaseDoc } from "../../models/ReviewCase.ts";
import type { PersonalDataCipher } from "../../security/personalData.ts";
import { audit } from "../audit.ts";
import { calendarOverrides, dateInChina } from "../calendar.ts";
import {
  APPLICATION_SHEET,
  applicationColumns,
  exportColumns,
  REVIEW_CASE_SHEET,
  reviewCaseColumns,
} from "./columns.ts";
import { applicationCells, reviewCaseCells } from "./format.ts";
import { requestToLedger, reviewCaseToLedger } from "./records.ts";
import type { LedgerApplication, LedgerFormat } from "./types.ts";
import { writeCsv, writeXlsx } from "./workbook.ts";

/** A finished export: the file and how to name and type it. */
export interface LedgerExport {
  bytes: Buffer;
  filename: string;
  contentType: string;
  rows: number;
}

/** MIME types of the ledger formats. */
export const ledgerContentTypes: Readonly<Record<LedgerFormat, string>> = {
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  csv: "text/csv; charset=utf-8",
};

/**
 * Exports an agency's ledger.
 * @param year only applications received (and cases filed) in this year; all when omitted.
 * @param ctx the staff member's Koa context (audit), or null from the command line.
 */
export async function exportLedger(args: {
  agencyId: Types.ObjectId | string;
  year?: number;
  format: LedgerFormat;
  cipher: PersonalDataCipher;
  ctx?: Context | null;
  via?: "api" | "cli";
  today?: string;
  /** Mask personal data (the API's default); the command line, run by the operator, exports in full. */
  masked?: boolean;
  /** Why personal data is exported in clear (recorded in the audit log). */
  reason?: string;
}): Promise<LedgerExport> {
  const masked = args.masked ?? false;
  const today = args.today ?? dateInChina();
  const agency = await Agency.findById(args.agencyId).lean<AgencyDoc>();
  if (!agency) throw NotFound("agency", "机关不存在");
  const range = args.year ? { $gte: `${args.year}-01-01`, $lte: `${args.year}-12-31` } : { $ne: null };
  const requests = await DisclosureRequest.find({ agencyId: agency._id, receiptDate: range })
    .sort({ receiptDate: 1, year: 1, seq: 1 })
    .lean<DisclosureRequestDoc[]>();
  const overrides = await calendarOverrides();
  const rows = requests.map((doc) => {
    const record = requestToLedger(doc, args.cipher);
    const cells = applicationCells(masked ? maskApplicant(record) : record);
    return [...applicationColumns.map((c) => cells[c]), ...derivedCells(doc, today, overrides)];
  });
  const sheet1 = [[...exportColumns], ...rows];
  const scope = args.year ? String(args.year) : "全部";
  const base = `政府信息公开申请台账-${agency.name}-${scope}`;

  let bytes: Buffer;
  if (args.format === "csv") bytes = writeCsv(sheet1);
  else {
    const cases = await ReviewCase.find({ agencyId: agency._id, ...(args.year ? { filedDate: range } : {}) })
      .sort({ filedDate: 1, caseNo: 1 })
      .lean<ReviewCaseDoc[]>();
    const sheet2 = [
      [...reviewCaseColumns],
      ...cases.map((item) => {
        const cells = reviewCaseCells(reviewCaseToLedger(item));
        return reviewCaseColumns.map((c) => cells[c]);
      }),
    ];
    bytes = await writeXlsx([
      { name: APPLICATION_SHEET, rows: sheet1 },
      { name: REVIEW_CASE_SHEET, rows: sheet2 },
    ]);
  }
  await audit(args.ctx ?? null, {
    action: "ledger.export",
    targetType: "agency",
    targetId: agency._id,
    agencyId: agency._id,
    details: {
      via: args.via ?? "api",
      format: args.format,
      year: args.year ?? null,
      rows: rows.length,
      full: !masked,
      ...(args.reason ? { reason: args.reason } : {}),
    },
  });
  return {
    bytes,
    filename: `${base}.${args.format}`,
    contentType: ledgerContentTypes[args.format],
    rows: rows.length,
  };
}

/** The ledger record with the applicant's ID number, phone, address and e-mail masked. */
function maskApplicant(record: LedgerApplication): LedgerApplication {
  const applicant = record.applicant;
  return {
    ...record,
    applicant: {
      ...applicant,
      idNumber: maskIdNumber(applicant.idNumber),
      phone: maskPhone(applicant.phone),
      address: maskAddress(applicant.address),
      email: maskEmail(applicant.email),
    },
  };
}

/** 答复期限, 是否超期 and 当前状态 of a stored request, as of `today`. */
function derivedCells(
  doc: DisclosureRequestDoc,
  today: string,
  overrides: Awaited<ReturnType<typeof calendarOverrides>>,
): string[] {
  const clock = computeClock(
    (doc.events as StoredEvent[]).map((e) => ({ ...e.payload, type: e.type, date: e.date }) as RequestEvent),
    { today, channel: doc.channel as Channel, overrides },
  );
  return [
    clock.dueDate ?? "",
    clock.dueDate ? (clock.overdue ? "是" : "否") : "",
    stateLabels[doc.state as State],
  ];
}
