/**
 * Content negotiation and compression of response bodies, shared by the static sites (files
 * compressed at build time), the public response cache (compressed once per cached page) and the
 * on-the-fly compression of other JSON answers. Brotli first, then gzip, as browsers prefer.
 */
import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";

/** An encoding this server can send. */
export type ContentEncoding = "br" | "gzip";

/** Bodies at or below this many bytes are sent as they are: compression would not pay for its headers. */
export const COMPRESS_MIN_BYTES = 1024;

const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

// Browsers send a handful of distinct Accept-Encoding values; parse each once.
const negotiated = new Map<string, ContentEncoding | null>();

/**
 * The encoding to answer a request with, or null for none (identity).
 * @param acceptEncoding the request's Accept-Encoding header ("" when absent).
 */
export function preferredEncoding(acceptEncoding: string): ContentEncoding | null {
  if (acceptEncoding === "") return null;
  const known = negotiated.get(acceptEncoding);
  if (known !== undefined) return known;
  const choice = parseAcceptEncoding(acceptEncoding);
  if (negotiated.size < 100) negotiated.set(acceptEncoding, choice);
  return choice;
}

function parseAcceptEncoding(header: string): ContentEncoding | null {
  const quality = new Map<string, number>();
  for (const part of header.toLowerCase().split(",")) {
    const [name = "", ...params] = part.split(";").map((s) => s.trim());
    if (name === "") continue;
    const q = params.find((p) => p.startsWith("q="));
    const value = q === undefined ? 1 : Number(q.slice(2));
    quality.set(name, Number.isFinite(value) ? value : 0);
  }
  const star = quality.get("*");
  const of = (name: ContentEncoding) =>
    quality.get(name) ?? (name === "gzip" ? quality.get("x-gzip") : undefined) ?? star ?? 0;
  const br = of("br");
  const gz = of("gzip");
  if (br > 0 && br >= gz) return "br";
  if (gz > 0) return "gzip";
  return null;
}

/**
 * Compresses `body` on the thread pool, so the event loop keeps serving meanwhile. Brotli quality 5:
 * a catalogue page compresses in about half a millisecond, within a few percent of the size quality 9
 * reaches in ten times as long (and quality 11, used for the built files, in thirty times). Every
 * distinct search is a new page, so this runs on every cache miss and must stay cheap.
 */
export function compressBody(body: Buffer, encoding: ContentEncoding): Promise<Buffer> {
  if (encoding === "gzip") return gzipAsync(body, { level: 6 });
  return brotliAsync(body, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 5,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
    },
  });
}

/** Whether a Content-Type is text worth compressing (JSON, HTML, CSS, JavaScript, SVG, plain text). */
export function isCompressibleType(contentType: string): boolean {
  return /^(?:text\/|application\/(?:[\w.+-]*\+)?json|application\/javascript|image\/svg\+xml)/i.test(
    contentType,
  );
}

/**
 * Adds Accept-Encoding to the Vary header (keeping what is there): the bytes of this response depend on it.
 * @param current the current Vary header value (undefined or "" when none).
 */
export function varyOnAcceptEncoding(current: string | undefined): string {
  if (!current) return "Accept-Encoding";
  if (/(^|,)\s*(accept-encoding|\*)\s*(,|$)/i.test(current)) return current;
  return `${current}, Accept-Encoding`;
}
