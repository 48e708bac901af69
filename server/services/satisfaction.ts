/**
 * 满意度评价: the applicant rates a closed application once (1–5 and a comment). A rating at or below
 * LOW_RATING_MAX opens a 回访 task for the agency's administrator, due FOLLOW_UP_WORKING_DAYS working
 * days later on the one calendar. Ratings and 回访 results feed the agency's dashboard and the
 * supervisor summary; they are never a figure of the annual report.
 */

import { rolesFor } from "@govinfo/shared/access/capabilities";
import { addWorkingDays } from "@govinfo/shared/calendar/workdays";
import { isClosed, type State } from "@govinfo/shared/lifecycle/machine";
import { FOLLOW_UP_WORKING_DAYS, LOW_RATING_MAX, type RatingInput } from "@govinfo/shared/schemas/aftercare";
import type { AgencyFeedbackDto, FollowUpDto } from "@govinfo/shared/schemas/feedback";
import type { Context } from "koa";
import { Types } from "mongoose";
import { isDuplicateKey } from "../db/duplicateKey.ts";
import { Conflict, Forbidden, NotFound } from "../errors.ts";
import { Agency } from "../models/Agency.ts";
import { Deflection } from "../models/Deflection.ts";
import type { DisclosureRequestDoc } from "../models/DisclosureRequest.ts";
import { SatisfactionRating, type SatisfactionRatingDoc } from "../models/SatisfactionRating.ts";
import { type ApplicantActor, hasRole, type StaffActor } from "../policies/actor.ts";
import { presentFollowUp } from "../presenters/feedback.ts";
import { audit } from "./audit.ts";
import { calendarOverrides, dateInChina } from "./calendar.ts";

/** Staff who see an agency's ratings and 回访 results. */
export const feedbackReaders = rolesFor("readFeedback");

/**
 * Stores the applicant's one rating of a closed application (`request` already checked as theirs).
 * An open application or a second rating is refused with 409 and nothing is written.
 */
export async function rateRequest(
  ctx: Context,
  actor: ApplicantActor,
  request: DisclosureRequestDoc,
  input: RatingInput,
  today = dateInChina(),
): Promise<SatisfactionRatingDoc> {
  if (!isClosed(request.state as State)) {
    throw Conflict("rating.not_closed", "该申请尚未办结，办结后才能进行满意度评价");
  }
  if (await SatisfactionRating.exists({ requestId: request._id })) throw alreadyRated();
  const followUp =
    input.score <= LOW_RATING_MAX
      ? {
          dueDate: addWorkingDays(today, FOLLOW_UP_WORKING_DAYS, await calendarOverrides()),
          status: "open" as const,
        }
      : null;
  let created: SatisfactionRatingDoc;
  try {
    const doc = await SatisfactionRating.create({
      requestId: request._id,
      agencyId: request.agencyId,
      applicantAccountId: actor.id,
      serialNo: request.serialNo,
      score: input.score,
      comment: input.comment,
      ratedOn: today,
      ...(followUp ? { followUp } : {}),
    });
    created = (doc as unknown as { toObject(): SatisfactionRatingDoc }).toObject();
  } catch (error) {
    // Two taps at once: the unique index keeps the first, the second is the same refusal.
    if (isDuplicateKey(error)) throw alreadyRated();
    throw error;
  }
  await audit(ctx, {
    action: "request.rate",
    targetType: "request",
    targetId: request._id,
    agencyId: request.agencyId,
    details: { serialNo: request.serialNo, score: input.score },
  });
  return created;
}

function alreadyRated() {
  return Conflict("rating.already_rated", "您已对该申请进行过满意度评价，每件申请只能评价一次");
}

/** The rating of an application, if any. */
export function ratingOf(requestId: Types.ObjectId): Promise<SatisfactionRatingDoc | null> {
  return SatisfactionRating.findOne({ requestId }).lean<SatisfactionRatingDoc>();
}

/**
 * Records the result of a 回访 by the agency's administrator. Another agency's rating is 404 (its
 * existence is not the caller's business); a rating without a 回访 task, or one already done, is 409.
 */
