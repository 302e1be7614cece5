export default defineAppConfig({
  pages: [
    'pages/index/index',
    'pages/study/index',
    'pages/service/index',
    'pages/identity/index',
    'pages/mine/index',
    'pages/login/index',
    'pages/leaderboard/index',
    'pages/points-history/index',
  ],
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#C8161D',
    navigationBarTitleText: '先锋',
    navigationBarTextStyle: 'white',
    backgroundColor: '#F5F5F5',
  },
  tabBar: {
    color: '#555555',
    selectedColor: '#C8161D',
    backgroundColor: '#FFFFFF',
    borderStyle: 'black',
    list: [
      { pagePath: 'pages/index/index', text: '首页' },
      { pagePath: 'pages/study/index', text: '学习' },
      { pagePath: 'pages/service/index', text: '服务' },
      { pagePath: 'pages/identity/index', text: '亮身份' },
      { pagePath: 'pages/mine/index', text: '我的' },
    ],
  },
})
