export default definePageConfig({ navigationBarTitleText: '整顿' });
