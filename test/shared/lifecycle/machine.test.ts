import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  allowedEvents,
  canFire,
  checkOutcome,
  type EventType,
  eventDefinitions,
  eventLabels,
  eventTypes,
  initialTransitions,
  isClosed,
  isTerminal,
  lifecycleWarnings,
  nextState,
  type Role,
  roles,
  type State,
  stateLabels,
  states,
  transitions,
} from "@govinfo/shared/lifecycle/machine";
import { requestEventPayloads } from "@govinfo/shared/schemas/requestEvent";
import { isOutcomeKey } from "@govinfo/shared/stats/keys";

// The expected table, written out by hand so the test does not just re-read the implementation.
// [from, event] → [to, outcome rule]
type Expected = readonly [State, EventType, State, string | null];
const open: State[] = ["received", "correctionRequested", "consulting", "feeNotified"];
const expected: Expected[] = [
  ["submitted", "confirmReceipt", "received", null],
  ["submitted", "withdraw", "withdrawn", null],
  ["submitted", "closeUnprocessed", "closedWithoutProcessing", null],
  ["received", "requestCorrection", "correctionRequested", null],
  ["received", "startConsultation", "consulting", null],
  ["received", "extend", "received", null],
  ["received", "delayDeadline", "received", null],
  ["received", "feeNotice", "feeNotified", null],
  ["received", "decide", "decided", "chosen"],
  ["correctionRequested", "receiveCorrection", "received", null],
  ["correctionRequested", "expireCorrection", "closedWithoutProcessing", "other.noCorrection"],
  ["consulting", "endConsultation", "received", null],
  ["feeNotified", "recordFeeDelivery", "feeNotified", null],
  ["feeNotified", "feePaid", "received", null],
  ["feeNotified", "expireFee", "closedWithoutProcessing", "other.feeUnpaid"],
  ["decided", "deliver", "delivered", null],
  ...open.map((s): Expected => [s, "withdraw", "withdrawn", "other.other"]),
  ...open.map((s): Expected => [s, "closeUnprocessed", "closedWithoutProcessing", "chosen"]),
];

const expectedRoles: Record<EventType, Role[]> = {
  submit: ["applicant", "registrar"],
  register: ["registrar"],
  confirmReceipt: ["registrar"],
  requestCorrection: ["registrar", "handler"],
  receiveCorrection: ["applicant", "registrar", "handler"],
  expireCorrection: ["system"],
  startConsultation: ["handler"],
  endConsultation: ["handler", "system"],
  extend: ["reviewer"],
  delayDeadline: ["reviewer"],
  feeNotice: ["reviewer"],
  recordFeeDelivery: ["registrar", "handler"],
  feePaid: ["registrar", "handler", "system"],
  expireFee: ["system"],
  decide: ["reviewer"],
  deliver: ["registrar", "handler", "system"],
  withdraw: ["applicant", "registrar"],
  closeUnprocessed: ["reviewer", "admin"],
};

function lookup(state: State, event: EventType): Expected | undefined {
  return expected.find(([s, e]) => s === state && e === event);
}

describe("lifecycle machine: every (state, event) pair", () => {
  for (const state of states) {
    for (const event of eventTypes) {
      const row = lookup(state, event);
      it(`${state} × ${event} → ${row ? row[2] : "refused"}`, () => {
        assert.equal(nextState(state, event), row ? row[2] : null);
        assert.deepEqual(transitions[state][event], row ? { to: row[2], outcome: row[3] } : undefined);
        const role = expectedRoles[event][0] ?? "system";
        const verdict = canFire(state, event, role);
        if (row) assert.deepEqual(verdict, { ok: true });
        else assert.equal(verdict.ok ? "allowed" : verdict.code, "lifecycle.invalid_state");
      });
    }
  }

  it("has no transition that is not in the expected table", () => {
    const actual = states.flatMap((s) => Object.keys(transitions[s]).map((e) => `${s}:${e}`));
    assert.deepEqual(actual.sort(), expected.map(([s, e]) => `${s}:${e}`).sort());
  });
});

describe("lifecycle machine: roles", () => {
  for (const event of eventTypes) {
    it(`${event} may be fired only by ${expectedRoles[event].join(", ")}`, () => {
      assert.deepEqual([...eventDefinitions[event].roles].sort(), [...expectedRoles[event]].sort());
      const from = eventDefinitions[event].from[0];
      if (!from) return; // creation events are checked below
      for (const role of roles) {
        const verdict = canFire(from, event, role);
        if (expectedRoles[event].includes(role)) assert.deepEqual(verdict, { ok: true });
        else assert.equal(verdict.ok ? "allowed" : verdict.code, "lifecycle.forbidden_role");
      }
    });
  }

  it("gives the supervisor no events anywhere (read-only oversight)", () => {
    for (const state of states) assert.deepEqual(allowedEvents(state, "supervisor"), []);
  });

  it("lists the applicant's buttons", () => {
    assert.deepEqual(allowedEvents("received", "applicant"), ["withdraw"]);
    assert.deepEqual(allowedEvents("decided", "applicant"), []);
    assert.deepEqual(allowedEvents("correctionRequested", "applicant"), ["receiveCorrection", "withdraw"]);
  });

  it("lists the reviewer's buttons while processing", () => {
    assert.deepEqual(allowedEvents("received", "reviewer"), [
      "extend",
      "delayDeadline",
      "feeNotice",
      "decide",
      "closeUnprocessed",
    ]);
  });

  it("creates applications through submit (online) and register (in person, mail)", () => {
    assert.deepEqual(initialTransitions, { submit: "submitted", register: "received" });
    assert.equal(nextState("submitted", "submit"), null);
  });
});

