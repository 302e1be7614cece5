import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { QUIZ_RULES } from '@pioneer/shared/src/quiz';
import CheckinHomeCard from '../../components/CheckinHomeCard';
import ActivityHomeCard from '../../components/ActivityHomeCard';
import ReviewHomeCard from '../../components/ReviewHomeCard';
import NoticeHomeCard from '../../components/NoticeHomeCard';
import TodoHomeCard from '../../components/TodoHomeCard';
import PageContainer from '../../components/PageContainer';
import OfflineQueue from '../../components/OfflineQueue';
import JoinStep from '../../components/JoinStep';
import { useCareMode } from '../../hooks/use-care-mode';
import { useMe } from '../../hooks/use-me';
import { useRequest } from '../../hooks/use-request';
import { getMemberBoard, getQuizToday } from '../../services/api';
import { greeting } from '../../utils/format';
import { quizUrl } from '../../utils/quiz-nav';
import { SERVICE_TAB } from '../../utils/service-nav';
import './index.scss';

const IDENTITY_TAB = '/pages/identity/index';

interface Shortcut {
  key: string;
  title: string;
  desc: string;
  url: string;
  /** A tab page: reached with switchTab (navigateTo refuses tab pages). */
  tab?: boolean;
}

const SHORTCUTS: readonly Shortcut[] = [
  { key: 'quiz', title: '每日答题', desc: `${QUIZ_RULES.daily.questions}道题，答对得积分`, url: quizUrl('daily') },
  { key: 'posts', title: '认领岗位', desc: '公益岗位，服务得积分', url: SERVICE_TAB, tab: true },
  { key: 'commit', title: '亮承诺', desc: '亮身份，写下年度承诺', url: IDENTITY_TAB, tab: true },
  { key: 'board', title: '积分排行', desc: '看看谁是先锋', url: '/pages/leaderboard/index' },
];

function open(s: Shortcut) {
  if (s.tab) void Taro.switchTab({ url: s.url });
  else void Taro.navigateTo({ url: s.url });
}

export default function Home() {
  const me = useMe();
  const orgId = me.data?.org?.id;
  const rank = useRequest(
    () => getMemberBoard({ scope: orgId ?? '', period: 'month', limit: 0 }),
    [orgId, me.data],
    !!orgId,
  );
  // Refreshed with `me` (each time the page shows), so coming back from a quiz shows it done.
  const quiz = useRequest(getQuizToday, [me.data], !!me.data);
  const daily = quiz.data?.daily;
  const descOf = (s: Shortcut) =>
    s.key !== 'quiz' || !daily ? s.desc : daily.done ? `已完成 · 得${daily.pointsToday}分` : '今日未答，去答题';

  const m = me.data;
  const care = useCareMode();
  // First sign-in (no branch, no admin scope): the join step, not an empty app.
  if (m && !m.org && !m.roles.includes('admin')) {
    return (
      <PageContainer loggedIn={me.loggedIn} loading={me.loading} hasData error={me.error} onRetry={me.reload}>
        <JoinStep onJoined={me.reload} />
      </PageContainer>
    );
  }
  if (care && m) {
    // 关怀模式: only today's quiz, check-in and my points, each big enough to read and tap.
    const quizShortcut = SHORTCUTS[0]!;
    return (
      <PageContainer loggedIn={me.loggedIn} loading={me.loading} hasData={!!m} error={me.error} onRetry={me.reload}>
        <View className="home__hello" data-testid="home-care">
          <Text className="home__greet" data-testid="home-greeting">
            {greeting()}，{m.name}
          </Text>
        </View>
        <View className="home__stats">
          <View className="home__stat">
            <Text className="home__stat-num" data-testid="home-month-points">
              {m.points.month}
            </Text>
            <Text className="home__stat-label">本月积分</Text>
          </View>
        </View>
        <View className="home__care-quiz" data-testid="shortcut-quiz" onClick={() => open(quizShortcut)}>
          <Text className="home__card-title">{quizShortcut.title}</Text>
          <Text className="home__card-desc" data-testid="shortcut-quiz-desc">
            {descOf(quizShortcut)}
          </Text>
        </View>
        <TodoHomeCard me={m} />
        <ActivityHomeCard me={m} />
        <OfflineQueue />
        <CheckinHomeCard me={m} />
      </PageContainer>
    );
  }
  return (
    <PageContainer loggedIn={me.loggedIn} loading={me.loading} hasData={!!m} error={me.error} onRetry={me.reload}>
      {m && (
        <>
          <View className="home__hello">
            <Text className="home__greet" data-testid="home-greeting">
              {greeting()}，{m.name}
            </Text>
            <Text className="home__org">{m.org?.name ?? '尚未加入党支部'}</Text>
          </View>

          <View className="home__stats">
            <View className="home__stat">
              <Text className="home__stat-num" data-testid="home-month-points">
                {m.points.month}
              </Text>
              <Text className="home__stat-label">本月积分</Text>
            </View>
            <View className="home__stat">
              <Text className="home__stat-num" data-testid="home-branch-rank">
                {!m.org ? '—' : rank.data?.me ? `第${rank.data.me.rank}名` : rank.loading ? '…' : '暂无排名'}
              </Text>
              <Text className="home__stat-label">支部排名（本月）</Text>
            </View>
          </View>

          <TodoHomeCard me={m} />
          <NoticeHomeCard me={m} />
          <ActivityHomeCard me={m} />
          <ReviewHomeCard me={m} />
          <OfflineQueue />
          <CheckinHomeCard me={m} />

          <View className="home__grid">
            {SHORTCUTS.map((s) => (
              <View key={s.key} className="home__card" data-testid={`shortcut-${s.key}`} onClick={() => open(s)}>
                <Text className="home__card-title">{s.title}</Text>
                <Text className="home__card-desc" data-testid={`shortcut-${s.key}-desc`}>
                  {descOf(s)}
                </Text>
              </View>
            ))}
          </View>
        </>
      )}
    </PageContainer>
  );
}
