/**
 * Issue 18 items 2–5 over real HTTP against the embedded database: 满意度评价 (once, closed only, a low
 * rating opens a 回访 task due in working days on the one calendar, shown on the agency's dashboard and
 * in the supervisor summary, never in the annual report tables); the 救济向导 (remedies and deadlines
 * of the letter, the 复议机关 from reviewBody.ts, the court route, the 行政复议申请书 read back from
 * DOCX); 先查再申 counts; and 纳入主动公开 proposals (similar applications grouped, staff confirm,
 * linked to the published item, which later applicants are shown).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { addDays } from "@govinfo/shared/calendar/date";
import { addWorkingDays, isWorkingDay, nextWorkingDay } from "@govinfo/shared/calendar/workdays";
import type { AftercareDto, ReviewApplicationDto } from "@govinfo/shared/schemas/aftercare";
import type { AgencyFeedbackDto, ProposalBoardDto, ProposalDto } from "@govinfo/shared/schemas/feedback";
import type { RequestDetailDto } from "@govinfo/shared/schemas/requestDto";
import mongoose from "mongoose";
import { Agency } from "../../../server/models/Agency.ts";
import { SatisfactionRating } from "../../../server/models/SatisfactionRating.ts";
import { calendarOverrides } from "../../../server/services/calendar.ts";
import { addMonths } from "../../../server/services/remedyGuide.ts";
import { reviewBodyOf } from "../../../server/services/reviewBody.ts";
import { buildAgency } from "../../factories/people.ts";
import { anonymousClient, type Client, loginApplicant } from "../../support/clients.ts";
import { fingerprint } from "../../support/dbFingerprint.ts";
import { readDocx } from "../../support/docx.ts";
import { startTestServer, type TestServer } from "../../support/testServer.ts";
import {
  fails,
  fireOk,
  ok,
  type StaffedAgency,
  secrets,
  staffedAgency,
  submission,
  today,
} from "./requests.support.ts";

let server: TestServer;
let staff: StaffedAgency;
let citizen: Client;
let stranger: Client;

before(async () => {
  server = await startTestServer();
  staff = await staffedAgency(server);
  citizen = await loginApplicant(server, secrets.phone);
  stranger = await loginApplicant(server, "13700000009");
});
after(async () => {
  await server.close();
});

/** An online application of the citizen, confirmed received today. */
async function received(description = "2024年乐都区空气质量监测月报"): Promise<RequestDetailDto> {
  const created = ok<RequestDetailDto>(
    await citizen.post("/api/requests", submission(staff.agency, { description })),
    201,
  );
  return fireOk(staff.registrar, created.id, { type: "confirmReceipt", date: today() });
}

/** A closed application of the citizen with `outcome`. */
async function closedWith(outcome: string, extra: Record<string, unknown> = {}): Promise<RequestDetailDto> {
  const open = await received();
  return fireOk(staff.reviewer, open.id, { type: "decide", date: today(), outcome, ...extra });
}

const dbState = async () => JSON.stringify(await fingerprint(mongoose.connection));

