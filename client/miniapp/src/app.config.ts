// Tab pages must be in the main package (WeChat's rule), so the 我要申请 form is there and the guide
// keeps its old path as a subpackage of its own. Keep tabBar.list in step with src/logic/tabs.ts.
export default defineAppConfig({
  pages: ["pages/index/index", "pages/directory/index", "pages/apply/form/index", "pages/me/index"],
  subPackages: [
    { root: "pages/catalogue", pages: ["list/index", "item/index", "search/index"] },
    { root: "pages/reports", pages: ["list/index", "detail/index"] },
    { root: "pages/apply/guide", pages: ["index"] },
    { root: "pages/mine", pages: ["list/index", "detail/index", "remedy/index"] },
    { root: "pages/messages", pages: ["list/index"] },
    { root: "pages/privacy", pages: ["index"] },
    { root: "pages/lookup", pages: ["index"] },
  ],
  window: {
    backgroundTextStyle: "light",
    navigationBarBackgroundColor: "#b71c1c",
    navigationBarTitleText: "政府信息公开",
    navigationBarTextStyle: "white",
    // Also on H5: Taro then draws the title bar with a back (or home) button on every page.
    navigationStyle: "default",
  },
  tabBar: {
    color: "#646a73",
    selectedColor: "#b71c1c",
    backgroundColor: "#ffffff",
    borderStyle: "black",
    list: [
      { pagePath: "pages/index/index", text: "首页" },
      { pagePath: "pages/directory/index", text: "公开目录" },
      { pagePath: "pages/apply/form/index", text: "我要申请" },
      { pagePath: "pages/me/index", text: "我的" },
    ],
  },
  // WeChat's privacy check: privacy APIs wait for the user's consent (onNeedPrivacyAuthorization in app.ts).
  __usePrivacyCheck__: true,
});
