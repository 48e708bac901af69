/**
 * The API client of the mini-program: the shared typed client over a Taro.request transport, with
 * the applicant's bearer token. Same code on weapp (HTTPS to TARO_APP_API_BASE) and H5 ("/api").
 */
import { type ApiClient, createApiClient, type Transport } from "@govinfo/api-client/client";
import Taro from "@tarojs/taro";
import { session } from "./stores/session";

/** The API base baked in at build time. */
export const apiBase: string = API_BASE;

/** Sends one exchange with Taro.request; the body is already JSON text, the answer is parsed here. */
export const taroTransport: Transport = {
  async send({ method, url, headers, body }) {
    const response = await Taro.request({
      url,
      method: method as keyof Taro.request.Method,
      header: headers,
      data: body,
      dataType: "其他",
      responseType: "text",
    });
    let parsed: unknown = response.data;
    if (typeof parsed === "string") {
      try {
        parsed = parsed === "" ? undefined : JSON.parse(parsed);
      } catch {
        // Not JSON: the client reports an unrecognised answer.
      }
    }
    return { status: response.statusCode, body: parsed };
  },
};

/** The one client every page uses; hooks receive it as a parameter. */
export const api: ApiClient = createApiClient({
  baseUrl: apiBase,
  transport: taroTransport,
  headers: (): Record<string, string> => {
    const token = session.token();
    return token ? { Authorization: `Bearer ${token}` } : {};
  },
});

/** An absolute URL of an API path (downloads). */
export function apiUrl(path: string): string {
  return `${apiBase}${path}`;
}
