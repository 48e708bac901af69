/**
 * Turns "no route answered" under `/api` into the error envelope. It sits in front of the routers
 * and looks at the outcome afterwards, so the router's own 405/501 (path known, method not) can be
 * told apart from an unknown path.
 */
import type { Middleware } from "koa";
import { MethodNotAllowed, NotFound } from "../errors.ts";

/** Throws `not_found` or `method_not_allowed` when no `/api` route produced a response. */
export function apiNotFound(): Middleware {
  return async (ctx, next) => {
    await next();
    if (ctx.path !== "/api" && !ctx.path.startsWith("/api/")) return;
    if (ctx.body !== undefined && ctx.body !== null) return;
    if (ctx.status === 404) throw NotFound("route", "接口不存在");
    if (ctx.status === 405 || ctx.status === 501) {
      const allowed = ctx.response.get("Allow");
      throw MethodNotAllowed(allowed === "" ? [] : allowed.split(/,\s*/));
    }
  };
}
