/**
 * 重复申请 (issue 17, item 6), over real HTTP against the embedded database: staff see the same
 * applicant's earlier applications to the agency with a similarity score; 不予处理-重复申请 is refused
 * unless all four checklist points are ticked, and the repeated applications it names must be answered
 * applications of the same applicant to the same agency.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { SimilarRequestDto } from "@govinfo/shared/schemas/duplicates";
import type { MergeCandidateDto } from "@govinfo/shared/schemas/mergedReply";
import type { RequestDetailDto } from "@govinfo/shared/schemas/requestDto";
import mongoose from "mongoose";
import { resetRateLimits } from "../../../server/middlewares/rateLimit.ts";
import { type Client, loginApplicant } from "../../support/clients.ts";
import { fingerprint } from "../../support/dbFingerprint.ts";
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
let x: StaffedAgency;
let citizen: Client;
let other: Client;
let answered: string;
let repeat: string;
let unrelated: string;
let othersApplication: string;

const checklist = { sameApplicant: true, sameAgency: true, sameInformation: true, factsUnchanged: true };

async function receivedOf(client: Client, description: string, name = "李四"): Promise<string> {
  resetRateLimits();
  const body = submission(x.agency, { description });
  const created = ok<RequestDetailDto>(
    await client.post("/api/requests", { ...body, applicant: { ...body.applicant, name } }),
    201,
  );
  await fireOk(x.registrar, created.id, { type: "confirmReceipt", date: today() });
  return created.id;
}

before(async () => {
  server = await startTestServer();
  x = await staffedAgency(server);
  citizen = await loginApplicant(server, "13900001801");
  other = await loginApplicant(server, "13900001802");
  answered = await receivedOf(citizen, "2024年乐都区空气质量监测月报（1至12月）");
  await fireOk(x.reviewer, answered, { type: "decide", date: today(), outcome: "granted" });
  unrelated = await receivedOf(citizen, "2023年度区财政预算执行情况");
  othersApplication = await receivedOf(other, "2024年乐都区空气质量监测月报（1至12月）", "王五");
  await fireOk(x.reviewer, othersApplication, { type: "decide", date: today(), outcome: "granted" });
  repeat = await receivedOf(citizen, "2024年乐都区空气质量监测月报1-12月");
});
after(async () => {
  await server.close();
});

describe("重复申请", () => {
  it("lists the applicant's earlier applications to the agency, most alike first", async () => {
    const similar = ok<SimilarRequestDto[]>(await x.handler.get(`/api/requests/${repeat}/similar`));
    assert.deepEqual(
      similar.map((s) => s.id),
      [answered, unrelated],
      "the other applicant's identical request is not listed",
    );
    const [top, low] = similar;
    assert.ok(top && low);
    assert.ok(top.similarity >= 60 && top.likelyDuplicate, `score ${top.similarity}`);
    assert.equal(top.answered, true);
    assert.equal(top.outcomeLabel !== null, true);
    assert.ok(low.similarity < 30 && !low.likelyDuplicate, `score ${low.similarity}`);
    assert.equal(low.answered, false);
  });

  const refusals: [string, () => Record<string, unknown>, RegExp][] = [
    [
      "without the checklist",
      () => ({ duplicateOf: [answered] }),
      /逐项确认：同一申请人、向同一行政机关提出、申请公开同一政府信息、事实和理由未发生变化/,
    ],
    [
      "with one point unticked",
      () => ({ duplicateChecklist: { ...checklist, factsUnchanged: false }, duplicateOf: [answered] }),
      /逐项确认：事实和理由未发生变化$/,
    ],
    [
      "naming another applicant's application",
      () => ({ duplicateChecklist: checklist, duplicateOf: [othersApplication] }),
      /同一申请人向本机关提出、且本机关已经作出答复/,
    ],
    [
      "naming an application not yet answered",
      () => ({ duplicateChecklist: checklist, duplicateOf: [unrelated] }),
      /已经作出答复/,
    ],
  ];
  for (const [name, extra, message] of refusals) {
    it(`refuses 不予处理-重复申请 ${name}, writing nothing`, async () => {
      const { version } = await detail(x.reviewer, repeat);
      const snapshot = await fingerprint(mongoose.connection);
      const refused = fails(
        await x.reviewer.post(`/api/requests/${repeat}/events`, {
          event: { type: "decide", date: today(), outcome: "notProcessed.duplicate", ...extra() },
          expectedVersion: version,
        }),
        400,
      );
      assert.match(refused.message, message);
      assert.deepEqual(await fingerprint(mongoose.connection), snapshot);
    });
  }

  it("refuses the checklist on any other outcome", async () => {
    const { version } = await detail(x.reviewer, repeat);
    const refused = fails(
      await x.reviewer.post(`/api/requests/${repeat}/events`, {
        event: { type: "decide", date: today(), outcome: "granted", duplicateChecklist: checklist },
        expectedVersion: version,
      }),
      400,
    );
    assert.match(refused.message, /仅在办理结果为“重复申请”时填写/);
  });

  it("accepts it with all four points ticked, counted as （五）2 重复申请", async () => {
    const decided = await fireOk(x.reviewer, repeat, {
      type: "decide",
      date: today(),
      outcome: "notProcessed.duplicate",
      duplicateChecklist: checklist,
      duplicateOf: [answered],
    });
    assert.equal(decided.outcome, "notProcessed.duplicate");
    assert.equal(decided.state, "decided");
  });
});

describe("合并答复", () => {
  it("answers two applications of one applicant with one letter, each keeping its own outcome", async () => {
    const first = await receivedOf(citizen, "2024年海东市环境信访件办理情况");
    const second = await receivedOf(citizen, "2024年海东市环境信访件统计台账原件");
    const letterNo = "海东依复〔2026〕9号";
    const a = await fireOk(x.reviewer, first, {
      type: "decide",
      date: today(),
      outcome: "granted",
      documentNumber: letterNo,
      mergedWith: [second],
    });
    const b = await fireOk(x.reviewer, second, {
      type: "decide",
      date: today(),
      outcome: "unable.notHeld",
      ground: "notExist",
      documentNumber: letterNo,
      mergedWith: [first],
    });
    assert.equal(a.outcome, "granted");
    assert.equal(b.outcome, "unable.notHeld");
    assert.match(
      a.timeline.at(-1)?.summary ?? "",
      new RegExp(`与${b.serialNo.replace(/[〔〕]/g, ".")}合并答复`),
    );
    const letter = ok<{ paragraphs: string[] }>(
      await x.reviewer.get(`/api/requests/${first}/letters/reply/preview`),
    );
    const text = letter.paragraphs.join("\n");
    assert.ok(text.includes("上述2件申请系您向本机关提出的相关申请，本机关合并答复"), text);
    assert.ok(text.includes(`一、关于申请编号${a.serialNo}的申请（予以公开）：`), text);
    assert.ok(text.includes(`二、关于申请编号${b.serialNo}的申请（本机关不掌握相关政府信息）：`), text);
  });

  it("names the other application only, while that one is not answered yet", async () => {
    const first = await receivedOf(citizen, "2024年海东市环境信访件办理流程");
    const second = await receivedOf(citizen, "2024年海东市环境信访件办理时限");
    const a = await fireOk(x.reviewer, first, {
      type: "decide",
      date: today(),
      outcome: "granted",
      mergedWith: [second],
    });
    const { serialNo } = await detail(x.reviewer, second);
    const letter = ok<{ paragraphs: string[] }>(
      await x.reviewer.get(`/api/requests/${a.id}/letters/reply/preview`),
    );
    assert.ok(
      letter.paragraphs.some((p) =>
        p.includes(`您提出的${serialNo}政府信息公开申请与本申请相关，本机关合并答复`),
      ),
      letter.paragraphs.join("\n"),
    );
  });

  describe("in one step (POST /merged-reply)", () => {
    const reply = async (id: string, decision: Record<string, unknown>) => ({
      requestId: id,
      expectedVersion: (await detail(x.reviewer, id)).version,
      decision,
    });

    it("answers each application with its own outcome, all in one letter", async () => {
      const first = await receivedOf(citizen, "2024年乐都区大气污染防治资金使用情况");
      const second = await receivedOf(citizen, "2024年乐都区大气污染防治资金审计报告原件");
      const third = await receivedOf(citizen, "2024年乐都区大气污染防治项目验收材料");
      const candidates = ok<MergeCandidateDto[]>(await x.reviewer.get(`/api/requests/${second}/mergeable`));
      assert.deepEqual(
        candidates.map((c) => c.id).filter((id) => [first, third].includes(id)),
        [first, third],
        "the applicant's other open applications, oldest first",
      );
      assert.ok(
        !candidates.some((c) => c.id === second || c.id === answered),
        "neither itself nor answered ones",
      );
      const result = ok<{ request: RequestDetailDto }>(
        await x.reviewer.post(`/api/requests/${second}/merged-reply`, {
          date: today(),
          documentNumber: "海东依复〔2026〕12号",
          replies: [
            await reply(first, { outcome: "granted" }),
            await reply(second, {
              outcome: "unable.notHeld",
              ground: "notExist",
              note: "经检索，本机关未制作审计报告原件",
            }),
            await reply(third, { outcome: "granted" }),
          ],
        }),
      );
      assert.equal(result.request.id, second, "the page's application is answered");
      const [a, b, c] = [await detail(x.reviewer, first), result.request, await detail(x.reviewer, third)];
      assert.deepEqual(
        [a.outcome, b.outcome, c.outcome],
        ["granted", "unable.notHeld", "granted"],
        "each keeps its own outcome",
      );
      for (const [one, others] of [
        [a, [b, c]],
        [b, [a, c]],
        [c, [a, b]],
      ] as const) {
        assert.equal(one.state, "decided");
        assert.ok(
          (one.timeline.at(-1)?.summary ?? "").includes(
            `与${others.map((o) => o.serialNo).join("、")}合并答复`,
          ),
          one.timeline.at(-1)?.summary,
        );
      }
      const letterOf = async (id: string) =>
        ok<{ paragraphs: string[]; documentNumber: string }>(
          await x.reviewer.get(`/api/requests/${id}/letters/reply/preview`),
        );
      const letter = await letterOf(second);
      assert.equal(letter.documentNumber, "海东依复〔2026〕12号");
      const text = letter.paragraphs.join("\n");
      assert.ok(text.includes("上述3件申请系您向本机关提出的相关申请，本机关合并答复"), text);
      assert.ok(text.includes(`一、关于申请编号${a.serialNo}的申请（予以公开）：`), text);
      assert.ok(text.includes(`二、关于申请编号${b.serialNo}的申请（本机关不掌握相关政府信息）：`), text);
      assert.ok(text.includes("经检索，本机关未制作审计报告原件"), text);
      assert.ok(text.includes(`三、关于申请编号${c.serialNo}的申请（予以公开）：`), text);
      assert.deepEqual((await letterOf(first)).paragraphs, letter.paragraphs, "one letter for all three");
    });

    const refusals: [string, () => Promise<{ lead: string; replies: unknown[] }>, number, RegExp][] = [
      [
        "another applicant's application",
        async () => {
          const mine = await receivedOf(citizen, "2024年海东市辐射环境监测报告");
          const theirs = await receivedOf(other, "2024年海东市辐射环境监测报告", "王五");
          return {
            lead: mine,
            replies: [await reply(mine, { outcome: "granted" }), await reply(theirs, { outcome: "granted" })],
          };
        },
        400,
        /合并答复的申请应当是同一申请人向本机关提出的其他申请/,
      ],
      [
        "an application already answered",
        async () => {
          const mine = await receivedOf(citizen, "2024年海东市土壤污染状况调查报告");
          return {
            lead: mine,
            replies: [
              await reply(mine, { outcome: "granted" }),
              await reply(answered, { outcome: "granted" }),
            ],
          };
        },
        409,
        /^申请编号.+：/,
      ],
      [
        "a decision missing its ground",
        async () => {
          const one = await receivedOf(citizen, "2024年海东市固体废物处置情况");
          const two = await receivedOf(citizen, "2024年海东市固体废物处置合同");
          return {
            lead: one,
            replies: [
              await reply(one, { outcome: "granted" }),
              await reply(two, { outcome: "unable.notHeld" }),
            ],
          };
        },
        400,
        /请选择答复依据/,
      ],
      [
        "a stale version",
        async () => {
          const one = await receivedOf(citizen, "2024年海东市饮用水水源地名录");
          const two = await receivedOf(citizen, "2024年海东市饮用水水源地划定批复");
          const stale = { ...(await reply(two, { outcome: "granted" })), expectedVersion: 0 };
          return { lead: one, replies: [await reply(one, { outcome: "granted" }), stale] };
        },
        409,
        /./,
      ],
      [
        "replies without the page's application",
        async () => {
          const one = await receivedOf(citizen, "2024年海东市噪声功能区划");
          const two = await receivedOf(citizen, "2024年海东市噪声功能区划调整");
          return {
            lead: repeat,
            replies: [await reply(one, { outcome: "granted" }), await reply(two, { outcome: "granted" })],
          };
        },
        400,
        /合并答复应当包括本申请/,
      ],
      [
        "a single application",
        async () => {
          const one = await receivedOf(citizen, "2024年海东市排污许可清单");
          return { lead: one, replies: [await reply(one, { outcome: "granted" })] };
        },
        400,
        /合并答复至少需要两件申请/,
      ],
    ];
    for (const [name, setup, status, message] of refusals) {
      it(`refuses ${name}, writing nothing`, async () => {
        const { lead, replies } = await setup();
        const snapshot = await fingerprint(mongoose.connection);
        const refused = fails(
          await x.reviewer.post(`/api/requests/${lead}/merged-reply`, { date: today(), replies }),
          status,
        );
        assert.match(refused.message, message);
        assert.deepEqual(await fingerprint(mongoose.connection), snapshot);
      });
    }
  });

  it("refuses to merge another applicant's application, writing nothing", async () => {
    const mine = await receivedOf(citizen, "2024年海东市噪声监测报告");
    const theirs = await receivedOf(other, "2024年海东市噪声监测报告", "王五");
    const { version } = await detail(x.reviewer, mine);
    const snapshot = await fingerprint(mongoose.connection);
    const refused = fails(
      await x.reviewer.post(`/api/requests/${mine}/events`, {
        event: { type: "decide", date: today(), outcome: "granted", mergedWith: [theirs] },
        expectedVersion: version,
      }),
      400,
    );
    assert.match(refused.message, /合并答复的申请应当是同一申请人向本机关提出的其他申请/);
    assert.deepEqual(await fingerprint(mongoose.connection), snapshot);
  });
});
