export default definePageConfig({ navigationBarTitleText: '支部评分' });
