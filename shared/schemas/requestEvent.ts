/**
 * Zod schemas for the events of a 依申请公开 application: one payload schema per lifecycle event,
 * each with the legal date `date` ('YYYY-MM-DD', Asia/Shanghai) the event takes effect.
 */
import { z } from "zod";
import { isIsoDate } from "../calendar/date.ts";
import { byPagesFee, feeMethods, perRequestFee } from "../fees.ts";
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

/**
 * The ground of a reply where one table 三 row covers two different letters: 予以公开 is either
 * 36(一) already proactively disclosed (tell where and how) or 36(二) disclosable (provide it);
 * 本机关不掌握 is either 36(四) the information does not exist or 36(五) another agency is responsible.
 */
export const decisionGrounds = ["alreadyPublic", "disclosable", "notExist", "notResponsible"] as const;

/** A reply ground (see `decisionGrounds`). */
export type DecisionGround = (typeof decisionGrounds)[number];

/** The outcome each ground belongs to. */
export const decisionGroundOutcome: Readonly<Record<DecisionGround, OutcomeKey>> = {
  alreadyPublic: "granted",
  disclosable: "granted",
  notExist: "unable.notHeld",
  notResponsible: "unable.notHeld",
};

/** Labels of the grounds as staff pick them, with the article. */
export const decisionGroundLabels: Readonly<Record<DecisionGround, string>> = {
  alreadyPublic: "已主动公开，告知获取方式、途径（《条例》第三十六条第（一）项）",
  disclosable: "可以公开，向申请人提供（《条例》第三十六条第（二）项）",
  notExist: "经检索没有所申请公开的信息，告知该政府信息不存在（《条例》第三十六条第（四）项）",
  notResponsible: "不属于本机关负责公开，告知并说明理由（《条例》第三十六条第（五）项）",
};

/** How a reply reached the applicant (送达方式), in the order the admin page offers them. */
export const serviceMethods = ["inPerson", "mail", "online", "email", "fax"] as const;

/** A 送达方式. */
export type ServiceMethod = (typeof serviceMethods)[number];

/** Labels of the 送达方式. */
export const serviceMethodLabels: Readonly<Record<ServiceMethod, string>> = {
  inPerson: "当面送达",
  mail: "邮寄送达",
  online: "在线送达",
  email: "电子邮件送达",
  fax: "传真送达",
};

/** What a consulted third party answered (第三十二条). */
export const consultationResults = ["agreed", "objected", "noReply"] as const;

/** A consultation result. */
export type ConsultationResult = (typeof consultationResults)[number];

/** Labels of the consultation results (第三十二条's words: 逾期未提出意见). */
export const consultationResultLabels: Readonly<Record<ConsultationResult, string>> = {
  agreed: "同意公开",
  objected: "不同意公开",
  noReply: "逾期未提出意见",
};

/** How a fee notice reached the applicant; the payment window runs from the day after receipt. */
export const feeDeliveryMethods = ["online", "inPerson", "mail"] as const;

/** A fee notice delivery method. */
export type FeeDeliveryMethod = (typeof feeDeliveryMethods)[number];

/** Delivery method labels, short (in the timeline sentence). */
export const feeDeliveryShortLabels: Readonly<Record<FeeDeliveryMethod, string>> = {
  online: "网上送达",
  inPerson: "当面送达",
  mail: "邮寄送达",
};

/** Delivery method labels with the receipt day each implies. */
export const feeDeliveryLabels: Readonly<Record<FeeDeliveryMethod, string>> = {
  online: "网上送达（发出之日即为收到之日）",
  inPerson: "当面送达（当日签收）",
  mail: "邮寄送达（以申请人签收之日为收到之日）",
};

/** How the applicant agreed to have the application handed on (转办). */
export const transferConsentMethods = ["online", "phone", "inPerson", "writing"] as const;

/** Labels of the consent methods. */
export const transferConsentLabels: Readonly<Record<(typeof transferConsentMethods)[number], string>> = {
  online: "网上确认",
  phone: "电话确认",
  inPerson: "当面确认",
  writing: "书面同意",
};

