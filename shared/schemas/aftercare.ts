/**
 * After an application is closed (办结): the applicant's satisfaction rating (满意度评价, once, 1–5 with
 * a comment) and the remedy guide (救济向导: 行政复议 and 行政诉讼 with their deadlines, the agency's
 * 复议机关 and the court route, and a pre-filled 行政复议申请书).
 */
import { z } from "zod";
import { DateString } from "./common.ts";

/** A rating at or below this score creates a 回访 task for the agency's administrator. */
export const LOW_RATING_MAX = 2;

/** Working days the agency's administrator has to call back a dissatisfied applicant (回访). */
export const FOLLOW_UP_WORKING_DAYS = 5;

/** Words for each score, shown beside the stars. */
export const ratingLabels: Readonly<Record<1 | 2 | 3 | 4 | 5, string>> = {
  1: "很不满意",
  2: "不满意",
  3: "一般",
  4: "满意",
  5: "很满意",
};

/** Path of the aftercare endpoints: the application. */
export const AftercareParams = z.strictObject({
  id: z.string().regex(/^[0-9a-f]{24}$/i, { error: "申请编号格式不正确" }),
});

/** A satisfaction rating. */
export const RatingInput = z.strictObject({
  score: z
    .number({ error: "满意度评分应为1至5的整数" })
    .int({ error: "满意度评分应为1至5的整数" })
    .min(1, { error: "满意度评分应为1至5的整数" })
    .max(5, { error: "满意度评分应为1至5的整数" }),
  comment: z
    .string({ error: "评价意见应为文字" })
    .trim()
    .max(500, { error: "评价意见不能超过 500 个字" })
    .default(""),
});

/** A satisfaction rating input. */
export type RatingInput = z.infer<typeof RatingInput>;

/** Query of the aftercare view: the day the 行政复议决定书 was received, once there is one. */
export const AftercareQuery = z.object({
  reviewDecisionDate: DateString.optional(),
});

/** The applicant's rating as they see it. */
export const RatingDto = z.strictObject({
  score: z.number().int(),
  comment: z.string(),
  ratedAt: z.string(),
});

/** One remedy period with its legal basis and deadline (null until its start is known). */
export const RemedyDeadlineDto = z.strictObject({
  key: z.enum(["review", "suit", "suitAfterReview"]),
  label: z.string(),
  /** How the period runs, in the law's words. */
  rule: z.string(),
  basis: z.string(),
  /** Last day 'YYYY-MM-DD' (moved past a holiday), or null when it runs from a day not yet known. */
  deadline: z.string().nullable(),
});

/** The remedy guide of a closed application that went against the applicant. */
export const RemedyDto = z.strictObject({
  kind: z.enum(["reviewOrSuit", "reviewFirst"]),
  /** The day the applicant came to know the act (the letter's delivery, else the decision). */
  knownOn: z.string(),
  decidedOn: z.string(),
  /** The remedy sentence as the letter prints it. */
  letterSentence: z.string(),
  reviewBody: z.strictObject({ name: z.string(), rule: z.string() }),
  court: z.string(),
  deadlines: z.array(RemedyDeadlineDto),
});

/** The remedy guide. */
export type RemedyDto = z.infer<typeof RemedyDto>;

/** What an applicant may do with their application after it is closed. */
export const AftercareDto = z.strictObject({
  closed: z.boolean(),
  canRate: z.boolean(),
  rating: RatingDto.nullable(),
  remedy: RemedyDto.nullable(),
  /** The catalogue item that now publishes what was asked for (纳入主动公开), if any. */
  publishedItem: z.strictObject({ id: z.string(), title: z.string() }).nullable(),
});

/** What an applicant may do after closure. */
export type AftercareDto = z.infer<typeof AftercareDto>;

/** The pre-filled 行政复议申请书 as text (the print view and the DOCX read the same model). */
export const ReviewApplicationDto = z.strictObject({
  title: z.string(),
  sections: z.array(z.strictObject({ heading: z.string(), lines: z.array(z.string()) })),
  closing: z.array(z.string()),
});

/** The 行政复议申请书 model. */
export type ReviewApplicationDto = z.infer<typeof ReviewApplicationDto>;
