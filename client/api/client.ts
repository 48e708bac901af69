/**
 * The typed API client both clients use: transport, unwrap of `{ok, data}` and a typed error, nothing
 * else. Toasts, login redirects and retries belong to the page shells and hooks, not here.
 */
import {
  type Endpoint,
  type InputArgs,
  type InputOf,
  pathOf,
  type ResponseOf,
} from "@govinfo/shared/api/contract";
import type { ErrorCode, ErrorDetails } from "@govinfo/shared/api/errors";

/** An error answered by the API (or a network failure, code `network_error`). */
export class ApiError extends Error {
  readonly code: ErrorCode | "network_error";
  readonly status: number;
  readonly details: ErrorDetails | undefined;
  readonly requestId: string | undefined;

  constructor(
    code: ErrorCode | "network_error",
    status: number,
    message: string,
    details?: ErrorDetails,
    requestId?: string,
  ) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.status = status;
    this.details = details;
    this.requestId = requestId;
  }

  /** The message of one field, for forms (`applicant.idNumber`). */
  fieldMessage(path: string): string | undefined {
    return this.details?.fields?.find((field) => field.path === path)?.message;
  }
}

/** One HTTP exchange; the mini-program adapts Taro.request, browsers use fetch. */
export interface Transport {
  send(request: { method: string; url: string; headers: Record<string, string>; body?: string }): Promise<{
    status: number;
    body: unknown;
  }>;
}

/** A transport over the browser's fetch, with cookies (the admin page's session). */
export const fetchTransport: Transport = {
  async send({ method, url, headers, body }) {
    const response = await fetch(url, { method, headers, body, credentials: "include" });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === "" ? undefined : JSON.parse(text);
    } catch {
      // Not JSON: keep the text for the error message.
    }
    return { status: response.status, body: parsed };
  },
};

/** Calls the API under `baseUrl` (e.g. "/api"). */
export interface ApiClient {
  /**
   * Calls one endpoint of the shared route table (`shared/api/routes/`): its method and path, the types of
   * `{ params, query, body }` and of the answer all come from the contract.
   */
  call<E extends Endpoint>(endpoint: E, ...input: InputArgs<E>): Promise<ResponseOf<E>>;
  /** The absolute URL of an endpoint (file downloads the browser or Taro opens itself). */
  url<E extends Endpoint>(endpoint: E, ...input: InputArgs<E>): string;
  get<T>(path: string, query?: Record<string, string | number | boolean | undefined>): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  put<T>(path: string, body?: unknown): Promise<T>;
  patch<T>(path: string, body?: unknown): Promise<T>;
  delete<T>(path: string): Promise<T>;
}

/**
 * Builds a client.
 * @param headers extra headers per call (the CSRF token, a bearer token).
 */
export function createApiClient(options: {
  baseUrl: string;
  transport: Transport;
  headers?: () => Record<string, string>;
}): ApiClient {
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Accept: "application/json", ...(options.headers?.() ?? {}) };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let response: { status: number; body: unknown };
    try {
      response = await options.transport.send({
        method,
        url: `${options.baseUrl}${path}`,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError("network_error", 0, "网络连接失败，请检查网络后重试");
    }
    const envelope = response.body as
      | { ok: true; data: T }
      | { ok: false; code: ErrorCode; message: string; details?: ErrorDetails; requestId?: string }
      | undefined;
    if (response.status >= 200 && response.status < 300) {
      return (
        envelope && typeof envelope === "object" && "data" in envelope ? envelope.data : undefined
      ) as T;
    }
    if (envelope && typeof envelope === "object" && envelope.ok === false) {
      throw new ApiError(
        envelope.code,
        response.status,
        envelope.message,
        envelope.details,
        envelope.requestId,
      );
    }
    throw new ApiError("internal_error", response.status, "服务器返回了无法识别的响应");
  }
  const withQuery = (path: string, query?: Record<string, string | number | boolean | undefined>) => {
    if (!query) return path;
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query))
      if (value !== undefined && value !== "") params.set(key, String(value));
    const text = params.toString();
    return text ? `${path}?${text}` : path;
  };
  return {
    call: <E extends Endpoint>(endpoint: E, ...[input]: InputArgs<E>) => {
      const given = (input ?? {}) as InputOf<Endpoint>;
      const method = endpoint.method.toUpperCase();
      const path = pathOf(endpoint, given);
      return call<ResponseOf<E>>(
        method,
        path,
        method === "GET" || method === "DELETE" ? undefined : (given.body ?? {}),
      );
    },
    url: (endpoint, ...[input]) =>
      `${options.baseUrl}${pathOf(endpoint, (input ?? {}) as InputOf<Endpoint>)}`,
    get: (path, query) => call("GET", withQuery(path, query)),
    post: (path, body) => call("POST", path, body ?? {}),
    put: (path, body) => call("PUT", path, body ?? {}),
    patch: (path, body) => call("PATCH", path, body ?? {}),
    delete: (path) => call("DELETE", path),
  };
}