/** The applicant's recorded consent to a 转办. */
export const TransferConsent = z.object({
  consentMethod: z.enum(transferConsentMethods, { error: "请选择申请人同意转送的方式" }),
  consentDate: IsoDateInput,
});

/** The four points of a 重复申请 (all must hold before 不予处理-重复申请). */
export const duplicateChecklistPoints = [
  "sameApplicant",
  "sameAgency",
  "sameInformation",
  "factsUnchanged",
] as const;

/** Labels of the 重复申请 checklist. */
export const duplicateChecklistLabels: Readonly<Record<(typeof duplicateChecklistPoints)[number], string>> = {
  sameApplicant: "同一申请人",
  sameAgency: "向同一行政机关提出",
  sameInformation: "申请公开同一政府信息",
  factsUnchanged: "事实和理由未发生变化",
};

/** The checklist with every point confirmed (what a 不予重复处理 decision carries). */
export const duplicateChecklistComplete: Readonly<Record<(typeof duplicateChecklistPoints)[number], true>> = {
  sameApplicant: true,
  sameAgency: true,
  sameInformation: true,
  factsUnchanged: true,
};

/** The 重复申请 checklist as staff tick it. */
export const DuplicateChecklist = z.object(
  Object.fromEntries(
    duplicateChecklistPoints.map((k) => [k, z.boolean({ error: `请确认“${duplicateChecklistLabels[k]}”` })]),
  ) as Record<(typeof duplicateChecklistPoints)[number], z.ZodBoolean>,
);

const decidePayload = z
  .object({
    outcome: z.enum(replyOutcomeKeys, { error: "请选择办理结果" }),
    documentNumber: z.string().trim().max(100, { error: "答复文号不能超过100字" }).optional(),
    note: z.string().trim().max(2000, { error: "说明不能超过2000字" }).optional(),
    ground: z.enum(decisionGrounds, { error: "请选择答复依据" }).optional(),
    /** 36(一): the catalogue item where it was disclosed … */
    catalogueItemId: z
      .string()
      .regex(/^[0-9a-f]{24}$/i, { error: "请从政府信息公开目录中选择条目" })
      .optional(),
    /** … or, when it is not in the catalogue, where and how to get it. */
    location: z.string().trim().max(500, { error: "获取方式、途径不能超过500字" }).optional(),
    /** 36(五): the responsible agency, picked from the tree … */
    responsibleAgencyId: z
      .string()
      .regex(/^[0-9a-f]{24}$/i, { error: "请从机关树中选择负责公开的行政机关" })
      .optional(),
    /** … or typed, with its contact … */
    responsibleAgencyName: z
      .string()
      .trim()
      .max(100, { error: "负责公开的行政机关名称不能超过100字" })
      .optional(),
    responsibleAgencyContact: z
      .string()
      .trim()
      .max(200, { error: "负责公开的行政机关联系方式不能超过200字" })
      .optional(),
    /** … or explicitly 无法确定. */
    responsibleUndetermined: z.boolean({ error: "“无法确定负责公开的行政机关”应为是或否" }).optional(),
    /** 转办: with the applicant's consent, hand the application on to the responsible agency of this deployment. */
    transfer: TransferConsent.optional(),
    /**
     * 合并答复: the same applicant's other applications to this agency that one letter answers together
     * with this one; each keeps its own decision and outcome.
     */
    mergedWith: z
      .array(z.string().regex(/^[0-9a-f]{24}$/i, { error: "请从该申请人的其他申请中选择合并答复的申请" }), {
        error: "请从该申请人的其他申请中选择合并答复的申请",
      })
      .max(20, { error: "合并答复的申请最多选择20件" })
      .optional(),
    /** 不予处理-重复申请: the four points staff confirmed, and the earlier applications it repeats. */
    duplicateChecklist: DuplicateChecklist.optional(),
    duplicateOf: z
      .array(z.string().regex(/^[0-9a-f]{24}$/i, { error: "请从该申请人以往的申请中选择被重复的申请" }), {
        error: "请从该申请人以往的申请中选择被重复的申请",
      })
      .max(20, { error: "被重复的申请最多选择20件" })
      .optional(),
  })
  .superRefine((v, ctx) => {
    for (const issue of decisionGroundIssues(v)) ctx.addIssue({ code: "custom", ...issue });
  });

