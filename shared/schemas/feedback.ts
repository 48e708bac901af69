/**
 * What citizens tell an agency besides their applications: applications saved by 先查再申 (the
 * citizen found the information already published), satisfaction ratings with their 回访 tasks, and
 * 纳入主动公开 proposals (《条例》第四十四条: information several applicants asked for). None of this
 * is a figure of the annual report tables.
 */
import { z } from "zod";

const Id = (label: string) =>
  z.string({ error: `请选择${label}` }).regex(/^[0-9a-f]{24}$/i, { error: `${label}编号格式不正确` });

/** A citizen chose a published item instead of applying (先查再申). */
export const DeflectionInput = z.strictObject({
  agencyId: Id("受理机关"),
  itemId: Id("已公开信息"),
});

/** A 先查再申 choice. */
export type DeflectionInput = z.infer<typeof DeflectionInput>;

/** Which agencies a dashboard covers: one (staff of it) or, without it, every agency the caller reads. */
export const FeedbackQuery = z.object({ agencyId: Id("机关").optional() });

/** Path of one 回访 task (the rating it follows up) or one proposal. */
export const FeedbackParams = z.strictObject({ id: Id("记录") });

/** The result of a 回访 (call-back). */
export const FollowUpInput = z.strictObject({
  result: z
    .string({ error: "请填写回访结果" })
    .trim()
    .min(1, { error: "请填写回访结果" })
    .max(1000, { error: "回访结果不能超过 1000 个字" }),
});

/** One low rating and its 回访 task. */
export const FollowUpDto = z.strictObject({
  id: z.string(),
  requestId: z.string(),
  serialNo: z.string(),
  score: z.number().int(),
  comment: z.string(),
  ratedOn: z.string(),
  dueDate: z.string(),
  status: z.enum(["open", "done"]),
  overdue: z.boolean(),
  result: z.string(),
  doneOn: z.string().nullable(),
});

/** One low rating and its 回访 task. */
export type FollowUpDto = z.infer<typeof FollowUpDto>;

/** One agency's citizen feedback figures. */
export const AgencyFeedbackDto = z.strictObject({
  agencyId: z.string(),
  agencyName: z.string(),
  /** Applications saved by 先查再申. */
  savedApplications: z.number().int(),
  ratings: z.strictObject({
    count: z.number().int(),
    average: z.number().nullable(),
    /** Count per score 1…5. */
    distribution: z.array(z.number().int()),
  }),
  followUps: z.strictObject({ open: z.number().int(), done: z.number().int(), overdue: z.number().int() }),
  /** The agency's low ratings with their 回访 (only on a single agency's dashboard). */
  items: z.array(FollowUpDto),
});

/** One agency's citizen feedback figures. */
export type AgencyFeedbackDto = z.infer<typeof AgencyFeedbackDto>;

/** Staff confirm that applications ask for the same information and propose to publish it. */
export const ProposalCreateInput = z.strictObject({
  agencyId: Id("机关"),
  requestIds: z
    .array(Id("申请"), { error: "请选择申请" })
    .min(2, { error: "请至少选择两件内容相同的申请" })
    .max(50, { error: "一次最多选择 50 件申请" }),
  title: z
    .string({ error: "请填写拟公开信息的名称" })
    .trim()
    .min(1, { error: "请填写拟公开信息的名称" })
    .max(200, { error: "拟公开信息的名称不能超过 200 个字" }),
});

/** A confirmed proposal. */
export type ProposalCreateInput = z.infer<typeof ProposalCreateInput>;

/** The published catalogue item that answers a proposal. */
export const ProposalPublishInput = z.strictObject({ itemId: Id("已发布的目录信息") });

/** A group of similar applications the platform suggests publishing. */
export const ProposalCandidateDto = z.strictObject({
  title: z.string(),
  applicants: z.number().int(),
  requests: z.array(
    z.strictObject({
      id: z.string(),
      serialNo: z.string(),
      description: z.string(),
      receiptDate: z.string(),
    }),
  ),
  similarity: z.number(),
});

/** A stored proposal. */
export const ProposalDto = z.strictObject({
  id: z.string(),
  agencyId: z.string(),
  title: z.string(),
  status: z.enum(["proposed", "published"]),
  requestIds: z.array(z.string()),
  itemId: z.string().nullable(),
  itemTitle: z.string(),
  proposedOn: z.string(),
  publishedOn: z.string().nullable(),
});

/** A stored proposal. */
export type ProposalDto = z.infer<typeof ProposalDto>;

/** The agency's 纳入主动公开 board: what the platform suggests and what staff proposed. */
export const ProposalBoardDto = z.strictObject({
  candidates: z.array(ProposalCandidateDto),
  proposals: z.array(ProposalDto),
});

/** The 纳入主动公开 board. */
export type ProposalBoardDto = z.infer<typeof ProposalBoardDto>;

/** How many different applicants must ask for the same information before the platform proposes it. */
export const PROPOSAL_MIN_APPLICANTS = 3;

/** Share of words two applications must have in common (Jaccard) to count as the same request. */
export const PROPOSAL_SIMILARITY = 0.5;

/** The agency whose 纳入主动公开 board to show. */
export const ProposalBoardQuery = z.object({ agencyId: Id("机关") });
