export default definePageConfig({ enablePullDownRefresh: true, navigationBarTitleText: '我的考勤' });
