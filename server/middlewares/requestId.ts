/**
 * Gives every request an id that appears in its log lines, its error envelope and the
 * `X-Request-Id` response header, so a citizen's screenshot leads straight to the log.
 */
import { randomUUID } from "node:crypto";
import type { Middleware } from "koa";

declare module "koa" {
  interface DefaultContext {
    /** Id of this request: the caller's `X-Request-Id` when well-formed, otherwise a fresh UUID. */
    requestId: string;
  }
}

// A reverse proxy may already have assigned an id; accept it only when it cannot smuggle
// anything odd into logs or headers.
const acceptedIncoming = /^[A-Za-z0-9._:-]{8,64}$/;

/** Sets `ctx.requestId` and echoes it in the `X-Request-Id` response header. */
export function requestId(): Middleware {
  return async (ctx, next) => {
    ctx.requestId = requestIdFor(ctx.get("X-Request-Id"));
    ctx.set("X-Request-Id", ctx.requestId);
    await next();
  };
}

/**
 * The id of a request: its `X-Request-Id` when well-formed, otherwise a fresh UUID.
 * @param incoming the header's value ("" or undefined when absent).
 */
export function requestIdFor(incoming: string | undefined): string {
  return incoming !== undefined && acceptedIncoming.test(incoming) ? incoming : randomUUID();
}
