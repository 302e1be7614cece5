import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { Me } from '@pioneer/shared';
import { useRequest } from '../../hooks/use-request';
import { getActivities } from '../../services/api';
import { ACTIVITY_PAGES, LEAVE_LABELS, activityWhen, statusLabel, titleWithType } from '../../utils/activity';
import './index.scss';

/** 首页: my branch's next activity (or the one signing in now), with a way to the list. */
export default function ActivityHomeCard({ me }: { me: Me }) {
  const from = new Date(Date.now() - 3 * 3_600_000).toISOString();
  const list = useRequest(() => getActivities({ from }), [me.id], !!me.org);
  if (!me.org) return null;
  const next = (list.data?.items ?? []).find((a) => a.status !== 'closed');
  const mine = next?.mine;
  const manages = me.roles.includes('secretary') || me.roles.includes('admin');
  const state = !next
    ? ''
    : mine?.signedInAt
      ? '已签到'
      : mine?.leave
        ? LEAVE_LABELS[mine.leave.status]
        : statusLabel(next);
  return (
    <View>
      <View
        className="activity-card"
        data-testid="home-activity"
        onClick={() => void Taro.navigateTo({ url: next ? ACTIVITY_PAGES.detail(next.id) : ACTIVITY_PAGES.list })}
      >
        <View className="activity-card__main">
          <Text className="activity-card__title">组织生活</Text>
          {next ? (
            <>
              <Text className="activity-card__desc" data-testid="home-activity-title">
                {titleWithType(next)}
              </Text>
              <Text className="activity-card__desc">
                {activityWhen(next)}
                {next.place ? ` · ${next.place.name}` : ''}
              </Text>
            </>
          ) : (
            <Text className="activity-card__desc">{list.loading ? '加载中…' : '近期没有安排'}</Text>
          )}
        </View>
        <Text
          className={`activity-card__action${next?.status === 'open' && !mine?.signedInAt ? ' activity-card__action--hot' : ''}`}
        >
          {next ? (next.status === 'open' && !mine?.signedInAt ? '去签到' : state) : '查看'}
        </Text>
      </View>
      {manages && (
        <View
          className="activity-card__link"
          data-testid="home-activities"
          onClick={() => void Taro.navigateTo({ url: ACTIVITY_PAGES.list })}
        >
          <Text>组织生活 · 发布活动 · 台账</Text>
        </View>
      )}
    </View>
  );
}
