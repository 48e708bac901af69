import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { RequestDetailDto } from "@govinfo/shared/schemas/requestDto";
import { replyOutcomeKeys } from "@govinfo/shared/schemas/requestEvent";
import { type OutcomeKey, outcomeKeys } from "@govinfo/shared/stats/keys";
import { AuditEvent } from "../../../server/models/AuditEvent.ts";
import { createPersonalDataCipher } from "../../../server/security/personalData.ts";
import { fireEvent } from "../../../server/services/requestTransitioner.ts";
import { buildRequest } from "../../factories/requests.ts";
import { type Client, loginApplicant } from "../../support/clients.ts";
import { startTestServer, type TestServer } from "../../support/testServer.ts";
import {
  detail,
  fails,
  fireOk,
  ok,
  type StaffedAgency,
  staffedAgency,
  submission,
  today,
} from "./requests.support.ts";

let server: TestServer;
let staff: StaffedAgency;
let citizen: Client;
// Fixtures built through the factories never reach the reveal endpoint, so any key will do.
const cipher = createPersonalDataCipher(randomBytes(32));
const system = { kind: "system" as const, id: null, name: "系统", roles: ["system" as const] };

before(async () => {
  server = await startTestServer();
  staff = await staffedAgency(server);
  citizen = await loginApplicant(server, "13900000001");
});
after(async () => {
  await server.close();
});

/** Submits online as the citizen and confirms receipt today as the registrar. */
async function receivedOnline(): Promise<string> {
  const created = ok<RequestDetailDto>(await citizen.post("/api/requests", submission(staff.agency)), 201);
  await fireOk(staff.registrar, created.id, { type: "confirmReceipt", date: today() });
  return created.id;
}

