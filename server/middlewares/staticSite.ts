/**
 * Serves a built single-page site (the admin page, the H5 mini-program) under a path prefix:
 * hashed assets are cached for a year, `index.html` is never cached, unknown paths fall back to
 * `index.html` so client-side routes work. Paths are resolved inside the root only. Text files are
 * compressed at build time (`scripts/compress-builds.mjs` writes `.br` and `.gz` beside each); the
 * one the client accepts is sent as it is, so serving costs no compression.
 */
import { createReadStream, existsSync } from "node:fs";
import { stat } from "node:fs/promises";
import { extname, join, normalize, resolve, sep } from "node:path";
import type { Middleware } from "koa";
import { isCompressibleType, preferredEncoding, varyOnAcceptEncoding } from "../http/encoding.ts";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
  ".map": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
};

/**
 * Serves files of `root` under `prefix`.
 * @param options prefix such as "/admin" and the build directory.
 */
export function staticSite(options: { prefix: string; root: string }): Middleware {
  const root = resolve(options.root);
  const prefix = options.prefix.replace(/\/+$/, "");
  return async (ctx, next) => {
    if (ctx.method !== "GET" && ctx.method !== "HEAD") return next();
    if (ctx.path !== prefix && !ctx.path.startsWith(`${prefix}/`)) return next();
    if (ctx.path === prefix) {
      ctx.redirect(`${prefix}/`);
      return;
    }
    if (!existsSync(join(root, "index.html"))) {
      ctx.status = 503;
      ctx.type = "text/plain; charset=utf-8";
      ctx.body = "页面尚未构建，请先运行 npm run build";
      return;
    }
    let relative: string;
    try {
      relative = decodeURIComponent(ctx.path.slice(prefix.length + 1));
    } catch {
      ctx.status = 400;
      return;
    }
    const candidate = normalize(join(root, relative));
    const inside = candidate === root || candidate.startsWith(root + sep);
    const file =
      inside && relative !== "" && (await isFile(candidate)) ? candidate : join(root, "index.html");
    const isIndex = file === join(root, "index.html");
    // Builds name assets by content hash, so they never change; index.html must always be fresh.
    ctx.set(
      "Cache-Control",
      isIndex
        ? "no-cache"
        : /[.-][0-9a-f]{8,}\./i.test(file)
          ? "public, max-age=31536000, immutable"
          : "public, max-age=300",
    );
    ctx.set("X-Content-Type-Options", "nosniff");
    ctx.type = TYPES[extname(file).toLowerCase()] ?? "application/octet-stream";
    if (isCompressibleType(ctx.type)) {
      ctx.set("Vary", varyOnAcceptEncoding(ctx.response.get("Vary")));
      const encoding = preferredEncoding(ctx.get("Accept-Encoding"));
      const suffix = encoding === "br" ? ".br" : encoding === "gzip" ? ".gz" : undefined;
      const size = suffix === undefined ? undefined : await fileSize(file + suffix);
      if (suffix !== undefined && size !== undefined) {
        ctx.set("Content-Encoding", encoding as string);
        ctx.body = createReadStream(file + suffix);
        ctx.length = size;
        return;
      }
    }
    ctx.body = createReadStream(file);
  };
}

async function isFile(path: string): Promise<boolean> {
  return (await fileSize(path)) !== undefined;
}

/** The size of a regular file, or undefined when there is none. */
async function fileSize(path: string): Promise<number | undefined> {
  try {
    const info = await stat(path);
    return info.isFile() ? info.size : undefined;
  } catch {
    return undefined;
  }
}
