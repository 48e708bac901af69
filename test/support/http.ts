/**
 * A thin fetch wrapper for route tests: status, headers and the parsed JSON body in one value.
 */

/** A response with its body already read and parsed (undefined when empty, text when not JSON). */
export interface TestResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

/** Sends a request with node's fetch; a plain-object `json` is serialised and typed as JSON. */
export async function request(
  url: string,
  init: RequestInit & { json?: unknown } = {},
): Promise<TestResponse> {
  const { json, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (json !== undefined) headers.set("Content-Type", "application/json");
  const response = await fetch(url, {
    ...rest,
    headers,
    ...(json === undefined ? {} : { body: JSON.stringify(json) }),
  });
  const text = await response.text();
  let body: unknown = text === "" ? undefined : text;
  if ((response.headers.get("content-type") ?? "").includes("json") && text !== "") body = JSON.parse(text);
  return { status: response.status, headers: response.headers, body };
}