describe("满意度评价", () => {
  it("refuses a rating on an open application, with a Chinese message, and writes nothing", async () => {
    const open = await received();
    const before = await dbState();
    const refused = fails(await citizen.post(`/api/aftercare/${open.id}/rating`, { score: 5 }), 409);
    assert.match(refused.message, /尚未办结/);
    assert.equal(await dbState(), before);
    const view = ok<AftercareDto>(await citizen.get(`/api/aftercare/${open.id}`));
    assert.deepEqual([view.closed, view.canRate, view.rating, view.remedy], [false, false, null, null]);
  });

  it("accepts one rating of a closed application and refuses the second, writing nothing", async () => {
    const closed = await closedWith("granted");
    const rated = ok<{ score: number; comment: string }>(
      await citizen.post(`/api/aftercare/${closed.id}/rating`, { score: 4, comment: " 答复及时 " }),
      201,
    );
    assert.deepEqual([rated.score, rated.comment], [4, "答复及时"]);
    const before = await dbState();
    const second = fails(await citizen.post(`/api/aftercare/${closed.id}/rating`, { score: 1 }), 409);
    assert.match(second.message, /只能评价一次/);
    assert.equal(await dbState(), before);
    const view = ok<AftercareDto>(await citizen.get(`/api/aftercare/${closed.id}`));
    assert.equal(view.canRate, false);
    assert.equal(view.rating?.score, 4);
    // A granted application went for the applicant: no remedy guide.
    assert.equal(view.remedy, null);
  });

  it("refuses bad scores naming the field in words, and hides other people's applications", async () => {
    const closed = await closedWith("granted");
    const before = await dbState();
    for (const score of [0, 6, 2.5, "5"]) {
      const bad = fails(await citizen.post(`/api/aftercare/${closed.id}/rating`, { score }), 400);
      assert.match(JSON.stringify(bad), /满意度评分应为1至5的整数/);
    }
    const long = fails(
      await citizen.post(`/api/aftercare/${closed.id}/rating`, { score: 3, comment: "长".repeat(501) }),
      400,
    );
    assert.match(JSON.stringify(long), /评价意见不能超过 500 个字/);
    assert.equal(
      fails(await stranger.post(`/api/aftercare/${closed.id}/rating`, { score: 1 }), 404).code,
      "not_found",
    );
    assert.equal(fails(await stranger.get(`/api/aftercare/${closed.id}`), 404).code, "not_found");
    assert.equal((await anonymousClient(server).get(`/api/aftercare/${closed.id}`)).status, 401);
    assert.equal((await staff.admin.post(`/api/aftercare/${closed.id}/rating`, { score: 1 })).status, 403);
    assert.equal(await dbState(), before);
  });

  it("opens a 回访 task on a low rating, due in working days, which only the admin closes, once", async () => {
    const closed = await closedWith("unable.notHeld", { ground: "notExist" });
    ok(await citizen.post(`/api/aftercare/${closed.id}/rating`, { score: 2, comment: "答复太简单" }), 201);
    const expectedDue = addWorkingDays(today(), 5, await calendarOverrides());
    const board = ok<AgencyFeedbackDto>(
      await staff.admin.get(`/api/feedback/dashboard?agencyId=${staff.agency._id}`),
    );
    const task = board.items.find((item) => item.requestId === closed.id);
    assert.ok(task, "the low rating is on the agency's dashboard");
    assert.deepEqual(
      [task.score, task.comment, task.status, task.dueDate],
      [2, "答复太简单", "open", expectedDue],
    );
    assert.equal(board.followUps.open >= 1, true);

    const other = await buildAgency({ parent: staff.parent });
    const before = await dbState();
    assert.equal(
      (await staff.handler.post(`/api/feedback/follow-ups/${task.id}`, { result: "x" })).status,
      403,
    );
    const empty = fails(await staff.admin.post(`/api/feedback/follow-ups/${task.id}`, { result: " " }), 400);
    assert.match(JSON.stringify(empty), /请填写回访结果/);
    assert.equal(await dbState(), before);

    const done = ok<{ status: string; result: string; doneOn: string }>(
      await staff.admin.post(`/api/feedback/follow-ups/${task.id}`, { result: "已电话回访，申请人表示理解" }),
    );
    assert.deepEqual(
      [done.status, done.result, done.doneOn],
      ["done", "已电话回访，申请人表示理解", today()],
    );
    const audit = ok<{ items: { sentence: string }[] }>(
      await staff.admin.get(`/api/audit?agencyId=${staff.agency._id}&limit=100`),
    );
    const sentences = audit.items.map((item) => item.sentence).join("\n");
    assert.match(sentences, /满意度评价/);
    assert.match(sentences, /登记回访结果/);
    assert.doesNotMatch(sentences, /request\.rate|request\.followUp/);
    const again = fails(
      await staff.admin.post(`/api/feedback/follow-ups/${task.id}`, { result: "再次" }),
      409,
    );
    assert.match(again.message, /不能重复登记/);

    const shown = ok<AgencyFeedbackDto>(
      await staff.handler.get(`/api/feedback/dashboard?agencyId=${staff.agency._id}`),
    ).items.find((item) => item.id === task.id);
    assert.deepEqual([shown?.status, shown?.result], ["done", "已电话回访，申请人表示理解"]);
    const text = JSON.stringify(shown);
    for (const secret of Object.values(secrets)) assert.ok(!text.includes(secret), "nothing personal");
    const summary = ok<AgencyFeedbackDto[]>(await staff.supervisor.get("/api/feedback/summary"));
    const row = summary.find((r) => r.agencyId === String(staff.agency._id));
    assert.ok(row, "the supervisor summary lists the agency");
    assert.ok(row.ratings.count >= 2 && row.followUps.done >= 1);
    assert.deepEqual(row.items, [], "the summary carries figures, not the comments");
    assert.equal(
      (await staff.admin.get(`/api/feedback/dashboard?agencyId=${other._id}`)).status,
      403,
      "another agency's dashboard is refused",
    );
  });

  it("a 3-star rating opens no 回访, and ratings never reach the annual report tables", async () => {
    const year = Number(today().slice(0, 4));
    const draftTables = async () =>
      JSON.stringify(
        ok<{ tables: unknown }>(
          await staff.admin.post(`/api/reports/agencies/${staff.agency._id}/${year}/draft`, {}),
        ).tables,
      );
    const closed = await closedWith("granted");
    const before = await draftTables();
    ok(await citizen.post(`/api/aftercare/${closed.id}/rating`, { score: 3 }), 201);
    const stored = await SatisfactionRating.findOne({ requestId: closed.id }).lean();
    assert.equal(stored?.followUp ?? null, null);
    const afterwards = await draftTables();
    assert.equal(afterwards, before);
    assert.doesNotMatch(afterwards, /满意|回访|rating/);
  });
});

