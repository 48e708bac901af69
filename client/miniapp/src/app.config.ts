export default defineAppConfig({
  pages: ["pages/index/index", "pages/me/index"],
  subPackages: [
    { root: "pages/catalogue", pages: ["list/index", "item/index", "search/index"] },
    { root: "pages/reports", pages: ["list/index", "detail/index"] },
    { root: "pages/apply", pages: ["guide/index", "form/index"] },
    { root: "pages/mine", pages: ["list/index", "detail/index"] },
    { root: "pages/messages", pages: ["list/index"] },
  ],
  window: {
    backgroundTextStyle: "light",
    navigationBarBackgroundColor: "#b71c1c",
    navigationBarTitleText: "政府信息公开",
    navigationBarTextStyle: "white",
  },
});
