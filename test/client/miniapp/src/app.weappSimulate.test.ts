/**
 * Behaviour of the built weapp pages in miniprogram-simulate (j-component on jsdom), the closest
 * thing to the WeChat runtime on Linux: Taro's `Page()` is shimmed onto `Component()`, and a `wx`
 * stub answers `wx.request` with fixture JSON. Not the real client (no DevTools here): a smoke test
 * that the compiled pages boot, call the API and render what it answers.
 */
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { ensureBuilt, miniappDir } from "../build.ts";

const require = createRequire(join(miniappDir, "package.json"));

interface WxRequest {
  url: string;
  method?: string;
  data?: unknown;
  header?: Record<string, string>;
  success?: (res: { statusCode: number; data: unknown; header: Record<string, string> }) => void;
  complete?: (res: unknown) => void;
}

interface SimNode {
  dom: {
    textContent: string | null;
    querySelectorAll(selector: string): ArrayLike<{ textContent: string | null }>;
  };
  attach(parent: unknown): void;
  querySelector(selector: string): { dispatchEvent(name: string, detail?: unknown): void } | null;
}

const requests: WxRequest[] = [];
type PrivacyResolve = (option: { event: string; buttonId?: string }) => void;
/** What the app registered with wx.onNeedPrivacyAuthorization. */
let privacyListener: ((resolve: PrivacyResolve) => void) | undefined;
const storage = new Map<string, unknown>();
let dist = "";
let simulate: {
  load(path: string, options: { rootPath: string }): string;
  render(id: string): SimNode;
  sleep(ms: number): Promise<void>;
};

const latestItems = [
  {
    id: "665f1c2e9b1e8a0012340001",
    title: "模拟接口返回的第一条公开信息",
    category: "policyDocument",
    categoryLabel: "政策文件",
    publishedDate: "2026-03-05",
    formedDate: "2026-03-01",
  },
  {
    id: "665f1c2e9b1e8a0012340002",
    title: "模拟接口返回的第二条公开信息",
    category: "planning",
    categoryLabel: "规划计划",
    publishedDate: "2026-03-04",
    formedDate: "2026-03-01",
  },
];

const messages = {
  items: [
    {
      id: "665f1c2e9b1e8a00123400a1",
      requestId: "665f1c2e9b1e8a00123400b1",
      serialNo: "YSQ-2026-000123",
      step: "correctionRequested",
      stepLabel: "待补正",
      title: "申请需要补正",
      body: "您的政府信息公开申请（YSQ-2026-000123）内容不明确，需要补正。",
      createdAt: "2026-03-05T02:04:00.000Z",
      readAt: null,
    },
  ],
  nextCursor: null,
  unreadCount: 1,
};

/** The fixture the stubbed API answers, in the platform's envelope. */
function reply(request: WxRequest): string {
  const path = new URL(request.url).pathname;
  let data: unknown = { items: [], nextCursor: null };
  if (path.endsWith("/catalogue/items")) data = { items: latestItems, nextCursor: null };
  if (path.endsWith("/messages")) data = messages;
  return JSON.stringify({ ok: true, data });
}

/** Waits until `done()` holds (React commits on its own schedule; a loaded machine is slow), at most 5 s. */
async function until(done: () => boolean): Promise<void> {
  for (const deadline = Date.now() + 5000; !done() && Date.now() < deadline; ) await simulate.sleep(20);
}

async function renderPage(page: string): Promise<SimNode> {
  const id = simulate.load(join(dist, page), { rootPath: dist });
  const node = simulate.render(id);
  const doc = (globalThis as unknown as { document: { createElement(name: string): unknown } }).document;
  node.attach(doc.createElement("parent-wrapper"));
  // Let the page's request answer and React commit.
  for (let i = 0; i < 20 && requests.length === 0; i++) await simulate.sleep(20);
  await simulate.sleep(150);
  return node;
}

