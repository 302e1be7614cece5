export default definePageConfig({ enablePullDownRefresh: true, navigationBarTitleText: '错题本' });
