/**
 * THE only writer of a request's `state`. Fires one lifecycle event: checks it against the shared
 * machine (state, role, once-only guards, outcome), appends it to the ledger, recomputes the derived
 * fields (and the content a 补正 answer corrects), and writes everything with a compare-and-set on
 * (state, version), inside a transaction together with the audit event and whatever the transition
 * listeners add (notifications).
 */

import { periodLapsedMessage } from "@govinfo/shared/calendar/clock";
import {
  canFire,
  checkOutcome,
  closedStates,
  type EventType,
  type HistoryEntry,
  historyOf,
  lifecycleWarnings,
  type Role,
  type State,
  signOffRefusal,
  signOffStage,
  signOffStepsFor,
  transitions,
} from "@govinfo/shared/lifecycle/machine";
import { type RequestEvent, RequestEventInput } from "@govinfo/shared/schemas/requestEvent";
import type { OutcomeKey } from "@govinfo/shared/stats/keys";
import type { ClientSession, Types } from "mongoose";
import mongoose from "mongoose";
import { AppError, Conflict, Forbidden, NotFound, ValidationFailed } from "../errors.ts";
import { Agency, type AgencyDoc } from "../models/Agency.ts";
import {
  DisclosureRequest,
  type DisclosureRequestDoc,
  type StoredEvent,
} from "../models/DisclosureRequest.ts";
import { signOffPolicyOf } from "./agencyAdmin.ts";
import { audit } from "./audit.ts";
import { dateInChina } from "./calendar.ts";
import { type ResolvedReferences, resolveDecisionReferences } from "./decisionReferences.ts";
import { checkAttachmentsBeforeDelivery, previewLetter } from "./documents/letterIssuer.ts";
import { redactedOutcomeProblem } from "./documents/withheldParts.ts";
import { clockOf, toRequestEvent } from "./requestClock.ts";

/** Who fires an event: a person with the lifecycle roles they hold for this request, or the system. */
export interface EventActor {
  kind: "staff" | "applicant" | "system";
  id: Types.ObjectId | null;
  name: string;
  roles: Role[];
}

/** What a transition listener receives (inside the transaction). */
export interface TransitionContext {
  before: DisclosureRequestDoc;
  after: DisclosureRequestDoc;
  event: RequestEvent;
  actor: EventActor;
  session: ClientSession;
}

/** A set, so a module registering its listener again (a re-import, a test) never makes it run twice. */
const listeners = new Set<(context: TransitionContext) => Promise<void>>();

/** Registers work that must commit with every transition (the notification outbox); once per listener. */
export function onTransition(listener: (context: TransitionContext) => Promise<void>): void {
  listeners.add(listener);
}

/**
 * Fires an event on a request.
 * @param input the raw event (validated here with the shared schema).
 * @param expectedVersion the version the caller saw; a mismatch means someone else acted first.
 * @param ctx the Koa context when a person acts (for the audit trail), null for jobs.
 */
export async function fireEvent(args: {
  requestId: Types.ObjectId | string;
  input: unknown;
  actor: EventActor;
  expectedVersion?: number;
  ctx?: import("koa").Context | null;
  today?: string;
}): Promise<{ request: DisclosureRequestDoc; warnings: string[] }> {
  const parsed = RequestEventInput.safeParse(args.input);
  if (!parsed.success) {
    // The messages name each field in words; the paths stay in `details` for the form.
    throw ValidationFailed(
      parsed.error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message })),
      [...new Set(parsed.error.issues.map((i) => i.message))].join("；"),
    );
  }
  const event = parsed.data;
  if (event.type === "submit" || event.type === "register") {
    throw ValidationFailed([{ path: "type", message: "创建申请请使用登记或提交接口" }]);
  }
  const today = args.today ?? dateInChina();
  let result: { request: DisclosureRequestDoc; warnings: string[] } | undefined;
  await mongoose.connection.transaction(async (session) => {
    result = await fireInSession(args, event, today, session);
  });
  if (!result) throw new AppError("internal_error");
  return result;
}