before(() => {
  dist = ensureBuilt("weapp");
  const { JSDOM } = require("jsdom") as {
    JSDOM: new (html: string, options: { pretendToBeVisual: boolean }) => { window: object };
  };
  const dom = new JSDOM("<!doctype html><html><body></body></html>", { pretendToBeVisual: true });
  const g = globalThis as Record<string, unknown>;
  for (const key of [
    "window",
    "document",
    "Event",
    "CustomEvent",
    "Node",
    "Element",
    "HTMLElement",
    "MutationObserver",
  ]) {
    g[key] = key === "window" ? dom.window : (dom.window as unknown as Record<string, unknown>)[key];
  }
  const wx: Record<string, unknown> = {
    getSystemInfoSync: () => ({
      windowWidth: 375,
      windowHeight: 667,
      pixelRatio: 2,
      platform: "devtools",
      SDKVersion: "3.0.0",
    }),
    request: (options: WxRequest) => {
      requests.push(options);
      setTimeout(() => {
        const res = { statusCode: 200, data: reply(options), header: {} };
        options.success?.(res);
        options.complete?.(res);
      }, 0);
      return { abort() {} };
    },
    getStorageSync: (key: string) => storage.get(key) ?? "",
    setStorageSync: (key: string, value: unknown) => storage.set(key, value),
    nextTick: (fn: () => void) => setTimeout(fn, 0),
    onNeedPrivacyAuthorization: (listener: (resolve: PrivacyResolve) => void) => {
      privacyListener = listener;
    },
    getPrivacySetting: (options: { success: (r: { needAuthorization: boolean }) => void }) =>
      options.success({ needAuthorization: false }),
  };
  // Everything else the runtime touches (navigation, share menus, toasts) is a no-op here.
  g.wx = new Proxy(wx, {
    get: (target, key) =>
      key in target
        ? target[key as string]
        : typeof key === "string" && !key.startsWith("webpack")
          ? () => {}
          : undefined,
    set: (target, key, value) => {
      target[key as string] = value;
      return true;
    },
  });
  let app: { onLaunch?: (o: unknown) => void } | undefined;
  g.App = (options: { onLaunch?: (o: unknown) => void }) => {
    app = options;
    options.onLaunch?.({});
  };
  g.getApp = () => app;
  g.getCurrentPages = () => [];
  simulate = require("miniprogram-simulate");
  const component = g.Component as (options: unknown) => void;
  // Taro pages call Page(); j-component knows only Component().
  g.Page = (options: Record<string, unknown>) => {
    const methods: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(options)) if (typeof value === "function") methods[key] = value;
    component({
      data: options.data ?? {},
      methods,
      lifetimes: {
        attached(this: { onLoad?: (q: unknown) => void; onShow?: () => void; onReady?: () => void }) {
          this.onLoad?.({});
          this.onShow?.();
          this.onReady?.();
        },
      },
    });
  };
  // A logged-in applicant: the session store reads its token when the app starts.
  storage.set("govinfo.token", "fixture-token");
  require(join(dist, "app.js"));
});

describe("weapp pages in miniprogram-simulate", () => {
  it("the home page renders the categories and the latest items the stubbed API answers", async () => {
    requests.length = 0;
    const home = await renderPage("pages/index/index");
    const text = home.dom.textContent ?? "";
    const catalogueCall = requests.find((r) => r.url.includes("/catalogue/items"));
    assert.ok(
      catalogueCall,
      `the home page asked for the latest items: ${requests.map((r) => r.url).join(", ")}`,
    );
    assert.match(catalogueCall.url, /limit=5/);
    for (const label of ["政策文件", "规划计划", "我要申请", "年度报告"]) {
      assert.ok(text.includes(label), `home shows ${label}`);
    }
    for (const item of latestItems) assert.ok(text.includes(item.title), `home shows “${item.title}”`);
    assert.ok(!text.includes("暂无公开信息"), "not the empty state");
    assert.ok(home.dom.querySelectorAll(".main--home-grid-cell").length >= 6, "the category grid is drawn");
  });

  it("the 消息 subpackage page shows the applicant's messages and the unread count", async () => {
    requests.length = 0;
    const page = await renderPage("pages/messages/list/index");
    const call = requests.find((r) => r.url.includes("/messages"));
    assert.ok(call, "the page asked for the messages");
    assert.equal(call.header?.Authorization, "Bearer fixture-token");
    const text = page.dom.textContent ?? "";
    assert.ok(text.includes("1 条未读"), `unread count shown: ${text.slice(0, 200)}`);
    assert.ok(text.includes("申请需要补正"));
    assert.ok(text.includes("2026年3月5日 10:04"), "time in Beijing time");
  });

  it("a privacy API waiting for consent opens the popup; 拒绝 and 同意 answer WeChat", async () => {
    assert.ok(privacyListener, "app.js registered wx.onNeedPrivacyAuthorization at launch");
    const page = await renderPage("pages/directory/index");
    assert.ok(!(page.dom.textContent ?? "").includes("个人信息保护提示"), "no popup before WeChat asks");
    const answers: { event: string; buttonId?: string }[] = [];
    const popupShown = () => (page.dom.textContent ?? "").includes("个人信息保护提示");
    privacyListener((option) => answers.push(option));
    await until(popupShown);
    const text = page.dom.textContent ?? "";
    assert.ok(text.includes("个人信息保护提示"), `the popup is shown: ${text.slice(0, 120)}`);
    assert.ok(text.includes("《用户隐私保护指引》") && text.includes("《个人信息处理规则》"));
    assert.deepEqual(answers, [{ event: "exposureAuthorization" }]);
    page.querySelector(".privacy-disagree")?.dispatchEvent("tap");
    await until(() => !popupShown());
    assert.deepEqual(answers.at(-1), { event: "disagree" });
    assert.ok(!popupShown(), "the popup closed");

    privacyListener((option) => answers.push(option));
    await until(popupShown);
    page.querySelector(".privacy-agree")?.dispatchEvent("agreeprivacyauthorization");
    await until(() => !popupShown());
    assert.deepEqual(answers.at(-1), { event: "agree", buttonId: "privacy-agree" });
    assert.ok(!(page.dom.textContent ?? "").includes("个人信息保护提示"));
  });
});
