/**
 * Writes a cached public response: Cache-Control, Vary, a strong ETag per representation, 304 when the
 * client already has it, and the compressed bytes kept with the cache entry (no compression per hit).
 * Used by the public catalogue routes and by the fast path that answers a repeated URL before routing.
 */
import type { Context } from "koa";
import { COMPRESS_MIN_BYTES, type ContentEncoding, preferredEncoding } from "../http/encoding.ts";
import { type CachedBody, encodedBody } from "../services/catalogue/cache.ts";

/** Public reads may be cached by browsers and proxies for this long. */
export const PUBLIC_CACHE_CONTROL = "public, max-age=60";

/** The media type of every cached public answer. */
export const PUBLIC_JSON_TYPE = "application/json; charset=utf-8";

/** Whether an If-None-Match header names `etag` (weak comparison, as RFC 9110 requires for GET). */
export function etagMatches(header: string, etag: string): boolean {
  if (header === "") return false;
  if (header.trim() === "*") return true;
  return header.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag);
}

/** A strong ETag names one representation: the compressed one gets its own. */
function representationEtag(cached: CachedBody, encoding: ContentEncoding | null): string {
  return encoding === null ? cached.etag : `${cached.etag.slice(0, -1)}-${encoding}"`;
}

/** Which representation of a cached response a request gets, and whether it already has it. */
export interface ChosenRepresentation {
  encoding: ContentEncoding | null;
  /** The representation's strong ETag. */
  etag: string;
  /** The client's If-None-Match names it (or the identity one): answer 304. */
  notModified: boolean;
}

/**
 * Chooses the representation of `cached` for a request's headers (one rule for both callers).
 * @param acceptEncoding the Accept-Encoding header ("" when absent).
 * @param ifNoneMatch the If-None-Match header ("" when absent).
 */
export function chooseRepresentation(
  cached: CachedBody,
  acceptEncoding: string,
  ifNoneMatch: string,
): ChosenRepresentation {
  const encoding = cached.body.length > COMPRESS_MIN_BYTES ? preferredEncoding(acceptEncoding) : null;
  const etag = representationEtag(cached, encoding);
  const notModified = etagMatches(ifNoneMatch, etag) || etagMatches(ifNoneMatch, cached.etag);
  return { encoding, etag, notModified };
}

/** Answers `ctx` with `cached` (or 304). Resolves once the body is set. */
export async function writeCachedResponse(ctx: Context, cached: CachedBody): Promise<void> {
  const { encoding, etag, notModified } = chooseRepresentation(
    cached,
    ctx.get("Accept-Encoding"),
    ctx.get("If-None-Match"),
  );
  ctx.set("Cache-Control", PUBLIC_CACHE_CONTROL);
  ctx.set("Vary", "Accept-Encoding");
  ctx.set("ETag", etag);
  if (notModified) {
    ctx.status = 304;
    ctx.body = null;
    return;
  }
  ctx.type = PUBLIC_JSON_TYPE;
  if (encoding === null) ctx.body = cached.body;
  else {
    ctx.body = await encodedBody(cached, encoding);
    ctx.set("Content-Encoding", encoding);
  }
}
