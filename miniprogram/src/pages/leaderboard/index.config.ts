export default definePageConfig({ enablePullDownRefresh: true, navigationBarTitleText: '积分排行' });
