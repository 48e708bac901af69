/**
 * Reads JSON request bodies with a size limit into `ctx.request.body` (as `unknown`; the
 * validate middleware turns it into typed input). Other content types are left unread, so upload
 * routes can stream multipart bodies themselves.
 */
import type { IncomingMessage } from "node:http";
import type { Middleware } from "koa";
import { BadRequest, PayloadTooLarge, UnsupportedMediaType } from "../errors.ts";

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
    const text = (await readBody(ctx.req, options.limitBytes)).toString("utf8");
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

// Listeners instead of `for await`, because breaking out of the iterator destroys the socket and
// the client would never see the 413; left flowing, Node discards the rest of the body itself.
function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const cleanup = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("close", onClose);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limitBytes) {
        cleanup();
        reject(PayloadTooLarge(limitBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks));
    };
    const onError = () => {
      cleanup();
      reject(BadRequest("请求体未能完整接收"));
    };
    const onClose = () => {
      if (req.complete) return;
      cleanup();
      reject(BadRequest("请求体未能完整接收"));
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    req.on("close", onClose);
  });
}
