/**
 * What "nothing half-applied" means for applications, checked over the wire on the stored data (the
 * fault tests call it after every kill and every injected fault):
 *
 * - each application's state is what its event ledger gives when replayed through the shared machine,
 *   and its version is the number of transitions (events after the first);
 * - each event has exactly its audit event (`request.<type>`, in order, with the transition's from/to),
 *   and each event the applicant hears about has exactly one outbox message (`eventIndex`);
 * - no audit event or outbox message points at an application that does not exist or at an event it
 *   does not have;
 * - serial numbers are unique and gap-free per agency and year (1…N) and the counter stands at N.
 *
 * Not a test file itself (no `.test.ts`).
 */
import assert from "node:assert/strict";
import {
  type EventType,
  initialTransitions,
  type State,
  transitions,
} from "@govinfo/shared/lifecycle/machine";
import type { Db, Document, ObjectId } from "mongodb";
import { stepOf } from "../../../server/services/outbox.ts";

/** Collection names of the models involved (mongoose's pluralised model names). */
export const collections = {
  requests: "disclosurerequests",
  audit: "auditevents",
  outbox: "outboxmessages",
  counters: "counters",
} as const;

/** An application as stored, with the fields the checks read. */
export interface StoredRequest extends Document {
  _id: ObjectId;
  agencyId: ObjectId;
  year: number;
  seq: number;
  serialNo: string;
  state: State;
  version: number;
  description: string;
  events: { type: EventType; date: string }[];
}

/** Counts of what was checked, for the test's diagnostics. */
export interface ConsistencyReport {
  requests: number;
  events: number;
  auditEvents: number;
  outboxMessages: number;
  /** Individual assertions made. */
  checks: number;
  /** The applications read, by id, for the caller's own checks. */
  byId: Map<string, StoredRequest>;
}

const lifecycleActions = new Set(
  [...Object.keys(initialTransitions), ...Object.values(transitions).flatMap((row) => Object.keys(row))].map(
    (type) => `request.${type}`,
  ),
);

/**
 * Reads every application with its audit trail, outbox and counters and asserts the invariants.
 * @param db the application's database, through a client the faults do not touch.
 */
export async function checkConsistency(db: Db): Promise<ConsistencyReport> {
  const requests = await db.collection<StoredRequest>(collections.requests).find({}).toArray();
  const audits = await db
    .collection(collections.audit)
    .find({ targetType: "request" })
    .sort({ at: 1, _id: 1 })
    .toArray();
  const outbox = await db.collection(collections.outbox).find({}).toArray();
  const counters = await db
    .collection<{ _id: string; value: number }>(collections.counters)
    .find({ _id: { $regex: /^request:/ } })
    .toArray();
  const report: ConsistencyReport = {
    requests: requests.length,
    events: 0,
    auditEvents: 0,
    outboxMessages: outbox.length,
    checks: 0,
    byId: new Map(),
  };
  const check = (condition: boolean, message: () => string): void => {
    report.checks++;
    assert.ok(condition, message());
  };

  const auditsOf = new Map<string, Document[]>();
  for (const audit of audits) {
    if (!lifecycleActions.has(String(audit.action))) continue;
    report.auditEvents++;
    const list = auditsOf.get(String(audit.targetId)) ?? [];
    list.push(audit);
    auditsOf.set(String(audit.targetId), list);
  }
  const outboxOf = new Map<string, Document[]>();
  for (const message of outbox) {
    const list = outboxOf.get(String(message.requestId)) ?? [];
    list.push(message);
    outboxOf.set(String(message.requestId), list);
  }

  for (const request of requests) {
    const id = String(request._id);
    report.byId.set(id, request);
    report.events += request.events.length;
    const label = `application ${request.serialNo} (${id})`;
    // The ledger replayed through the machine gives the stored state; the version counts transitions.
    const [first, ...rest] = request.events;
    check(first !== undefined, () => `${label} has no events`);
    let state = initialTransitions[first!.type];
    check(state !== undefined, () => `${label} starts with ${first!.type}, not a creation event`);
    const steps: { from: State | null; to: State; type: EventType }[] = [
      { from: null, to: state!, type: first!.type },
    ];
    for (const event of rest) {
      const to: State | undefined = transitions[state!][event.type]?.to;
      check(to !== undefined, () => `${label}: ${event.type} is not allowed from ${state}`);
      steps.push({ from: state!, to: to!, type: event.type });
      state = to;
    }
    check(request.state === state, () => `${label} is ${request.state}, its events give ${state}`);
    check(
      request.version === rest.length,
      () => `${label} has version ${request.version} with ${rest.length} transitions`,
    );

    // Exactly one audit event per event, in the same order, describing the same transition.
    const trail = auditsOf.get(id) ?? [];
    auditsOf.delete(id);
    check(
      trail.length === steps.length &&
        trail.every((audit, i) => audit.action === `request.${steps[i]!.type}`),
      () =>
        `${label}: events [${steps.map((s) => s.type).join(", ")}] but audit trail [${trail.map((a) => a.action).join(", ")}]`,
    );
    for (const [i, audit] of trail.entries()) {
      const step = steps[i]!;
      if (step.from === null) continue;
      check(
        audit.details?.from === step.from && audit.details?.to === step.to,
        () => `${label}: audit of event ${i} says ${audit.details?.from}→${audit.details?.to}`,
      );
    }

    // Exactly one outbox message per event the applicant is told about, none for the others.
    const expected = steps.flatMap((step, i) => (i > 0 && stepOf(step.type) !== null ? [i] : []));
    const messages = outboxOf.get(id) ?? [];
    outboxOf.delete(id);
    const indexes = messages.map((m) => Number(m.eventIndex)).sort((a, b) => a - b);
    check(
      JSON.stringify(indexes) === JSON.stringify(expected),
      () => `${label}: outbox messages for events [${indexes}], expected [${expected}]`,
    );
    for (const message of messages) {
      const step = steps[Number(message.eventIndex)];
      check(
        step?.type === message.eventType,
        () => `${label}: outbox message ${message._id} is for ${message.eventType}, event is ${step?.type}`,
      );
    }
  }
  check(
    auditsOf.size === 0,
    () => `audit events for applications that do not exist: ${[...auditsOf.keys()].join(", ")}`,
  );
  check(
    outboxOf.size === 0,
    () => `outbox messages for applications that do not exist: ${[...outboxOf.keys()].join(", ")}`,
  );

  // Serial numbers: unique and 1…N per agency and year, the counter at N.
  const seqs = new Map<string, number[]>();
  for (const request of requests) {
    const key = `request:${String(request.agencyId)}:${request.year}`;
    const list = seqs.get(key) ?? [];
    list.push(request.seq);
    seqs.set(key, list);
  }
  const serials = new Set(requests.map((r) => `${String(r.agencyId)}|${r.serialNo}`));
  check(serials.size === requests.length, () => "duplicate serial numbers");
  const counterValues = new Map(counters.map((c) => [c._id, c.value]));
  for (const [key, list] of seqs) {
    list.sort((a, b) => a - b);
    check(
      list.every((seq, i) => seq === i + 1),
      () => `${key}: serial numbers are not 1…${list.length}: ${list.join(",")}`,
    );
    check(
      counterValues.get(key) === list.length,
      () => `${key}: counter at ${counterValues.get(key)}, ${list.length} applications`,
    );
    counterValues.delete(key);
  }
  for (const [key, value] of counterValues) {
    check(value === 0, () => `${key}: counter at ${value} with no applications`);
  }
  return report;
}