describe("救济向导", () => {
  it("for a withheld answer: review first, 60 days, then 15 days after the review decision", async () => {
    const closed = await closedWith("withheld.processInfo", { note: "属于内部讨论记录" });
    const view = ok<AftercareDto>(await citizen.get(`/api/aftercare/${closed.id}`));
    const remedy = view.remedy;
    assert.ok(remedy, "a refusal has a remedy guide");
    assert.equal(remedy.kind, "reviewFirst");
    const agency = await Agency.findById(staff.agency._id).lean();
    assert.ok(agency);
    const body = await reviewBodyOf(agency);
    assert.equal(remedy.reviewBody.name, body.name, "the 复议机关 is the one reviewBody.ts derives");
    assert.equal(remedy.reviewBody.name, staff.parent.name);
    assert.match(remedy.letterSentence, /应当先向行政复议机关申请行政复议/);
    const overrides = await calendarOverrides();
    const end = (date: string) => (isWorkingDay(date, overrides) ? date : nextWorkingDay(date, overrides));
    assert.deepEqual(
      remedy.deadlines.map((d) => [d.key, d.deadline]),
      [
        ["review", end(addDays(today(), 60))],
        ["suitAfterReview", null],
      ],
    );
    assert.match(remedy.court, /基层人民法院/);
    const withDecision = ok<AftercareDto>(
      await citizen.get(`/api/aftercare/${closed.id}?reviewDecisionDate=${today()}`),
    );
    assert.equal(withDecision.remedy?.deadlines[1]?.deadline, end(addDays(today(), 15)));
    const bad = fails(await citizen.get(`/api/aftercare/${closed.id}?reviewDecisionDate=2025-02-30`), 400);
    assert.match(JSON.stringify(bad), /日期不存在/);
  });

  it("for an answer that the information does not exist: review or suit within 6 months", async () => {
    const closed = await closedWith("unable.notHeld", { ground: "notExist" });
    const remedy = ok<AftercareDto>(await citizen.get(`/api/aftercare/${closed.id}`)).remedy;
    assert.equal(remedy?.kind, "reviewOrSuit");
    const overrides = await calendarOverrides();
    const sixMonths = addMonths(today(), 6);
    assert.equal(
      remedy?.deadlines.find((d) => d.key === "suit")?.deadline,
      isWorkingDay(sixMonths, overrides) ? sixMonths : nextWorkingDay(sixMonths, overrides),
    );
    assert.equal(addMonths("2025-08-31", 6), "2026-02-28");
  });

  it("pre-fills the 行政复议申请书 (print view and DOCX) from the application and the letter", async () => {
    const closed = await closedWith("withheld.processInfo", { note: "属于内部讨论记录" });
    const view = ok<ReviewApplicationDto>(
      await citizen.get(`/api/aftercare/${closed.id}/review-application`),
    );
    const response = await fetch(`${server.baseUrl}/api/aftercare/${closed.id}/review-application/docx`, {
      headers: citizen.headers,
    });
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /wordprocessingml/);
    const docx = readDocx(Buffer.from(await response.arrayBuffer()));
    for (const text of [
      "行政复议申请书",
      "姓名：李四",
      `居民身份证号码：${secrets.idNumber}`,
      `联系电话：${secrets.phone}`,
      secrets.address,
      `名称：${staff.agency.name}`,
      closed.serialNo,
      "2024年乐都区空气质量监测月报",
      "不予公开-过程性信息",
      staff.parent.name,
    ]) {
      assert.ok(docx.text.includes(text), `the DOCX carries ${text}`);
    }
    const printed = [
      view.title,
      ...view.sections.flatMap((s) => [`${s.heading}：`, ...s.lines]),
      ...view.closing,
    ];
    assert.deepEqual(
      docx.paragraphs.filter((p) => p !== ""),
      printed,
      "the print view is the DOCX",
    );

    const granted = await closedWith("granted");
    const refused = fails(await citizen.get(`/api/aftercare/${granted.id}/review-application/docx`), 409);
    assert.match(refused.message, /无需申请行政复议/);
    assert.equal((await stranger.get(`/api/aftercare/${closed.id}/review-application`)).status, 404);
  });
});

