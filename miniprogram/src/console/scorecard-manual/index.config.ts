export default definePageConfig({ navigationBarTitleText: '手工指标录入' });
