/**
 * Builds the Koa application: middleware order and routers. It never listens, so tests can serve
 * it on any port and `main.ts` decides how it is exposed.
 */
import { defaults } from "@govinfo/config/defaults";
import { Router } from "@koa/router";
import Koa from "koa";
import type { Database } from "./db/connect.ts";
import type { Logger } from "./logger.ts";
import { apiNotFound } from "./middlewares/apiNotFound.ts";
import { errorHandler } from "./middlewares/errorHandler.ts";
import { jsonBody } from "./middlewares/jsonBody.ts";
import { requestLogger } from "./middlewares/logger.ts";
import { requestId } from "./middlewares/requestId.ts";
import { createHealthRouter } from "./routes/health.ts";

/** Everything the app needs from the outside world, created by `main.ts` or by a test. */
export interface AppDeps {
  db: Database;
  logger: Logger;
  /** AES-256-GCM key for personal data at rest (see `server/db/dataKey.ts`). */
  dataKey: Buffer;
  /** Largest accepted JSON body; defaults to `defaults.jsonBodyLimitBytes`. */
  jsonBodyLimitBytes?: number;
}

/** Creates the Koa app: requestId → logger → errorHandler → JSON body → routers under `/api`. */
export function createApp(deps: AppDeps): Koa {
  const app = new Koa();
  // Errors outside the middleware chain (a socket failing mid-response) still deserve a log line.
  app.on("error", (error: unknown) => deps.logger.error({ err: error }, "unhandled server error"));

  app.use(requestId());
  app.use(requestLogger(deps.logger));
  app.use(errorHandler({ retryAfterSeconds: defaults.retryAfterSeconds }));
  app.use(jsonBody({ limitBytes: deps.jsonBodyLimitBytes ?? defaults.jsonBodyLimitBytes }));
  app.use(apiNotFound());

  const api = new Router({ prefix: "/api" });
  for (const router of [createHealthRouter(deps)]) api.use(router.routes());
  app.use(api.routes());
  app.use(api.allowedMethods());
  return app;
}