describe("requests API: the full online path", () => {
  it("walks submit → confirm → 补正 → corrected by the applicant → consultation → extension → fee → paid → decide → deliver", async () => {
    const day = today();
    const created = ok<RequestDetailDto>(await citizen.post("/api/requests", submission(staff.agency)), 201);
    RequestDetailDto.parse(created);
    assert.equal(created.state, "submitted");
    assert.equal(created.stateLabel, "已提交待确认");
    assert.equal(created.channel, "online");
    assert.equal(created.receiptDate, null, "online: not received until both sides confirm");
    assert.deepEqual(created.abilities.events, ["withdraw"]);
    assert.equal(created.notes, undefined, "applicants never get staff notes");
    const id = created.id;

    const staffView = await detail(staff.registrar, id);
    assert.deepEqual(staffView.abilities.events, ["confirmReceipt", "withdraw"]);
    assert.equal(staffView.abilities.canReveal, true);

    let now = await fireOk(staff.registrar, id, { type: "confirmReceipt", date: day });
    assert.equal(now.state, "received");
    assert.equal(now.receiptDate, day);
    assert.ok(now.dueDate, "the clock runs from the confirmation day");

    now = await fireOk(staff.handler, id, {
      type: "requestCorrection",
      date: day,
      items: ["请写明所需监测月报的月份", "请说明获取信息的具体形式"],
      deadline: "2099-01-15",
    });
    assert.equal(now.state, "correctionRequested");
    assert.equal(now.dueDate, null, "the period restarts from the corrected application");

    const asOwner = await detail(citizen, id);
    assert.deepEqual(asOwner.abilities.events, ["receiveCorrection", "withdraw"]);
    assert.match(asOwner.timeline.at(-1)?.summary ?? "", /请写明所需监测月报的月份/);
    const corrected = ok<{ request: RequestDetailDto }>(
      await citizen.post(`/api/requests/${id}/correction`, {
        description: "2024年1月至6月乐都区空气质量监测月报（电子版）",
        documentNumber: "乐环监〔2024〕1号",
      }),
    ).request;
    assert.equal(corrected.state, "received");
    assert.equal(corrected.description, "2024年1月至6月乐都区空气质量监测月报（电子版）");
    assert.equal(corrected.documentNumber, "乐环监〔2024〕1号");
    assert.equal(corrected.clock.startDate, day, "答复期限自收到补正之日起计算");
    assert.equal(corrected.timeline.at(-1)?.actorName, "申请人");
    const ledger = await detail(staff.handler, id);
    assert.equal(ledger.timeline.at(-1)?.payload?.previousDescription, "2024年乐都区空气质量监测月报");

    now = await fireOk(staff.handler, id, {
      type: "startConsultation",
      date: day,
      party: "thirdParty",
      name: "青海某某化工有限公司",
    });
    assert.equal(now.state, "consulting");
    assert.ok(now.clock.consultationDueDate, "the third party's 15 working days are tracked");
    const ownerDuringConsultation = await detail(citizen, id);
    assert.ok(
      !JSON.stringify(ownerDuringConsultation).includes("青海某某化工有限公司"),
      "the applicant is not told who the third party is",
    );
    const ownerClock = await citizen.get(`/api/requests/${id}/clock`);
    assert.match(JSON.stringify(ownerClock.body), /征求第三方意见期间/);
    assert.ok(!JSON.stringify(ownerClock.body).includes("青海某某化工有限公司"));
    const staffClock = await staff.handler.get(`/api/requests/${id}/clock`);
    assert.ok(JSON.stringify(staffClock.body).includes("青海某某化工有限公司"), "staff see the party");
    now = await fireOk(staff.handler, id, { type: "endConsultation", date: day, result: "agreed" });
    assert.equal(now.state, "received");

    now = await fireOk(staff.reviewer, id, {
      type: "extend",
      date: day,
      workingDays: 15,
      reason: "需调取多个科室的监测数据",
      approver: "王主任",
    });
    assert.equal(now.extendedBadge, "已延期");
    assert.equal(now.clock.extendedDays, 15);
    assert.equal(now.clock.workingDaysLimit, 35);
    assert.ok(!JSON.stringify(await detail(citizen, id)).includes("王主任"), "approver is internal");

    now = await fireOk(staff.reviewer, id, {
      type: "feeNotice",
      date: day,
      delivery: "online",
      method: "perRequest",
      ordinalInMonth: 11,
      amount: 100,
    });
    assert.equal(now.state, "feeNotified");
    assert.match(now.timeline.at(-1)?.summary ?? "", /按件计收，信息处理费100元，网上送达/);
    now = await fireOk(staff.registrar, id, { type: "feePaid", date: day, receiptNo: "QH2026-0001" });
    assert.equal(now.state, "received");

    now = await fireOk(staff.reviewer, id, {
      type: "decide",
      date: day,
      outcome: "granted",
      documentNumber: "乐环依申复〔2026〕1号",
    });
    assert.equal(now.state, "decided");
    assert.equal(now.outcome, "granted");
    assert.equal(now.outcomeLabel, "（一）予以公开");
    assert.equal(now.clock.status, "stopped");
    now = await fireOk(staff.handler, id, { type: "deliver", date: day, method: "email" });
    assert.equal(now.state, "delivered");
    assert.deepEqual(now.abilities.events, []);
    assert.equal(now.abilities.canAssign, false);

    const final = await detail(citizen, id);
    RequestDetailDto.parse(final);
    assert.deepEqual(
      final.timeline.map((t) => t.type),
      [
        "submit",
        "confirmReceipt",
        "requestCorrection",
        "receiveCorrection",
        "startConsultation",
        "endConsultation",
        "extend",
        "feeNotice",
        "feePaid",
        "decide",
        "deliver",
      ],
    );
    assert.ok(
      final.timeline.every((t) => t.payload === undefined),
      "no raw payloads for applicants",
    );
    assert.ok(final.timeline.filter((t) => t.actorKind === "staff").every((t) => t.actorName === "本机关"));
    const audited = await AuditEvent.find({ targetId: id }).sort({ at: 1 }).lean();
    assert.deepEqual(
      audited.map((a) => a.action),
      final.timeline.map((t) => `request.${t.type}`),
      "every step is in the audit trail",
    );
  });
});

