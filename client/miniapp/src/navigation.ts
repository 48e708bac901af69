/**
 * Opening a page: tab pages (app.config.ts tabBar) only through switchTab, which takes no query, every
 * other page through navigateTo.
 */
import Taro from "@tarojs/taro";
import { isTabPage } from "./logic/tabs";

/** Opens `url`, switching tabs when it is a tab page. */
export function openPage(url: string): void {
  if (isTabPage(url)) {
    Taro.switchTab({ url: url.split("?")[0] ?? url });
    return;
  }
  Taro.navigateTo({ url });
}
