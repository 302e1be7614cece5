export default definePageConfig({ navigationBarTitleText: '学习视频' });
