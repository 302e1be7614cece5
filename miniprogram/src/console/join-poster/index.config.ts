export default definePageConfig({ navigationBarTitleText: '入党码 · 绑定确认' });