/**
 * Fires several events, one per request, in one transaction: all are recorded or none (合并答复, where
 * one letter answers several applications). Each is checked exactly as `fireEvent` checks it; a
 * refusal names the application it concerns.
 * @param items the requests, their events (validated here) and the versions the caller saw.
 */
export async function fireEventsTogether(
  items: readonly {
    requestId: Types.ObjectId | string;
    serialNo: string;
    input: unknown;
    actor: EventActor;
    expectedVersion?: number;
  }[],
  ctx: import("koa").Context | null,
): Promise<DisclosureRequestDoc[]> {
  const events = items.map((item) => {
    const parsed = RequestEventInput.safeParse(item.input);
    if (parsed.success) return parsed.data;
    const message = [...new Set(parsed.error.issues.map((i) => i.message))].join("；");
    throw ValidationFailed(
      parsed.error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message })),
      `申请编号${item.serialNo}：${message}`,
    );
  });
  const today = dateInChina();
  const done: DisclosureRequestDoc[] = [];
  await mongoose.connection.transaction(async (session) => {
    done.length = 0;
    for (const [i, item] of items.entries()) {
      const event = events[i];
      if (!event) continue;
      try {
        done.push((await fireInSession({ ...item, ctx }, event, today, session)).request);
      } catch (error) {
        throw error instanceof AppError ? naming(error, item.serialNo) : error;
      }
    }
  });
  return done;
}

// The same refusal, its message prefixed with the application it concerns.
function naming(error: AppError, serialNo: string): AppError {
  if (error.status >= 500 || error.message.startsWith("申请编号")) return error;
  return new AppError(error.code, {
    message: `申请编号${serialNo}：${error.message}`,
    headers: { ...error.headers },
    ...(error.details ? { details: error.details } : {}),
  });
}

async function fireInSession(
  args: {
    requestId: Types.ObjectId | string;
    actor: EventActor;
    expectedVersion?: number;
    ctx?: import("koa").Context | null;
  },
  event: RequestEvent,
  today: string,
  session: ClientSession,
): Promise<{ request: DisclosureRequestDoc; warnings: string[] }> {
  const before = await DisclosureRequest.findById(args.requestId)
    .session(session)
    .lean<DisclosureRequestDoc>();
  if (!before) throw NotFound("request");
  const from = before.state as State;
  if (args.expectedVersion !== undefined && args.expectedVersion !== before.version) throw staleError();
  const history = historyOf(before.events as StoredEvent[]);
  const role = pickRole(args.actor.roles, from, event.type, history);
  const chain: Record<string, unknown> = await signOffChecks(before, event, history, args.actor);
  const outcomeCheck = checkOutcome(
    from,
    event.type,
    "outcome" in event ? (event.outcome as OutcomeKey) : undefined,
    history,
  );
  if (!outcomeCheck.ok)
    throw ValidationFailed([{ path: "outcome", message: outcomeCheck.message }], outcomeCheck.message);
  // A 拟办 sets no outcome yet, but is checked against the redacted files like the reply it drafts.
  const drafted = event.type === "draftDecision" ? event.outcome : null;
  const redacted = redactedOutcomeProblem(before.documents, outcomeCheck.outcome ?? drafted);
  if (redacted) throw ValidationFailed([{ path: "outcome", message: redacted }], redacted);
  checkDate(event.date, before.events, today);

  const clockBefore = await clockOf(before, today);
  if (event.type === "extend" || event.type === "delayDeadline") {
    const lapsed = periodLapsedMessage(event.type, event.date, clockBefore);
    if (lapsed) throw Conflict("lifecycle.period_lapsed", lapsed);
  }
  if (event.type === "recordFeeDelivery") checkMailedFeeNotice(before.events);
  if (event.type === "deliver") await checkAttachmentsBeforeDelivery(before);
  const references = await resolveDecisionReferences(event, before, session);
  if (event.type === "draftDecision")
    chain.letter = event.letter ?? (await draftLetter(before, event, references));
  const warnings = lifecycleWarnings(event.type, event.date, clockBefore);
  const { type, date, ...input } = event;
  const amendments = amendmentsOf(event);
  // The ledger keeps what the application said before the 补正 answer replaced it.
  const payload = {
    ...input,
    ...references,
    ...chain,
    ...(amendments.description !== undefined ? { previousDescription: before.description } : {}),
  };
  const stored: StoredEvent = {
    type,
    date,
    at: new Date(),
    actorKind: args.actor.kind,
    actorId: args.actor.id,
    actorName: args.actor.name,
    payload,
  };
  const events = [...(before.events as StoredEvent[]), stored];
  const clockAfter = await clockOf({ events, channel: before.channel }, today);
  const to = transitions[from][type]?.to as State;
  const set: Record<string, unknown> = {
    ...amendments,
    state: to,
    dueDate: clockAfter.dueDate,
    receiptDate: clockAfter.receiptDate,
  };
  if (outcomeCheck.outcome) {
    set.outcome = outcomeCheck.outcome;
    set.closedDate = date;
  }
  const after = await DisclosureRequest.findOneAndUpdate(
    { _id: before._id, state: from, version: before.version },
    { $set: set, $push: { events: stored }, $inc: { version: 1 } },
    { returnDocument: "after", session },
  ).lean<DisclosureRequestDoc>();
  if (!after) throw staleError();
  await audit(
    args.ctx ?? null,
    {
      action: `request.${type}`,
      targetType: "request",
      targetId: after._id,
      agencyId: after.agencyId,
      details: {
        from,
        to,
        role,
        serialNo: after.serialNo,
        ...(outcomeCheck.outcome ? { outcome: outcomeCheck.outcome } : {}),
      },
    },
    session,
  );
  for (const listener of listeners) await listener({ before, after, event, actor: args.actor, session });
  return { request: after, warnings };
}

