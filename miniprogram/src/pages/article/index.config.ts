export default definePageConfig({ navigationBarTitleText: '学习文章' });
