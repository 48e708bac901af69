/**
 * The deployment configuration of the WeChat mini-program, in one place: every variable the weapp
 * build and the upload commands read, how each is checked, and the 服务器域名 the WeChat console must
 * list. Variables come from the environment or from `client/miniapp/.env.release` (Taro loads
 * `TARO_APP_*` from it in release mode; the environment wins).
 *
 * Self-contained on purpose: Taro compiles only the files under config/ when it loads its config, so
 * this module imports nothing but types.
 */
import type { SubscribeKind } from "../../../shared/wechat/subscribe";

/** The Taro mode of a release build (`taro build --type weapp --mode release`). */
export const releaseMode = "release";

/** The AppID placeholder of WeChat DevTools; a release build never carries it. */
export const touristAppId = "touristappid";

/** The build variable holding each notification kind's subscribe-message template id. */
export const templateVariables: Readonly<Record<SubscribeKind, string>> = {
  progress: "TARO_APP_TEMPLATE_PROGRESS",
  action: "TARO_APP_TEMPLATE_ACTION",
  result: "TARO_APP_TEMPLATE_RESULT",
};

/** Every variable of the mini-program's build and upload, with what it means (the docs tests check each is documented). */
export const weappVariables: Readonly<Record<string, string>> = {
  TARO_APP_ID: "the mini-program's AppID (wx followed by 16 hexadecimal characters)",
  TARO_APP_API_BASE: "the API's base URL, https:// in a release build",
  [templateVariables.progress]: "template id of 申请办理进度通知",
  [templateVariables.action]: "template id of 补正及缴费提醒",
  [templateVariables.result]: "template id of 申请答复结果通知",
  WEAPP_UPLOAD_KEY: "path of the code-upload private key (upload and preview only)",
};

/** The checked configuration of one weapp build. */
export interface WeappConfig {
  isRelease: boolean;
  appId: string;
  apiBase: string;
  /** Template id per kind; "" when the kind is not configured (the app does not ask for it). */
  templates: Record<SubscribeKind, string>;
}

/** The configuration, or one line per problem (Chinese, then the variable to set). */
export type WeappConfigResult = { ok: true; config: WeappConfig } | { ok: false; problems: string[] };

/** The API base of a development build: the local server. */
export const developmentApiBase = "http://127.0.0.1:3000/api";

/**
 * Checks the build variables. A release build needs a real AppID and an HTTPS API base on a domain
 * name (WeChat refuses IP addresses and localhost in 服务器域名); a development build falls back to
 * DevTools' tourist AppID and the local server.
 * @param env the variables (process.env merged with the .env files).
 * @param isRelease whether this is a release build.
 */
export function parseWeappConfig(
  env: Readonly<Record<string, string | undefined>>,
  isRelease: boolean,
): WeappConfigResult {
  const value = (name: string) => env[name]?.trim() ?? "";
  const problems: string[] = [];
  const appId = value("TARO_APP_ID");
  if (appId === "" || appId === touristAppId) {
    if (isRelease) problems.push("未设置小程序 AppID（TARO_APP_ID），发布版本不能使用 touristappid");
  } else if (!/^wx[0-9a-f]{16}$/.test(appId)) {
    problems.push(`小程序 AppID 格式不正确（TARO_APP_ID=${appId}），应为 wx 加 16 位十六进制字符`);
  }
  const apiBase = value("TARO_APP_API_BASE").replace(/\/+$/, "");
  if (apiBase === "") {
    if (isRelease) problems.push("未设置接口地址（TARO_APP_API_BASE），例如 https://gkpt.example.gov.cn/api");
  } else {
    const problem = isRelease ? releaseApiProblem(apiBase) : developmentApiProblem(apiBase);
    if (problem) problems.push(`接口地址${problem}（TARO_APP_API_BASE=${apiBase}）`);
  }
  const templates = {} as Record<SubscribeKind, string>;
  for (const [kind, name] of Object.entries(templateVariables) as [SubscribeKind, string][]) {
    const id = value(name);
    if (id !== "" && !/^[A-Za-z0-9_-]{16,64}$/.test(id)) {
      problems.push(`订阅消息模板 ID 格式不正确（${name}=${id}）`);
    }
    templates[kind] = id;
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    config: {
      isRelease,
      appId: appId || touristAppId,
      apiBase: apiBase || developmentApiBase,
      templates,
    },
  };
}

/** The 服务器域名 to enter in the WeChat console (开发管理 → 开发设置 → 服务器域名). */
export function serverDomains(config: WeappConfig): {
  request: string[];
  downloadFile: string[];
  uploadFile: string[];
} {
  const origin = new URL(config.apiBase).origin;
  // Every API call goes through wx.request; reply letters and documents through wx.downloadFile
  // from the same API. Nothing is uploaded with wx.uploadFile and no socket is opened.
  return { request: [origin], downloadFile: [origin], uploadFile: [] };
}

/** The lines a release build prints: the domains and the subscribe-message templates to configure. */
export function deploymentChecklist(config: WeappConfig): string {
  const domains = serverDomains(config);
  const list = (values: string[]) => (values.length > 0 ? values.join(" ") : "（无需填写）");
  const lines = [
    `小程序 AppID：${config.appId}`,
    "服务器域名（微信公众平台 → 开发管理 → 开发设置 → 服务器域名）：",
    `  request合法域名：${list(domains.request)}`,
    `  uploadFile合法域名：${list(domains.uploadFile)}`,
    `  downloadFile合法域名：${list(domains.downloadFile)}`,
    "  socket合法域名：（无需填写）",
    "订阅消息模板：",
  ];
  for (const [kind, name] of Object.entries(templateVariables) as [SubscribeKind, string][]) {
    lines.push(`  ${name}：${config.templates[kind] || "（未配置，小程序不会请求该类通知）"}`);
  }
  return lines.join("\n");
}

function releaseApiProblem(apiBase: string): string | null {
  if (!URL.canParse(apiBase)) return "不是完整的网址";
  const url = new URL(apiBase);
  if (url.protocol !== "https:") return "必须使用 https://（微信小程序只能访问 HTTPS 接口）";
  const host = url.hostname;
  if (host === "localhost" || /^[\d.]+$/.test(host) || host.startsWith("[")) {
    return "必须是已备案的域名，不能是 IP 地址或 localhost";
  }
  return null;
}

function developmentApiProblem(apiBase: string): string | null {
  if (!URL.canParse(apiBase)) return "不是完整的网址";
  const { protocol } = new URL(apiBase);
  return protocol === "https:" || protocol === "http:" ? null : "必须以 http:// 或 https:// 开头";
}
