import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import PageContainer from '../../components/PageContainer';
import { useState } from 'react';
import type { Me } from '@pioneer/shared';
import { useMe } from '../../hooks/use-me';
import { patchMe } from '../../services/api';
import { rememberCareMode } from '../../services/care-mode';
import { clearToken, goToLogin } from '../../services/session';
import { orgPathText, PERIOD_LABELS, PERIODS, roleLabels } from '../../utils/format';
import './index.scss';

const LINKS = [
  { testId: 'link-points-history', title: '积分明细', url: '/pages/points-history/index' },
  { testId: 'link-leaderboard', title: '积分排行', url: '/pages/leaderboard/index' },
  { testId: 'link-points-rules', title: '积分规则', url: '/pages/points-rules/index' },
  { testId: 'link-review-vote', title: '民主评议', url: '/pages/review-vote/index' },
  { testId: 'link-notices', title: '通知公告', url: '/pages/notices/index' },
  { testId: 'link-tasks', title: '我的任务', url: '/pages/tasks/index' },
  { testId: 'link-messages', title: '消息', url: '/pages/messages/index' },
  { testId: 'link-my-data', title: '我的数据', url: '/pages/my-data/index' },
  { testId: 'link-privacy', title: '隐私保护指引', url: '/pages/privacy/index' },
] as const;

/** 组织与党员 (issue 14): the org tree for admins; members and invites for secretaries and admins. */
const ORG_ADMIN_LINKS = [
  { testId: 'link-dashboard', title: '数据看板', url: '/console/dashboard/index', adminOnly: true },
  { testId: 'link-org-tree', title: '组织架构', url: '/console/org-tree/index', adminOnly: true },
  { testId: 'link-members', title: '党员管理', url: '/console/members/index', adminOnly: false },
  { testId: 'link-invites', title: '邀请码', url: '/console/invites/index', adminOnly: false },
  { testId: 'link-join-poster', title: '入党码 · 绑定确认', url: '/console/join-poster/index', adminOnly: false },
  { testId: 'link-review-manage', title: '民主评议管理', url: '/console/review-manage/index', adminOnly: false },
  { testId: 'link-life-meeting', title: '组织生活会', url: '/console/life-meeting/index', adminOnly: false },
  { testId: 'link-notice-manage', title: '通知公告管理', url: '/console/notice-manage/index', adminOnly: false },
  { testId: 'link-task-board', title: '任务督办', url: '/console/task-board/index', adminOnly: false },
  { testId: 'link-roster-import', title: '名册导入', url: '/console/roster-import/index', adminOnly: true },
] as const;

interface Tile {
  testId: string;
  title: string;
  url: string;
}

/** The desk tiles this member may use, in the order 我的 lists them after the member's own links. */
function consoleTiles(m: Me): Tile[] {
  const admin = m.roles.includes('admin');
  const manages = admin || m.roles.includes('secretary');
  return [
    ...(admin ? [{ testId: 'link-admin-questions', title: '题库管理', url: '/console/admin-questions/index' }] : []),
    ...(admin && m.adminOrg?.type === 'county'
      ? [
          {
            testId: 'link-county-settings',
            title: '县级设置（排行榜、积分规则）',
            url: '/console/county-settings/index',
          },
        ]
      : []),
    ...ORG_ADMIN_LINKS.filter((l) => admin || (!l.adminOnly && manages)),
    ...(manages ? [{ testId: 'link-audit-log', title: '操作记录', url: '/console/audit-log/index' }] : []),
  ];
}

async function logout() {
  const { confirm } = await Taro.showModal({
    title: '退出登录',
    content: '确定要退出登录吗？',
    confirmColor: '#C8161D',
  });
  if (!confirm) return;
  clearToken();
  goToLogin();
}

type Setting = 'careMode' | 'hideFromRankings';

const SETTINGS: ReadonlyArray<{ key: Setting; title: string; desc: string }> = [
  { key: 'careMode', title: '关怀模式', desc: '字更大、对比更强、首页更简洁' },
  { key: 'hideFromRankings', title: '不在排行榜中显示我', desc: '他人看不到我，我仍可看到自己的积分和名次' },
];

/** The two remembered switches: 关怀模式 and ranking opt-out, saved on the member (PATCH /me). */
function Settings({ me, onSaved }: { me: Me; onSaved: (me: Me) => void }) {
  const [saving, setSaving] = useState<Setting | null>(null);
  const toggle = async (key: Setting) => {
    if (saving) return;
    const next = !me[key];
    setSaving(key);
    if (key === 'careMode') rememberCareMode(next);
    try {
      onSaved(await patchMe({ [key]: next }));
    } catch (err) {
      if (key === 'careMode') rememberCareMode(!next);
      void Taro.showToast({ title: (err as Error).message || '保存失败', icon: 'none' });
    } finally {
      setSaving(null);
    }
  };
  return (
    <View className="mine__links">
      {SETTINGS.map((s) => (
        <View
          key={s.key}
          className="mine__link mine__setting"
          data-testid={`setting-${s.key}`}
          onClick={() => void toggle(s.key)}
        >
          <View className="mine__setting-text">
            <Text>{s.title}</Text>
            <Text className="mine__setting-desc">{s.desc}</Text>
          </View>
          <View
            className={`mine__switch${me[s.key] ? ' mine__switch--on' : ''}`}
            role="switch"
            aria-checked={me[s.key]}
            data-testid={`switch-${s.key}`}
          >
            <View className="mine__switch-knob" />
          </View>
        </View>
      ))}
    </View>
  );
}

export default function Mine() {
  const me = useMe();
  const [saved, setSaved] = useState<Me | null>(null);
  const m =
    saved && me.data && saved.id === me.data.id
      ? { ...me.data, careMode: saved.careMode, hideFromRankings: saved.hideFromRankings }
      : me.data;
  return (
    <PageContainer loggedIn={me.loggedIn} loading={me.loading} hasData={!!m} error={me.error} onRetry={me.reload}>
      {m && (
        <>
          <View className="mine__card" data-testid="mine-card">
            <View className="mine__avatar">
              <Text>{Array.from(m.name)[0] ?? '党'}</Text>
            </View>
            <View className="mine__who">
              <Text className="mine__name">{m.name}</Text>
              <Text className="mine__org">{m.org ? orgPathText(m) : '尚未加入党支部'}</Text>
              <View className="mine__roles">
                {roleLabels(m.roles).map((r) => (
                  <Text key={r} className="mine__role">
                    {r}
                  </Text>
                ))}
              </View>
            </View>
          </View>

          <View className="mine__points">
            {PERIODS.map((p) => (
              <View key={p} className="mine__point" data-testid={`mine-points-${p}`}>
                <Text className="mine__point-num">{m.points[p]}</Text>
                <Text className="mine__point-label">{PERIOD_LABELS[p]}</Text>
              </View>
            ))}
          </View>

          <View className="mine__links">
            {[...LINKS, ...consoleTiles(m)].map((l) => (
              <View
                key={l.url}
                className="mine__link"
                data-testid={l.testId}
                onClick={() => void Taro.navigateTo({ url: l.url })}
              >
                <Text>{l.title}</Text>
                <Text className="mine__arrow">›</Text>
              </View>
            ))}
          </View>

          <Settings me={m} onSaved={setSaved} />

          <View className="mine__logout">
            <Button size="large" block onClick={logout} data-testid="logout">
              退出登录
            </Button>
          </View>
        </>
      )}
    </PageContainer>
  );
}
