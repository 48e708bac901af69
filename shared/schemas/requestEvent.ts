/**
 * Zod schemas for the events of a 依申请公开 application: one payload schema per lifecycle event,
 * each with the legal date `date` ('YYYY-MM-DD', Asia/Shanghai) the event takes effect.
 */
import { z } from "zod";
import { isIsoDate } from "../calendar/date.ts";
import { byPagesFee, perRequestFee } from "../fees.ts";
import { channels } from "../lifecycle/channels.ts";
import type { EventType } from "../lifecycle/machine.ts";
import { type OutcomeKey, outcomeKeys } from "../stats/keys.ts";

/** A civil date 'YYYY-MM-DD'. */
export const IsoDateInput = z
  .string({ error: "请填写日期" })
  .refine(isIsoDate, { error: "日期格式应为YYYY-MM-DD" });

const text = (what: string, max = 500) =>
  z
    .string({ error: `请填写${what}` })
    .trim()
    .min(1, { error: `请填写${what}` })
    .max(max, { error: `${what}不能超过${max}字` });

/** Outcomes a reply (答复) may carry; 逾期不补正/逾期未缴费 are closures, not replies. */
export const replyOutcomeKeys = outcomeKeys.filter(
  (k): k is ReplyOutcomeKey => k !== "other.noCorrection" && k !== "other.feeUnpaid",
);

/** An outcome a reply may carry. */
export type ReplyOutcomeKey = Exclude<OutcomeKey, "other.noCorrection" | "other.feeUnpaid">;

/** Outcomes of closing an application without processing it further (（六）其他处理). */
export const closeOutcomeKeys = ["other.noCorrection", "other.feeUnpaid", "other.other"] as const;

const channel = z.enum(channels, { error: "请选择申请渠道" });

/** Payload schemas by event type (without `type` and `date`). */
export const requestEventPayloads = {
  submit: z.object({ channel }),
  register: z.object({ channel }),
  confirmReceipt: z.object({}),
  requestCorrection: z.object({
    items: z
      .array(text("需要补正的事项"), { error: "请列明需要补正的事项" })
      .min(1, { error: "请至少列明一项需要补正的事项" }),
    deadline: IsoDateInput,
  }),
  // The corrected content replaces the request's description (and 文号) when given.
  receiveCorrection: z.object({
    description: text("补正后的申请内容", 2000).optional(),
    documentNumber: z.string().trim().max(100, { error: "文号不能超过100字" }).optional(),
  }),
  expireCorrection: z.object({}),
  startConsultation: z.object({
    party: z.enum(["thirdParty", "otherAgency"], { error: "请选择征求意见对象类型（第三方或其他机关）" }),
    name: text("征求意见对象名称", 200),
  }),
  endConsultation: z.object({
    result: z.enum(["agreed", "objected", "noReply"], { error: "请选择征求意见结果" }).optional(),
  }),
  extend: z.object({
    workingDays: z
      .number({ error: "请填写延长的工作日数" })
      .int({ error: "延长期限应为整数个工作日" })
      .min(1, { error: "延长期限至少1个工作日" })
      .max(20, { error: "延长期限最长不得超过20个工作日" }),
    reason: text("延期理由"),
    approver: text("批准人（政府信息公开工作机构负责人）", 50),
  }),
  delayDeadline: z.object({ deadline: IsoDateInput, reason: text("延迟答复理由") }),
  feeNotice: z
    .object({
      method: z.enum(["perRequest", "byPages"], { error: "请选择计费方式（按件计收或按量计收）" }),
      amount: z
        .number({ error: "请填写收费金额" })
        .int({ error: "收费金额应为整数元" })
        .positive({ error: "收费金额应大于0元" }),
      pages: z.number().int({ error: "页数应为整数" }).positive({ error: "页数应大于0" }).optional(),
      ordinalInMonth: z
        .number()
        .int({ error: "当月申请序号应为整数" })
        .positive({ error: "当月申请序号应大于0" })
        .optional(),
    })
    .superRefine((v, ctx) => {
      // The amount must be the one the 109号 tiers give, so a notice can never overcharge.
      if (v.method === "byPages") {
        if (v.pages === undefined)
          ctx.addIssue({ code: "custom", path: ["pages"], message: "按量计收须填写页数" });
        else if (byPagesFee(v.pages).amount !== v.amount) {
          ctx.addIssue({ code: "custom", path: ["amount"], message: "收费金额与按量计收标准不符" });
        }
        if (v.ordinalInMonth !== undefined) {
          ctx.addIssue({
            code: "custom",
            path: ["ordinalInMonth"],
            message: "按件计收与按量计收不得同时适用",
          });
        }
        return;
      }
      if (v.ordinalInMonth === undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["ordinalInMonth"],
          message: "按件计收须填写本申请为当月第几件申请",
        });
      } else if (perRequestFee(v.ordinalInMonth) !== v.amount) {
        ctx.addIssue({ code: "custom", path: ["amount"], message: "收费金额与按件计收标准不符" });
      }
      if (v.pages !== undefined) {
        ctx.addIssue({ code: "custom", path: ["pages"], message: "按件计收与按量计收不得同时适用" });
      }
    }),
  feePaid: z.object({ receiptNo: z.string().trim().max(100, { error: "票据号不能超过100字" }).optional() }),
  expireFee: z.object({}),
  decide: z.object({
    outcome: z.enum(replyOutcomeKeys, { error: "请选择办理结果" }),
    documentNumber: z.string().trim().max(100, { error: "答复文号不能超过100字" }).optional(),
    note: z.string().trim().max(2000, { error: "说明不能超过2000字" }).optional(),
  }),
  deliver: z.object({
    method: z.enum(["online", "mail", "inPerson", "email", "fax"], { error: "请选择送达方式" }),
    trackingNo: z.string().trim().max(100, { error: "邮件单号不能超过100字" }).optional(),
  }),
  withdraw: z.object({ reason: z.string().trim().max(500, { error: "撤回理由不能超过500字" }).optional() }),
  closeUnprocessed: z.object({
    outcome: z.enum(closeOutcomeKeys, { error: "请选择不再处理的情形" }),
    reason: text("不再处理的理由"),
  }),
} satisfies Record<EventType, z.ZodType>;

