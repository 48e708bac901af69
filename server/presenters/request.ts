/**
 * Disclosure request → shared DTOs. Whitelists only: personal data leaves masked (the reveal
 * endpoint is the one audited exception), applicants never see staff notes, staff names, third
 * parties' names or internal payloads, and every DTO carries the caller's abilities.
 */
import { grants } from "@govinfo/shared/access/capabilities";

import type { ClockResult } from "@govinfo/shared/calendar/clock";
import { dueTone } from "@govinfo/shared/calendar/reminders";
import type { CalendarOverrides } from "@govinfo/shared/calendar/workdays";
import { type FeeMethod, feeMethodLabels } from "@govinfo/shared/fees";
import { maskEmail } from "@govinfo/shared/identity";
import { type Channel, channelLabels } from "@govinfo/shared/lifecycle/channels";
import {
  type EventType,
  eventLabels,
  extendedBadgeLabel,
  historyOf,
  internalEvents,
  type State,
  signOffStage,
  signOffStageLabels,
  stateLabels,
  stateTones,
} from "@govinfo/shared/lifecycle/machine";
import { type StaffRole, staffRoleLabels } from "@govinfo/shared/schemas/auth";
import { deliveryLabels, idTypeLabels, infoFormLabels } from "@govinfo/shared/schemas/request";
import {
  type AssignmentStatus,
  assignmentStatusLabels,
  type ClockDto,
  type RequestDetailDto,
  type RequestListItemDto,
  type RequestWorkflowDto,
} from "@govinfo/shared/schemas/requestDto";
import {
  type ConsultationResult,
  consultationResultLabels,
  type FeeDeliveryMethod,
  feeDeliveryShortLabels,
  type RequestEvent,
  type ServiceMethod,
  serviceMethodLabels,
  transferConsentLabels,
} from "@govinfo/shared/schemas/requestEvent";
import {
  type ApplicantType,
  applicantColumns,
  type OutcomeKey,
  outcomeFullLabel,
  outcomePlainTexts,
} from "@govinfo/shared/stats/keys";
import type { Types } from "mongoose";
import { Agency } from "../models/Agency.ts";
import {
  DisclosureRequest,
  type DisclosureRequestDoc,
  type StoredEvent,
} from "../models/DisclosureRequest.ts";
import { User } from "../models/User.ts";
import type { Actor } from "../policies/actor.ts";
import { abilitiesOf, caseworkRoles } from "../policies/requestAbilities.ts";
import { calendarOverrides, dateInChina } from "../services/calendar.ts";
import { clockOf, toRequestEvent } from "../services/requestClock.ts";

/** Presents a page of requests as list items (agencies and assignees loaded in two queries). */
export async function presentRequestList(
  docs: readonly DisclosureRequestDoc[],
  today: string = dateInChina(),
  forStaff = false,
): Promise<RequestListItemDto[]> {
  const names = await loadNames(docs);
  const overrides = await calendarOverrides();
  return Promise.all(
    docs.map(async (doc) => {
      const item = await listItem(doc, names, today, overrides);
      return forStaff ? { ...item, workflow: workflowOf(doc) } : item;
    }),
  );
}

/** The office's internal routing: 签收/退回 of the assignment and the stage of the sign-off chain. */
function workflowOf(doc: DisclosureRequestDoc): RequestWorkflowDto {
  const status = (doc.assignmentStatus ?? null) as AssignmentStatus | null;
  const returned = doc.assignmentReturn;
  const { stage } = signOffStage(historyOf(doc.events as StoredEvent[]));
  return {
    assignment: status,
    assignmentLabel: status ? assignmentStatusLabels[status] : null,
    returned:
      status === "returned" && returned
        ? { reason: returned.reason, byName: returned.byName, at: new Date(returned.at).toISOString() }
        : null,
    signOffStage: stage,
    signOffStageLabel: signOffStageLabels[stage],
  };
}

