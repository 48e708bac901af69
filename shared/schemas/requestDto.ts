/**
 * What the requests API answers and accepts beyond intake: whitelisted response DTOs (list item,
 * detail with timeline, clock and abilities, the revealed personal data) and the inputs of the
 * queue, events, assignment and notes endpoints. Response schemas are strict objects, so a test can
 * prove that nothing outside the whitelist reaches a client.
 */
import { z } from "zod";
import { clockStatuses } from "../calendar/clock.ts";
import { feeMethods } from "../fees.ts";
import { channels } from "../lifecycle/channels.ts";
import { eventTypes, signOffStages, states } from "../lifecycle/machine.ts";
import { applicantTypeKeys, outcomeKeys } from "../stats/keys.ts";
import { ObjectIdString, PageQuery, Text } from "./common.ts";
import { deliveryMethods, idTypes, infoForms } from "./request.ts";

const IsoDate = z.string();
const Nullable = <T extends z.ZodType>(schema: T) => schema.nullable();

/** An agency as a list shows it. */
export const AgencyRefDto = z.strictObject({ id: z.string(), name: z.string() });

/** A staff member as a list shows them (assignee). */
export const StaffRefDto = z.strictObject({ id: z.string(), name: z.string() });

/** The applicant in lists and details: name and type in clear, ID number and phone masked. */
export const ApplicantSummaryDto = z.strictObject({
  name: z.string(),
  type: z.enum(applicantTypeKeys),
  typeLabel: z.string(),
  idType: z.enum(idTypes),
  idTypeLabel: z.string(),
  idNumberMasked: z.string(),
  phoneMasked: z.string(),
});

/** Where an assignment stands: waiting for the handler to accept (签收), accepted, or returned (退回). */
export const assignmentStatuses = ["pending", "accepted", "returned"] as const;

/** An assignment status. */
export type AssignmentStatus = (typeof assignmentStatuses)[number];

/** Labels of the assignment statuses. */
export const assignmentStatusLabels: Readonly<Record<AssignmentStatus, string>> = {
  pending: "待签收",
  accepted: "已签收",
  returned: "已退回",
};

/** The office's internal routing of an application (staff only): assignment and sign-off chain. */
export const RequestWorkflowDto = z.strictObject({
  assignment: Nullable(z.enum(assignmentStatuses)),
  assignmentLabel: Nullable(z.string()),
  /** Why the last assignee returned it, and who (the registrar reassigns it). */
  returned: Nullable(z.strictObject({ reason: z.string(), byName: z.string(), at: z.string() })),
  signOffStage: z.enum(signOffStages),
  signOffStageLabel: z.string(),
});

/** The office's internal routing of an application. */
export type RequestWorkflowDto = z.infer<typeof RequestWorkflowDto>;

/** One row of a request list (the staff queue or the applicant's own list). */
export const RequestListItemDto = z.strictObject({
  id: z.string(),
  serialNo: z.string(),
  agency: AgencyRefDto,
  state: z.enum(states),
  stateLabel: z.string(),
  stateTone: z.enum(["default", "processing", "warning", "success", "error"]),
  applicant: ApplicantSummaryDto,
  channel: z.enum(channels),
  channelLabel: z.string(),
  submittedAt: z.string(),
  receiptDate: Nullable(IsoDate),
  /** The day the application was closed for statistics (办结), for the admin charts. */
  closedDate: Nullable(IsoDate).optional(),
  dueDate: Nullable(IsoDate),
  /** Working days left until the due date as of today (null while the clock is not running). */
  workingDaysLeft: Nullable(z.number().int()),
  /** Open and past the due date, or answered after it. */
  overdue: z.boolean(),
  /** The queue's colour: still owed a reply and past the due date, or within the warning window. */
  dueTone: z.enum(["overdue", "dueSoon"]).nullable().optional(),
  /** The 已延期 badge (the answer period was extended), or null. */
  extendedBadge: Nullable(z.string()),
  outcome: Nullable(z.enum(outcomeKeys)),
  outcomeLabel: Nullable(z.string()),
  /** The result in plain words for the applicant (「部分公开：部分信息依法不予公开，理由见答复书」). */
  outcomePlain: Nullable(z.string()),
  assignee: Nullable(StaffRefDto),
  /** Staff only; absent for applicants. */
  workflow: RequestWorkflowDto.optional(),
});

/** One row of a request list. */
export type RequestListItemDto = z.infer<typeof RequestListItemDto>;

/** One day of the clock's explanation. */
export const ClockDayDto = z.strictObject({
  date: IsoDate,
  counted: z.boolean(),
  reason: z.string(),
  dayNumber: z.number().int().optional(),
});

