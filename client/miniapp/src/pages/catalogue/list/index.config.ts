export default definePageConfig({ navigationBarTitleText: "主动公开目录", onReachBottomDistance: 100 });
