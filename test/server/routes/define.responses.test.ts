/**
 * Route declarations check their answers against the contract's response schema in test mode: a handler
 * whose result drifts from the schema answers 500 (so the HTTP tests fail), and with the check off (as in
 * production) the same answer goes out unparsed.
 */
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { endpoint } from "@govinfo/shared/api/contract";
import Koa from "koa";
import { z } from "zod";
import { access, buildRouter, responseChecks, route } from "../../../server/routes/define.ts";

const probe = endpoint({
  method: "get",
  path: "/probe/:kind",
  params: z.object({ kind: z.enum(["good", "drifted"]) }),
  response: z.strictObject({ count: z.number() }),
});

let server: Server;
let base = "";

before(async () => {
  const app = new Koa();
  app.use(async (ctx, next) => {
    ctx.state.actor = { kind: "anonymous" };
    await next();
  });
  const router = buildRouter("", [
    route({
      ...probe,
      summary: "probe",
      access: access.public,
      // The drifted answer is what a handler returns after someone renames a field without the contract.
      handler: (_ctx, { params }) =>
        params.kind === "good" ? { count: 1 } : ({ total: 1 } as unknown as { count: number }),
    }),
  ]);
  app.use(router.routes());
  app.silent = true;
  server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("response schemas", () => {
  it("lets an answer that matches its schema through", async () => {
    responseChecks.enabled = true;
    const response = await fetch(`${base}/probe/good`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { ok: true, data: { count: 1 } });
  });

  it("fails a drifted answer in test mode, and leaves it alone when the check is off", async () => {
    responseChecks.enabled = true;
    assert.equal((await fetch(`${base}/probe/drifted`)).status, 500);
    responseChecks.enabled = false;
    const unchecked = await fetch(`${base}/probe/drifted`);
    assert.equal(unchecked.status, 200);
    assert.deepEqual(await unchecked.json(), { ok: true, data: { total: 1 } });
  });
});
