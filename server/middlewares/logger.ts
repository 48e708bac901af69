/**
 * Attaches a per-request child logger and writes one line per finished request. Only the path is
 * logged, never the query string, because queries may carry names or phone numbers.
 */
import type { Middleware } from "koa";
import type { Logger } from "../logger.ts";

declare module "koa" {
  interface DefaultContext {
    /** Logger bound to this request's id. */
    log: Logger;
  }
}

// Load balancers probe health every few seconds; at info level their successes would drown real traffic.
const quietPaths = new Set(["/api/health"]);

/** Sets `ctx.log` and logs method, path, status and duration when the response is settled. */
export function requestLogger(logger: Logger): Middleware {
  return async (ctx, next) => {
    const started = process.hrtime.bigint();
    ctx.log = logger.child({ requestId: ctx.requestId });
    try {
      await next();
    } finally {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      const line = { method: ctx.method, path: ctx.path, status: ctx.status, durationMs };
      if (ctx.status >= 500) ctx.log.error(line, "request failed");
      else if (ctx.status < 400 && quietPaths.has(ctx.path)) ctx.log.debug(line, "request");
      else ctx.log.info(line, "request");
    }
  };
}
