/**
 * HTTP/1.1 over a bare socket, for requests `fetch` refuses to send as written: request targets with
 * `..`, backslashes or absolute URLs (fetch normalises them), raw control bytes, announced lengths the
 * body never reaches, bodies that keep coming after the server has answered.
 */
import { connect } from "node:net";

/** A parsed response; `body` is de-chunked. */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** What to send: the request target goes on the request line exactly as given. */
export interface RawRequest {
  method?: string;
  target: string;
  headers?: Record<string, string>;
  /** Sent after the headers; a function writes chunks itself and may keep writing after the answer. */
  body?: Buffer | string | ((write: (chunk: Buffer) => boolean) => Promise<void>);
  timeoutMs?: number;
}

/**
 * Sends one request on a new connection and reads the answer until it is complete (by Content-Length
 * or the last chunk) or the server closes; write errors after the answer (the server stopped reading)
 * are expected and ignored. The connection is `close` unless the request says otherwise: a client that
 * keeps streaming a body after the answer should ask for `keep-alive`, as browsers do, because a server
 * closing a socket with unread data makes TCP reset it, which can discard the answer in flight.
 * @param baseUrl `http://127.0.0.1:PORT`.
 */
export function rawRequest(baseUrl: string, request: RawRequest): Promise<RawResponse> {
  const url = new URL(baseUrl);
  const headers: Record<string, string> = { Host: url.host, Connection: "close", ...request.headers };
  const body = typeof request.body === "function" ? request.body : undefined;
  const fixed = typeof request.body === "string" ? Buffer.from(request.body) : request.body;
  if (Buffer.isBuffer(fixed) && !Object.keys(headers).some((name) => /^content-length$/i.test(name))) {
    headers["Content-Length"] = String(fixed.length);
  }
  const head = `${request.method ?? "GET"} ${request.target} HTTP/1.1\r\n${Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join("")}\r\n`;
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new Error(`no answer within ${request.timeoutMs ?? 10_000} ms to ${request.target.slice(0, 80)}`),
      );
    }, request.timeoutMs ?? 10_000);
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const raw = Buffer.concat(chunks);
      if (raw.length === 0)
        reject(new Error(`connection closed without an answer to ${request.target.slice(0, 80)}`));
      else resolve(parseResponse(raw));
    };
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      if (isComplete(Buffer.concat(chunks))) finish();
    });
    socket.on("error", () => {
      // EPIPE/ECONNRESET once the server has answered and stopped reading; the answer decides.
    });
    socket.on("close", finish);
    socket.on("connect", () => {
      socket.write(head);
      if (Buffer.isBuffer(fixed)) socket.write(fixed);
      if (body) {
        void body((chunk) => !socket.destroyed && socket.write(chunk)).catch(() => undefined);
      }
    });
  });
}

/** Whether `raw` holds a whole response: its head and all of its body. */
function isComplete(raw: Buffer): boolean {
  const end = raw.indexOf("\r\n\r\n");
  if (end === -1) return false;
  const { headers } = parseResponse(raw);
  if (/chunked/i.test(headers["transfer-encoding"] ?? "")) return raw.subarray(end).includes("\r\n0\r\n\r\n");
  const length = headers["content-length"];
  return length !== undefined && raw.length - (end + 4) >= Number(length);
}

function parseResponse(raw: Buffer): RawResponse {
  const end = raw.indexOf("\r\n\r\n");
  const headText = raw.subarray(0, end === -1 ? raw.length : end).toString("latin1");
  const [statusLine = "", ...lines] = headText.split("\r\n");
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? Number.NaN);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const rest = end === -1 ? Buffer.alloc(0) : raw.subarray(end + 4);
  const body = /chunked/i.test(headers["transfer-encoding"] ?? "") ? dechunk(rest) : rest;
  return { status, headers, body };
}

function dechunk(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  while (at < data.length) {
    const lineEnd = data.indexOf("\r\n", at);
    if (lineEnd === -1) break;
    const size = Number.parseInt(data.subarray(at, lineEnd).toString("latin1"), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}