/** Presents one request in full for the caller (staff or the owning applicant). */
export async function presentRequestDetail(
  doc: DisclosureRequestDoc,
  actor: Actor,
  today: string = dateInChina(),
): Promise<RequestDetailDto> {
  const names = await loadNames([doc]);
  const overrides = await calendarOverrides();
  const clock = await clockOf(doc, today, overrides);
  const forStaff = actor.kind === "staff";
  const listed = await listItem(doc, names, today, overrides, clock);
  const item = forStaff ? { ...listed, workflow: workflowOf(doc) } : listed;
  const events = doc.events as StoredEvent[];
  const abilities = abilitiesOf(actor, doc);
  return {
    ...item,
    description: doc.description,
    documentNumber: doc.documentNumber ?? "",
    infoForm: doc.infoForm,
    infoFormLabel: infoFormLabels[doc.infoForm],
    delivery: doc.delivery,
    deliveryLabel: deliveryLabels[doc.delivery],
    // Staff see the e-mail masked like the phone until a caseworker reveals it (audited).
    email: forStaff ? maskEmail(doc.applicant.email ?? "") : (doc.applicant.email ?? ""),
    contactPerson: doc.applicant.contactPerson ?? "",
    queryCode: doc.queryCode ?? null,
    timeline: events
      .filter((event) => forStaff || !internalEvents.includes(event.type as EventType))
      .map((event) => ({
        type: event.type as EventType,
        label: eventLabels[event.type as EventType] ?? event.type,
        date: event.date,
        at: new Date(event.at).toISOString(),
        actorKind: event.actorKind,
        actorName: actorNameOf(event, forStaff),
        summary: summarize(event, forStaff),
        ...(event.type === "requestCorrection" && Array.isArray(event.payload.items)
          ? { correctionItems: (event.payload.items as unknown[]).map(String) }
          : {}),
        ...feeOf(event),
        ...(forStaff ? { payload: { ...event.payload } } : {}),
      })),
    clock: presentClock(clock, forStaff ? [] : consultedParties(events)),
    documents: doc.documents
      .filter((d) => forStaff || d.forApplicant)
      .map((d) => ({
        id: String(d._id),
        kind: d.kind,
        title: d.title,
        filename: d.filename,
        contentType: d.contentType,
        size: d.size,
        eventIndex: d.eventIndex,
        forApplicant: d.forApplicant,
        issuedAt: new Date(d.issuedAt).toISOString(),
      })),
    ...(forStaff
      ? {
          notes: doc.notes.map((n) => ({
            at: new Date(n.at).toISOString(),
            authorName: n.authorName,
            text: n.text,
          })),
        }
      : {}),
    abilities,
    ...(abilities.canAssign ? { assignableStaff: await assignableStaffOf(doc.agencyId) } : {}),
    ...(doc.transferredFromId || doc.transferredToId ? { transfers: await transfersOf(doc) } : {}),
    version: doc.version,
  };
}

/** The applications a 转办 links to this one (both belong to the same applicant). */
async function transfersOf(
  doc: Pick<DisclosureRequestDoc, "transferredFromId" | "transferredToId">,
): Promise<NonNullable<RequestDetailDto["transfers"]>> {
  const ids = [doc.transferredFromId, doc.transferredToId].filter((id): id is Types.ObjectId => !!id);
  const linked = await DisclosureRequest.find(
    { _id: { $in: ids } },
    { serialNo: 1, agencyId: 1, state: 1 },
  ).lean<Pick<DisclosureRequestDoc, "_id" | "serialNo" | "agencyId" | "state">[]>();
  const agencies = await Agency.find({ _id: { $in: linked.map((l) => l.agencyId) } }, { name: 1 }).lean<
    { _id: Types.ObjectId; name: string }[]
  >();
  const present = (id: Types.ObjectId | null | undefined) => {
    const found = id ? linked.find((l) => String(l._id) === String(id)) : undefined;
    if (!found) return null;
    return {
      id: String(found._id),
      serialNo: found.serialNo,
      agencyName: agencies.find((a) => String(a._id) === String(found.agencyId))?.name ?? "",
      stateLabel: stateLabels[found.state as State],
    };
  };
  return { from: present(doc.transferredFromId), to: present(doc.transferredToId) };
}

/**
 * Enabled staff of the agency who work cases, handlers (承办) first, then by name; each with the
 * roles they hold there, so the clerk can tell 承办 from 审核 when assigning.
 */
