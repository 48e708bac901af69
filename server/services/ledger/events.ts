/**
 * Turns a ledger row into the lifecycle events the platform would have recorded, and replays them
 * through the shared machine in memory (`canFire`, `checkOutcome`), exactly as the transitioner
 * would, so an imported record is one the product itself could have produced. Refusals become row
 * problems on the column whose date introduced the event.
 */
import { rolesFor } from "@govinfo/shared/access/capabilities";
import {
  canFire,
  checkOutcome,
  type EventType,
  type HistoryEntry,
  nextState,
  type Role,
  type State,
} from "@govinfo/shared/lifecycle/machine";
import { RequestEventInput } from "@govinfo/shared/schemas/requestEvent";
import type { OutcomeKey } from "@govinfo/shared/stats/keys";
import type { ApplicationColumn } from "./columns.ts";
import type { LedgerApplication } from "./types.ts";

/** Name recorded as the actor, the extension approver and the free-text reasons of imported events. */
export const LEDGER_ACTOR_NAME = "台账导入";

/** An event derived from a ledger row, with the column its date came from. */
export interface LedgerEvent {
  type: EventType;
  date: string;
  payload: Record<string, unknown>;
  column: ApplicationColumn;
}

/** The replay's result: the events in order, the final state and the outcome, or the problems. */
export type ReplayResult =
  | { ok: true; events: LedgerEvent[]; state: State; outcome: OutcomeKey | null; closedDate: string | null }
  | { ok: false; problems: { column: ApplicationColumn; message: string }[] };

// The casework roles plus the system, as for fixtures: the ledger records what the agency already did.
const importRoles: readonly Role[] = [...rolesFor("workCases"), "system"];

// Same-day events happen in the order a case moves: correction, extension, consultation, fee, close.
const sameDayOrder: readonly EventType[] = [
  "register",
  "requestCorrection",
  "receiveCorrection",
  "extend",
  "startConsultation",
  "endConsultation",
  "feeNotice",
  "feePaid",
  "decide",
  "withdraw",
  "closeUnprocessed",
];

/** The events of a ledger row, in replay order (by date, then in the order a case moves). */
export function ledgerEvents(app: LedgerApplication): LedgerEvent[] {
  const events: LedgerEvent[] = [
    { type: "register", date: app.receiptDate, payload: { channel: app.channel }, column: "收到日期" },
  ];
  const add = (type: EventType, date: string, payload: Record<string, unknown>, column: ApplicationColumn) =>
    events.push({ type, date, payload, column });
  if (app.correction) {
    add(
      "requestCorrection",
      app.correction.noticeDate,
      { items: ["（台账导入，补正事项见原始台账）"], deadline: app.correction.deadline },
      "补正告知日期",
    );
    if (app.correction.receivedDate)
      add("receiveCorrection", app.correction.receivedDate, {}, "补正收到日期");
  }
  if (app.extension) {
    add(
      "extend",
      app.extension.date,
      { workingDays: app.extension.workingDays, reason: LEDGER_ACTOR_NAME, approver: LEDGER_ACTOR_NAME },
      "延期告知日期",
    );
  }
  if (app.consultation) {
    add(
      "startConsultation",
      app.consultation.startDate,
      { party: "thirdParty", name: "（台账导入，征求意见对象见原始台账）" },
      "征求意见开始日期",
    );
    if (app.consultation.endDate) add("endConsultation", app.consultation.endDate, {}, "征求意见结束日期");
  }
  if (app.fee) {
    // The ledger has no amount; a made-up one would reach the fee statistics, so the payload stays empty.
    add("feeNotice", app.fee.noticeDate, {}, "收费通知日期");
    if (app.fee.paidDate) add("feePaid", app.fee.paidDate, {}, "缴费日期");
  }
  if (app.closing) add(...closingEvent(app.closing), "办结日期");
  const rank = (type: EventType) => sameDayOrder.indexOf(type);
  const [first, ...rest] = events;
  rest.sort((a, b) => (a.date === b.date ? rank(a.type) - rank(b.type) : a.date < b.date ? -1 : 1));
  return first ? [first, ...rest] : rest;
}

/** Replays a row's events through the shared machine; stops at the first refusal of the row. */
export function replayLedgerEvents(app: LedgerApplication): ReplayResult {
  const events = ledgerEvents(app);
  let state: State = "received";
  let outcome: OutcomeKey | null = null;
  let closedDate: string | null = null;
  const history: HistoryEntry[] = [{ type: "register" }];
  for (const event of events.slice(1)) {
    // The ledger records neither the fee notice's amount and delivery nor a reply's ground (36(四)
    // or (五) under 本机关不掌握): the machine still checks state and outcome below.
    const shape =
      event.type === "feeNotice" || event.type === "decide"
        ? { success: true as const }
        : RequestEventInput.safeParse({
            ...event.payload,
            type: event.type,
            date: event.date,
          });
    if (!shape.success) {
      return {
        ok: false,
        problems: shape.error.issues.map((i) => ({ column: event.column, message: i.message })),
      };
    }
    const refusals = importRoles.map((role) => canFire(state, event.type, role, history));
    if (!refusals.some((r) => r.ok)) {
      const refusal = refusals.find((r) => !r.ok && r.code !== "lifecycle.forbidden_role") ?? refusals[0];
      const message = refusal && !refusal.ok ? refusal.message : "无法办理该环节";
      return { ok: false, problems: [{ column: event.column, message: `${message}（按台账日期顺序推演）` }] };
    }
    const chosen = event.payload.outcome as OutcomeKey | undefined;
    const check = checkOutcome(state, event.type, chosen, history);
    if (!check.ok) return { ok: false, problems: [{ column: "办理结果", message: check.message }] };
    if (check.outcome) {
      outcome = check.outcome;
      closedDate = event.date;
    }
    state = nextState(state, event.type) ?? state;
    history.push({ type: event.type });
  }
  return { ok: true, events, state, outcome, closedDate };
}

/** The closing event for a ledger outcome: a reply, a withdrawal, or a closure without processing. */
function closingEvent(
  closing: NonNullable<LedgerApplication["closing"]>,
): [EventType, string, Record<string, unknown>] {
  const { outcome, date } = closing;
  if (outcome === "other.other" && closing.withdrawn) return ["withdraw", date, {}];
  if (outcome === "other.noCorrection" || outcome === "other.feeUnpaid" || outcome === "other.other") {
    return ["closeUnprocessed", date, { outcome, reason: LEDGER_ACTOR_NAME }];
  }
  return ["decide", date, { outcome }];
}