/**
 * What a decision's ground requires, as field-level Chinese messages (empty when complete).
 * @param v the decision payload.
 */
export function decisionGroundIssues(v: {
  outcome: string;
  note?: string | undefined;
  ground?: DecisionGround | undefined;
  catalogueItemId?: string | undefined;
  location?: string | undefined;
  responsibleAgencyId?: string | undefined;
  responsibleAgencyName?: string | undefined;
  responsibleAgencyContact?: string | undefined;
  responsibleUndetermined?: boolean | undefined;
  transfer?: unknown;
  duplicateChecklist?: Partial<Record<(typeof duplicateChecklistPoints)[number], boolean>> | undefined;
  duplicateOf?: string[] | undefined;
}): { path: string[]; message: string }[] {
  const issues: { path: string[]; message: string }[] = [];
  const has = (value: string | undefined) => value !== undefined && value.trim() !== "";
  if (v.ground && decisionGroundOutcome[v.ground] !== v.outcome) {
    issues.push({ path: ["ground"], message: "答复依据与办理结果不符" });
    return issues;
  }
  if (v.outcome === "unable.notHeld" && !v.ground) {
    issues.push({
      path: ["ground"],
      message:
        "请选择答复依据：经检索没有该政府信息（第三十六条第（四）项），或者不属于本机关负责公开（第三十六条第（五）项）",
    });
  }
  const ground = v.ground ?? (v.outcome === "granted" ? "disclosable" : undefined);
  if (ground === "alreadyPublic" && !has(v.catalogueItemId) && !has(v.location)) {
    issues.push({
      path: ["location"],
      message: "已主动公开的，请关联政府信息公开目录中的条目，或者填写获取该政府信息的方式、途径",
    });
  }
  if (ground !== "alreadyPublic" && (has(v.catalogueItemId) || has(v.location))) {
    issues.push({ path: ["location"], message: "获取方式、途径仅在答复依据为“已主动公开”时填写" });
  }
  const picked = [
    has(v.responsibleAgencyId),
    has(v.responsibleAgencyName),
    v.responsibleUndetermined === true,
  ];
  const count = picked.filter(Boolean).length;
  if (ground === "notResponsible" && count !== 1) {
    issues.push({
      path: ["responsibleAgency"],
      message:
        count === 0
          ? "不属于本机关负责公开的，请从机关树中选择或者填写负责公开该政府信息的行政机关，或者选择“无法确定”"
          : "负责公开的行政机关只能选择一种：从机关树中选择、填写名称或者“无法确定”",
    });
  }
  if (ground !== "notResponsible" && (count > 0 || has(v.responsibleAgencyContact))) {
    issues.push({
      path: ["responsibleAgency"],
      message: "负责公开的行政机关仅在答复依据为“不属于本机关负责公开”时填写",
    });
  }
  if (ground === "notResponsible" && !has(v.note)) {
    issues.push({
      path: ["note"],
      message: "不属于本机关负责公开的，请在说明中写明理由（《条例》第三十六条第（五）项）",
    });
  }
  if (ground === "notResponsible" && has(v.responsibleAgencyContact) && !has(v.responsibleAgencyName)) {
    issues.push({
      path: ["responsibleAgencyContact"],
      message: "从机关树中选择的机关，联系方式取自该机关的文书抬头；无法确定时不填写联系方式",
    });
  }
  issues.push(...transferAndDuplicateIssues(v));
  return issues;
}

/**
 * What a 转办 and a 不予处理-重复申请 require: a 转办 goes to an agency of this deployment picked from
 * the tree (Art. 36(五)); 不予重复处理 needs all four checklist points of a 重复申请 ticked (Art. 36(六)).
 */
