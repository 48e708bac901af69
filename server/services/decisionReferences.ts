/**
 * What a decision refers to outside the application, checked and copied into its stored payload so
 * the reply letter stays a pure function of the stored events (a later rename of the agency or the
 * catalogue item does not rewrite a letter already issued):
 * - 36(一) 已主动公开: the catalogue item must be published; its 索引号, 名称 and 发布日期 are kept;
 * - 36(五) 非本机关负责公开: an agency picked from the tree must exist and not be this one; its name and
 *   the contact of its letterhead are kept;
 * - 不予公开·保护第三方合法权益: the third party must have been consulted in writing and have objected
 *   or not answered within its 15 working days (Arts. 15, 32) — the letter states which.
 */
import type { RequestEvent } from "@govinfo/shared/schemas/requestEvent";
import type { ClientSession, Types } from "mongoose";
import { ValidationFailed } from "../errors.ts";
import { Agency, type AgencyDoc } from "../models/Agency.ts";
import { DisclosureRequest, type DisclosureRequestDoc } from "../models/DisclosureRequest.ts";
import { InfoItem, type InfoItemDoc } from "../models/InfoItem.ts";

/** Payload fields added to a stored `decide` event. */
export interface ResolvedReferences {
  catalogueItem?: { indexNo: string; title: string; docNumber: string; publishedDate: string };
  responsibleAgency?: { name: string; contact: string };
  consultationResult?: "objected" | "noReply";
  /** 合并答复: the other applications the same letter answers. */
  mergedRequests?: { serialNo: string; receiptDate: string }[];
}

/**
 * Checks and resolves the references of an event (only `decide` and its draft have any).
 * @returns the fields to add to the stored payload.
 */
export async function resolveDecisionReferences(
  event: RequestEvent,
  request: Pick<DisclosureRequestDoc, "_id" | "agencyId" | "events" | "applicantAccountId" | "applicant">,
  session: ClientSession,
): Promise<ResolvedReferences> {
  // A 拟办 is checked like the reply it drafts, so a draft that could not be issued is refused early.
  if (event.type !== "decide" && event.type !== "draftDecision") return {};
  const resolved: ResolvedReferences = {};
  if (event.catalogueItemId) {
    const item = await InfoItem.findById(event.catalogueItemId, {
      indexNo: 1,
      title: 1,
      docNumber: 1,
      publishedDate: 1,
      status: 1,
    })
      .session(session)
      .lean<Pick<InfoItemDoc, "indexNo" | "title" | "docNumber" | "publishedDate" | "status">>();
    if (!item?.publishedDate || item.status !== "published") {
      throw refuse(
        "catalogueItemId",
        "所关联的政府信息公开目录条目不存在或者尚未发布，不能据此告知已主动公开",
      );
    }
    resolved.catalogueItem = {
      indexNo: item.indexNo,
      title: item.title,
      docNumber: item.docNumber ?? "",
      publishedDate: item.publishedDate,
    };
  }
  if (event.responsibleAgencyId) {
    if (String(request.agencyId) === event.responsibleAgencyId) {
      throw refuse("responsibleAgency", "负责公开的行政机关不能是本机关");
    }
    const agency = await Agency.findById(event.responsibleAgencyId, { name: 1, letterhead: 1 })
      .session(session)
      .lean<Pick<AgencyDoc, "name" | "letterhead"> & { _id: Types.ObjectId }>();
    if (!agency) throw refuse("responsibleAgency", "所选择的负责公开的行政机关不存在");
    resolved.responsibleAgency = { name: agency.name, contact: contactOf(agency.letterhead) };
  }
  if (event.outcome === "withheld.thirdParty") resolved.consultationResult = thirdPartyResult(request.events);
  if (event.mergedWith && event.mergedWith.length > 0) {
    resolved.mergedRequests = await mergedRequestsOf(event.mergedWith, request, session);
  }
  return resolved;
}

/**
 * 合并答复: the other applications one letter answers must be the same applicant's, to this agency
 * (the same platform account, or the same name and ID number).
 */
async function mergedRequestsOf(
  ids: readonly string[],
  request: Pick<DisclosureRequestDoc, "_id" | "agencyId" | "applicantAccountId" | "applicant">,
  session: ClientSession,
): Promise<{ serialNo: string; receiptDate: string }[]> {
  const unique = [...new Set(ids)].filter((id) => id !== String(request._id));
  const sameApplicant = [
    ...(request.applicantAccountId ? [{ applicantAccountId: request.applicantAccountId }] : []),
    ...(request.applicant.idNumberMasked
      ? [
          {
            "applicant.name": request.applicant.name,
            "applicant.idNumberMasked": request.applicant.idNumberMasked,
          },
        ]
      : []),
  ];
  const found =
    sameApplicant.length === 0
      ? []
      : await DisclosureRequest.find(
          { _id: { $in: unique }, agencyId: request.agencyId, $or: sameApplicant },
          { serialNo: 1, receiptDate: 1 },
        )
          .sort({ year: 1, seq: 1 })
          .session(session)
          .lean<Pick<DisclosureRequestDoc, "serialNo" | "receiptDate">[]>();
  if (found.length !== unique.length || unique.length !== ids.length) {
    throw refuse("mergedWith", "合并答复的申请应当是同一申请人向本机关提出的其他申请");
  }
  return found.map((r) => ({ serialNo: r.serialNo, receiptDate: r.receiptDate ?? "" }));
}

/** The contact printed for an agency: address and phone of its letterhead. */
export function contactOf(letterhead: AgencyDoc["letterhead"] | null | undefined): string {
  const parts = [
    letterhead?.address ? `地址：${letterhead.address}` : "",
    letterhead?.phone ? `电话：${letterhead.phone}` : "",
  ].filter(Boolean);
  return parts.join("；");
}

// The last third-party consultation and how it ended; withholding for the third party needs one.
function thirdPartyResult(events: DisclosureRequestDoc["events"]): "objected" | "noReply" {
  let started = false;
  let result: string | undefined;
  for (const event of events) {
    const payload = (event.payload ?? {}) as { party?: string; result?: string };
    if (event.type === "startConsultation") {
      started = payload.party === "thirdParty";
      result = undefined;
    }
    if (event.type === "endConsultation" && started) result = payload.result;
  }
  if (result === "objected" || result === "noReply") return result;
  if (result === "agreed") {
    throw refuse(
      "outcome",
      "第三方已同意公开，不能以保护第三方合法权益为由不予公开（《条例》第十五条、第三十二条）",
    );
  }
  throw refuse(
    "outcome",
    "以保护第三方合法权益为由不予公开的，应当先书面征求第三方意见，并记录第三方不同意公开或者逾期未提出意见（《条例》第三十二条）",
  );
}

function refuse(path: string, message: string) {
  return ValidationFailed([{ path, message }], message);
}
