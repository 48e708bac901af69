/**
 * THE lifecycle of a 依申请公开 application: states, events, who may fire each event, the guards,
 * and the statistics outcome a closing transition sets. Single source of truth for the server
 * transitioner, policies, the admin buttons and the mini-program timeline.
 *
 * Design choices:
 * - Extension (延长答复期限) is an event, not a state. It fires from `received` and stays there; the
 *   clock adds the days. A separate `extended` state would need a twin of every other state
 *   (consulting-while-extended, fee-while-extended…) and would hide what staff actually act on.
 *   Lists show the derived badge `extendedBadgeLabel` instead.
 * - The outcome is set when the application is closed for statistics (办结): `decide` (the 答复
 *   is issued; the clock stops) and the closures without a reply. `decided` then waits only for
 *   the delivery record; `delivered` is terminal. So every path to a terminal state passes exactly
 *   one outcome-setting transition.
 * - An online/fax/mail submission that was never confirmed (`submitted`) was never 收到 in law: it
 *   is outside table 三 (not 新收), so withdrawing or closing it sets no outcome.
 * - One consultation at a time (征求意见): consult the third party, then another agency, in turn.
 * - The sign-off chain (拟办 → 审核/返工 → 签发) is four events that stay in `received`, like the
 *   extension: the clock keeps running while a reply is signed off, and the statistics only ever see
 *   `decide`. Where the draft stands is derived from the history (`signOffStage`); which outcomes
 *   need which steps is the agency's setting, recorded on the draft when it is made (`needsSignOff`)
 *   and checked on `decide` by `signOffRefusal`.
 */
import type { ClockResult } from "../calendar/clock.ts";
import { type OutcomeGroupKey, type OutcomeKey, outcomes } from "../stats/keys.ts";

/** Lifecycle states, in the order of a typical case. */
export const states = [
  "submitted",
  "received",
  "correctionRequested",
  "consulting",
  "feeNotified",
  "decided",
  "delivered",
  "withdrawn",
  "closedWithoutProcessing",
] as const;

/** A lifecycle state. */
export type State = (typeof states)[number];

/** Roles that may fire events; `system` is the scheduled jobs. */
export const roles = [
  "applicant",
  "registrar",
  "handler",
  "reviewer",
  "admin",
  "supervisor",
  "signer",
  "system",
] as const;

/** A role. */
export type Role = (typeof roles)[number];

/** Lifecycle events; `submit` and `register` create an application, the rest move it. */
export const eventTypes = [
  "submit",
  "register",
  "confirmReceipt",
  "requestCorrection",
  "receiveCorrection",
  "expireCorrection",
  "startConsultation",
  "endConsultation",
  "extend",
  "delayDeadline",
  "feeNotice",
  "recordFeeDelivery",
  "feePaid",
  "expireFee",
  "draftDecision",
  "returnDraft",
  "approveDraft",
  "signOff",
  "decide",
  "deliver",
  "withdraw",
  "closeUnprocessed",
] as const;

/** A lifecycle event type. */
export type EventType = (typeof eventTypes)[number];

/** How a transition sets the outcome: a fixed key, the one chosen in the payload, or none. */
export type OutcomeRule = OutcomeKey | "chosen" | null;

/** One event: who may fire it, from which states, where it leads and what outcome it sets. */
export interface EventDefinition {
  roles: readonly Role[];
  /** Source states; empty for the creation events. */
  from: readonly State[];
  to: State;
  /** Outcome set when fired from a received state (from `submitted` it is always null). */
  outcome: OutcomeRule;
  /** Fires at most once per application (checked against the event history). */
  once?: boolean;
}