function transferAndDuplicateIssues(v: {
  outcome: string;
  ground?: DecisionGround | undefined;
  responsibleAgencyId?: string | undefined;
  transfer?: unknown;
  duplicateChecklist?: Partial<Record<(typeof duplicateChecklistPoints)[number], boolean>> | undefined;
  duplicateOf?: string[] | undefined;
}): { path: string[]; message: string }[] {
  const issues: { path: string[]; message: string }[] = [];
  if (v.transfer !== undefined && (v.ground !== "notResponsible" || !v.responsibleAgencyId)) {
    issues.push({
      path: ["transfer"],
      message: "转办仅适用于不属于本机关负责公开、且从机关树中选择了本平台内负责公开的行政机关的申请",
    });
  }
  if (v.outcome === "notProcessed.duplicate") {
    const missing = duplicateChecklistPoints.filter((k) => v.duplicateChecklist?.[k] !== true);
    if (missing.length > 0) {
      issues.push({
        path: ["duplicateChecklist"],
        message: `认定重复申请须逐项确认：${missing.map((k) => duplicateChecklistLabels[k]).join("、")}`,
      });
    }
  } else if (v.duplicateChecklist !== undefined || v.duplicateOf !== undefined) {
    issues.push({
      path: ["duplicateChecklist"],
      message: "重复申请核对项仅在办理结果为“重复申请”时填写",
    });
  }
  return issues;
}

/** The draft letter text (拟办稿): the reply's paragraphs as the handler wrote them. */
const letterParagraphs = z
  .array(z.string({ error: "答复书正文必须是文字" }).max(5000, { error: "答复书每段不能超过5000字" }), {
    error: "答复书正文应为段落列表",
  })
  .max(200, { error: "答复书正文不能超过200段" });

/**
 * A 拟办: the decision as `decide` will carry it, plus the draft letter. The server fills `letter`
 * from the reply preview when the handler leaves it out, and records `needsSignOff` from the
 * agency's setting (never taken from the client).
 */
const draftPayload = decidePayload.safeExtend({ letter: letterParagraphs.optional() });

/** Payload schemas by event type (without `type` and `date`). */
export const requestEventPayloads = {
  submit: z.object({ channel }),
  register: z.object({
    channel,
    /** Set when the application was handed on (转办) by another agency of this deployment. */
    transferredFrom: z
      .object({ requestId: z.string(), serialNo: z.string(), agencyName: z.string() })
      .optional(),
  }),
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
    result: z.enum(consultationResults, { error: "请选择征求意见结果" }).optional(),
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
      delivery: z.enum(feeDeliveryMethods, { error: "请选择收费通知的送达方式" }),
      method: z.enum(feeMethods, { error: "请选择计费方式（按件计收或按量计收）" }),
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
  // The applicant signed for a fee notice sent by mail on `date`: the payment window starts the next day.
  recordFeeDelivery: z.object({}),
  feePaid: z.object({ receiptNo: z.string().trim().max(100, { error: "票据号不能超过100字" }).optional() }),
  expireFee: z.object({}),
  draftDecision: draftPayload,
  returnDraft: z.object({ reason: text("退回理由") }),
  approveDraft: z.object({
    comment: z.string().trim().max(500, { error: "审核意见不能超过500字" }).optional(),
  }),
  signOff: z.object({
    comment: z.string().trim().max(500, { error: "签发意见不能超过500字" }).optional(),
  }),
  decide: decidePayload,
  deliver: z.object({
    method: z.enum(serviceMethods, { error: "请选择送达方式" }),
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
    requestEventPayloads.recordFeeDelivery.safeExtend({
      type: z.literal("recordFeeDelivery"),
      date: IsoDateInput,
    }),
    requestEventPayloads.feePaid.safeExtend({ type: z.literal("feePaid"), date: IsoDateInput }),
    requestEventPayloads.expireFee.safeExtend({ type: z.literal("expireFee"), date: IsoDateInput }),
    requestEventPayloads.draftDecision.safeExtend({ type: z.literal("draftDecision"), date: IsoDateInput }),
    requestEventPayloads.returnDraft.safeExtend({ type: z.literal("returnDraft"), date: IsoDateInput }),
    requestEventPayloads.approveDraft.safeExtend({ type: z.literal("approveDraft"), date: IsoDateInput }),
    requestEventPayloads.signOff.safeExtend({ type: z.literal("signOff"), date: IsoDateInput }),
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
