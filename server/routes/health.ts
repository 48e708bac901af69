/**
 * `GET /api/health`: liveness plus a database ping, for load balancers, `npm start` users and tests.
 */
import type { OkEnvelope } from "@govinfo/shared/api/envelope";
import type { HealthDTO } from "@govinfo/shared/schemas/health";
import { Router } from "@koa/router";
import type { Database } from "../db/connect.ts";
import { version } from "../version.ts";

/** Router for `/health`; answers 503 with `status: "degraded"` when the database does not answer a ping. */
export function createHealthRouter(deps: { db: Database }): Router {
  const router = new Router();
  router.get("/health", async (ctx) => {
    const isDatabaseOk = await deps.db.ping();
    const body: OkEnvelope<HealthDTO> = {
      ok: true,
      data: {
        status: isDatabaseOk ? "ok" : "degraded",
        database: { mode: deps.db.mode, ok: isDatabaseOk },
        version,
        uptimeSeconds: Math.floor(process.uptime()),
      },
    };
    ctx.set("Cache-Control", "no-store");
    ctx.status = isDatabaseOk ? 200 : 503;
    ctx.body = body;
  });
  return router;
}
