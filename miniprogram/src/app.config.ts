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
    // Explicit 'default' also turns on Taro's H5 navigation bar (title + back/home buttons).
    navigationStyle: 'default',
    backgroundColor: '#F5F5F5',
  },
  tabBar: {
    color: '#555555',
    selectedColor: '#C8161D',
    backgroundColor: '#FFFFFF',
    borderStyle: 'black',
    list: [
      { pagePath: 'pages/index/index', iconPath: 'assets/tabbar/home.png', selectedIconPath: 'assets/tabbar/home-active.png', text: '首页' },
      { pagePath: 'pages/study/index', iconPath: 'assets/tabbar/study.png', selectedIconPath: 'assets/tabbar/study-active.png', text: '学习' },
      { pagePath: 'pages/service/index', iconPath: 'assets/tabbar/service.png', selectedIconPath: 'assets/tabbar/service-active.png', text: '服务' },
      { pagePath: 'pages/identity/index', iconPath: 'assets/tabbar/identity.png', selectedIconPath: 'assets/tabbar/identity-active.png', text: '亮身份' },
      { pagePath: 'pages/mine/index', iconPath: 'assets/tabbar/mine.png', selectedIconPath: 'assets/tabbar/mine-active.png', text: '我的' },
    ],
  },
})
