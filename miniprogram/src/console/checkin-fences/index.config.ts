export default definePageConfig({ navigationBarTitleText: '打卡范围' });
