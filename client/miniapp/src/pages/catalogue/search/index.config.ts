export default definePageConfig({ navigationBarTitleText: "检索" });