/** The event table (single source of truth); `transitions` is derived from it. */
export const eventDefinitions: Readonly<Record<EventType, EventDefinition>> = {
  submit: { roles: ["applicant", "registrar"], from: [], to: "submitted", outcome: null },
  register: { roles: ["registrar"], from: [], to: "received", outcome: null },
  confirmReceipt: { roles: ["registrar"], from: ["submitted"], to: "received", outcome: null },
  requestCorrection: {
    roles: ["registrar", "handler"],
    from: ["received"],
    to: "correctionRequested",
    outcome: null,
    once: true,
  },
  // The applicant answers the 补正 notice online; staff record corrections that arrive on paper.
  receiveCorrection: {
    roles: ["applicant", "registrar", "handler"],
    from: ["correctionRequested"],
    to: "received",
    outcome: null,
  },
  expireCorrection: {
    roles: ["system"],
    from: ["correctionRequested"],
    to: "closedWithoutProcessing",
    outcome: "other.noCorrection",
  },
  startConsultation: { roles: ["handler"], from: ["received"], to: "consulting", outcome: null },
  endConsultation: { roles: ["handler", "system"], from: ["consulting"], to: "received", outcome: null },
  extend: { roles: ["reviewer"], from: ["received"], to: "received", outcome: null, once: true },
  delayDeadline: { roles: ["reviewer"], from: ["received"], to: "received", outcome: null, once: true },
  feeNotice: { roles: ["reviewer"], from: ["received"], to: "feeNotified", outcome: null, once: true },
  // A notice sent by mail reaches the applicant on the signing date; the payment window starts after it.
  recordFeeDelivery: {
    roles: ["registrar", "handler"],
    from: ["feeNotified"],
    to: "feeNotified",
    outcome: null,
    once: true,
  },
  feePaid: {
    roles: ["registrar", "handler", "system"],
    from: ["feeNotified"],
    to: "received",
    outcome: null,
  },
  expireFee: {
    roles: ["system"],
    from: ["feeNotified"],
    to: "closedWithoutProcessing",
    outcome: "other.feeUnpaid",
  },
  // The sign-off chain: the handler drafts (拟办), the reviewer approves or returns it (审核/返工), a
  // signer signs it off (签发) or returns it; the order is guarded by `signOffStage`.
  draftDecision: { roles: ["handler"], from: ["received"], to: "received", outcome: null },
  returnDraft: { roles: ["reviewer", "signer"], from: ["received"], to: "received", outcome: null },
  approveDraft: { roles: ["reviewer"], from: ["received"], to: "received", outcome: null },
  signOff: { roles: ["signer"], from: ["received"], to: "received", outcome: null },
  decide: { roles: ["reviewer"], from: ["received"], to: "decided", outcome: "chosen" },
  deliver: { roles: ["registrar", "handler", "system"], from: ["decided"], to: "delivered", outcome: null },
  withdraw: {
    roles: ["applicant", "registrar"],
    from: ["submitted", "received", "correctionRequested", "consulting", "feeNotified"],
    to: "withdrawn",
    outcome: "other.other",
  },
  closeUnprocessed: {
    roles: ["reviewer", "admin"],
    from: ["submitted", "received", "correctionRequested", "consulting", "feeNotified"],
    to: "closedWithoutProcessing",
    outcome: "chosen",
  },
};

/**
 * The agency's internal sign-off routing (拟办、审核、返工、签发): shown to staff, never on the
 * applicant's timeline (the applicant is answered by the reply itself).
 */
export const internalEvents: readonly EventType[] = [
  "draftDecision",
  "returnDraft",
  "approveDraft",
  "signOff",
];

/** A transition out of a state: target and outcome rule (already null for `submitted`). */
export interface Transition {
  to: State;
  outcome: OutcomeRule;
}

/** Transition table by state then event, derived from `eventDefinitions`. */
export const transitions: Readonly<Record<State, Readonly<Partial<Record<EventType, Transition>>>>> =
  buildTransitions();

/** Creation events and the state a new application starts in. */
export const initialTransitions: Readonly<Partial<Record<EventType, State>>> = {
  submit: "submitted",
  register: "received",
};

/** States in which the application is closed for statistics (办结) and the clock has stopped. */
export const closedStates: readonly State[] = [
  "decided",
  "delivered",
  "withdrawn",
  "closedWithoutProcessing",
];

/** States with no further events. */
export const terminalStates: readonly State[] = ["delivered", "withdrawn", "closedWithoutProcessing"];

/** State labels (exact terms shown to staff and applicants). */
export const stateLabels: Readonly<Record<State, string>> = {
  submitted: "已提交待确认",
  received: "已收到申请",
  correctionRequested: "补正中",
  consulting: "征求意见中",
  feeNotified: "待缴费",
  decided: "已答复",
  delivered: "已送达",
  withdrawn: "已撤回",
  closedWithoutProcessing: "终止处理",
};

/** Badge shown while the answer period has been extended (extension is an event, not a state). */
export const extendedBadgeLabel = "已延期";

/** UI tone per state (maps to antd/NutUI tag colours). */
export const stateTones: Readonly<Record<State, "default" | "processing" | "warning" | "success" | "error">> =
  {
    submitted: "default",
    received: "processing",
    correctionRequested: "warning",
    consulting: "warning",
    feeNotified: "warning",
    decided: "success",
    delivered: "success",
    withdrawn: "default",
    closedWithoutProcessing: "error",
  };

