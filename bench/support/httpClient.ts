/**
 * A lean keep-alive HTTP client for load generation. The load generator shares two cores with the
 * server, so it uses node:http directly (fetch costs several times more CPU per request) and reads
 * each body whole, as a browser or the mini-program would.
 */
import { Agent, request } from "node:http";

/** One finished response. */
export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** What a request may carry. */
export interface HttpRequestOptions {
  method?: string;
  headers?: Record<string, string>;
  json?: unknown;
  timeoutMs?: number;
}

/** A client bound to one origin with its own connection pool. */
export interface HttpClient {
  send(path: string, options?: HttpRequestOptions): Promise<HttpResponse>;
  close(): void;
}

/**
 * Creates a client for `baseUrl`.
 * @param baseUrl e.g. http://127.0.0.1:3000.
 * @param maxSockets connections kept to the server; requests beyond it wait in the pool, and that
 * wait is part of their latency.
 */
export function createHttpClient(baseUrl: string, maxSockets = 128): HttpClient {
  const origin = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets });
  return {
    send: (path, options = {}) => send(origin, agent, path, options),
    close: () => agent.destroy(),
  };
}

function send(origin: URL, agent: Agent, path: string, options: HttpRequestOptions): Promise<HttpResponse> {
  const body = options.json === undefined ? undefined : Buffer.from(JSON.stringify(options.json));
  const headers: Record<string, string> = { Accept: "application/json", ...options.headers };
  if (body) {
    headers["Content-Type"] = "application/json";
    headers["Content-Length"] = String(body.length);
  }
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: origin.hostname,
        port: origin.port,
        path,
        method: options.method ?? "GET",
        headers,
        agent,
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString("utf8"),
          }),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}
