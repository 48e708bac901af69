/**
 * The ledger's parsed records: what one row of sheet 1 or sheet 2 means, independent of the file
 * format. Import parses rows into these, export builds them from stored records, and both render
 * them with the same formatter, which is what makes the round trip exact.
 */
import type { Channel } from "@govinfo/shared/lifecycle/channels";
import type { deliveryMethods, idTypes, infoForms } from "@govinfo/shared/schemas/request";
import type { ReviewCaseKind, ReviewCaseResult } from "@govinfo/shared/schemas/reviewCase";
import type { ApplicantType, OutcomeKey } from "@govinfo/shared/stats/keys";

/** An identity document type. */
export type IdType = (typeof idTypes)[number];
/** 信息形式. */
export type InfoForm = (typeof infoForms)[number];
/** 获取方式. */
export type DeliveryMethod = (typeof deliveryMethods)[number];

/** One application as the ledger describes it. */
export interface LedgerApplication {
  serialNo: string;
  receiptDate: string;
  channel: Channel;
  applicant: {
    type: ApplicantType;
    name: string;
    /** `other` with an empty number when the ledger has no identity document. */
    idType: IdType;
    idNumber: string;
    phone: string;
    address: string;
    email: string;
  };
  description: string;
  infoForm: InfoForm;
  delivery: DeliveryMethod;
  correction: { noticeDate: string; deadline: string; receivedDate: string | null } | null;
  extension: { date: string; workingDays: number } | null;
  consultation: { startDate: string; endDate: string | null } | null;
  fee: { noticeDate: string; paidDate: string | null } | null;
  /** 办结: the outcome and its date; `withdrawn` tells 撤回 from 终止处理 for 其他处理-其他. */
  closing: { date: string; outcome: OutcomeKey; withdrawn: boolean } | null;
  remarks: string;
}

/** One review case as the ledger describes it. */
export interface LedgerReviewCase {
  caseNo: string;
  requestSerialNo: string;
  kind: ReviewCaseKind;
  filedDate: string;
  closedDate: string | null;
  result: ReviewCaseResult | null;
}

/** One problem found in a ledger file: sheet, spreadsheet row number (header = 1), column, message. */
export interface LedgerProblem {
  sheet: string;
  row: number;
  column: string;
  message: string;
}

/** A sheet read from a file: the header row and the data rows as trimmed strings. */
export interface RawSheet {
  name: string;
  header: string[];
  rows: { rowNumber: number; cells: string[] }[];
}

/** A ledger file format. */
export type LedgerFormat = "xlsx" | "csv";