/** Event labels (button and timeline wording). */
export const eventLabels: Readonly<Record<EventType, string>> = {
  submit: "提交申请",
  register: "登记申请",
  confirmReceipt: "确认收到申请",
  requestCorrection: "一次性告知补正",
  receiveCorrection: "收到补正申请",
  expireCorrection: "逾期未补正，不再处理",
  startConsultation: "征求第三方或其他机关意见",
  endConsultation: "征求意见结束",
  extend: "延长答复期限",
  delayDeadline: "确定延迟答复期限",
  feeNotice: "发出收费通知",
  recordFeeDelivery: "记录收费通知签收",
  feePaid: "确认已缴费",
  expireFee: "逾期未缴费，不再处理",
  draftDecision: "拟办",
  returnDraft: "退回返工",
  approveDraft: "审核通过",
  signOff: "签发",
  decide: "作出答复",
  deliver: "送达答复",
  withdraw: "撤回申请",
  closeUnprocessed: "不再处理",
};

/** Role labels. */
export const roleLabels: Readonly<Record<Role, string>> = {
  applicant: "申请人",
  registrar: "登记人员",
  handler: "承办人员",
  reviewer: "审核人员",
  admin: "机关管理员",
  supervisor: "监督人员",
  signer: "签发人员",
  system: "系统",
};

/** A past event as far as the guards need it. */
export interface HistoryEntry {
  type: EventType;
  /** A 拟办's outcome (checked against the outcome of `decide`). */
  outcome?: string | undefined;
  /** A 拟办 that needs 签发 after 审核 (the agency's setting when it was drafted). */
  needsSignOff?: boolean | undefined;
}

/** The guards' view of stored events (type, and what a 拟办 recorded). */
export function historyOf(
  events: readonly { type: string; payload?: Record<string, unknown> | null | undefined }[],
): HistoryEntry[] {
  return events.map((e) =>
    e.type === "draftDecision"
      ? {
          type: e.type,
          outcome: typeof e.payload?.outcome === "string" ? e.payload.outcome : undefined,
          needsSignOff: e.payload?.needsSignOff === true,
        }
      : { type: e.type as EventType },
  );
}

/** Why an event may not fire: stable code for clients plus a Chinese message. */
export type Refusal = {
  ok: false;
  code:
    | "lifecycle.invalid_state"
    | "lifecycle.forbidden_role"
    | "lifecycle.already_done"
    | "lifecycle.invalid_outcome"
    | "lifecycle.period_lapsed"
    | "lifecycle.out_of_order";
  message: string;
};

/** The state an event leads to from `state`, or null when the event is not allowed there. */
export function nextState(state: State, event: EventType): State | null {
  return transitions[state][event]?.to ?? null;
}

/** Returns true when no event can leave the state. */
export function isTerminal(state: State): boolean {
  return terminalStates.includes(state);
}

/** Returns true when the application is closed for statistics (it has its outcome). */
export function isClosed(state: State): boolean {
  return closedStates.includes(state);
}

/** Checks state, role and once-only guards; payload-dependent rules are in `checkOutcome`. */
export function canFire(
  state: State,
  event: EventType,
  role: Role,
  history: readonly HistoryEntry[] = [],
): { ok: true } | Refusal {
  const def = eventDefinitions[event];
  if (!transitions[state][event]) {
    return {
      ok: false,
      code: "lifecycle.invalid_state",
      message: `当前状态“${stateLabels[state]}”下不能${eventLabels[event]}`,
    };
  }
  if (!def.roles.includes(role)) {
    return {
      ok: false,
      code: "lifecycle.forbidden_role",
      message: `${roleLabels[role]}无权${eventLabels[event]}`,
    };
  }
  if (def.once && history.some((h) => h.type === event)) {
    return {
      ok: false,
      code: "lifecycle.already_done",
      message: onceMessages[event] ?? `${eventLabels[event]}只能进行一次`,
    };
  }
  const order = signOffOrderProblem(event, role, signOffStage(history).stage);
  if (order) return { ok: false, code: "lifecycle.out_of_order", message: order };
  return { ok: true };
}

/**
 * Where the current 拟办 stands: none drafted (or the last one lapsed), waiting for 审核, returned
 * (返工), waiting for 签发, approved (no 签发 needed) or signed.
 */
export const signOffStages = [
  "none",
  "awaitingReview",
  "returned",
  "awaitingSignOff",
  "approved",
  "signed",
] as const;

/** A stage of the sign-off chain (see `signOffStages`). */
export type SignOffStage = (typeof signOffStages)[number];

