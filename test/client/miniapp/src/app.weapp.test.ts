import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { before, describe, it } from "node:test";
import { tabPages } from "../../../../client/miniapp/src/logic/tabs.ts";
import { ensureBuilt, miniappDir } from "../build.ts";

// WeChat's own wcc/wcsc compilers ship (for Linux) inside miniprogram-compiler.
const require = createRequire(join(miniappDir, "package.json"));
const compiler = require("miniprogram-compiler") as {
  wxmlToJs(root: string): string;
  wxssToJs(root: string): string;
};

const MAIN_PACKAGE_LIMIT = 1024 * 1024;
let dist = "";
let app: {
  pages: string[];
  subPackages?: { root: string; pages: string[] }[];
  tabBar?: { list: { pagePath: string; text: string }[] };
  __usePrivacyCheck__?: boolean;
};

function sizeOf(path: string, skip: (p: string) => boolean = () => false): number {
  if (skip(path)) return 0;
  const info = statSync(path);
  if (info.isFile()) return path.endsWith(".map") || path.endsWith(".built-from-sources") ? 0 : info.size;
  return readdirSync(path).reduce((sum, name) => sum + sizeOf(join(path, name), skip), 0);
}

before(() => {
  dist = ensureBuilt("weapp");
  app = JSON.parse(readFileSync(join(dist, "app.json"), "utf8"));
});

describe("weapp build", () => {
  it("every page of app.json (main and subpackages) has .js, .json and .wxml", () => {
    const pages = [
      ...app.pages,
      ...(app.subPackages ?? []).flatMap((sub) => sub.pages.map((page) => `${sub.root}/${page}`)),
    ];
    assert.ok(pages.length >= 11, `expected every page, got ${pages.join(", ")}`);
    for (const page of pages) {
      for (const ext of [".js", ".json", ".wxml"]) {
        assert.ok(existsSync(join(dist, page + ext)), `${page}${ext} is missing`);
      }
    }
  });

  it("has the tab bar (首页 · 公开目录 · 我要申请 · 我的) on main-package pages, and the privacy check", () => {
    const list = app.tabBar?.list ?? [];
    assert.deepEqual(
      list.map((tab) => tab.text),
      ["首页", "公开目录", "我要申请", "我的"],
    );
    for (const tab of list)
      assert.ok(app.pages.includes(tab.pagePath), `${tab.pagePath} is in the main package`);
    assert.deepEqual(
      list.map((tab) => `/${tab.pagePath}`),
      [...tabPages],
      "src/logic/tabs.ts switches tabs for exactly these pages",
    );
    assert.equal(app.__usePrivacyCheck__, true);
    const project = JSON.parse(readFileSync(join(dist, "project.config.json"), "utf8"));
    assert.equal(project.appid, "touristappid", "a development build keeps DevTools' tourist AppID");
  });

  it("compiles with WeChat's WXML and WXSS compilers", () => {
    const wxml = compiler.wxmlToJs(dist);
    assert.ok(wxml.length > 0);
    const wxss = compiler.wxssToJs(dist);
    assert.ok(wxss.length > 0);
  });

  it("keeps the main package under 1 MB (subpackages counted apart)", () => {
    const roots = (app.subPackages ?? []).map((sub) => join(dist, sub.root));
    const main = sizeOf(dist, (p) => roots.includes(p));
    const subs = Object.fromEntries(roots.map((root) => [relative(dist, root), sizeOf(root)]));
    console.log(`weapp main package ${main} bytes; subpackages ${JSON.stringify(subs)}`);
    assert.ok(main < MAIN_PACKAGE_LIMIT, `main package is ${main} bytes`);
    for (const [root, size] of Object.entries(subs))
      assert.ok(size < 2 * 1024 * 1024, `${root} is ${size} bytes`);
  });
});
