/**
 * Whitelisting presenters of catalogue items: public summary, public detail and the staff view.
 */
import {
  type CategoryKey,
  categoryOf,
  type DocKind,
  type Validity,
  validityLabels,
} from "@govinfo/shared/catalogue/categories";
import type { InfoItemDTO, InfoItemStaffDTO, InfoItemSummaryDTO } from "@govinfo/shared/schemas/catalogue";
import { isHttpUrl } from "@govinfo/shared/schemas/common";
import type { InfoItemDoc } from "../../models/InfoItem.ts";

/** Fields a list reads (lean projection). */
export const summaryProjection = {
  agencyId: 1,
  indexNo: 1,
  title: 1,
  docNumber: 1,
  category: 1,
  docKind: 1,
  topics: 1,
  summary: 1,
  excerpt: 1,
  formedDate: 1,
  publishedDate: 1,
  validity: 1,
} as const;

/** The lean shape a list reads. */
export type SummarySource = Pick<
  InfoItemDoc,
  | "_id"
  | "agencyId"
  | "indexNo"
  | "title"
  | "docNumber"
  | "category"
  | "docKind"
  | "topics"
  | "summary"
  | "excerpt"
  | "formedDate"
  | "publishedDate"
  | "validity"
>;

/** A list entry; the summary falls back to the start of the body. */
export function presentSummary(doc: SummarySource): InfoItemSummaryDTO {
  const category = doc.category as CategoryKey;
  const validity = (doc.validity ?? "inForce") as Validity;
  return {
    id: String(doc._id),
    agencyId: String(doc.agencyId),
    indexNo: doc.indexNo,
    title: doc.title,
    docNumber: doc.docNumber ?? "",
    category,
    categoryLabel: categoryOf(category)?.label ?? category,
    docKind: (doc.docKind ?? "other") as DocKind,
    topics: [...(doc.topics ?? [])],
    summary: doc.summary || doc.excerpt || "",
    formedDate: doc.formedDate,
    publishedDate: doc.publishedDate ?? null,
    validity,
    validityLabel: validityLabels[validity],
  };
}

/** The public detail. */
export function presentItem(doc: InfoItemDoc): InfoItemDTO {
  return {
    ...presentSummary(doc),
    body: doc.body ?? "",
    // A link stored before links were limited to http(s) is not handed to a page that would follow it.
    link: doc.link && isHttpUrl(doc.link) ? doc.link : "",
    repealedDate: doc.repealedDate ?? null,
    attachments: (doc.attachments ?? []).map((a) => ({
      id: String(a._id),
      name: a.name,
      contentType: a.contentType,
      size: a.size,
    })),
    updatedAt: doc.updatedAt.toISOString(),
  };
}

/** The staff view, with workflow status and Art. 26 compliance. */
export function presentStaffItem(doc: InfoItemDoc): InfoItemStaffDTO {
  return {
    ...presentItem(doc),
    status: doc.status as InfoItemStaffDTO["status"],
    lateByWorkingDays: doc.lateByWorkingDays ?? null,
    withdrawnReason: doc.withdrawnReason ?? "",
  };
}