/** Labels of the stages (the admin page's badge). */
export const signOffStageLabels: Readonly<Record<SignOffStage, string>> = {
  none: "未拟办",
  awaitingReview: "拟办待审核",
  returned: "已退回返工",
  awaitingSignOff: "审核通过待签发",
  approved: "审核通过",
  signed: "已签发",
};

/** Events that leave a 拟办 standing; any other event (补正, 征求意见, 收费…) changes the facts it rests on. */
const keepsDraft: readonly EventType[] = [
  "returnDraft",
  "approveDraft",
  "signOff",
  "extend",
  "delayDeadline",
];

/**
 * The stage of the last 拟办, derived from the history, and the index of that 拟办 (-1: none).
 * A draft lapses when the case left `received` after it (a new 拟办 is then needed).
 */
export function signOffStage(history: readonly HistoryEntry[]): { stage: SignOffStage; draftIndex: number } {
  const draftIndex = history.findLastIndex((h) => h.type === "draftDecision");
  const draft = history[draftIndex];
  if (!draft) return { stage: "none", draftIndex: -1 };
  let stage: SignOffStage = "awaitingReview";
  for (const entry of history.slice(draftIndex + 1)) {
    if (!keepsDraft.includes(entry.type)) return { stage: "none", draftIndex: -1 };
    if (entry.type === "returnDraft") stage = "returned";
    if (entry.type === "approveDraft") stage = draft.needsSignOff ? "awaitingSignOff" : "approved";
    if (entry.type === "signOff") stage = "signed";
  }
  return { stage, draftIndex };
}

/** Why a chain event (or `decide`) is out of order at `stage` for `role`, or null. */
function signOffOrderProblem(event: EventType, role: Role, stage: SignOffStage): string | null {
  switch (event) {
    case "draftDecision":
      if (stage === "awaitingReview" || stage === "awaitingSignOff")
        return "已有拟办意见正在审核或签发，须先由审核或签发人员退回，才能重新拟办";
      if (stage === "approved" || stage === "signed") return "拟办意见已审核通过，请作出答复";
      return null;
    case "returnDraft":
      if (role === "signer") return stage === "awaitingSignOff" ? null : "没有待签发的拟办意见，不能退回";
      return stage === "awaitingReview" ? null : "没有待审核的拟办意见，不能退回";
    case "approveDraft":
      if (stage === "awaitingReview") return null;
      if (stage === "awaitingSignOff" || stage === "approved" || stage === "signed")
        return "该拟办意见已审核通过，不能重复审核";
      return "没有待审核的拟办意见，须先由承办人员拟办";
    case "signOff":
      if (stage === "awaitingSignOff") return null;
      if (stage === "awaitingReview") return "拟办意见尚未审核通过，不能签发";
      if (stage === "approved") return "按本机关的设置，该拟办意见无需签发";
      if (stage === "signed") return "该拟办意见已签发，不能重复签发";
      return "没有待签发的拟办意见，须先拟办并经审核通过";
    case "decide":
      if (stage === "awaitingReview") return "拟办意见尚未审核，不能作出答复";
      if (stage === "awaitingSignOff") return "拟办意见尚未签发，不能作出答复";
      return null;
    default:
      return null;
  }
}

/** The steps an agency requires before a reply with a given outcome is issued. */
export type SignOffSteps = "none" | "review" | "signOff";

/** Labels of the steps, as the agency admin picks them. */
export const signOffStepLabels: Readonly<Record<SignOffSteps, string>> = {
  none: "直接作出答复",
  review: "拟办、审核",
  signOff: "拟办、审核、签发",
};

/** Keys of the steps (for schemas). */
export const signOffStepKeys = ["none", "review", "signOff"] as const satisfies readonly SignOffSteps[];

/**
 * An agency's sign-off setting: the steps a reply needs, per outcome group （一）…（六） of table 三.
 * An agency that set nothing answers in one step, as before the chain existed.
 */
export type SignOffPolicy = Readonly<Record<OutcomeGroupKey, SignOffSteps>>;

/** The setting of an agency that configured no chain. */
export const noSignOffPolicy: SignOffPolicy = {
  granted: "none",
  partial: "none",
  withheld: "none",
  unable: "none",
  notProcessed: "none",
  other: "none",
};

/** The steps a reply with `outcome` needs under `policy`. */
export function signOffStepsFor(
  policy: Partial<SignOffPolicy> | null | undefined,
  outcome: OutcomeKey,
): SignOffSteps {
  return policy?.[outcomes[outcome].group] ?? "none";
}

/**
 * Why `decide` with `outcome` may not fire under the agency's setting `steps` for that outcome, or
 * null: the required steps must be complete, and the reply must be the one that was signed off.
 */
