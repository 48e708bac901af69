export default definePageConfig({ navigationBarTitleText: "行政复议申请书" });