async function assignableStaffOf(
  agencyId: Types.ObjectId,
): Promise<{ id: string; name: string; roleLabel: string }[]> {
  const users = await User.find(
    { disabled: { $ne: true }, roles: { $elemMatch: { agencyId, role: { $in: caseworkRoles } } } },
    { displayName: 1, roles: 1 },
  ).lean<
    { _id: Types.ObjectId; displayName: string; roles: { agencyId: Types.ObjectId; role: StaffRole }[] }[]
  >();
  const rows = users.map((user) => {
    const held = user.roles.filter((g) => String(g.agencyId) === String(agencyId)).map((g) => g.role);
    return {
      id: String(user._id),
      name: user.displayName,
      roleLabel: caseworkRoles
        .filter((r) => held.includes(r))
        .map((r) => staffRoleLabels[r])
        .join("、"),
      isHandler: grants(held, "handleAssignedRequests"),
    };
  });
  rows.sort((a, b) => Number(b.isHandler) - Number(a.isHandler) || a.name.localeCompare(b.name, "zh-CN"));
  return rows.map(({ id, name, roleLabel }) => ({ id, name, roleLabel }));
}

/**
 * The clock as the API answers it (a copy of the shared result, explanation included).
 * @param hidden names to strip from the explanation (third parties, for applicants).
 */
export function presentClock(clock: ClockResult, hidden: readonly string[] = []): ClockDto {
  const redact = (text: string) => hidden.reduce((t, name) => t.replaceAll(`（${name}）`, ""), text);
  return {
    status: clock.status,
    receiptDate: clock.receiptDate,
    startDate: clock.startDate,
    dueDate: clock.dueDate,
    ...(clock.correctionNoticeDueDate ? { correctionNoticeDueDate: clock.correctionNoticeDueDate } : {}),
    ...(clock.correctionDeadline ? { correctionDeadline: clock.correctionDeadline } : {}),
    ...(clock.feePaymentDueDate ? { feePaymentDueDate: clock.feePaymentDueDate } : {}),
    ...(clock.consultationDueDate ? { consultationDueDate: clock.consultationDueDate } : {}),
    workingDaysLimit: clock.workingDaysLimit,
    extendedDays: clock.extendedDays,
    workingDaysUsed: clock.workingDaysUsed,
    workingDaysLeft: clock.workingDaysLeft,
    overdue: clock.overdue,
    paused: clock.paused,
    explanation: clock.explanation.map((d) => ({
      date: d.date,
      counted: d.counted,
      reason: redact(d.reason),
      ...(d.dayNumber === undefined ? {} : { dayNumber: d.dayNumber }),
    })),
    warnings: [...clock.warnings],
  };
}

/** Names of the parties consulted (Art. 32/34), which applicants are not shown. */
export function consultedParties(events: readonly Pick<StoredEvent, "type" | "payload">[]): string[] {
  return events.flatMap((e) =>
    e.type === "startConsultation" && typeof e.payload.name === "string" ? [e.payload.name] : [],
  );
}

interface Names {
  agencies: Map<string, string>;
  users: Map<string, string>;
}

async function loadNames(docs: readonly DisclosureRequestDoc[]): Promise<Names> {
  const agencyIds = [...new Set(docs.map((d) => String(d.agencyId)))];
  const userIds = [...new Set(docs.flatMap((d) => (d.assigneeId ? [String(d.assigneeId)] : [])))];
  const [agencies, users] = await Promise.all([
    Agency.find({ _id: { $in: agencyIds } }, { name: 1 }).lean(),
    userIds.length > 0 ? User.find({ _id: { $in: userIds } }, { displayName: 1 }).lean() : [],
  ]);
  return {
    agencies: new Map(agencies.map((a) => [String(a._id), a.name])),
    users: new Map(users.map((u) => [String(u._id), u.displayName])),
  };
}

const applicantTypeLabels = new Map<string, string>(applicantColumns.map((c) => [c.key, c.label]));

