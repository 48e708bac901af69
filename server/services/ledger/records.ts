/**
 * Conversions between stored documents and ledger records: a request (with its event ledger and
 * sealed personal fields) to a ledger application and back, and the same for review cases.
 */
import type { Channel } from "@govinfo/shared/lifecycle/channels";
import type { ReviewCaseKind, ReviewCaseResult } from "@govinfo/shared/schemas/reviewCase";
import type { ApplicantType, OutcomeKey } from "@govinfo/shared/stats/keys";
import type { Types } from "mongoose";
import type { DisclosureRequestDoc, StoredEvent } from "../../models/DisclosureRequest.ts";
import type { ReviewCaseDoc } from "../../models/ReviewCase.ts";
import type { PersonalDataCipher } from "../../security/personalData.ts";
import { sealApplicant } from "../requestCreator.ts";
import type { LedgerEvent } from "./events.ts";
import type { DeliveryMethod, IdType, InfoForm, LedgerApplication, LedgerReviewCase } from "./types.ts";

/** The part of a stored request the ledger reads. */
export type LedgerSourceRequest = Pick<
  DisclosureRequestDoc,
  | "serialNo"
  | "channel"
  | "state"
  | "outcome"
  | "receiptDate"
  | "closedDate"
  | "applicant"
  | "description"
  | "infoForm"
  | "delivery"
  | "events"
  | "remarks"
>;

/**
 * The ledger view of a stored request. Where the platform recorded more than a ledger row holds
 * (several consultations), the first start and the last end are kept.
 * @param cipher opens the sealed ID number, phone and address.
 */
export function requestToLedger(doc: LedgerSourceRequest, cipher: PersonalDataCipher): LedgerApplication {
  const events = doc.events as StoredEvent[];
  const first = (type: string) => events.find((e) => e.type === type);
  const last = (type: string) => events.findLast((e) => e.type === type);
  const correction = first("requestCorrection");
  const received = correction
    ? events.find((e, i) => i > events.indexOf(correction) && e.type === "receiveCorrection")
    : undefined;
  const extension = first("extend");
  const consultation = first("startConsultation");
  const lastStart = last("startConsultation");
  const lastEnd = lastStart
    ? events.find((e, i) => i > events.indexOf(lastStart) && e.type === "endConsultation")
    : undefined;
  const fee = first("feeNotice");
  const paid = fee ? events.find((e, i) => i > events.indexOf(fee) && e.type === "feePaid") : undefined;
  const applicant = doc.applicant;
  const idNumber = cipher.decrypt(applicant.idNumberSealed ?? "");
  return {
    serialNo: doc.serialNo,
    receiptDate: doc.receiptDate ?? "",
    channel: doc.channel as Channel,
    applicant: {
      type: applicant.type as ApplicantType,
      name: applicant.name,
      idType: idNumber === "" ? "other" : ((applicant.idType ?? "other") as IdType),
      idNumber,
      phone: cipher.decrypt(applicant.phoneSealed ?? ""),
      address: cipher.decrypt(applicant.addressSealed ?? ""),
      email: applicant.email ?? "",
    },
    description: doc.description,
    infoForm: (doc.infoForm ?? "electronic") as InfoForm,
    delivery: (doc.delivery ?? "online") as DeliveryMethod,
    correction: correction
      ? {
          noticeDate: correction.date,
          deadline: String(correction.payload.deadline ?? ""),
          receivedDate: received?.date ?? null,
        }
      : null,
    extension: extension
      ? { date: extension.date, workingDays: Number(extension.payload.workingDays) }
      : null,
    consultation: consultation ? { startDate: consultation.date, endDate: lastEnd?.date ?? null } : null,
    fee: fee ? { noticeDate: fee.date, paidDate: paid?.date ?? null } : null,
    closing:
      doc.outcome && doc.closedDate
        ? { date: doc.closedDate, outcome: doc.outcome as OutcomeKey, withdrawn: doc.state === "withdrawn" }
        : null,
    remarks: doc.remarks ?? "",
  };
}

/**
 * The fields of a new request document built from a ledger row and its replayed events: what the
 * creator and the transitioner would have stored had the agency used the platform all along.
 */
export function ledgerToRequestFields(args: {
  app: LedgerApplication;
  events: LedgerEvent[];
  cipher: PersonalDataCipher;
  recordedAt: Date;
}) {
  const { app, cipher } = args;
  const stored: StoredEvent[] = args.events.map((event) => ({
    type: event.type,
    date: event.date,
    at: args.recordedAt,
    actorKind: "system",
    actorId: null,
    actorName: "台账导入",
    payload: event.payload,
  }));
  return {
    serialNo: app.serialNo,
    channel: app.channel,
    applicant: sealApplicant({ ...app.applicant, contactPerson: "" }, cipher),
    description: app.description,
    documentNumber: "",
    infoForm: app.infoForm,
    delivery: app.delivery,
    events: stored,
    remarks: app.remarks,
    source: "ledger" as const,
    applicantAccountId: null,
  };
}

/** The ledger view of a stored review case. */
export function reviewCaseToLedger(
  doc: Pick<ReviewCaseDoc, "caseNo" | "requestSerialNo" | "kind" | "filedDate" | "closedDate" | "result">,
): LedgerReviewCase {
  return {
    caseNo: doc.caseNo,
    requestSerialNo: doc.requestSerialNo ?? "",
    kind: doc.kind as ReviewCaseKind,
    filedDate: doc.filedDate,
    closedDate: doc.closedDate ?? null,
    result: (doc.result ?? null) as ReviewCaseResult | null,
  };
}

/** Fields of a new review case document from a ledger row. */
export function ledgerToReviewCaseFields(item: LedgerReviewCase, requestId: Types.ObjectId | null) {
  return {
    caseNo: item.caseNo,
    kind: item.kind,
    requestId,
    requestSerialNo: item.requestSerialNo,
    filedDate: item.filedDate,
    closedDate: item.closedDate,
    result: item.result,
    source: "ledger" as const,
  };
}
