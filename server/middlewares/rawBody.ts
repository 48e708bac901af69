/**
 * Reads a request body into memory with a size limit: JSON bodies and uploads (letters, attachments,
 * ledgers) all go through here.
 */
import type { Context } from "koa";
import { BadRequest, PayloadTooLarge } from "../errors.ts";

/**
 * The whole body of `ctx`, at most `limitBytes`; 413 when it is larger (refused before reading when
 * Content-Length announces it), 400 when the client stops sending half way.
 * @param incompleteMessage the Chinese message for a body that did not arrive completely.
 */
export function readRawBody(
  ctx: Context,
  limitBytes: number,
  incompleteMessage = "请求体未能完整接收",
): Promise<Buffer> {
  const declared = ctx.request.length;
  if (declared !== undefined && declared > limitBytes) return Promise.reject(PayloadTooLarge(limitBytes));
  const req = ctx.req;
  // Listeners instead of `for await`: leaving the iterator early destroys the socket and the client
  // would never see the 413; left flowing, Node discards the rest of the body itself.
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
        req.resume();
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
      reject(BadRequest(incompleteMessage));
    };
    const onClose = () => {
      if (req.complete) return;
      cleanup();
      reject(BadRequest(incompleteMessage));
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    req.on("close", onClose);
  });
}
