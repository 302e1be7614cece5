import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { Activity, ActivityType } from '@pioneer/shared';
import { ACTIVITY_TYPES, ACTIVITY_TYPE_LABELS } from '@pioneer/shared/src/activities';
import DataTable, { type Column } from '../../components/DataTable';
import Segmented from '../../components/Segmented';
import { ACTIVITY_PAGES, activityWhen, statusLabel, typeLabel } from '../../utils/activity';

type Shown = 'coming' | 'ended' | 'cancelled';

const go = (url: string) => void Taro.navigateTo({ url });

const COLUMNS: readonly Column<Activity>[] = [
  { key: 'when', title: '时间', render: (a) => activityWhen(a), sortBy: (a) => a.startsAt },
  { key: 'type', title: '类型', render: (a) => typeLabel(a), sortBy: (a) => a.type },
  { key: 'title', title: '标题', render: (a) => a.title, sortBy: (a) => a.title },
  { key: 'place', title: '地点', render: (a) => a.place?.name ?? '—' },
  { key: 'status', title: '状态', render: (a) => (a.cancelled ? '已取消' : statusLabel(a)) },
  {
    key: 'signed',
    title: '签到',
    numeric: true,
    render: (a) => `${a.signedInCount} / ${a.expectedCount}`,
    sortBy: (a) => (a.expectedCount ? a.signedInCount / a.expectedCount : 0),
  },
  {
    key: 'actions',
    title: '操作',
    render: (a) => (
      <View className="acts-desk__actions">
        {!a.cancelled && (
          <Text
            className="acts-desk__action"
            data-testid="acts-desk-manage"
            onClick={() => go(ACTIVITY_PAGES.manage(a.id))}
          >
            {a.status === 'planned' ? '管理 · 修改' : '签到管理'}
          </Text>
        )}
        <Text className="acts-desk__action" onClick={() => go(ACTIVITY_PAGES.detail(a.id))}>
          详情
        </Text>
      </View>
    ),
  },
];

/** 组织生活 at a secretary's desk: 即将开始 / 已结束 / 已取消 and the type as filters in a row, a sortable table. */
export default function ActivitiesDeskTable({ items }: { items: readonly Activity[] }) {
  const [shown, setShown] = useState<Shown>('coming');
  const [type, setType] = useState<ActivityType | 'all'>('all');
  const inTab = (a: Activity) =>
    shown === 'cancelled' ? !!a.cancelled : !a.cancelled && (a.status === 'closed') === (shown === 'ended');
  const rows = items
    .filter((a) => inTab(a) && (type === 'all' || a.type === type))
    .sort((x, y) => (shown === 'coming' ? x.startsAt.localeCompare(y.startsAt) : y.startsAt.localeCompare(x.startsAt)));
  const count = (s: Shown) =>
    items.filter((a) =>
      s === 'cancelled' ? !!a.cancelled : !a.cancelled && (a.status === 'closed') === (s === 'ended'),
    ).length;
  return (
    <View className="acts-desk">
      <View className="acts-desk__filters">
        <Segmented<Shown>
          options={[
            { value: 'coming', label: `即将开始 ${count('coming')}`, testId: 'acts-tab-coming' },
            { value: 'ended', label: `已结束 ${count('ended')}`, testId: 'acts-tab-ended' },
            { value: 'cancelled', label: `已取消 ${count('cancelled')}`, testId: 'acts-tab-cancelled' },
          ]}
          value={shown}
          onChange={setShown}
          label="活动状态"
        />
        <Segmented<ActivityType | 'all'>
          options={[
            { value: 'all', label: '全部类型' },
            ...ACTIVITY_TYPES.map((t) => ({ value: t, label: ACTIVITY_TYPE_LABELS[t], testId: `acts-filter-${t}` })),
          ]}
          value={type}
          onChange={setType}
          label="活动类型"
        />
      </View>
      {rows.length === 0 ? (
        <Text className="acts__empty">没有符合条件的活动</Text>
      ) : (
        <DataTable rows={rows} columns={COLUMNS} rowKey={(a) => a.id} testId="acts-table" />
      )}
    </View>
  );
}
