/**
 * 合并答复: one 答复告知书 answering several applications of the same applicant to the same agency.
 * Each application keeps its own decision (outcome, ground, note) and is counted under its own
 * outcome in table 三; the letter lists each application's 编号 and its answer.
 */
import { z } from "zod";
import { IsoDateInput, requestEventPayloads } from "./requestEvent.ts";

/** The most applications one letter answers. */
export const MAX_MERGED_REPLIES = 20;

/** One application of a 合并答复 and its own decision. */
export const MergedReplyItem = z.object({
  requestId: z.string().regex(/^[0-9a-f]{24}$/i, { error: "请从该申请人的其他申请中选择合并答复的申请" }),
  /** The version staff saw; another reviewer acting first makes the whole reply a 409. */
  expectedVersion: z.number({ error: "申请版本号应为数字" }).int().nonnegative(),
  /** The decision of this application, as the decide dialog builds it (without date and 文号). */
  decision: requestEventPayloads.decide,
});
export type MergedReplyItem = z.infer<typeof MergedReplyItem>;

/** Body of POST /requests/:id/merged-reply: the date, the letter's 文号 and each application's decision. */
export const MergedReplyInput = z.object({
  date: IsoDateInput,
  documentNumber: z.string().trim().max(100, { error: "答复文号不能超过100字" }).optional(),
  replies: z
    .array(MergedReplyItem, { error: "请选择合并答复的申请" })
    .min(2, { error: "合并答复至少需要两件申请" })
    .max(MAX_MERGED_REPLIES, { error: `合并答复的申请最多${MAX_MERGED_REPLIES}件` })
    .refine((items) => new Set(items.map((i) => i.requestId)).size === items.length, {
      error: "同一件申请不能重复选择",
    }),
});
export type MergedReplyInput = z.infer<typeof MergedReplyInput>;

/** An open application of the same applicant at the same agency that may be answered together. */
export const MergeCandidateDto = z.strictObject({
  id: z.string(),
  serialNo: z.string(),
  receiptDate: z.string().nullable(),
  stateLabel: z.string(),
  description: z.string(),
  /** For the compare-and-set of the 合并答复. */
  version: z.number().int(),
});
export type MergeCandidateDto = z.infer<typeof MergeCandidateDto>;
