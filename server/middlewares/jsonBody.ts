/**
 * Reads JSON request bodies with a size limit into `ctx.request.body` (as `unknown`; the
 * validate middleware turns it into typed input). Other content types are left unread, so upload
 * routes can stream multipart bodies themselves.
 */
import type { Middleware } from "koa";
import { BadRequest, PayloadTooLarge, UnsupportedMediaType } from "../errors.ts";
import { readRawBody } from "./rawBody.ts";

declare module "koa" {
  interface Request {
    /** Parsed JSON body; undefined when the request had no JSON body. */
    body?: unknown;
  }
}

/** Parses `application/json` and `application/*+json` bodies of up to `limitBytes` bytes. */
export function jsonBody(options: { limitBytes: number }): Middleware {
  return async (ctx, next) => {
    // `ctx.is` answers null when there is no body at all, false for another content type.
    if (!ctx.is("application/json", "application/*+json")) return next();
    const encoding = ctx.get("Content-Encoding").toLowerCase();
    if (encoding !== "" && encoding !== "identity") throw UnsupportedMediaType("请求体不能压缩传输");
    const charset = ctx.request.charset.toLowerCase();
    if (charset !== "" && charset !== "utf-8" && charset !== "utf8") {
      throw UnsupportedMediaType("请求体必须使用 UTF-8 编码");
    }
    const declared = ctx.request.length;
    // Refuse before reading a byte when the client announces an oversized body.
    if (declared !== undefined && declared > options.limitBytes) throw PayloadTooLarge(options.limitBytes);
    const text = (await readRawBody(ctx, options.limitBytes)).toString("utf8");
    if (text.trim() !== "") {
      try {
        ctx.request.body = JSON.parse(text) as unknown;
      } catch {
        throw BadRequest("请求体不是有效的 JSON");
      }
    }
    return next();
  };
}