/** One lifecycle event as stored in `events[]` and posted to the events endpoint. */
export const RequestEventInput = z.discriminatedUnion(
  "type",
  [
    requestEventPayloads.submit.safeExtend({ type: z.literal("submit"), date: IsoDateInput }),
    requestEventPayloads.register.safeExtend({ type: z.literal("register"), date: IsoDateInput }),
    requestEventPayloads.confirmReceipt.safeExtend({ type: z.literal("confirmReceipt"), date: IsoDateInput }),
    requestEventPayloads.requestCorrection
      .safeExtend({ type: z.literal("requestCorrection"), date: IsoDateInput })
      .refine((v) => v.deadline > v.date, {
        error: "补正期限应晚于补正告知日期",
        path: ["deadline"],
      }),
    requestEventPayloads.receiveCorrection.safeExtend({
      type: z.literal("receiveCorrection"),
      date: IsoDateInput,
    }),
    requestEventPayloads.expireCorrection.safeExtend({
      type: z.literal("expireCorrection"),
      date: IsoDateInput,
    }),
    requestEventPayloads.startConsultation.safeExtend({
      type: z.literal("startConsultation"),
      date: IsoDateInput,
    }),
    requestEventPayloads.endConsultation.safeExtend({
      type: z.literal("endConsultation"),
      date: IsoDateInput,
    }),
    requestEventPayloads.extend.safeExtend({ type: z.literal("extend"), date: IsoDateInput }),
    requestEventPayloads.delayDeadline
      .safeExtend({ type: z.literal("delayDeadline"), date: IsoDateInput })
      .refine((v) => v.deadline > v.date, {
        error: "延迟答复期限应晚于决定日期",
        path: ["deadline"],
      }),
    requestEventPayloads.feeNotice.safeExtend({ type: z.literal("feeNotice"), date: IsoDateInput }),
    requestEventPayloads.feePaid.safeExtend({ type: z.literal("feePaid"), date: IsoDateInput }),
    requestEventPayloads.expireFee.safeExtend({ type: z.literal("expireFee"), date: IsoDateInput }),
    requestEventPayloads.decide.safeExtend({ type: z.literal("decide"), date: IsoDateInput }),
    requestEventPayloads.deliver.safeExtend({ type: z.literal("deliver"), date: IsoDateInput }),
    requestEventPayloads.withdraw.safeExtend({ type: z.literal("withdraw"), date: IsoDateInput }),
    requestEventPayloads.closeUnprocessed.safeExtend({
      type: z.literal("closeUnprocessed"),
      date: IsoDateInput,
    }),
  ],
  { error: "未知的事件类型" },
);

/** A parsed lifecycle event. */
export type RequestEvent = z.infer<typeof RequestEventInput>;

/** The event of a given type. */
export type RequestEventOf<T extends EventType> = Extract<RequestEvent, { type: T }>;
