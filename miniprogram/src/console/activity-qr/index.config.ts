// No WeChat navigation bar: the projected code fills the screen; the page draws its own back button in the safe area.
export default definePageConfig({ navigationBarTitleText: '签到二维码', navigationStyle: 'custom' });