async function listItem(
  doc: DisclosureRequestDoc,
  names: Names,
  today: string,
  overrides: CalendarOverrides,
  known?: ClockResult,
): Promise<RequestListItemDto> {
  const clock = known ?? (await clockOf(doc, today, overrides));
  const state = doc.state as State;
  const events = doc.events as StoredEvent[];
  const outcome = (doc.outcome ?? null) as OutcomeKey | null;
  const assigneeId = doc.assigneeId as Types.ObjectId | null;
  const running = clock.status === "running" || clock.status === "paused";
  return {
    id: String(doc._id),
    serialNo: doc.serialNo,
    agency: { id: String(doc.agencyId), name: names.agencies.get(String(doc.agencyId)) ?? "" },
    state,
    stateLabel: stateLabels[state],
    stateTone: stateTones[state],
    applicant: {
      name: doc.applicant.name,
      type: doc.applicant.type as ApplicantType,
      typeLabel: applicantTypeLabels.get(doc.applicant.type) ?? "",
      idType: doc.applicant.idType,
      idTypeLabel: idTypeLabels[doc.applicant.idType],
      idNumberMasked: doc.applicant.idNumberMasked ?? "",
      phoneMasked: doc.applicant.phoneMasked ?? "",
    },
    channel: doc.channel as Channel,
    channelLabel: channelLabels[doc.channel as Channel],
    submittedAt: new Date(doc.createdAt).toISOString(),
    receiptDate: clock.receiptDate,
    closedDate: doc.closedDate ?? null,
    dueDate: clock.dueDate,
    workingDaysLeft: running && clock.dueDate ? clock.workingDaysLeft : null,
    overdue: clock.overdue,
    dueTone: dueTone({
      open: running && clock.dueDate !== null,
      overdue: clock.overdue,
      workingDaysLeft: running && clock.dueDate ? clock.workingDaysLeft : null,
    }),
    extendedBadge: events.some((e) => e.type === "extend") ? extendedBadgeLabel : null,
    outcome,
    outcomeLabel: outcome ? outcomeFullLabel(outcome) : null,
    outcomePlain: outcome ? outcomePlainTexts[outcome] : null,
    assignee: assigneeId ? { id: String(assigneeId), name: names.users.get(String(assigneeId)) ?? "" } : null,
  };
}

function actorNameOf(event: StoredEvent, forStaff: boolean): string {
  if (event.actorKind === "system") return "系统";
  if (event.actorKind === "applicant") return "申请人";
  return forStaff ? event.actorName || "工作人员" : "本机关";
}

const groundShort: Record<string, string> = {
  alreadyPublic: "已主动公开，第三十六条第（一）项",
  disclosable: "第三十六条第（二）项",
  notExist: "该政府信息不存在，第三十六条第（四）项",
  notResponsible: "不属于本机关负责公开，第三十六条第（五）项",
};
/** 2026-12-20 → 2026年12月20日, as letters and citizens write dates. */
function chineseDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : iso;
}

/** A 收费通知's method and amount as fields, so clients never read them out of the sentence. */
function feeOf(event: StoredEvent): { fee?: { method: FeeMethod; amount: number } } {
  const payload = event.payload as { method?: FeeMethod; amount?: number };
  if (event.type !== "feeNotice" || payload.amount === undefined || payload.method === undefined) return {};
  return { fee: { method: payload.method, amount: payload.amount } };
}

/**
 * One Chinese sentence per event. Applicants get what concerns them: not the third party consulted
 * (its identity may itself be what Art. 32 protects), not the approver, not internal notes.
 */
