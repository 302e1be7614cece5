import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { Activity, Me } from '@pioneer/shared';
import PageContainer from '../../components/PageContainer';
import ActivityForm from '../../components/ActivityForm';
import { useMe } from '../../hooks/use-me';
import { useRequest } from '../../hooks/use-request';
import { useVillageFence } from '../../hooks/use-village-fence';
import { useWideScreen } from '../../hooks/use-wide-screen';
import { createActivity, getActivities } from '../../services/api';
import { ACTIVITY_PAGES, activityWhen, statusLabel, typeTag } from '../../utils/activity';
import ActivitiesDeskTable from './desk-table';
import './index.scss';

export { placeOf } from '../../components/ActivityForm';

/** Where the branch meets unless told otherwise: its village (or community), else the branch itself. */
export function branchPlace(me: Me | undefined): string | undefined {
  if (!me?.org) return undefined;
  const village = [...me.org.path].reverse().find((o) => o.type === 'village' || o.type === 'community');
  return village?.name ?? me.org.name;
}

/** Coming first (soonest first), then those over (newest first); cancelled ones only to who runs the branch. */
export function splitActivities(items: readonly Activity[]) {
  const live = items.filter((a) => !a.cancelled);
  return {
    coming: live.filter((a) => a.status !== 'closed').sort((x, y) => x.startsAt.localeCompare(y.startsAt)),
    ended: live.filter((a) => a.status === 'closed').sort((x, y) => y.startsAt.localeCompare(x.startsAt)),
    cancelled: items.filter((a) => !!a.cancelled),
  };
}

function ActivityCard({ a, ended }: { a: Activity; ended?: boolean }) {
  return (
    <View
      className={`acts__card${ended ? ' acts__card--ended' : ''}`}
      data-testid="acts-item"
      onClick={() => void Taro.navigateTo({ url: ACTIVITY_PAGES.detail(a.id) })}
    >
      <Text className="acts__type">
        {[typeTag(a), a.cancelled ? '已取消' : statusLabel(a)].filter(Boolean).join(' · ')}
      </Text>
      <Text className="acts__title">{a.title}</Text>
      <Text className="acts__meta">
        {activityWhen(a)}
        {a.place ? ` · ${a.place.name}` : ''}
      </Text>
      {a.cancelled && <Text className="acts__meta">取消原因：{a.cancelled.reason}</Text>}
    </View>
  );
}

/** 组织生活: the branch's activities, recent and coming; the secretary publishes new ones and opens the 台账. */
export default function ActivitiesPage() {
  const me = useMe();
  const m = me.data;
  const list = useRequest(() => getActivities(), [m?.id], !!m);
  const [creating, setCreating] = useState(false);
  const manages = !!m && (m.roles.includes('secretary') || m.roles.includes('admin'));
  // Only those who publish need the fence.
  const village = useVillageFence(manages ? m : undefined);
  const items = list.data?.items ?? [];
  const { coming, ended, cancelled } = splitActivities(items);
  const wide = useWideScreen();
  // The render that first has `me` comes before the list request starts: without this the page flashed its content
  // (and 发布活动) for a moment, then the loading state.
  const listPending = !!m && list.data === undefined && !list.error;

  return (
    <PageContainer
      console={manages ? 'activities' : undefined}
      loggedIn={me.loggedIn}
      loading={me.loading || list.loading || listPending}
      hasData={!!list.data}
      error={me.error ?? list.error}
      onRetry={list.reload}
    >
      <View className="acts">
        {manages && (
          <View className="acts__links">
            <View className="acts__link" data-testid="acts-new" onClick={() => setCreating((c) => !c)}>
              <Text>{creating ? '收起' : '发布活动'}</Text>
            </View>
            <View
              className="acts__link"
              data-testid="acts-records"
              onClick={() => void Taro.navigateTo({ url: ACTIVITY_PAGES.records })}
            >
              <Text>三会一课台账</Text>
            </View>
          </View>
        )}
        {creating && (
          <View className="acts__card">
            <Text className="acts__section">发布活动</Text>
            <ActivityForm
              village={village}
              defaultPlace={branchPlace(m)}
              submitLabel="发布"
              onCancel={() => setCreating(false)}
              onSave={async (values) => {
                const a = await createActivity(values);
                setCreating(false);
                void list.reload();
                void Taro.navigateTo({ url: ACTIVITY_PAGES.manage(a.id) });
              }}
            />
          </View>
        )}
        {items.length === 0 && (
          <Text className="acts__empty" data-testid="acts-empty">
            近期没有组织生活安排
          </Text>
        )}
        {manages && wide ? (
          <ActivitiesDeskTable items={items} />
        ) : (
          <>
            {coming.map((a) => (
              <ActivityCard key={a.id} a={a} />
            ))}
            {ended.length > 0 && (
              <Text className="acts__heading" data-testid="acts-ended">
                已结束
              </Text>
            )}
            {ended.map((a) => (
              <ActivityCard key={a.id} a={a} ended />
            ))}
            {cancelled.length > 0 && <Text className="acts__heading">已取消</Text>}
            {cancelled.map((a) => (
              <ActivityCard key={a.id} a={a} ended />
            ))}
          </>
        )}
      </View>
    </PageContainer>
  );
}