describe("lifecycle machine: terminal states and outcomes", () => {
  it("marks exactly delivered, withdrawn and closedWithoutProcessing terminal", () => {
    assert.deepEqual(
      states.filter((s) => isTerminal(s)),
      ["delivered", "withdrawn", "closedWithoutProcessing"],
    );
    for (const s of states) if (isTerminal(s)) assert.deepEqual(transitions[s], {});
  });

  it("sets an outcome exactly when a received application becomes closed", () => {
    for (const [from, , to, outcome] of expected) {
      const closing = from !== "submitted" && !isClosed(from) && isClosed(to);
      assert.equal(outcome !== null, closing, `${from} → ${to}`);
      if (outcome !== null && outcome !== "chosen") assert.ok(isOutcomeKey(outcome));
    }
  });

  it("reaches every terminal state from received through exactly one outcome-setting transition", () => {
    // Walk all simple paths from `received`, counting outcome-setting steps.
    const walk = (state: State, seen: Set<string>, outcomes: number): void => {
      if (isTerminal(state)) {
        assert.equal(outcomes, 1, `path ending in ${state}`);
        return;
      }
      for (const [event, t] of Object.entries(transitions[state])) {
        const key = `${state}:${event}`;
        if (!t || seen.has(key)) continue;
        walk(t.to, new Set([...seen, key]), outcomes + (t.outcome === null ? 0 : 1));
      }
    };
    walk("received", new Set(), 0);
  });

  it("takes the chosen outcome from the payload and checks it fits the case", () => {
    assert.deepEqual(checkOutcome("received", "decide", "granted"), { ok: true, outcome: "granted" });
    assert.equal(checkOutcome("received", "decide", undefined).ok, false);
    assert.deepEqual(checkOutcome("correctionRequested", "expireCorrection", undefined), {
      ok: true,
      outcome: "other.noCorrection",
    });
    assert.deepEqual(checkOutcome("submitted", "withdraw", undefined), { ok: true, outcome: null });
    assert.equal(checkOutcome("received", "decide", "unable.stillUnclear").ok, false);
    assert.equal(
      checkOutcome("received", "decide", "unable.stillUnclear", [{ type: "receiveCorrection" }]).ok,
      true,
    );
    assert.equal(checkOutcome("received", "closeUnprocessed", "other.noCorrection").ok, false);
    assert.equal(checkOutcome("correctionRequested", "closeUnprocessed", "other.noCorrection").ok, true);
    assert.equal(checkOutcome("feeNotified", "closeUnprocessed", "other.feeUnpaid").ok, true);
    assert.equal(checkOutcome("consulting", "closeUnprocessed", "other.feeUnpaid").ok, false);
  });
});

describe("lifecycle machine: once-only guards", () => {
  const once: Array<[EventType, string]> = [
    ["requestCorrection", "一次性"],
    ["extend", "只能延长一次"],
    ["feeNotice", "不得重复"],
    ["delayDeadline", "不得再次"],
  ];
  for (const [event, text] of once) {
    it(`refuses a second ${event}`, () => {
      const role = expectedRoles[event][0] ?? "system";
      assert.deepEqual(canFire("received", event, role, []), { ok: true });
      const verdict = canFire("received", event, role, [{ type: "register" }, { type: event }]);
      assert.equal(verdict.ok, false);
      if (!verdict.ok) {
        assert.equal(verdict.code, "lifecycle.already_done");
        assert.match(verdict.message, new RegExp(text));
      }
      assert.ok(!allowedEvents("received", role, [{ type: event }]).includes(event));
    });
  }

  it("allows repeated consultations (one at a time)", () => {
    const history = [{ type: "startConsultation" as const }, { type: "endConsultation" as const }];
    assert.deepEqual(canFire("received", "startConsultation", "handler", history), { ok: true });
  });
});

describe("lifecycle machine: clock warnings", () => {
  const clock = { dueDate: "2025-02-21", correctionNoticeDueDate: "2025-02-05" };
  it("warns about a 补正 notice after the 7th working day, not on it", () => {
    assert.deepEqual(lifecycleWarnings("requestCorrection", "2025-02-05", clock), []);
    assert.match(lifecycleWarnings("requestCorrection", "2025-02-06", clock)[0] ?? "", /7个工作日/);
  });
  it("warns about a reply after the due date", () => {
    assert.deepEqual(lifecycleWarnings("decide", "2025-02-21", clock), []);
    assert.match(lifecycleWarnings("decide", "2025-02-24", clock)[0] ?? "", /已超过答复期限/);
  });
});

describe("lifecycle labels and schemas", () => {
  it("labels every state and event in Chinese", () => {
    assert.equal(stateLabels.submitted, "已提交待确认");
    assert.equal(stateLabels.correctionRequested, "补正中");
    assert.equal(stateLabels.consulting, "征求意见中");
    assert.equal(stateLabels.feeNotified, "待缴费");
    assert.equal(stateLabels.decided, "已答复");
    assert.equal(stateLabels.delivered, "已送达");
    assert.equal(stateLabels.withdrawn, "已撤回");
    assert.equal(stateLabels.closedWithoutProcessing, "终止处理");
    for (const e of eventTypes) assert.match(eventLabels[e], /[\u4e00-\u9fff]/);
  });
  it("has one payload schema per event", () => {
    assert.deepEqual(Object.keys(requestEventPayloads).sort(), [...eventTypes].sort());
  });
});