/** One sentence about an event; applicants (`forStaff` false) never see third parties or staff names. */
export function summarize(stored: StoredEvent, forStaff: boolean): string {
  const event = toRequestEvent(stored);
  switch (event.type) {
    case "submit":
      return `通过${channelLabels[event.channel]}提交申请`;
    case "register":
      return event.transferredFrom
        ? `收到${event.transferredFrom.agencyName}转送的申请（原申请编号${event.transferredFrom.serialNo}），以收到转送之日为收到申请之日`
        : `登记申请（${channelLabels[event.channel]}）`;
    case "confirmReceipt":
      return "双方确认收到申请，以该日为收到申请之日";
    case "requestCorrection":
      return `一次性告知补正：${event.items.join("；")}；补正期限至${forStaff ? event.deadline : chineseDate(event.deadline)}`;
    case "receiveCorrection":
      return event.description !== undefined ? "收到补正申请，申请内容已更正" : "收到补正申请";
    case "expireCorrection":
      return "申请人无正当理由逾期不补正，视为放弃申请，不再处理";
    case "startConsultation": {
      const who = event.party === "thirdParty" ? "第三方" : "其他机关";
      return forStaff ? `征求${who}（${event.name}）意见` : `征求${who}意见（征求意见时间不计入答复期限）`;
    }
    case "endConsultation":
      return forStaff && event.result
        ? `征求意见结束（${consultationResultLabels[event.result as ConsultationResult] ?? event.result}）`
        : "征求意见结束";
    case "extend":
      return forStaff
        ? `延长答复期限${event.workingDays}个工作日（理由：${event.reason}；批准人：${event.approver}）`
        : `延长答复期限${event.workingDays}个工作日（理由：${event.reason}）`;
    case "delayDeadline":
      return `确定延迟答复期限至${event.deadline}（理由：${event.reason}）`;
    case "feeNotice":
      // Ledger imports know the date of a fee notice but not its method or amount.
      if (event.amount === undefined) return "发出收费通知";
      return `发出收费通知：${feeMethodLabels[event.method as FeeMethod] ?? event.method}，信息处理费${event.amount}元${
        event.delivery ? `，${feeDeliveryShortLabels[event.delivery as FeeDeliveryMethod]}` : ""
      }`;
    case "recordFeeDelivery":
      return "申请人签收收费通知，缴费期限自签收之日的次日起计算";
    case "feePaid":
      return forStaff && event.receiptNo
        ? `已缴纳信息处理费（票据号：${event.receiptNo}）`
        : "已缴纳信息处理费";
    case "expireFee":
      return "申请人逾期未缴纳信息处理费，视为放弃申请，不再处理";
    // The sign-off chain is the agency's internal routing: applicants see none of it (see `isInternal`).
    case "draftDecision": {
      const ground = event.ground ? `（${groundShort[event.ground]}）` : "";
      return `拟办：${outcomeFullLabel(event.outcome)}${ground}`;
    }
    case "returnDraft":
      return `退回返工（理由：${event.reason}）`;
    case "approveDraft":
      return event.comment ? `审核通过（审核意见：${event.comment}）` : "审核通过";
    case "signOff":
      return event.comment ? `签发（签发意见：${event.comment}）` : "签发";
    case "decide": {
      // Applicants read the result in plain words, not table 三's row heading and counting note.
      const result = forStaff ? outcomeFullLabel(event.outcome) : outcomePlainTexts[event.outcome];
      const ground = event.ground ? `（${groundShort[event.ground]}）` : "";
      const merged = (event as { mergedRequests?: { serialNo: string }[] }).mergedRequests ?? [];
      const transfer =
        (event.transfer ? transferSentence(event) : "") +
        (merged.length > 0 ? `；与${merged.map((m) => m.serialNo).join("、")}合并答复` : "");
      return `作出答复：${result}${ground}${event.documentNumber ? `（${event.documentNumber}）` : ""}${transfer}`;
    }
    case "deliver": {
      const method = serviceMethodLabels[event.method as ServiceMethod] ?? "送达答复";
      return event.method === "mail" && event.trackingNo
        ? `${method}（邮件单号：${event.trackingNo}）`
        : method;
    }
    case "withdraw":
      return event.reason ? `申请人撤回申请（理由：${event.reason}）` : "申请人撤回申请";
    case "closeUnprocessed":
      return forStaff
        ? `不再处理：${outcomeFullLabel(event.outcome)}（理由：${event.reason}）`
        : `不再处理：${outcomePlainTexts[event.outcome]}（理由：${event.reason}）`;
  }
}

/** The 转办 clause of a reply's sentence: the consent on record and the receiving agency. */
function transferSentence(event: Extract<RequestEvent, { type: "decide" }>): string {
  const to =
    (event as { responsibleAgency?: { name?: string } }).responsibleAgency?.name ?? "负责公开的行政机关";
  const consent = event.transfer
    ? `${transferConsentLabels[event.transfer.consentMethod]}，${chineseDate(event.transfer.consentDate)}`
    : "";
  return `；经申请人同意（${consent}），已转送${to}办理`;
}
