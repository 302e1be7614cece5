export default definePageConfig({ navigationBarTitleText: '学习台账' });
