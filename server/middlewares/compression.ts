/**
 * Compresses JSON and HTML answers on the fly when the client accepts it, so `npm start` without a
 * proxy sends no large body uncompressed. Answers that already carry a Content-Encoding pass through
 * untouched: the static sites send files compressed at build time, and the catalogue's public
 * response cache sends bytes it compressed once per cached page. Streams (files, downloads, exports)
 * pass through as well: they are either already compressed formats or sent as they are read.
 */
import type { Middleware } from "koa";
import {
  COMPRESS_MIN_BYTES,
  compressBody,
  isCompressibleType,
  preferredEncoding,
  varyOnAcceptEncoding,
} from "../http/encoding.ts";

/** Compresses Buffer, string and JSON bodies above `COMPRESS_MIN_BYTES` with brotli or gzip. */
export function compressResponses(): Middleware {
  return async (ctx, next) => {
    await next();
    if (ctx.method === "HEAD" || ctx.status === 204 || ctx.status === 304) return;
    const body: unknown = ctx.body;
    // (Koa answers undefined, not "", for a header that is not set.)
    if (body === null || body === undefined || ctx.response.get("Content-Encoding")) return;
    let bytes: Buffer;
    if (Buffer.isBuffer(body)) bytes = body;
    else if (typeof body === "string") bytes = Buffer.from(body);
    else if (typeof body === "object" && typeof (body as { pipe?: unknown }).pipe !== "function") {
      // Koa would serialise it the same way; doing it here lets the length be judged.
      bytes = Buffer.from(JSON.stringify(body));
      ctx.type = ctx.type || "application/json";
    } else return;
    if (!isCompressibleType(ctx.response.get("Content-Type") ?? "")) return;
    ctx.set("Vary", varyOnAcceptEncoding(ctx.response.get("Vary")));
    const encoding = bytes.length > COMPRESS_MIN_BYTES ? preferredEncoding(ctx.get("Accept-Encoding")) : null;
    if (encoding === null) {
      if (!Buffer.isBuffer(body) && typeof body !== "string") ctx.body = bytes;
      return;
    }
    const compressed = await compressBody(bytes, encoding);
    // A strong ETag names one representation; the compressed one is another.
    const etag = ctx.response.get("ETag") ?? "";
    ctx.body = compressed;
    ctx.set("Content-Encoding", encoding);
    if (/^".*"$/.test(etag)) ctx.set("ETag", `${etag.slice(0, -1)}-${encoding}"`);
  };
}
