/**
 * Answers a GET for a public URL that a route answered before from the public response cache, without
 * routing, session lookup or validation: the cached page is the same for every caller. Mounted after the
 * request logger and the error handler, so hits are logged, measured and carry the security headers.
 * A miss, an expired entry or any other request goes on to the router unchanged.
 */
import type { Context, Middleware } from "koa";
import { writeCachedResponse } from "../presenters/cachedResponse.ts";
import { cachedForUrl } from "../services/catalogue/cache.ts";

export function publicCacheHit(): Middleware {
  return async (ctx, next) => {
    const hit = ctx.method === "GET" || ctx.method === "HEAD" ? cachedForUrl(ctx.url) : undefined;
    if (!hit) return next();
    // The metrics label is the route template, as if the router had matched it.
    (ctx as Context & { _matchedRoute?: string })._matchedRoute = hit.route;
    await writeCachedResponse(ctx, hit.cached);
  };
}