describe("先查再申 and 纳入主动公开", () => {
  let item: { id: string; title: string };

  before(async () => {
    const created = ok<{ id: string; title: string }>(
      await staff.handler.post("/api/catalogue/items", {
        agencyId: String(staff.agency._id),
        title: "乐都区2024年饮用水水源地水质监测报告",
        category: "statistics",
        body: "乐都区饮用水水源地水质监测结果。",
        formedDate: today(),
      }),
      201,
    );
    item = ok(await staff.handler.post(`/api/catalogue/items/${created.id}/publish`, {}));
  });

  it("counts an application saved once per citizen and item, on the supervisor summary", async () => {
    const summary = async () =>
      ok<AgencyFeedbackDto[]>(await staff.supervisor.get("/api/feedback/summary")).find(
        (r) => r.agencyId === String(staff.agency._id),
      )?.savedApplications ?? -1;
    const start = await summary();
    const choice = { agencyId: String(staff.agency._id), itemId: item.id };
    assert.deepEqual(ok(await citizen.post("/api/feedback/deflections", choice)), { counted: true });
    assert.deepEqual(ok(await citizen.post("/api/feedback/deflections", choice)), { counted: false });
    assert.deepEqual(ok(await stranger.post("/api/feedback/deflections", choice)), { counted: true });
    assert.equal(await summary(), start + 2);

    const other = await buildAgency({ parent: staff.parent });
    const after = await dbState();
    const wrong = fails(
      await citizen.post("/api/feedback/deflections", { agencyId: String(other._id), itemId: item.id }),
      404,
    );
    assert.match(wrong.message, /已公开信息/);
    const bad = fails(
      await citizen.post("/api/feedback/deflections", { agencyId: "x", itemId: item.id }),
      400,
    );
    assert.match(JSON.stringify(bad), /受理机关编号格式不正确/);
    assert.equal((await staff.admin.post("/api/feedback/deflections", choice)).status, 403);
    assert.equal(await dbState(), after, "refused choices write nothing");
  });

  it("proposes what three applicants asked for, staff confirm, and the published item answers later ones", async () => {
    const asks = [
      ["赵一", "13600000001", "请公开2024年乐都区垃圾填埋场渗滤液检测报告"],
      ["钱二", "13600000002", "申请公开乐都区垃圾填埋场2024年渗滤液检测报告"],
      ["孙三", "13600000003", "2024年乐都区垃圾填埋场渗滤液检测报告全文"],
    ] as const;
    const ids: string[] = [];
    const clients: Client[] = [];
    for (const [name, phone, description] of asks) {
      const applicant = { ...submission(staff.agency).applicant, name, phone };
      const client = await loginApplicant(server, phone);
      clients.push(client);
      const created = ok<RequestDetailDto>(
        await client.post("/api/requests", submission(staff.agency, { description, applicant })),
        201,
      );
      ids.push(created.id);
    }
    const board = ok<ProposalBoardDto>(
      await staff.handler.get(`/api/publication-proposals?agencyId=${staff.agency._id}`),
    );
    const group = board.candidates.find((c) => c.requests.some((r) => r.id === ids[0]));
    assert.ok(group, "the three similar applications are proposed together");
    assert.deepEqual(group.requests.map((r) => r.id).sort(), [...ids].sort());
    assert.equal(group.applicants, 3);
    for (const [name, phone] of asks) {
      const text = JSON.stringify(board);
      assert.ok(!text.includes(name) && !text.includes(phone), "the board names no applicant");
    }
    assert.ok(
      !board.candidates.some((c) =>
        c.requests.some((r) => !ids.includes(r.id) && /垃圾填埋场/.test(r.description)),
      ),
    );

    const before = await dbState();
    assert.equal(
      (
        await staff.registrar.post("/api/publication-proposals", {
          agencyId: String(staff.agency._id),
          requestIds: ids,
          title: "x",
        })
      ).status,
      403,
    );
    const tooFew = fails(
      await staff.handler.post("/api/publication-proposals", {
        agencyId: String(staff.agency._id),
        requestIds: [ids[0]],
        title: "垃圾填埋场渗滤液检测报告",
      }),
      400,
    );
    assert.match(JSON.stringify(tooFew), /请至少选择两件/);
    assert.equal(await dbState(), before);

    const proposal = ok<ProposalDto>(
      await staff.handler.post("/api/publication-proposals", {
        agencyId: String(staff.agency._id),
        requestIds: ids,
        title: "乐都区垃圾填埋场2024年渗滤液检测报告",
      }),
      201,
    );
    assert.equal(proposal.status, "proposed");
    const taken = fails(
      await staff.handler.post("/api/publication-proposals", {
        agencyId: String(staff.agency._id),
        requestIds: ids.slice(0, 2),
        title: "重复",
      }),
      409,
    );
    assert.match(taken.message, /已列入其他/);

    const draft = ok<{ id: string }>(
      await staff.handler.post("/api/catalogue/items", {
        agencyId: String(staff.agency._id),
        title: "乐都区垃圾填埋场2024年渗滤液检测报告",
        category: "statistics",
        body: "乐都区垃圾填埋场渗滤液检测报告（2024年）。",
        formedDate: today(),
      }),
      201,
    );
    const unpublished = fails(
      await staff.handler.post(`/api/publication-proposals/${proposal.id}/publish`, { itemId: draft.id }),
      404,
    );
    assert.match(unpublished.message, /尚未发布/);
    ok(await staff.handler.post(`/api/catalogue/items/${draft.id}/publish`, {}));
    const published = ok<ProposalDto>(
      await staff.handler.post(`/api/publication-proposals/${proposal.id}/publish`, { itemId: draft.id }),
    );
    assert.deepEqual(
      [published.status, published.itemId, published.requestIds.sort()],
      ["published", draft.id, [...ids].sort()],
    );
    assert.equal(
      fails(
        await staff.handler.post(`/api/publication-proposals/${proposal.id}/publish`, { itemId: draft.id }),
        409,
      ).code,
      "conflict",
    );
    const afterwards = ok<ProposalBoardDto>(
      await staff.handler.get(`/api/publication-proposals?agencyId=${staff.agency._id}`),
    );
    assert.ok(!afterwards.candidates.some((c) => c.requests.some((r) => ids.includes(r.id))));
    assert.equal(afterwards.proposals[0]?.itemTitle, "乐都区垃圾填埋场2024年渗滤液检测报告");

    // The applications are linked to the item: each applicant sees it, even while still open.
    const linked = ok<AftercareDto>(await (clients[0] as Client).get(`/api/aftercare/${ids[0]}`));
    assert.deepEqual([linked.closed, linked.publishedItem?.id], [false, draft.id]);
    const unrelated = ok<AftercareDto>(await citizen.get(`/api/aftercare/${(await received()).id}`));
    assert.equal(unrelated.publishedItem, null);

    // 先查再申: the next applicant typing the same request is shown the published item.
    const suggest = await anonymousClient(server).get(
      `/api/catalogue/suggest?q=${encodeURIComponent("垃圾填埋场渗滤液检测报告")}&agency=${staff.agency._id}`,
    );
    const hits = ok<{ id: string }[]>(suggest);
    assert.equal(hits[0]?.id, draft.id);
    assert.ok(!JSON.stringify(suggest.body).includes(secrets.phone));
  });
});
