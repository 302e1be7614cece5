// No pull-down refresh: in H5 its wrapper stops the page's grey background at the content; the list reloads on
// every visit instead.
export default definePageConfig({ navigationBarTitleText: '打卡审核' });