export async function recordFollowUp(
  ctx: Context,
  actor: StaffActor,
  ratingId: string,
  result: string,
  today = dateInChina(),
): Promise<FollowUpDto> {
  const rating = await SatisfactionRating.findById(ratingId).lean<SatisfactionRatingDoc>();
  if (!rating || !actor.roles.has(String(rating.agencyId))) throw NotFound("rating", "回访任务不存在");
  if (!hasRole(actor, String(rating.agencyId), rolesFor("recordFollowUp")))
    throw Forbidden("只有机关管理员可以登记回访结果");
  if (!rating.followUp) throw Conflict("rating.no_follow_up", "该评价无需回访");
  const updated = await SatisfactionRating.findOneAndUpdate(
    { _id: rating._id, "followUp.status": "open" },
    {
      $set: {
        "followUp.status": "done",
        "followUp.result": result,
        "followUp.doneOn": today,
        "followUp.doneBy": actor.id,
      },
    },
    { returnDocument: "after" },
  ).lean<SatisfactionRatingDoc>();
  if (!updated) throw Conflict("rating.follow_up_done", "该回访已登记结果，不能重复登记");
  await audit(ctx, {
    action: "request.followUp",
    targetType: "request",
    targetId: rating.requestId,
    agencyId: rating.agencyId,
    details: { serialNo: rating.serialNo },
  });
  return presentFollowUp(updated, today);
}

/** The agencies whose feedback the actor may read: one named agency, or every agency they read. */
export function readableAgencies(actor: StaffActor, agencyId: string | undefined): string[] {
  if (agencyId) {
    if (!hasRole(actor, agencyId, feedbackReaders)) throw Forbidden("您不能查看该机关的评价与回访情况");
    return [agencyId];
  }
  return [...actor.roles.keys()].filter((id) => hasRole(actor, id, feedbackReaders));
}

/**
 * Feedback figures per agency: applications saved by 先查再申, ratings (count, average, per score)
 * and 回访 tasks (open, done, overdue); with `withItems`, the low ratings themselves.
 */
export async function feedbackOf(
  agencyIds: readonly string[],
  withItems: boolean,
  today = dateInChina(),
): Promise<AgencyFeedbackDto[]> {
  if (agencyIds.length === 0) return [];
  const ids = agencyIds.map((id) => new Types.ObjectId(id));
  const [agencies, ratings, saved] = await Promise.all([
    Agency.find({ _id: { $in: ids } }, { name: 1 }).lean<{ _id: Types.ObjectId; name: string }[]>(),
    SatisfactionRating.find({ agencyId: { $in: ids } })
      .sort({ ratedOn: -1, _id: -1 })
      .lean<SatisfactionRatingDoc[]>(),
    Deflection.aggregate<{ _id: Types.ObjectId; n: number }>([
      { $match: { agencyId: { $in: ids } } },
      { $group: { _id: "$agencyId", n: { $sum: 1 } } },
    ]),
  ]);
  const names = new Map(agencies.map((a) => [String(a._id), a.name]));
  return agencyIds
    .filter((id) => names.has(id))
    .map((id) => {
      const mine = ratings.filter((r) => String(r.agencyId) === id);
      const distribution = [1, 2, 3, 4, 5].map((score) => mine.filter((r) => r.score === score).length);
      const tasks = mine.filter((r) => r.followUp).map((r) => presentFollowUp(r, today));
      const total = mine.reduce((sum, r) => sum + r.score, 0);
      return {
        agencyId: id,
        agencyName: names.get(id) ?? "",
        savedApplications: saved.find((row) => String(row._id) === id)?.n ?? 0,
        ratings: {
          count: mine.length,
          average: mine.length > 0 ? Math.round((total / mine.length) * 10) / 10 : null,
          distribution,
        },
        followUps: {
          open: tasks.filter((t) => t.status === "open").length,
          done: tasks.filter((t) => t.status === "done").length,
          overdue: tasks.filter((t) => t.overdue).length,
        },
        items: withItems ? tasks : [],
      };
    });
}
