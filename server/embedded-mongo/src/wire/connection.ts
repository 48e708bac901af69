/**
 * One client connection: accumulates bytes into frames and answers them strictly in order.
 */
import type { Socket } from "node:net";
import type { Document } from "../types.ts";
import {
  decodeFrame,
  encodeMsg,
  encodeReply,
  MAX_MESSAGE_BYTES,
  OP_QUERY,
  ProtocolError,
  type WireRequest,
} from "./protocol.ts";

/** What the dispatcher learns about the connection a command came from. */
export interface ConnectionInfo {
  id: number;
  remote: string;
  /** Set by the dispatcher when a fail point asks to close the connection after the reply is suppressed. */
  destroy(): void;
}

/** Answers a command; `null` means "send no reply" (moreToCome). */
export type RequestHandler = (request: WireRequest, connection: ConnectionInfo) => Promise<Document | null>;

/**
 * Serves one socket until it closes.
 * @param socket the accepted TCP socket.
 * @param id the connection number reported in hello.
 * @param handle the command dispatcher.
 * @param log where protocol problems are reported.
 */
export function serveConnection(
  socket: Socket,
  id: number,
  handle: RequestHandler,
  log: (message: string) => void,
): void {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let queue: Promise<void> = Promise.resolve();
  let closed = false;
  const info: ConnectionInfo = {
    id,
    remote: `${socket.remoteAddress}:${socket.remotePort}`,
    destroy: () => {
      closed = true;
      socket.destroy();
    },
  };

  socket.setNoDelay(true);
  socket.on("error", () => {
    closed = true;
  });
  socket.on("close", () => {
    closed = true;
  });
  socket.on("data", (chunk: Buffer) => {
    if (closed) return;
    pending.push(chunk);
    pendingBytes += chunk.length;
    let buffer = pending.length === 1 ? chunk : Buffer.concat(pending, pendingBytes);
    while (buffer.length >= 4) {
      const length = buffer.readInt32LE(0);
      if (length < 16 || length > MAX_MESSAGE_BYTES) {
        log(`closing connection ${id}: message length ${length} out of bounds`);
        info.destroy();
        return;
      }
      if (buffer.length < length) break;
      const frame = buffer.subarray(0, length);
      buffer = buffer.subarray(length);
      enqueue(frame);
    }
    pending = buffer.length > 0 ? [buffer] : [];
    pendingBytes = buffer.length;
  });

  function enqueue(frame: Buffer): void {
    // Copy: the frame may share memory with a buffer that the next chunk replaces.
    const copy = Buffer.from(frame);
    queue = queue.then(() => answer(copy));
  }

  async function answer(frame: Buffer): Promise<void> {
    if (closed) return;
    let request: WireRequest;
    try {
      request = decodeFrame(frame);
    } catch (error) {
      log(`closing connection ${id}: ${error instanceof ProtocolError ? error.message : String(error)}`);
      info.destroy();
      return;
    }
    let reply: Document | null;
    try {
      reply = await handle(request, info);
    } catch (error) {
      log(`closing connection ${id}: handler failed: ${String(error)}`);
      info.destroy();
      return;
    }
    if (reply === null || request.moreToCome || closed) return;
    const bytes =
      request.opCode === OP_QUERY
        ? encodeReply(request.requestId, reply)
        : encodeMsg(request.requestId, reply);
    socket.write(bytes);
  }
}
