/**
 * Opening a page: tab pages (app.config.ts tabBar) only through switchTab, which takes no query, every
 * other page through navigateTo.
 */
import Taro from "@tarojs/taro";

/** The tab bar's pages, as in app.config.ts. */
export const tabPages = [
  "/pages/index/index",
  "/pages/directory/index",
  "/pages/apply/form/index",
  "/pages/me/index",
] as const;

/** Opens `url`, switching tabs when it is a tab page. */
export function openPage(url: string): void {
  const path = url.split("?")[0] ?? url;
  if ((tabPages as readonly string[]).includes(path)) {
    Taro.switchTab({ url: path });
    return;
  }
  Taro.navigateTo({ url });
}