/** The statutory clock with its day-by-day explanation (same shape as the shared `ClockResult`). */
export const ClockDto = z.strictObject({
  status: z.enum(clockStatuses),
  receiptDate: Nullable(IsoDate),
  startDate: Nullable(IsoDate),
  dueDate: Nullable(IsoDate),
  correctionNoticeDueDate: IsoDate.optional(),
  correctionDeadline: IsoDate.optional(),
  feePaymentDueDate: IsoDate.optional(),
  consultationDueDate: IsoDate.optional(),
  workingDaysLimit: z.number().int(),
  extendedDays: z.number().int(),
  workingDaysUsed: z.number().int(),
  workingDaysLeft: z.number().int(),
  overdue: z.boolean(),
  paused: z.boolean(),
  explanation: z.array(ClockDayDto),
  warnings: z.array(z.string()),
});

/** The statutory clock of a request. */
export type ClockDto = z.infer<typeof ClockDto>;

/** One entry of the timeline. */
export const TimelineEntryDto = z.strictObject({
  type: z.enum(eventTypes),
  label: z.string(),
  /** The legal date of the event. */
  date: IsoDate,
  /** When it was recorded. */
  at: z.string(),
  actorKind: z.enum(["staff", "applicant", "system"]),
  /** 申请人 / 本机关 / 系统; staff see the person's name. */
  actorName: z.string(),
  /** A Chinese sentence describing what happened. */
  summary: z.string(),
  /** The 补正 items of a 补正告知, one per line, for applicants as well (shown as a list). */
  correctionItems: z.array(z.string()).optional(),
  /** A 收费通知's method and amount (whole yuan), for applicants as well; absent when a ledger import did not record them. */
  fee: z.strictObject({ method: z.enum(feeMethods), amount: z.number() }).optional(),
  /** The validated payload, for staff only. */
  payload: z.record(z.string(), z.unknown()).optional(),
});

/** A document issued with the request (letters, delivered files). */
export const RequestDocumentDto = z.strictObject({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  filename: z.string(),
  contentType: z.string(),
  size: z.number(),
  eventIndex: z.number().int(),
  forApplicant: z.boolean(),
  issuedAt: z.string(),
});

/** A staff note (never shown to applicants). */
export const RequestNoteDto = z.strictObject({ at: z.string(), authorName: z.string(), text: z.string() });

/** What the caller may do now; the clients show exactly these buttons. */
export const RequestAbilitiesDto = z.strictObject({
  /** Events the caller may fire now (shared `allowedEvents` over their lifecycle roles). */
  events: z.array(z.enum(eventTypes)),
  canAssign: z.boolean(),
  canReveal: z.boolean(),
  canAddNote: z.boolean(),
  canUploadFiles: z.boolean(),
  /** The assignee may accept (签收) or return (退回) an assignment waiting for them. */
  canAnswerAssignment: z.boolean(),
});

/** Another application linked to this one (转办): its number and agency. */
export const LinkedRequestDto = z.strictObject({
  id: z.string(),
  serialNo: z.string(),
  agencyName: z.string(),
  stateLabel: z.string(),
});

/** The detail of one request. */
export const RequestDetailDto = RequestListItemDto.safeExtend({
  description: z.string(),
  documentNumber: z.string(),
  infoForm: z.enum(infoForms),
  infoFormLabel: z.string(),
  delivery: z.enum(deliveryMethods),
  deliveryLabel: z.string(),
  /** Masked for staff (the reveal endpoint gives it in full), the applicant's own for the applicant. */
  email: z.string(),
  contactPerson: z.string(),
  /** 查询码 (printed on the 登记回执); null for records imported from a ledger. */
  queryCode: z.string().nullable().optional(),
  timeline: z.array(TimelineEntryDto),
  clock: ClockDto,
  documents: z.array(RequestDocumentDto),
  /** Staff only; absent for applicants. */
  notes: z.array(RequestNoteDto).optional(),
  abilities: RequestAbilitiesDto,
  /**
   * The agency's working staff the caller may assign the application to (only when they may
   * assign), handlers first, so the assignment dialog needs no access to user administration.
   */
  assignableStaff: z.array(StaffRefDto.safeExtend({ roleLabel: z.string() }).strict()).optional(),
  /** 转办 links: the application this one was handed on from, and the one it was handed on to. */
  transfers: z.strictObject({ from: Nullable(LinkedRequestDto), to: Nullable(LinkedRequestDto) }).optional(),
  /** The version to send back as `expectedVersion` (optimistic concurrency). */
  version: z.number().int(),
}).strict();

/** The detail of one request. */
export type RequestDetailDto = z.infer<typeof RequestDetailDto>;

/** The answer of the events endpoint. */
export const RequestEventResultDto = z.strictObject({
  request: RequestDetailDto,
  /** Non-blocking clock warnings (late 补正 notice, late reply). */
  warnings: z.array(z.string()),
});