describe("requests API: withdrawal and closures", () => {
  it("lets the applicant withdraw a received application (（六）3 其他)", async () => {
    const id = await receivedOnline();
    const withdrawn = ok<{ request: RequestDetailDto }>(
      await citizen.post(`/api/requests/${id}/withdraw`, { reason: "已通过其他途径获取" }),
    ).request;
    assert.equal(withdrawn.state, "withdrawn");
    assert.equal(withdrawn.outcome, "other.other");
    assert.match(withdrawn.timeline.at(-1)?.summary ?? "", /已通过其他途径获取/);
    const again = fails(await citizen.post(`/api/requests/${id}/withdraw`, {}), 409);
    assert.equal(again.details?.reason, "lifecycle.invalid_state");
  });

  it("withdraws a never-confirmed submission without an outcome (never 收到, outside table 三)", async () => {
    const created = ok<RequestDetailDto>(await citizen.post("/api/requests", submission(staff.agency)), 201);
    const withdrawn = ok<{ request: RequestDetailDto }>(
      await citizen.post(`/api/requests/${created.id}/withdraw`, {}),
    ).request;
    assert.equal(withdrawn.state, "withdrawn");
    assert.equal(withdrawn.outcome, null);
  });

  it("closes without processing with the chosen （六） outcome", async () => {
    const id = await receivedOnline();
    const closed = await fireOk(staff.reviewer, id, {
      type: "closeUnprocessed",
      date: today(),
      outcome: "other.other",
      reason: "申请人死亡，无法继续处理",
    });
    assert.equal(closed.state, "closedWithoutProcessing");
    assert.equal(closed.outcome, "other.other");
    assert.equal(closed.stateLabel, "终止处理");
  });

  it("closes a lapsed 补正 and a lapsed fee as the system (jobs go through fireEvent too)", async () => {
    const noCorrection = await buildRequest(staff.agency, cipher, {
      input: { receiptDate: "2025-03-03" },
      events: [
        { type: "requestCorrection", date: "2025-03-05", items: ["请明确信息名称"], deadline: "2025-03-20" },
      ],
    });
    await fireEvent({
      requestId: noCorrection._id,
      input: { type: "expireCorrection", date: "2025-03-21" },
      actor: system,
    });
    const a = await detail(staff.handler, String(noCorrection._id));
    assert.deepEqual([a.state, a.outcome], ["closedWithoutProcessing", "other.noCorrection"]);
    assert.equal(a.timeline.at(-1)?.actorName, "系统");

    const unpaid = await buildRequest(staff.agency, cipher, {
      input: { receiptDate: "2025-03-03" },
      events: [
        {
          type: "feeNotice",
          date: "2025-03-07",
          delivery: "online",
          method: "byPages",
          pages: 150,
          amount: 1700,
        },
      ],
    });
    await fireEvent({
      requestId: unpaid._id,
      input: { type: "expireFee", date: "2025-04-08" },
      actor: system,
    });
    const b = await detail(staff.handler, String(unpaid._id));
    assert.deepEqual([b.state, b.outcome], ["closedWithoutProcessing", "other.feeUnpaid"]);

    // Staff may not fire the system's closures themselves.
    const c = await buildRequest(staff.agency, cipher, {
      events: [
        { type: "requestCorrection", date: "2025-03-05", items: ["请明确信息名称"], deadline: "2025-03-20" },
      ],
    });
    const refused = fails(
      await staff.reviewer.post(`/api/requests/${c._id}/events`, {
        event: { type: "expireCorrection", date: "2025-03-21" },
        expectedVersion: c.version,
      }),
      403,
    );
    assert.equal(refused.details?.reason, "lifecycle.forbidden_role");
  });
});

