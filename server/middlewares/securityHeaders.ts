/**
 * Security headers on every response: the API, the admin page and the H5 site, errors included.
 * - Nothing may frame the platform (`X-Frame-Options` and CSP `frame-ancestors`), browsers must not
 *   sniff types, referrers are not sent, powerful browser features are off, and the opener is isolated.
 * - The API's policy allows nothing but inline styles (its only HTML, the annual report pages, has
 *   an inline stylesheet); the sites' policy allows their own scripts, the inline scripts of the
 *   served `index.html` by hash (Taro's H5 build inlines its rem script), and inline styles (antd
 *   and Taro set styles at run time).
 * - API answers that choose no caching policy of their own get `Cache-Control: no-store`, so personal
 *   data never lands in a shared cache; the catalogue's public reads keep their `public, max-age`.
 * - `Strict-Transport-Security` only when the app is served over HTTPS (secure cookies).
 */
import { createHash } from "node:crypto";
import { ReadStream, readFileSync, statSync } from "node:fs";
import type { Middleware } from "koa";

/** Headers sent on every response, whatever it is. */
export const baseSecurityHeaders: Readonly<Record<string, string>> = {
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "no-referrer",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
  "Cross-Origin-Opener-Policy": "same-origin",
};

/** Content-Security-Policy of API responses (JSON, files, and the report pages with inline CSS). */
export const apiContentSecurityPolicy =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; " +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** HSTS for a deployment behind HTTPS; no includeSubDomains, the government's other hosts are not ours. */
export const strictTransportSecurity = "max-age=31536000";

/**
 * Content-Security-Policy of the built sites.
 * @param inlineScriptHashes `'sha256-…'` sources of the page's inline scripts.
 */
export function siteContentSecurityPolicy(inlineScriptHashes: readonly string[] = []): string {
  return [
    "default-src 'self'",
    ["script-src 'self'", ...inlineScriptHashes].join(" "),
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/**
 * The CSP sources (`'sha256-…'`) of the inline `<script>` elements of an HTML document.
 * @param html the document.
 */
export function inlineScriptHashes(html: string): string[] {
  const hashes: string[] = [];
  for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)) {
    const [, attributes = "", content = ""] = match;
    if (/\bsrc\s*=/i.test(attributes) || content === "") continue;
    hashes.push(`'sha256-${createHash("sha256").update(content, "utf8").digest("base64")}'`);
  }
  return hashes;
}

/**
 * Sets the security headers; registered first, so that they survive the error handler (which keeps
 * only headers set upstream of it) and cover the static sites.
 * @param options `hsts`: the app is served over HTTPS.
 */
export function securityHeaders(options: { hsts: boolean }): Middleware {
  return async (ctx, next) => {
    ctx.set(baseSecurityHeaders);
    if (options.hsts) ctx.set("Strict-Transport-Security", strictTransportSecurity);
    const isApi = ctx.path === "/api" || ctx.path.startsWith("/api/");
    try {
      await next();
    } finally {
      if (isApi) {
        ctx.set("Content-Security-Policy", apiContentSecurityPolicy);
        if (!ctx.response.get("Cache-Control")) ctx.set("Cache-Control", "no-store");
      } else {
        ctx.set("Content-Security-Policy", siteContentSecurityPolicy(servedHtmlHashes(ctx.body)));
      }
    }
  };
}

const hashCache = new Map<string, { mtimeMs: number; size: number; hashes: string[] }>();

// The static sites stream their files; an HTML file's inline scripts are read from the file itself, so a
// rebuild (new hashes) is picked up without a restart.
// A page sent compressed (index.html.br / .gz, written at build time) is read from its plain original.
function servedHtmlHashes(body: unknown): string[] {
  if (!(body instanceof ReadStream) || typeof body.path !== "string") return [];
  const match = /^(.*\.html?)(?:\.br|\.gz)?$/i.exec(body.path);
  if (!match) return [];
  const path = match[1] as string;
  try {
    const { mtimeMs, size } = statSync(path);
    const cached = hashCache.get(path);
    if (cached && cached.mtimeMs === mtimeMs && cached.size === size) return cached.hashes;
    const hashes = inlineScriptHashes(readFileSync(path, "utf8"));
    hashCache.set(path, { mtimeMs, size, hashes });
    return hashes;
  } catch {
    return [];
  }
}