/**
 * The sign-off chain's checks that need more than the history: the agency's setting (which replies
 * need 审核/签发), the four-eyes rule, and the texts the chain keeps. Returns the payload fields the
 * server adds: on a 拟办 whether it needs 签发; on 签发 the signed text.
 */
async function signOffChecks(
  before: DisclosureRequestDoc,
  event: RequestEvent,
  history: HistoryEntry[],
  actor: EventActor,
): Promise<Record<string, unknown>> {
  if (event.type === "decide") {
    const agency = await Agency.findById(before.agencyId, { signOffPolicy: 1 }).lean<AgencyDoc>();
    const steps = signOffStepsFor(agency ? signOffPolicyOf(agency) : null, event.outcome);
    const refusal = signOffRefusal(event.outcome, steps, history);
    if (refusal) throw Conflict(refusal.code, refusal.message);
    return {};
  }
  if (event.type === "draftDecision") {
    const agency = await Agency.findById(before.agencyId, { signOffPolicy: 1 }).lean<AgencyDoc>();
    const steps = signOffStepsFor(agency ? signOffPolicyOf(agency) : null, event.outcome);
    return { needsSignOff: steps === "signOff" };
  }
  if (event.type !== "approveDraft" && event.type !== "signOff") return {};
  const { draftIndex } = signOffStage(history);
  const draft = before.events[draftIndex] as StoredEvent | undefined;
  // Four eyes: whoever drafted a reply does not approve or sign it off.
  if (draft && actor.id && draft.actorId && String(draft.actorId) === String(actor.id)) {
    throw Forbidden(
      event.type === "approveDraft" ? "不能审核本人拟办的答复意见" : "不能签发本人拟办的答复意见",
    );
  }
  return event.type === "signOff" ? { signedLetter: draft?.payload.letter ?? [] } : {};
}

/**
 * The reply letter a 拟办 without its own text proposes: exactly the letter the reply would issue, built
 * as if the decision were recorded today (with the references it resolved: catalogue item, agency).
 */
