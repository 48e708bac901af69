/**
 * The cheapest answer the server gives: a public GET it answered before, served straight from the
 * public response cache at the HTTP layer, before Koa builds a context and runs its middleware
 * (which costs more than the cached page itself). The answer carries everything the routed one
 * does — the security headers, `X-Request-Id`, Cache-Control, Vary, the representation's ETag and
 * 304, the compressed bytes kept with the cache entry — and is logged and measured the same way.
 * Anything else goes to the app unchanged: other methods and paths, a URL no route answered yet, an
 * entry dropped by a write or expired (the route refreshes it), and a representation whose
 * compressed bytes are not ready yet (the app's own cache-hit middleware waits for them).
 */
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import type { Logger } from "../logger.ts";
import { httpRequestDuration } from "../metrics/registry.ts";
import { accessLogger, logAccess } from "../middlewares/logger.ts";
import { requestIdFor } from "../middlewares/requestId.ts";
import {
  apiContentSecurityPolicy,
  baseSecurityHeaders,
  strictTransportSecurity,
} from "../middlewares/securityHeaders.ts";
import {
  chooseRepresentation,
  PUBLIC_CACHE_CONTROL,
  PUBLIC_JSON_TYPE,
} from "../presenters/cachedResponse.ts";
import { cachedForUrl } from "../services/catalogue/cache.ts";

/** What the fast path needs of the app it stands in front of. */
export interface CachedReadOptions {
  logger: Logger;
  /** Served over HTTPS: send Strict-Transport-Security, as the app does. */
  hsts: boolean;
}

/**
 * A request listener that answers cached public reads itself and hands everything else to `app`.
 * @param app the Koa app's listener (`app.callback()`).
 */
export function withCachedReads(app: RequestListener, options: CachedReadOptions): RequestListener {
  const accessLog = accessLogger(options.logger);
  // The headers every cached answer shares, as the app's middleware would set them.
  const shared: [string, string][] = [
    ...Object.entries(baseSecurityHeaders),
    ...(options.hsts ? [["Strict-Transport-Security", strictTransportSecurity] as [string, string]] : []),
    ["Content-Security-Policy", apiContentSecurityPolicy],
    ["Cache-Control", PUBLIC_CACHE_CONTROL],
    ["Vary", "Accept-Encoding"],
  ];
  // prom-client hashes the label set on every observation; one labelled child per set skips that.
  const timers = new Map<string, { observe(seconds: number): void }>();
  const observe = (method: string, route: string, status: number, seconds: number) => {
    const key = `${method} ${status} ${route}`;
    let timer = timers.get(key);
    if (!timer) {
      timer = httpRequestDuration.labels({ method, route, status: String(status) });
      timers.set(key, timer);
    }
    timer.observe(seconds);
  };

  return (req: IncomingMessage, res: ServerResponse) => {
    const started = process.hrtime.bigint();
    const method = req.method ?? "";
    const url = req.url ?? "";
    if ((method !== "GET" && method !== "HEAD") || !url.startsWith("/api/")) return app(req, res);
    const hit = cachedForUrl(url);
    if (!hit) return app(req, res);
    const { headers } = req;
    const chosen = chooseRepresentation(
      hit.cached,
      headerValue(headers["accept-encoding"]),
      headerValue(headers["if-none-match"]),
    );
    const body = chosen.encoding === null ? hit.cached.body : hit.cached.encoded[chosen.encoding];
    if (!Buffer.isBuffer(body)) return app(req, res);

    const requestId = requestIdFor(headerValue(headers["x-request-id"]));
    const status = chosen.notModified ? 304 : 200;
    const out: [string, string][] = [...shared, ["X-Request-Id", requestId], ["ETag", chosen.etag]];
    if (!chosen.notModified) {
      out.push(["Content-Type", PUBLIC_JSON_TYPE], ["Content-Length", String(body.length)]);
      if (chosen.encoding !== null) out.push(["Content-Encoding", chosen.encoding]);
    }
    res.writeHead(status, out.flat());
    res.end(chosen.notModified || method === "HEAD" ? undefined : body);

    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    observe(method, hit.route, status, seconds);
    const queryAt = url.indexOf("?");
    logAccess(accessLog, {
      requestId,
      method,
      path: queryAt === -1 ? url : url.slice(0, queryAt),
      status,
      durationMs: seconds * 1000,
    });
  };
}

function headerValue(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join(", ") : (value ?? "");
}
