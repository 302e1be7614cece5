export default definePageConfig({ navigationBarTitleText: '登记微心愿' });
