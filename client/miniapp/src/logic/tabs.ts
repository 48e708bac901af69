/**
 * The tab bar's pages, as in app.config.ts (Taro reads that file on its own, so it cannot import this
 * one; the weapp test checks the two agree). Pure: no Taro.
 */
export const tabPages = [
  "/pages/index/index",
  "/pages/directory/index",
  "/pages/apply/form/index",
  "/pages/me/index",
] as const;

/** Whether `url` (with or without a query) is a tab page, which only switchTab may open. */
export function isTabPage(url: string): boolean {
  const path = url.split("?")[0] ?? url;
  return (tabPages as readonly string[]).includes(path);
}
