/**
 * 督办单: a supervisor's (政府信息公开工作主管部门) written order to an agency, about one application or
 * about the agency's disclosure work in general, with a reason, a deadline in working days and the
 * 办理情况 the agency must reply with. Overdue = still unanswered after the deadline.
 */
import { z } from "zod";
import { ObjectIdString, PageQuery, Text } from "./common.ts";

/** Status of a 督办单. */
export const supervisionStatuses = ["open", "replied"] as const;

/** A 督办单's status. */
export type SupervisionStatus = (typeof supervisionStatuses)[number];

/** Labels of the statuses (and of the derived 逾期未反馈). */
export const supervisionStatusLabels = {
  open: "待反馈办理情况",
  replied: "已反馈",
  overdue: "逾期未反馈",
} as const;

/** Issue a 督办单: on an application, or on an agency (exactly one of the two). */
export const SupervisionCreateInput = z
  .object({
    requestId: ObjectIdString.optional(),
    agencyId: ObjectIdString.optional(),
    reason: Text(1000, "督办事由"),
    workingDays: z
      .number({ error: "请填写办理期限（工作日）" })
      .int({ error: "办理期限应为整数个工作日" })
      .min(1, { error: "办理期限至少1个工作日" })
      .max(60, { error: "办理期限不能超过60个工作日" }),
  })
  .refine((v) => (v.requestId === undefined) !== (v.agencyId === undefined), {
    error: "请选择督办的申请或者被督办的机关（二者选其一）",
    path: ["agencyId"],
  });

/** Issue a 督办单. */
export type SupervisionCreateInput = z.infer<typeof SupervisionCreateInput>;

/** The agency's reply (办理情况). */
export const SupervisionReplyInput = z.object({ reply: Text(2000, "办理情况") });

/** Path parameters of one 督办单. */
export const SupervisionParams = z.object({ id: ObjectIdString });

/** Which 督办单 to list. */
export const SupervisionListQuery = PageQuery.extend({
  agencyId: ObjectIdString.optional(),
  requestId: ObjectIdString.optional(),
  status: z.enum([...supervisionStatuses, "overdue"], { error: "状态应为待反馈、已反馈或逾期" }).optional(),
});

/** Which 督办单 to list. */
export type SupervisionListQuery = z.infer<typeof SupervisionListQuery>;

/** One 督办单 as staff see it. */
export const SupervisionDto = z.strictObject({
  id: z.string(),
  agency: z.strictObject({ id: z.string(), name: z.string() }),
  request: z.strictObject({ id: z.string(), serialNo: z.string() }).nullable(),
  issuerName: z.string(),
  reason: z.string(),
  workingDays: z.number().int(),
  issuedDate: z.string(),
  deadline: z.string(),
  status: z.enum(supervisionStatuses),
  overdue: z.boolean(),
  statusLabel: z.string(),
  reply: z.strictObject({ text: z.string(), authorName: z.string(), date: z.string() }).nullable(),
  /** The caller may record the 办理情况 (staff of the agency, while open). */
  canReply: z.boolean(),
});

/** One 督办单. */
export type SupervisionDto = z.infer<typeof SupervisionDto>;

/** A list of 督办单 with the counts the supervisor summary shows. */
export interface SupervisionListDto {
  items: SupervisionDto[];
  counts: { open: number; overdue: number; replied: number };
}
