export default definePageConfig({ navigationBarTitleText: "申请须知" });
