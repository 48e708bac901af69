/**
 * Builds the Koa application: middleware order and routers. It never listens, so tests can serve
 * it on any port and `main.ts` decides how it is exposed.
 */
import type { RequestListener } from "node:http";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { defaults } from "@govinfo/config/defaults";
import { Router } from "@koa/router";
import Koa from "koa";
import type { Database } from "./db/connect.ts";
import { withCachedReads } from "./http/cachedReads.ts";
import type { Logger } from "./logger.ts";
import { httpMetrics } from "./metrics/http.ts";
import { apiNotFound } from "./middlewares/apiNotFound.ts";
import { authenticate } from "./middlewares/authenticate.ts";
import { compressResponses } from "./middlewares/compression.ts";
import { errorHandler } from "./middlewares/errorHandler.ts";
import { jsonBody } from "./middlewares/jsonBody.ts";
import { requestLogger } from "./middlewares/logger.ts";
import { publicCacheHit } from "./middlewares/publicCacheHit.ts";
import { requestId } from "./middlewares/requestId.ts";
import { securityHeaders } from "./middlewares/securityHeaders.ts";
import { staticSite } from "./middlewares/staticSite.ts";
import { responseChecks } from "./routes/define.ts";
import { createRouters } from "./routes/index.ts";
import { createPersonalDataCipher, type PersonalDataCipher } from "./security/personalData.ts";
import type { WechatSettings } from "./services/applicantLogin.ts";
import { createDocxConverter, type DocxConverter } from "./services/documents/docxToPdf.ts";
import { LogSmsSender, type SmsSender } from "./services/notify/sms.ts";
// Registers the outbox listener, so every transition enqueues the applicant's notification.
import "./services/outbox.ts";
// Registers the 转办 listener: a reply that hands an application on creates the receiving agency's one.
import "./services/requestTransfer.ts";
// Registers the 重复申请 reference check of replies.
import "./services/duplicateFinder.ts";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));

/** Where the client builds land (`npm run build`). */
export const clientBuilds = {
  admin: join(repoRoot, "client/admin/dist"),
  h5: join(repoRoot, "client/miniapp/dist/h5"),
};

/** Everything the app needs from the outside world, created by `main.ts` or by a test. */
export interface AppDeps {
  db: Database;
  logger: Logger;
  /** AES-256-GCM key for personal data at rest (see `server/db/dataKey.ts`). */
  dataKey: Buffer;
  /** Largest accepted JSON body; defaults to `defaults.jsonBodyLimitBytes`. */
  jsonBodyLimitBytes?: number;
  /** WeChat code2Session settings; tests point `apiBase` at a fake server. */
  wechat?: WechatSettings;
  /** Text message sender; defaults to one that logs. */
  sms?: SmsSender;
  /** Mark cookies Secure (production behind HTTPS). */
  secureCookies?: boolean;
  /** Trust X-Forwarded-* headers (behind nginx). */
  trustProxy?: boolean;
  /** Bearer token for `GET /api/metrics`; unset: loopback clients only (see `server/metrics/access.ts`). */
  metricsToken?: string;
  /** Built sites to serve: the admin page at /admin and the H5 mini-program at /h5 (defaults: the client builds). */
  sites?: { admin?: string; h5?: string };
  /** LibreOffice's `soffice` for DOCX → PDF before 区分处理 (default `defaults.sofficePath`, on PATH). */
  sofficePath?: string;
  /** Parse every handler's result with its route's response schema (tests; off in production). */
  checkResponses?: boolean;
}

/** Services shared by the routers, derived from the deps once. */
export interface AppServices {
  db: Database;
  logger: Logger;
  cipher: PersonalDataCipher;
  sms: SmsSender;
  wechat: WechatSettings;
  secureCookies: boolean;
  /** DOCX → PDF for 区分处理, with this app's concurrency limit. */
  docxConverter: DocxConverter;
}

/** Creates the Koa app: security headers → requestId → metrics → compression → static sites → logger → errorHandler → cached public reads → JSON body → authenticate → routers under `/api`. */
export function createApp(deps: AppDeps): Koa {
  const app = new Koa();
  // Only behind a reverse proxy may X-Forwarded-For be trusted; otherwise clients could spoof their address.
  app.proxy = deps.trustProxy ?? false;
  // Only the address our own proxy appended is trustworthy; earlier X-Forwarded-For entries come from
  // the client and would let it dodge the per-address rate limits.
  app.maxIpsCount = 1;
  // Errors outside the middleware chain (a socket failing mid-response) still deserve a log line.
  app.on("error", (error: unknown) => deps.logger.error({ err: error }, "unhandled server error"));
  const services: AppServices = {
    db: deps.db,
    logger: deps.logger,
    cipher: createPersonalDataCipher(deps.dataKey),
    sms: deps.sms ?? new LogSmsSender(deps.logger),
    wechat: deps.wechat ?? { appId: undefined, secret: undefined, apiBase: defaults.wechatApiBase },
    secureCookies: deps.secureCookies ?? false,
    docxConverter: createDocxConverter({ soffice: deps.sofficePath ?? defaults.sofficePath }),
  };

  app.use(securityHeaders({ hsts: services.secureCookies }));
  app.use(requestId());
  app.use(httpMetrics());
  app.use(compressResponses());
  app.use(async (ctx, next) => {
    // The public entrance is the citizens' site; staff go to /admin.
    if (ctx.path === "/" && (ctx.method === "GET" || ctx.method === "HEAD")) return ctx.redirect("/h5/");
    await next();
  });
  app.use(staticSite({ prefix: "/admin", root: deps.sites?.admin ?? clientBuilds.admin }));
  app.use(staticSite({ prefix: "/h5", root: deps.sites?.h5 ?? clientBuilds.h5 }));
  app.use(requestLogger(deps.logger));
  app.use(errorHandler({ retryAfterSeconds: defaults.retryAfterSeconds }));
  app.use(publicCacheHit());
  app.use(jsonBody({ limitBytes: deps.jsonBodyLimitBytes ?? defaults.jsonBodyLimitBytes }));
  app.use(apiNotFound());
  app.use(authenticate());

  if (deps.checkResponses) responseChecks.enabled = true;
  const api = new Router({ prefix: "/api" });
  for (const router of createRouters(deps, services)) api.use(router.routes());
  app.use(api.routes());
  app.use(api.allowedMethods());
  return app;
}

/**
 * The HTTP server's request listener: cached public reads answered at the HTTP layer, everything
 * else by the app (what `server/main.ts` serves).
 */
export function createRequestListener(deps: AppDeps, app: Koa = createApp(deps)): RequestListener {
  return withCachedReads(app.callback(), { logger: deps.logger, hsts: deps.secureCookies ?? false });
}
