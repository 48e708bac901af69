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
  type HistoryEntry,
  historyOf,
  initialTransitions,
  internalEvents,
  isClosed,
  isTerminal,
  lifecycleWarnings,
  nextState,
  type Role,
  roles,
  type State,
  signOffRefusal,
  signOffStage,
  signOffStepsFor,
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
  ["received", "draftDecision", "received", null],
  ["received", "returnDraft", "received", null],
  ["received", "approveDraft", "received", null],
  ["received", "signOff", "received", null],
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
  draftDecision: ["handler"],
  returnDraft: ["reviewer", "signer"],
  approveDraft: ["reviewer"],
  signOff: ["signer"],
  decide: ["reviewer"],
  deliver: ["registrar", "handler", "system"],
  withdraw: ["applicant", "registrar"],
  closeUnprocessed: ["reviewer", "admin"],
};

// The chain events need a draft at the right step before them (their order guard).
const drafted: HistoryEntry[] = [{ type: "draftDecision", outcome: "partial", needsSignOff: true }];
const approved: HistoryEntry[] = [...drafted, { type: "approveDraft" }];
function historyFor(event: EventType, role?: Role): HistoryEntry[] {
  if (event === "signOff" || (event === "returnDraft" && role === "signer")) return approved;
  if (event === "returnDraft" || event === "approveDraft") return drafted;
  return [];
}

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
        const verdict = canFire(state, event, role, historyFor(event, role));
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
        const verdict = canFire(from, event, role, historyFor(event, role));
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

describe("lifecycle machine: the sign-off chain (拟办 → 审核/返工 → 签发)", () => {
  const draft = (outcome: string, needsSignOff: boolean): HistoryEntry => ({
    type: "draftDecision",
    outcome,
    needsSignOff,
  });
  const refusal = (verdict: ReturnType<typeof canFire>) => (verdict.ok ? "allowed" : verdict.message);

  it("derives the stage of the last draft from the history", () => {
    const stageOf = (history: HistoryEntry[]) => signOffStage(history).stage;
    assert.equal(stageOf([{ type: "register" }]), "none");
    assert.equal(stageOf([draft("partial", true)]), "awaitingReview");
    assert.equal(stageOf([draft("partial", true), { type: "returnDraft" }]), "returned");
    assert.equal(stageOf([draft("partial", true), { type: "approveDraft" }]), "awaitingSignOff");
    assert.equal(stageOf([draft("granted", false), { type: "approveDraft" }]), "approved");
    assert.equal(stageOf([draft("partial", true), { type: "approveDraft" }, { type: "signOff" }]), "signed");
    // An extension leaves the draft standing; a consultation changes the facts it rests on.
    assert.equal(stageOf([draft("granted", false), { type: "extend" }]), "awaitingReview");
    assert.equal(
      stageOf([draft("granted", false), { type: "startConsultation" }, { type: "endConsultation" }]),
      "none",
    );
    const redrafted = [
      draft("withheld.thirdParty", true),
      { type: "returnDraft" as const },
      draft("partial", true),
    ];
    assert.deepEqual(signOffStage(redrafted), { stage: "awaitingReview", draftIndex: 2 });
  });

  it("refuses each step out of order, in words", () => {
    assert.match(
      refusal(canFire("received", "signOff", "signer", [draft("partial", true)])),
      /尚未审核通过，不能签发/,
    );
    assert.match(refusal(canFire("received", "signOff", "signer", [])), /没有待签发的拟办意见/);
    assert.match(
      refusal(canFire("received", "signOff", "signer", [draft("granted", false), { type: "approveDraft" }])),
      /无需签发/,
    );
    assert.match(refusal(canFire("received", "approveDraft", "reviewer", [])), /没有待审核的拟办意见/);
    assert.match(refusal(canFire("received", "approveDraft", "reviewer", approved)), /不能重复审核/);
    assert.match(refusal(canFire("received", "draftDecision", "handler", drafted)), /正在审核或签发/);
    assert.match(refusal(canFire("received", "returnDraft", "reviewer", approved)), /没有待审核的拟办意见/);
    assert.match(refusal(canFire("received", "returnDraft", "signer", drafted)), /没有待签发的拟办意见/);
    assert.match(refusal(canFire("received", "decide", "reviewer", drafted)), /尚未审核，不能作出答复/);
    assert.match(refusal(canFire("received", "decide", "reviewer", approved)), /尚未签发，不能作出答复/);
    const code = canFire("received", "signOff", "signer", drafted);
    assert.equal(code.ok ? "allowed" : code.code, "lifecycle.out_of_order");
  });

  it("lets the handler redraft after a return, and shows the buttons of each step", () => {
    const returned: HistoryEntry[] = [...drafted, { type: "returnDraft" }];
    assert.deepEqual(canFire("received", "draftDecision", "handler", returned), { ok: true });
    assert.ok(allowedEvents("received", "reviewer", drafted).includes("approveDraft"));
    assert.ok(!allowedEvents("received", "reviewer", drafted).includes("decide"));
    assert.deepEqual(allowedEvents("received", "signer", approved), ["returnDraft", "signOff"]);
    assert.deepEqual(allowedEvents("received", "signer", drafted), []);
  });

  it("applies the agency's setting on decide: the steps must be complete and the outcome the drafted one", () => {
    const policy = { granted: "review", partial: "signOff", withheld: "signOff" } as const;
    assert.equal(signOffStepsFor(policy, "granted"), "review");
    assert.equal(signOffStepsFor(policy, "withheld.thirdParty"), "signOff");
    assert.equal(signOffStepsFor(policy, "unable.notHeld"), "none");
    assert.equal(signOffStepsFor(null, "partial"), "none");
    assert.equal(signOffRefusal("unable.notHeld", "none", []), null, "no chain configured: one step");
    assert.match(signOffRefusal("granted", "review", [])?.message ?? "", /须经拟办、审核后/);
    assert.match(signOffRefusal("partial", "signOff", [])?.message ?? "", /须经拟办、审核、签发后/);
    const signed: HistoryEntry[] = [...approved, { type: "signOff" }];
    assert.equal(signOffRefusal("partial", "signOff", signed), null);
    assert.match(signOffRefusal("granted", "review", signed)?.message ?? "", /与审核通过的拟办意见不一致/);
    const reviewed: HistoryEntry[] = [draft("granted", false), { type: "approveDraft" }];
    assert.equal(signOffRefusal("granted", "review", reviewed), null);
  });

  it("reads the guards' history from stored events, and keeps the chain off the applicant's timeline", () => {
    assert.deepEqual(
      historyOf([
        { type: "register", payload: {} },
        { type: "draftDecision", payload: { outcome: "partial", needsSignOff: true, letter: ["…"] } },
      ]),
      [{ type: "register" }, { type: "draftDecision", outcome: "partial", needsSignOff: true }],
    );
    assert.deepEqual([...internalEvents].sort(), ["approveDraft", "draftDecision", "returnDraft", "signOff"]);
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
