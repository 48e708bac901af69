/**
 * No input-dependent slow patterns: every route that takes user text gets its maximum length of
 * adversarial text (`<script` repeated, `<` repeated, `&#99999999;` repeated, runs of spaces), and must
 * answer within a second, never with a 500, while `/api/health`, polled all along, stays fast (a
 * pattern that backtracks would hold the event loop and the health check with it). On a machine busy
 * with other work the same route with plain text of the same length is the yardstick: the budget is a
 * second (half a second for the health check) or four times that baseline, whichever is larger (a
 * backtracking pattern took minutes).
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import type { TestResponse } from "../../support/http.ts";
import { startTestServer } from "../../support/testServer.ts";
import { toCsv } from "../routes/ledger.support.ts";
import { buildWorld, sendRaw, type World } from "./hostile.support.ts";

const server = await startTestServer();
const world: World = await buildWorld(server);
const agencyId = String(world.agency._id);

after(async () => {
  await server.close();
});

/** Adversarial fillers, each repeated to the length a field allows. */
const fillers: Record<string, string> = {
  "<script repeated": "<script",
  "< repeated": "<",
  "out-of-range character references": "&#99999999;",
  "a run of spaces": " ",
  "unclosed script tags": "<script>x",
};

/** `unit` repeated to exactly `length` characters, after `prefix`. */
function fill(unit: string, length: number, prefix = ""): string {
  const body = unit.repeat(Math.ceil((length - prefix.length) / unit.length));
  return (prefix + body).slice(0, length);
}

/** Runs `send` while polling /api/health; returns the answer, its time and the slowest health check. */
async function timed(send: () => Promise<TestResponse>): Promise<{
  response: TestResponse;
  ms: number;
  slowestHealthMs: number;
}> {
  let running = true;
  let slowestHealthMs = 0;
  const poller = (async () => {
    while (running) {
      const started = performance.now();
      const health = await server.request("/api/health");
      assert.equal(health.status, 200);
      slowestHealthMs = Math.max(slowestHealthMs, performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  const started = performance.now();
  const response = await send();
  const ms = performance.now() - started;
  running = false;
  await poller;
  return { response, ms, slowestHealthMs };
}

const reportPath = `/api/reports/agencies/${agencyId}/2019/import`;

/** The text-taking routes: each sends `text` (a filler at the route's maximum length). */
const routes: { what: string; send(unit: string): Promise<TestResponse> }[] = [
  {
    what: "report import (HTML, 500 000 characters)",
    send: (unit) =>
      world.staff.post(reportPath, { text: fill(unit, 500_000, "<p>2019年度政府信息公开工作年度报告</p>") }),
  },
  {
    what: "report import (text, 500 000 characters)",
    send: (unit) => world.staff.post(reportPath, { text: fill(unit, 500_000, "一、总体情况\n") }),
  },
  {
    what: "catalogue item body (200 000 characters)",
    send: (unit) =>
      world.staff.post("/api/catalogue/items", {
        agencyId,
        title: fill(unit, 200),
        summary: fill(unit, 500),
        body: fill(unit, 200_000),
        docNumber: fill(unit, 60),
        category: "agencyInfo",
        formedDate: "2026-01-05",
      }),
  },
  {
    what: "catalogue search (200 characters)",
    send: (unit) => world.anonymous.get(`/api/catalogue/search?q=${encodeURIComponent(fill(unit, 200))}`),
  },
  {
    what: "catalogue suggest (200 characters)",
    send: (unit) => world.anonymous.get(`/api/catalogue/suggest?q=${encodeURIComponent(fill(unit, 200))}`),
  },
  {
    what: "catalogue import (CSV, a 200 000-character body)",
    send: (unit) =>
      sendRaw(
        world,
        world.staff,
        "POST",
        `/api/catalogue/import?agencyId=${agencyId}`,
        Buffer.from(
          `标题,类别,生成日期,正文\n导入测试,机构职能,2026-01-05,"${fill(unit, 200_000).replaceAll('"', '""')}"\n`,
        ),
        "text/csv",
      ),
  },
  {
    what: "ledger import (CSV, a 100 000-character application)",
    send: (unit) =>
      sendRaw(
        world,
        world.staff,
        "POST",
        `/api/ledger/import?agencyId=${agencyId}`,
        toCsv([
          {
            申请编号: "SLOW-1",
            收到日期: "2025-03-03",
            收到渠道: "当面",
            申请人类型: "自然人",
            申请人姓名或名称: fill(unit, 100),
            证件类型: "居民身份证",
            证件号码: fill(unit, 18),
            联系电话: fill(unit, 20),
            通信地址: fill(unit, 200),
            电子邮箱: fill(unit, 100),
            信息形式: "电子",
            获取方式: "电子邮件",
            申请内容: fill(unit, 100_000),
          },
        ]),
        "application/octet-stream",
        { "X-Filename": encodeURIComponent("台账.csv") },
      ),
  },
  {
    what: "application note (2 000 characters)",
    send: (unit) => world.staff.post(`/api/requests/${world.ids.requests}/notes`, { text: fill(unit, 2000) }),
  },
];

describe("adversarial text at every text-taking route", () => {
  for (const route of routes)
    for (const [name, unit] of Object.entries(fillers)) {
      it(`${route.what}: ${name}`, async () => {
        const baseline = await timed(() => route.send("汉"));
        const { response, ms, slowestHealthMs } = await timed(() => route.send(unit));
        assert.ok(
          response.status < 500,
          `answered ${response.status} ${JSON.stringify(response.body).slice(0, 300)}`,
        );
        // Catastrophic backtracking cost 100–750 s here before it was fixed; the budgets leave a busy CI
        // machine room (a loaded 2-core box makes a plain request take a second) and still catch that.
        const budget = Math.max(5000, 8 * baseline.ms);
        assert.ok(ms < budget, `answered in ${ms.toFixed(0)} ms (plain text: ${baseline.ms.toFixed(0)} ms)`);
        const healthBudget = Math.max(2500, 8 * baseline.slowestHealthMs);
        assert.ok(
          slowestHealthMs < healthBudget,
          `/api/health took ${slowestHealthMs.toFixed(0)} ms meanwhile (plain text: ${baseline.slowestHealthMs.toFixed(0)} ms)`,
        );
      });
    }
});
