export default definePageConfig({ navigationBarTitleText: '考勤报表' });
