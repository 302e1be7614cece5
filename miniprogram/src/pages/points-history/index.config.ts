export default definePageConfig({ enablePullDownRefresh: true, navigationBarTitleText: '积分明细' });
