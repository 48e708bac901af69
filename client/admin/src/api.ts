/**
 * The admin page's API client: the shared typed client over fetch with the session's CSRF token.
 * Transport, unwrap and typed errors only; pages and PageShell decide what to show.
 */

// Before any contract module builds a schema in this shared chunk: zod must not probe `Function` (CSP).
import "@govinfo/shared/schemas/browser";
import { type ApiClient, ApiError, createApiClient, fetchTransport } from "@govinfo/api-client/client";
import type { Endpoint, InputArgs, InputOf, ResponseOf } from "@govinfo/shared/api/contract";

let csrfToken = "";

/** Remembers the CSRF token the login or /auth/me answered. */
export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/** The client every page uses. */
export const api: ApiClient = createApiClient({
  baseUrl: "/api",
  transport: fetchTransport,
  headers: (): Record<string, string> => (csrfToken ? { "X-CSRF-Token": csrfToken } : {}),
});

/**
 * Sends a file as the raw request body of an upload or import endpoint (its query and path parameters
 * from `input`), unwrapping like the client does.
 */
export async function upload<E extends Endpoint>(
  endpoint: E,
  input: Omit<InputOf<E>, "body">,
  file: File,
  extraHeaders: Record<string, string> = {},
): Promise<ResponseOf<E>> {
  const response = await fetch(api.url(endpoint, ...([input] as InputArgs<E>)), {
    method: "POST",
    credentials: "include",
    headers: {
      "Content-Type": file.type || "application/octet-stream",
      "X-Filename": encodeURIComponent(file.name),
      "X-CSRF-Token": csrfToken,
      ...extraHeaders,
    },
    body: file,
  });
  return unwrap<ResponseOf<E>>(response);
}

async function unwrap<T>(response: Response): Promise<T> {
  const body = (await response.json().catch(() => undefined)) as
    | { ok: true; data: T }
    | { ok: false; code: string; message: string; details?: ApiError["details"] }
    | undefined;
  if (response.ok && body?.ok) return body.data;
  if (body && body.ok === false)
    throw new ApiError(body.code as ApiError["code"], response.status, body.message, body.details);
  throw new ApiError("internal_error", response.status, "服务器返回了无法识别的响应");
}

export { ApiError };
