export default definePageConfig({ navigationBarTitleText: "政府信息公开", enableShareAppMessage: true });
