/**
 * The office workflow over HTTP: the sign-off chain 拟办 → 审核/返工 → 签发 per agency setting, and
 * 签收/退回 of assignments. Real server, real driver, embedded database.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type GuideQuestionKey, guideAnswers, walkGuide } from "@govinfo/shared/lifecycle/decisionGuide";
import type { AgencyNodeDto } from "@govinfo/shared/schemas/agency";
import type { RequestDetailDto, RequestListItemDto } from "@govinfo/shared/schemas/requestDto";
import { duplicateChecklistComplete } from "@govinfo/shared/schemas/requestEvent";
import { DisclosureRequest } from "../../../server/models/DisclosureRequest.ts";
import { buildAgency, buildStaff } from "../../factories/people.ts";
import { type Client, loginApplicant, loginStaff } from "../../support/clients.ts";
import { readDocx } from "../../support/docx.ts";
import { startTestServer, type TestServer } from "../../support/testServer.ts";
import {
  detail,
  fails,
  fire,
  fireOk,
  ok,
  register,
  type StaffedAgency,
  staffedAgency,
  submission,
  today,
} from "./requests.support.ts";

let server: TestServer;
let staff: StaffedAgency;
let signer: Client;
let secondReviewer: Client;

before(async () => {
  server = await startTestServer();
  staff = await staffedAgency(server);
  const login = async (role: "signer" | "reviewer") => {
    const user = await buildStaff([{ agency: staff.agency, role }]);
    return loginStaff(server, user.username, user.password);
  };
  signer = await login("signer");
  secondReviewer = await login("reviewer");
  // The agency's setting: 予以公开 needs 审核; 不予公开 and 部分公开 need 签发 too; the rest none.
  const updated = ok<AgencyNodeDto>(
    await staff.admin.patch(`/api/agencies/${staff.agency._id}`, {
      signOffPolicy: { granted: "review", partial: "signOff", withheld: "signOff" },
    }),
  );
  assert.deepEqual(updated.signOffPolicy, {
    granted: "review",
    partial: "signOff",
    withheld: "signOff",
    unable: "none",
    notProcessed: "none",
    other: "none",
  });
});
after(async () => {
  await server.close();
});

const withheld = { outcome: "withheld.internalAffairs", note: "属于内部事务信息" };

describe("sign-off chain: the agency's setting", () => {
  it("is refused in words when the value is not one of the steps, and only the agency admin sets it", async () => {
    const bad = fails(
      await staff.admin.patch(`/api/agencies/${staff.agency._id}`, { signOffPolicy: { granted: "always" } }),
      400,
    );
    assert.match(bad.message, /请选择审核签发环节/);
    const notAdmin = fails(
      await staff.reviewer.patch(`/api/agencies/${staff.agency._id}`, { signOffPolicy: { granted: "none" } }),
      403,
    );
    assert.match(notAdmin.message, /您的角色不能/);
  });

  it("keeps today's one-step reply for an agency that configured nothing", async () => {
    const other = await staffedAgency(server);
    const created = await register(other, today());
    const decided = await fireOk(other.reviewer, created.id, { type: "decide", date: today(), ...withheld });
    assert.equal(decided.state, "decided");
  });

  it("refuses a one-step reply where the setting requires the chain, naming the steps", async () => {
    const created = await register(staff, today());
    const granted = fails(
      await fire(staff.reviewer, created.id, { type: "decide", date: today(), outcome: "granted" }),
      409,
    );
    assert.match(granted.message, /须经拟办、审核后才能作出答复/);
    const refused = fails(
      await fire(staff.reviewer, created.id, { type: "decide", date: today(), ...withheld }),
      409,
    );
    assert.match(refused.message, /须经拟办、审核、签发后才能作出答复/);
    // Outcomes the agency left at 直接作出答复 still go in one step.
    const notHeld = await fireOk(staff.reviewer, created.id, {
      type: "decide",
      date: today(),
      outcome: "unable.notHeld",
      ground: "notExist",
    });
    assert.equal(notHeld.state, "decided");
  });
});

describe("sign-off chain: 拟办 → 返工 → 拟办 → 审核 → 签发 → 答复", () => {
  let id: string;
  before(async () => {
    id = (await register(staff, today())).id;
  });

  it("checks a draft like the reply it drafts (no 第三方 withholding without a consultation)", async () => {
    const refused = fails(
      await fire(staff.handler, id, {
        type: "draftDecision",
        date: today(),
        outcome: "withheld.thirdParty",
        letter: ["初稿：不予公开。"],
      }),
      400,
    );
    assert.match(refused.message, /应当先书面征求第三方意见/);
    assert.equal((await detail(staff.handler, id)).timeline.length, 1, "nothing written");
  });

  it("drafts, is returned with a reason, redrafts, is approved and signed, and only then is answered", async () => {
    const draft1 = await fireOk(staff.handler, id, {
      type: "draftDecision",
      date: today(),
      ...withheld,
      letter: ["初稿：属于内部事务信息，不予公开。"],
    });
    assert.equal(draft1.workflow?.signOffStage, "awaitingReview");
    assert.equal(draft1.workflow?.signOffStageLabel, "拟办待审核");
    assert.deepEqual(draft1.timeline.at(-1)?.payload?.letter, ["初稿：属于内部事务信息，不予公开。"]);
    assert.equal(draft1.timeline.at(-1)?.payload?.needsSignOff, true, "recorded from the agency's setting");

    const signTooEarly = fails(await fire(signer, id, { type: "signOff", date: today() }), 409);
    assert.match(signTooEarly.message, /尚未审核通过，不能签发/);
    const issueTooEarly = fails(
      await fire(staff.reviewer, id, { type: "decide", date: today(), ...withheld }),
      409,
    );
    assert.match(issueTooEarly.message, /尚未审核，不能作出答复/);
    const redraftTooEarly = fails(
      await fire(staff.handler, id, { type: "draftDecision", date: today(), ...withheld }),
      409,
    );
    assert.match(redraftTooEarly.message, /正在审核或签发/);
    const noReason = fails(
      await fire(staff.reviewer, id, { type: "returnDraft", date: today(), reason: " " }),
      400,
    );
    assert.match(noReason.message, /请填写退回理由/);

    const returned = await fireOk(staff.reviewer, id, {
      type: "returnDraft",
      date: today(),
      reason: "请写明不予公开的具体理由",
    });
    assert.equal(returned.workflow?.signOffStage, "returned");
    assert.equal(returned.timeline.at(-1)?.summary, "退回返工（理由：请写明不予公开的具体理由）");
    assert.equal(returned.timeline.at(-1)?.label, "退回返工");

    await fireOk(staff.handler, id, {
      type: "draftDecision",
      date: today(),
      ...withheld,
      letter: ["二稿：所申请信息属于内部事务信息。", "根据《条例》第十六条第一款，不予公开。"],
    });
    const approved = await fireOk(staff.reviewer, id, {
      type: "approveDraft",
      date: today(),
      comment: "同意",
    });
    assert.equal(approved.workflow?.signOffStage, "awaitingSignOff");
    const issueBeforeSign = fails(
      await fire(staff.reviewer, id, { type: "decide", date: today(), ...withheld }),
      409,
    );
    assert.match(issueBeforeSign.message, /尚未签发，不能作出答复/);
    assert.ok(!approved.abilities.events.includes("decide"), "no 答复 button before 签发");

    const signerView = await detail(signer, id);
    assert.deepEqual(signerView.abilities.events, ["returnDraft", "signOff"]);
    const signed = await fireOk(signer, id, { type: "signOff", date: today(), comment: "同意签发" });
    assert.equal(signed.workflow?.signOffStage, "signed");
    assert.deepEqual(signed.timeline.at(-1)?.payload?.signedLetter, [
      "二稿：所申请信息属于内部事务信息。",
      "根据《条例》第十六条第一款，不予公开。",
    ]);

    const otherOutcome = fails(
      await fire(staff.reviewer, id, { type: "decide", date: today(), outcome: "granted" }),
      409,
    );
    assert.match(otherOutcome.message, /与审核通过的拟办意见不一致/);
    const decided = await fireOk(staff.reviewer, id, { type: "decide", date: today(), ...withheld });
    assert.equal(decided.state, "decided");
    assert.equal(decided.outcome, "withheld.internalAffairs");

    // Every step is on the staff timeline with its actor, and the texts are all kept.
    const steps = decided.timeline.slice(1).map((t) => [t.type, t.actorName !== ""]);
    assert.deepEqual(
      steps.map(([type]) => type),
      ["draftDecision", "returnDraft", "draftDecision", "approveDraft", "signOff", "decide"],
    );
    assert.ok(steps.every(([, named]) => named));
    assert.deepEqual(decided.timeline[1]?.payload?.letter, ["初稿：属于内部事务信息，不予公开。"]);
  });

  it("issues the reply letter with the signed text, and refuses a text that was not signed", async () => {
    const preview = ok<{ paragraphs: string[] }>(
      await staff.reviewer.get(`/api/requests/${id}/letters/reply/preview`),
    );
    assert.deepEqual(preview.paragraphs, [
      "二稿：所申请信息属于内部事务信息。",
      "根据《条例》第十六条第一款，不予公开。",
    ]);
    const edited = fails(
      await staff.reviewer.post(`/api/requests/${id}/letters/reply`, { paragraphs: ["改过的正文"] }),
      409,
    );
    assert.match(edited.message, /应与审核（签发）通过的拟办稿一致/);
    const issued = ok<{ id: string }>(
      await staff.reviewer.post(`/api/requests/${id}/letters/reply`, {}),
      201,
    );
    const response = await fetch(`${server.baseUrl}/api/requests/${id}/documents/${issued.id}`, {
      headers: staff.reviewer.headers,
    });
    const text = readDocx(Buffer.from(await response.arrayBuffer())).text;
    assert.match(text, /二稿：所申请信息属于内部事务信息。/);
    assert.doesNotMatch(text, /初稿/);
  });
});

describe("sign-off chain: who may act, and at once", () => {
  it("answers 予以公开 after 审核 alone, with the draft letter taken from the reply preview", async () => {
    const { id } = await register(staff, today());
    const drafted = await fireOk(staff.handler, id, {
      type: "draftDecision",
      date: today(),
      outcome: "granted",
    });
    const letter = drafted.timeline.at(-1)?.payload?.letter as string[];
    assert.ok(
      letter.length > 1 && letter.some((p) => p.includes("第三十六条第（二）项")),
      JSON.stringify(letter),
    );
    const approved = await fireOk(staff.reviewer, id, { type: "approveDraft", date: today() });
    assert.equal(approved.workflow?.signOffStage, "approved");
    const noSign = fails(await fire(signer, id, { type: "signOff", date: today() }), 409);
    assert.match(noSign.message, /无需签发/);
    assert.equal(
      (await fireOk(staff.reviewer, id, { type: "decide", date: today(), outcome: "granted" })).state,
      "decided",
    );
  });

  it("lets one of two reviewers acting at once win; the other gets 409 and nothing is written twice", async () => {
    const { id } = await register(staff, today());
    await fireOk(staff.handler, id, { type: "draftDecision", date: today(), ...withheld });
    const { version } = await detail(staff.reviewer, id);
    const [a, b] = await Promise.all([
      staff.reviewer.post(`/api/requests/${id}/events`, {
        event: { type: "approveDraft", date: today() },
        expectedVersion: version,
      }),
      secondReviewer.post(`/api/requests/${id}/events`, {
        event: { type: "returnDraft", date: today(), reason: "再核实" },
        expectedVersion: version,
      }),
    ]);
    assert.deepEqual([a.status, b.status].sort(), [200, 409]);
    const loser = (a.status === 409 ? a : b).body as { message: string };
    assert.match(loser.message, /已被他人处理/);
    const stored = await DisclosureRequest.findById(id).lean();
    assert.equal(stored?.events.length, 3, "register, draft and exactly one review");
  });

  it("keeps four eyes: whoever drafted does not approve their own draft", async () => {
    const both = await buildStaff([
      { agency: staff.agency, role: "handler" },
      { agency: staff.agency, role: "reviewer" },
    ]);
    const client = await loginStaff(server, both.username, both.password);
    const { id } = await register(staff, today());
    await fireOk(client, id, { type: "draftDecision", date: today(), ...withheld });
    const own = fails(await fire(client, id, { type: "approveDraft", date: today() }), 403);
    assert.match(own.message, /不能审核本人拟办的答复意见/);
  });

  it("refuses chain events to roles that do not hold them, and hides the chain from the applicant", async () => {
    const citizen = await loginApplicant(server, "13900000077");
    const created = ok<RequestDetailDto>(await citizen.post("/api/requests", submission(staff.agency)), 201);
    await fireOk(staff.registrar, created.id, { type: "confirmReceipt", date: today() });
    const notHandler = fails(
      await fire(staff.reviewer, created.id, { type: "draftDecision", date: today(), ...withheld }),
      403,
    );
    assert.match(notHandler.message, /审核人员无权拟办/);
    await fireOk(staff.handler, created.id, { type: "draftDecision", date: today(), ...withheld });
    const mine = await detail(citizen, created.id);
    assert.deepEqual(
      mine.timeline.map((t) => t.type),
      ["submit", "confirmReceipt"],
    );
    assert.equal(mine.workflow, undefined);
  });
});

describe("签收 and 退回 of assignments", () => {
  it("walks assign → 退回 with a reason (seen in the registrar's queue) → reassign → 签收", async () => {
    const { id } = await register(staff, today());
    const assigned = ok<RequestDetailDto>(
      await staff.registrar.post(`/api/requests/${id}/assign`, { assigneeId: staff.ids.handler }),
    );
    assert.equal(assigned.workflow?.assignment, "pending");
    assert.equal(assigned.workflow?.assignmentLabel, "待签收");
    assert.equal((await detail(staff.handler, id)).abilities.canAnswerAssignment, true);
    assert.equal((await detail(staff.reviewer, id)).abilities.canAnswerAssignment, false);

    const noReason = fails(
      await staff.handler.post(`/api/requests/${id}/assignment/return`, { reason: "" }),
      400,
    );
    assert.match(noReason.message, /退回理由不能为空/);
    const notMine = fails(await staff.reviewer.post(`/api/requests/${id}/assignment/accept`), 403);
    assert.match(notMine.message, /只有被分配的承办人/);

    const returned = ok<RequestDetailDto>(
      await staff.handler.post(`/api/requests/${id}/assignment/return`, { reason: "不属于本科室职责" }),
    );
    assert.equal(returned.assignee, null);
    assert.equal(returned.workflow?.assignment, "returned");
    assert.equal(returned.workflow?.returned?.reason, "不属于本科室职责");

    const queue = ok<{ items: RequestListItemDto[] }>(
      await staff.registrar.get("/api/requests?assignment=returned&limit=100"),
    );
    const row = queue.items.find((item) => item.id === id);
    assert.ok(row, "the registrar finds the returned application with the filter");
    assert.equal(row.workflow?.assignmentLabel, "已退回");
    assert.ok(queue.items.every((item) => item.workflow?.assignment === "returned"));
    const badFilter = fails(await staff.registrar.get("/api/requests?assignment=lost"), 400);
    assert.match(badFilter.message, /签收状态取值/);

    ok(await staff.registrar.post(`/api/requests/${id}/assign`, { assigneeId: staff.ids.handler }));
    const accepted = ok<RequestDetailDto>(await staff.handler.post(`/api/requests/${id}/assignment/accept`));
    assert.equal(accepted.workflow?.assignment, "accepted");
    assert.equal(accepted.workflow?.returned, null);
    const twice = fails(await staff.handler.post(`/api/requests/${id}/assignment/accept`), 409);
    assert.match(twice.message, /已签收/);
  });

  it("hides the office's routing from applicants' lists", async () => {
    const citizen = await loginApplicant(server, "13900000078");
    ok(await citizen.post("/api/requests", submission(staff.agency)), 201);
    const mine = ok<{ items: RequestListItemDto[] }>(await citizen.get("/api/requests/mine"));
    assert.ok(mine.items.length > 0);
    assert.ok(mine.items.every((item) => item.workflow === undefined));
  });
});

describe("sign-off chain: an agency created under the setting's defaults", () => {
  it("shows every group at 直接作出答复", async () => {
    const parent = await buildAgency({ level: "government" });
    const agency = await buildAgency({ parent });
    const admin = await buildStaff([{ agency, role: "admin" }]);
    const client = await loginStaff(server, admin.username, admin.password);
    const tree = ok<AgencyNodeDto[]>(await client.get("/api/agencies/tree"));
    assert.equal(tree[0]?.signOffPolicy.withheld, "none");
  });
});

describe("decision guide: every outcome it leads to is a reply the server accepts", () => {
  it("drafts, approves and answers each guide path over HTTP with the outcome and ground the guide chose", async () => {
    const office = await staffedAgency(server);
    const results = new Map<string, { outcome: string; ground?: string }>();
    const visit = (answers: Partial<Record<GuideQuestionKey, string>>) => {
      const walk = walkGuide(answers);
      if (walk.result) results.set(`${walk.result.outcome}/${walk.result.ground ?? ""}`, walk.result);
      if (walk.result || walk.notReply) return;
      const open = walk.asked.at(-1) as GuideQuestionKey;
      for (const answer of guideAnswers(open)) visit({ ...answers, [open]: answer.key });
    };
    visit({});
    assert.ok(results.size >= 18, `${results.size} results`);
    for (const result of results.values()) {
      const { id } = await register(office, today());
      if (result.outcome === "withheld.thirdParty") {
        await fireOk(office.handler, id, {
          type: "startConsultation",
          date: today(),
          party: "thirdParty",
          name: "某公司",
        });
        await fireOk(office.handler, id, { type: "endConsultation", date: today(), result: "objected" });
      }
      const extra =
        result.ground === "alreadyPublic"
          ? { location: "已在本机关门户网站政府信息公开专栏公开" }
          : result.ground === "notResponsible"
            ? { responsibleAgencyName: "某县卫生健康局", note: "该信息由卫生健康部门制作" }
            : result.outcome === "notProcessed.duplicate"
              ? { duplicateChecklist: duplicateChecklistComplete }
              : {};
      // Drafted without a text of its own, the 拟办 proposes the very letter the reply will issue.
      const drafted = await fireOk(office.handler, id, {
        type: "draftDecision",
        date: today(),
        ...result,
        ...extra,
      });
      const letter = (drafted.timeline.at(-1)?.payload?.letter ?? []) as string[];
      const named =
        "location" in extra
          ? extra.location
          : "responsibleAgencyName" in extra
            ? extra.responsibleAgencyName
            : "";
      assert.ok(letter.length > 2 && letter.join("").includes(named ?? ""), letter.join("\n"));
      await fireOk(office.reviewer, id, { type: "approveDraft", date: today() });
      const decided = await fireOk(office.reviewer, id, {
        type: "decide",
        date: today(),
        ...result,
        ...extra,
      });
      assert.equal(decided.outcome, result.outcome, JSON.stringify(result));
      const preview = ok<{ paragraphs: string[] }>(
        await office.reviewer.get(`/api/requests/${id}/letters/reply/preview`),
      );
      assert.deepEqual(preview.paragraphs, letter);
    }
  });
});
