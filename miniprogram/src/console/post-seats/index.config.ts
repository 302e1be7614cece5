export default definePageConfig({ navigationBarTitleText: '认领人员' });