/** The answer of the events endpoint. */
export type RequestEventResultDto = z.infer<typeof RequestEventResultDto>;

/** The unmasked personal data of the applicant (every read is audited). */
export const RevealedApplicantDto = z.strictObject({
  idType: z.enum(idTypes),
  idNumber: z.string(),
  phone: z.string(),
  address: z.string(),
  email: z.string(),
});

/** The unmasked personal data of the applicant. */
export type RevealedApplicantDto = z.infer<typeof RevealedApplicantDto>;

/** A page of request list items. */
export const RequestPageDto = z.strictObject({
  items: z.array(RequestListItemDto),
  nextCursor: z.string().nullable(),
});

/** A page of request list items. */
export type RequestPageDto = z.infer<typeof RequestPageDto>;

/** Sort orders of the staff queue (`-` = descending). */
export const queueSorts = ["dueDate", "-dueDate", "receiptDate", "-receiptDate"] as const;

const booleanText = (label: string) =>
  z.enum(["true", "false"], { error: `${label}只能是 true 或 false` }).transform((v) => v === "true");

/**
 * Which applications the queue lists when no state is chosen: those still being handled (the
 * default, so the queue opens on what needs work), those closed for statistics (办结), or all.
 */
export const queueScopes = ["open", "closed", "all"] as const;

/** Labels of the queue scopes. */
export const queueScopeLabels: Record<(typeof queueScopes)[number], string> = {
  open: "办理中",
  closed: "已办结",
  all: "全部",
};

/** Filters of the staff queue. */
export const RequestQueueQuery = PageQuery.extend({
  state: z.enum(states, { error: "状态取值不正确" }).optional(),
  scope: z.enum(queueScopes, { error: "办理范围取值应为 open、closed 或 all" }).default("open"),
  agencyId: ObjectIdString.optional(),
  assignee: z
    .union([z.literal("me"), z.literal("none"), ObjectIdString], {
      error: "承办人取值应为 me、none 或工作人员编号",
    })
    .optional(),
  dueWithin: z.coerce
    .number({ error: "到期工作日数应为整数" })
    .int({ error: "到期工作日数应为整数" })
    .min(0, { error: "到期工作日数不能为负数" })
    .max(60, { error: "到期工作日数不能超过60" })
    .optional(),
  overdue: booleanText("是否超期").optional(),
  assignment: z
    .enum(assignmentStatuses, { error: "签收状态取值应为 pending、accepted 或 returned" })
    .optional(),
  q: z.string().trim().max(100, { error: "搜索内容不能超过100字" }).optional(),
  year: z.coerce
    .number({ error: "年度应为四位数字" })
    .int({ error: "年度应为四位数字" })
    .min(2008, { error: "年度不能早于2008年" })
    .max(2100, { error: "年度不能晚于2100年" })
    .optional(),
  sort: z.enum(queueSorts, { error: "排序方式取值不正确" }).default("dueDate"),
});

/** Filters of the staff queue. */
export type RequestQueueQuery = z.infer<typeof RequestQueueQuery>;

/** Path parameter `:id`. */
export const RequestIdParams = z.object({ id: ObjectIdString });

/** Body of POST /requests/:id/events. */
export const RequestEventBody = z.object({
  /** The event (`type`, `date` and its payload); validated by the transitioner with the shared schema. */
  event: z.looseObject({}, { error: "请提交办理事项（event）" }),
  expectedVersion: z
    .number({ error: "请提交申请的版本号（expectedVersion）" })
    .int({ error: "版本号应为整数" })
    .min(0, { error: "版本号不能为负数" }),
});

/** Body of POST /requests/:id/withdraw. */
export const WithdrawBody = z.object({
  reason: z.string().trim().max(500, { error: "撤回理由不能超过500字" }).optional(),
  expectedVersion: z.number().int().min(0).optional(),
});

/** Body of POST /requests/:id/correction: the applicant's answer to the 补正 notice. */
export const CorrectionBody = z.object({
  description: Text(2000, "补正后的申请内容"),
  documentNumber: z.string().trim().max(100, { error: "文号不能超过 100 个字" }).optional(),
  expectedVersion: z.number().int().min(0).optional(),
});

/** Body of POST /requests/:id/assign. */
export const AssignBody = z.object({
  assigneeId: z.union([ObjectIdString, z.null()], { error: "承办人应为工作人员编号或 null" }),
});

/** Body of POST /requests/:id/assignment/return: why the assignee hands it back. */
export const AssignmentReturnBody = z.object({ reason: Text(500, "退回理由") });

/** Body of POST /requests/:id/notes. */
export const NoteBody = z.object({ text: Text(2000, "备注") });

/** Query of GET /requests/mine. */
export const MineQuery = PageQuery;