async function draftLetter(
  before: DisclosureRequestDoc,
  event: Extract<RequestEvent, { type: "draftDecision" }>,
  references: ResolvedReferences,
): Promise<string[]> {
  const { type: _type, date, letter: _letter, ...decision } = event;
  const decided: StoredEvent = {
    type: "decide",
    date,
    at: new Date(),
    actorKind: "staff",
    actorId: null,
    actorName: "",
    payload: { ...decision, ...references },
  };
  const asIfDecided = {
    ...before,
    outcome: event.outcome,
    events: [...(before.events as StoredEvent[]), decided],
  };
  return (await previewLetter(asIfDecided as DisclosureRequestDoc, "reply", { today: date })).paragraphs;
}

/** The first role of the actor that may fire the event, or the refusal as an HTTP error. */
function pickRole(roles: Role[], state: State, type: EventType, history: HistoryEntry[]): Role {
  if (roles.length === 0) throw NotFound("request");
  let refusal: Exclude<ReturnType<typeof canFire>, { ok: true }> | null = null;
  for (const role of roles) {
    const check = canFire(state, type, role, history);
    if (check.ok) return role;
    // Prefer the most telling reason: a state problem beats a role problem.
    if (!refusal || check.code !== "lifecycle.forbidden_role") refusal = check;
  }
  if (!refusal) throw NotFound("request");
  if (refusal.code === "lifecycle.forbidden_role") {
    throw new AppError("forbidden", { message: refusal.message, details: { reason: refusal.code } });
  }
  throw Conflict(refusal.code, refusal.message);
}

/** Request fields an event rewrites besides the derived ones: a 补正 answer replaces the content. */
function amendmentsOf(event: RequestEvent): { description?: string; documentNumber?: string } {
  if (event.type !== "receiveCorrection") return {};
  return {
    ...(event.description !== undefined ? { description: event.description } : {}),
    ...(event.documentNumber !== undefined ? { documentNumber: event.documentNumber } : {}),
  };
}

/** Only a notice sent by mail has a signing date of its own; online and in person it is the day sent. */
function checkMailedFeeNotice(events: DisclosureRequestDoc["events"]): void {
  const notice = events.findLast((e) => e.type === "feeNotice");
  const delivery = (notice?.payload as { delivery?: string } | undefined)?.delivery;
  if (delivery !== "mail") {
    throw Conflict(
      "lifecycle.invalid_state",
      "该收费通知不是邮寄送达的，以发出之日为申请人收到之日，无需记录签收日期",
    );
  }
}

/** Event dates are legal dates: not in the future, not before the previous event. */
function checkDate(date: string, events: { date: string }[], today: string): void {
  if (date > today) throw ValidationFailed([{ path: "date", message: `日期不能晚于今天（${today}）` }]);
  const last = events.at(-1)?.date;
  if (last && date < last) {
    throw ValidationFailed([{ path: "date", message: `日期不能早于上一个办理环节的日期（${last}）` }]);
  }
}

function staleError(): AppError {
  return Conflict("request.state_changed", "该申请已被他人处理（状态已更新），请刷新后重试");
}

export { toRequestEvent };

/**
 * Recomputes the stored due date of every open application after the calendar changed. Writes only
 * `dueDate`, guarded by the version so a concurrent transition (which stores its own) wins.
 * @returns how many applications changed.
 */
export async function recomputeDueDates(today: string = dateInChina()): Promise<number> {
  const open = await DisclosureRequest.find(
    { state: { $nin: closedStates } },
    { events: 1, channel: 1, dueDate: 1, version: 1 },
  ).lean<Pick<DisclosureRequestDoc, "_id" | "events" | "channel" | "dueDate" | "version">[]>();
  let changed = 0;
  for (const request of open) {
    const { dueDate } = await clockOf(request, today);
    if (dueDate === request.dueDate) continue;
    const result = await DisclosureRequest.updateOne(
      { _id: request._id, version: request.version },
      { $set: { dueDate } },
    );
    changed += result.modifiedCount;
  }
  return changed;
}
