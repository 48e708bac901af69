/** 行政复议 and 行政诉讼 cases as staff see them. */
import type { ReviewCaseDTO, ReviewCaseKind, ReviewCaseResult } from "@govinfo/shared/schemas/reviewCase";
import type { ReviewCaseDoc } from "../models/ReviewCase.ts";

/** Maps a stored case to its DTO (a whitelist). */
export function presentReviewCase(doc: ReviewCaseDoc): ReviewCaseDTO {
  return {
    id: String(doc._id),
    agencyId: String(doc.agencyId),
    caseNo: doc.caseNo,
    kind: doc.kind as ReviewCaseKind,
    requestId: doc.requestId ? String(doc.requestId) : null,
    requestSerialNo: doc.requestSerialNo,
    filedDate: doc.filedDate,
    closedDate: doc.closedDate ?? null,
    result: (doc.result ?? null) as ReviewCaseResult | null,
    notes: doc.notes,
    source: doc.source as "platform" | "ledger",
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
  };
}
