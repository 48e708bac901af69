/**
 * Citizen feedback as presented: the applicant's own rating; for staff, a low rating with its 回访 task
 * and a 纳入主动公开 proposal. Whitelists: no applicant's name, phone or account leaves through them.
 */
import type { RatingDto } from "@govinfo/shared/schemas/aftercare";
import type { FollowUpDto, ProposalDto } from "@govinfo/shared/schemas/feedback";
import type { z } from "zod";
import type { PublicationProposalDoc } from "../models/PublicationProposal.ts";
import type { SatisfactionRatingDoc } from "../models/SatisfactionRating.ts";
import { dateInChina } from "../services/calendar.ts";

/** The applicant's own rating as they see it (score, comment, when), or null. */
export function presentRating(rating: SatisfactionRatingDoc | null): z.infer<typeof RatingDto> | null {
  return rating
    ? { score: rating.score, comment: rating.comment, ratedAt: new Date(rating.createdAt).toISOString() }
    : null;
}

/** A low rating with its 回访 task, for staff. */
export function presentFollowUp(rating: SatisfactionRatingDoc, today = dateInChina()): FollowUpDto {
  const followUp = rating.followUp;
  const status = followUp?.status === "done" ? "done" : "open";
  return {
    id: String(rating._id),
    requestId: String(rating.requestId),
    serialNo: rating.serialNo,
    score: rating.score,
    comment: rating.comment,
    ratedOn: rating.ratedOn,
    dueDate: followUp?.dueDate ?? "",
    status,
    overdue: status === "open" && (followUp?.dueDate ?? "") < today,
    result: followUp?.result ?? "",
    doneOn: followUp?.doneOn ?? null,
  };
}

/**
 * A proposal, with the title of its published item when `titles` has it.
 * @param titles catalogue item titles by id.
 */
export function presentProposal(doc: PublicationProposalDoc, titles: Map<string, string>): ProposalDto {
  return {
    id: String(doc._id),
    agencyId: String(doc.agencyId),
    title: doc.title,
    status: doc.status === "published" ? "published" : "proposed",
    requestIds: doc.requestIds.map(String),
    itemId: doc.itemId ? String(doc.itemId) : null,
    itemTitle: doc.itemId ? (titles.get(String(doc.itemId)) ?? "") : "",
    proposedOn: doc.proposedOn,
    publishedOn: doc.publishedOn ?? null,
  };
}
