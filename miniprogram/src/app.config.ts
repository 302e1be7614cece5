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
    'pages/quiz/index',
    'pages/quiz-result/index',
    'pages/mistakes/index',
    'pages/checkin/index',
    'pages/checkin-calendar/index',
    'pages/post-detail/index',
    'pages/service-log/index',
    'pages/points-rules/index',
    'pages/activities/index',
    'pages/activity/index',
  ],
  // The admin and secretary console: a WeChat sub-package, downloaded only when one of its pages is opened, so the
  // main package every member loads stays small (README: package sizes). H5 routes are /console/<page>/index.
  subPackages: [
    {
      root: 'console',
      pages: [
        'admin-questions/index',
        'checkin-review/index',
        'checkin-report/index',
        'checkin-fences/index',
        'service-admin/index',
        'post-edit/index',
        'wish-edit/index',
        'post-seats/index',
        'commitment-review/index',
        'activity-manage/index',
        'activity-records/index',
        'county-settings/index',
        'audit-log/index',
      ],
    },
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
    color: '#333333',
    selectedColor: '#A11217',
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
  // 驻村打卡: WeChat requires getLocation to be declared, with the reason shown when it asks for permission.
  requiredPrivateInfos: ['getLocation'],
  permission: { 'scope.userLocation': { desc: '驻村打卡需要确认您在派驻村的打卡范围内' } },
})
