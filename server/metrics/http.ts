/**
 * Request metrics: a latency histogram labelled by method, the declared route template and the
 * status code, and a gauge of requests in flight. The route label is the router's template
 * (`/api/requests/:id`), never the raw URL: raw paths would carry ids and search text (personal
 * data) into the time series and make their number unbounded.
 */
import type { Context, Middleware } from "koa";
import { httpRequestDuration, httpRequestsInFlight } from "./registry.ts";

/** Label of requests no declared route answered (unknown paths, 404s, the router's 405s). */
export const UNMATCHED_ROUTE = "unmatched";

const knownMethods = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
// Static sites mounted by app.ts: one label per site, whatever file was asked for.
const sitePrefixes = ["/admin", "/h5"] as const;

/** Observes every request; mount it first so static files and errors are measured too. */
export function httpMetrics(): Middleware {
  return async (ctx, next) => {
    const stopTimer = httpRequestDuration.startTimer();
    httpRequestsInFlight.inc();
    let status: number | undefined;
    try {
      await next();
      status = ctx.status;
    } catch (error) {
      // Nothing below turned it into a response; Koa will answer with the error's status or 500.
      status = statusOf(error);
      throw error;
    } finally {
      httpRequestsInFlight.dec();
      stopTimer({ method: methodLabel(ctx.method), route: routeLabel(ctx), status: String(status ?? 500) });
    }
  };
}

/**
 * The route label of a request: the matched route template, a static site, or `unmatched`.
 * @param ctx the request's context after it was handled.
 */
export function routeLabel(ctx: Context): string {
  // @koa/router records the template of the layer that handled the request, prefixes included.
  const matched: unknown = (ctx as Context & { _matchedRoute?: unknown })._matchedRoute;
  if (typeof matched === "string" && matched !== "") return matched;
  if (ctx.path === "/") return "/";
  for (const prefix of sitePrefixes) {
    if (ctx.path === prefix || ctx.path.startsWith(`${prefix}/`)) return `${prefix}/*`;
  }
  return UNMATCHED_ROUTE;
}

function methodLabel(method: string): string {
  return knownMethods.has(method) ? method : "OTHER";
}

function statusOf(error: unknown): number {
  if (typeof error === "object" && error !== null) {
    const status =
      (error as { status?: unknown; statusCode?: unknown }).status ??
      (error as { statusCode?: unknown }).statusCode;
    if (typeof status === "number" && status >= 400 && status <= 599) return status;
  }
  return 500;
}