describe("requests API: every outcome key is reachable", () => {
  it("decides fresh applications with each reply outcome and reaches the three closures", async () => {
    const reached = new Set<OutcomeKey>();
    for (const outcome of replyOutcomeKeys) {
      // 补正后申请内容仍不明确 applies only after the applicant corrected the application.
      const events =
        outcome === "unable.stillUnclear"
          ? [
              {
                type: "requestCorrection",
                date: "2025-03-04",
                items: ["请明确信息名称"],
                deadline: "2025-03-14",
              },
              { type: "receiveCorrection", date: "2025-03-06", description: "仍然是关于污水处理厂的文件" },
            ]
          : outcome === "withheld.thirdParty"
            ? [
                // Withholding for a third party needs its written objection or silence (Art. 32).
                { type: "startConsultation", date: "2025-03-04", party: "thirdParty", name: "某公司" },
                { type: "endConsultation", date: "2025-03-06", result: "objected" },
              ]
            : [];
      const built = await buildRequest(staff.agency, cipher, { events });
      const decided = await fireOk(staff.reviewer, String(built._id), {
        type: "decide",
        date: "2025-03-10",
        outcome,
        ...(outcome === "unable.notHeld" ? { ground: "notExist" } : {}),
        // 不予重复处理 needs the four-point 重复申请 checklist ticked (requests.duplicates.test.ts).
        ...(outcome === "notProcessed.duplicate"
          ? {
              duplicateChecklist: {
                sameApplicant: true,
                sameAgency: true,
                sameInformation: true,
                factsUnchanged: true,
              },
            }
          : {}),
      });
      assert.equal(decided.state, "decided", outcome);
      assert.equal(decided.outcome, outcome);
      if (decided.outcome) reached.add(decided.outcome);
    }
    const correcting = await buildRequest(staff.agency, cipher, {
      events: [
        { type: "requestCorrection", date: "2025-03-04", items: ["请明确信息名称"], deadline: "2025-03-14" },
      ],
    });
    const feeing = await buildRequest(staff.agency, cipher, {
      events: [
        {
          type: "feeNotice",
          date: "2025-03-05",
          delivery: "online",
          method: "byPages",
          pages: 40,
          amount: 100,
        },
      ],
    });
    for (const [request, outcome] of [
      [correcting, "other.noCorrection"],
      [feeing, "other.feeUnpaid"],
    ] as const) {
      const closed = await fireOk(staff.reviewer, String(request._id), {
        type: "closeUnprocessed",
        date: "2025-04-30",
        outcome,
        reason: "期限届满",
      });
      if (closed.outcome) reached.add(closed.outcome);
    }
    const withdrawing = await buildRequest(staff.agency, cipher);
    const withdrawn = await fireOk(staff.registrar, String(withdrawing._id), {
      type: "withdraw",
      date: "2025-03-05",
      reason: "申请人书面撤回",
    });
    if (withdrawn.outcome) reached.add(withdrawn.outcome);
    assert.deepEqual([...reached].sort(), [...outcomeKeys].sort());
  });

  it("refuses outcomes that do not fit the case with a 400 on field outcome", async () => {
    const built = await buildRequest(staff.agency, cipher);
    const id = String(built._id);
    const unclear = fails(
      await staff.reviewer.post(`/api/requests/${id}/events`, {
        event: { type: "decide", date: "2025-03-10", outcome: "unable.stillUnclear" },
        expectedVersion: built.version,
      }),
      400,
    );
    assert.equal(unclear.details?.fields?.[0]?.path, "outcome");
    assert.match(unclear.message, /仅适用于申请人已补正的申请/);
    const notAReply = fails(
      await staff.reviewer.post(`/api/requests/${id}/events`, {
        event: { type: "decide", date: "2025-03-10", outcome: "other.feeUnpaid" },
        expectedVersion: built.version,
      }),
      400,
    );
    assert.equal(notAReply.details?.fields?.[0]?.path, "outcome");
    const wrongClosure = fails(
      await staff.reviewer.post(`/api/requests/${id}/events`, {
        event: { type: "closeUnprocessed", date: "2025-03-10", outcome: "other.noCorrection", reason: "x" },
        expectedVersion: built.version,
      }),
      400,
    );
    assert.equal(wrongClosure.details?.fields?.[0]?.path, "outcome");
    assert.equal((await detail(staff.reviewer, id)).state, "received", "nothing changed");
  });
});
