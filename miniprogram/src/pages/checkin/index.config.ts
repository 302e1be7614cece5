export default definePageConfig({ navigationBarTitleText: '驻村打卡' });