export function signOffRefusal(
  outcome: string,
  steps: SignOffSteps,
  history: readonly HistoryEntry[],
): Refusal | null {
  const { stage, draftIndex } = signOffStage(history);
  const refuse = (message: string): Refusal => ({ ok: false, code: "lifecycle.out_of_order", message });
  if (stage === "approved" || stage === "signed") {
    if (history[draftIndex]?.outcome !== outcome)
      return refuse("答复的办理结果与审核通过的拟办意见不一致，请重新拟办");
    return null;
  }
  if (steps === "none") return null;
  return refuse(
    steps === "signOff"
      ? "按本机关的审核签发设置，该办理结果须经拟办、审核、签发后才能作出答复"
      : "按本机关的审核签发设置，该办理结果须经拟办、审核后才能作出答复",
  );
}

/** Events the role may fire now, in table order (drives the buttons on both clients). */
export function allowedEvents(state: State, role: Role, history: readonly HistoryEntry[] = []): EventType[] {
  return eventTypes.filter((event) => canFire(state, event, role, history).ok);
}

/**
 * The outcome a transition sets, or null when it sets none. `chosen` is the payload's outcome.
 * Call only after `canFire`; returns a refusal when the chosen outcome does not fit the case.
 */
export function checkOutcome(
  state: State,
  event: EventType,
  chosen: OutcomeKey | undefined,
  history: readonly HistoryEntry[] = [],
): { ok: true; outcome: OutcomeKey | null } | Refusal {
  const rule = transitions[state][event]?.outcome ?? null;
  if (rule === null) return { ok: true, outcome: null };
  if (rule !== "chosen") return { ok: true, outcome: rule };
  if (!chosen) return { ok: false, code: "lifecycle.invalid_outcome", message: "请选择办理结果" };
  if (chosen === "unable.stillUnclear" && !history.some((h) => h.type === "receiveCorrection")) {
    return {
      ok: false,
      code: "lifecycle.invalid_outcome",
      message: "“补正后申请内容仍不明确”仅适用于申请人已补正的申请",
    };
  }
  if (chosen === "other.noCorrection" && state !== "correctionRequested") {
    return { ok: false, code: "lifecycle.invalid_outcome", message: "“逾期不补正”仅适用于补正中的申请" };
  }
  if (chosen === "other.feeUnpaid" && state !== "feeNotified") {
    return { ok: false, code: "lifecycle.invalid_outcome", message: "“逾期未缴费”仅适用于待缴费的申请" };
  }
  return { ok: true, outcome: chosen };
}

/**
 * Non-blocking warnings from the statutory clock, shown before the event is confirmed. Late is
 * still better than never (a late 补正 notice or answer remains legally required), so these warn.
 */
export function lifecycleWarnings(
  event: EventType,
  date: string,
  clock: Pick<ClockResult, "dueDate" | "correctionNoticeDueDate">,
): string[] {
  const warnings: string[] = [];
  if (
    event === "requestCorrection" &&
    clock.correctionNoticeDueDate &&
    date > clock.correctionNoticeDueDate
  ) {
    warnings.push(
      `已超过收到申请之日起7个工作日的补正告知期限（${clock.correctionNoticeDueDate}，《条例》第三十条）`,
    );
  }
  if ((event === "decide" || event === "feeNotice") && clock.dueDate && date > clock.dueDate) {
    warnings.push(`已超过答复期限（${clock.dueDate}，《条例》第三十三条）`);
  }
  return warnings;
}

const onceMessages: Partial<Record<EventType, string>> = {
  requestCorrection: "补正告知应当一次性发出，不得再次要求补正（《条例》第三十条）",
  extend: "答复期限只能延长一次，延长期限最长不得超过20个工作日（《条例》第三十三条）",
  delayDeadline: "延迟答复期限已确定，不得再次确定",
  feeNotice: "收费通知已发出，不得重复发出",
  recordFeeDelivery: "收费通知的签收日期已记录，不得重复记录",
};

function buildTransitions(): Record<State, Partial<Record<EventType, Transition>>> {
  const table = Object.fromEntries(states.map((s) => [s, {}])) as Record<
    State,
    Partial<Record<EventType, Transition>>
  >;
  for (const event of eventTypes) {
    const def = eventDefinitions[event];
    for (const from of def.from) {
      // Never received = outside the statistics, so no outcome (see the file comment).
      table[from][event] = { to: def.to, outcome: from === "submitted" ? null : def.outcome };
    }
  }
  return table;
}
