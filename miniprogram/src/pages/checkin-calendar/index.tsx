import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import type { CheckinItem } from '@pioneer/shared';
import {
  CHECKIN_FLAG_LABELS,
  CHECKIN_STATUS_LABELS,
  nextMonthKey,
  previousMonthKey,
} from '@pioneer/shared/src/checkins';
import { monthKey } from '@pioneer/shared/src/time';
import AttendanceCalendar from '../../components/AttendanceCalendar';
import PageContainer from '../../components/PageContainer';
import { useRequest } from '../../hooks/use-request';
import { usePullRefresh } from '../../hooks/use-pull-refresh';
import { useSession } from '../../hooks/use-session';
import { useShowCount } from '../../hooks/use-show-count';
import { getMyCheckins } from '../../services/api';
import { formatTime } from '../../utils/format';
import { formatDistance } from '../../utils/location';
import './index.scss';

const monthLabel = (month: string) => `${month.slice(0, 4)}年${Number(month.slice(5))}月`;

function ItemRow({ item }: { item: CheckinItem }) {
  return (
    <View className="att__item" data-testid="att-item">
      <View className="att__item-head">
        <Text className="att__item-time">{formatTime(item.at)}</Text>
        <Text className={`att__item-status att__item-status--${item.status}`}>
          {CHECKIN_STATUS_LABELS[item.status]}
        </Text>
      </View>
      <Text className="att__item-line">
        {item.withinFence ? '范围内' : '范围外'} · 距打卡点{formatDistance(item.distanceM)}
      </Text>
      {item.reason && <Text className="att__item-line">外勤说明：{item.reason}</Text>}
      {item.flags.length > 0 && (
        <Text className="att__item-flag">标记：{item.flags.map((f) => CHECKIN_FLAG_LABELS[f]).join('、')}</Text>
      )}
      {item.review && (
        <Text className="att__item-line">
          {item.review.byName}
          {item.review.decision === 'approve' ? '已批准' : '未通过'}
          {item.review.comment ? `：${item.review.comment}` : ''}
        </Text>
      )}
    </View>
  );
}

/** 我的考勤: a month as a calendar, days present against the county's requirement, and every check-in. */
export default function CheckinCalendarPage() {
  const loggedIn = useSession();
  const shown = useShowCount();
  const thisMonth = monthKey(Date.now());
  const [month, setMonth] = useState(thisMonth);
  const data = useRequest(() => getMyCheckins(month), [month, shown], loggedIn && shown > 0);
  usePullRefresh(data.reload);
  const d = data.data?.month === month ? data.data : undefined;

  return (
    <PageContainer loggedIn={loggedIn} loading={data.loading} hasData={!!d} error={data.error} onRetry={data.reload}>
      <View className="att">
        <View className="att__months">
          <Text className="att__nav" data-testid="month-prev" onClick={() => setMonth(previousMonthKey(month))}>
            ‹ 上月
          </Text>
          <Text className="att__month" data-testid="month-label">
            {monthLabel(month)}
          </Text>
          <Text
            className={`att__nav${month >= thisMonth ? ' att__nav--off' : ''}`}
            data-testid="month-next"
            onClick={() => month < thisMonth && setMonth(nextMonthKey(month))}
          >
            下月 ›
          </Text>
        </View>

        {d && (
          <>
            <View className="att__summary" data-testid="att-summary">
              <View className="att__stat">
                <Text className="att__stat-num" data-testid="att-present">
                  {d.presentDays}/{d.requiredDays}
                </Text>
                <Text className="att__stat-label">出勤/应出勤</Text>
              </View>
              <View className="att__stat">
                <Text className="att__stat-num">{d.pendingDays}</Text>
                <Text className="att__stat-label">待审核</Text>
              </View>
              <View className="att__stat">
                <Text className="att__stat-num">{d.flaggedDays}</Text>
                <Text className="att__stat-label">存疑</Text>
              </View>
            </View>

            <View className="att__card">
              <AttendanceCalendar month={d.month} days={d.days} />
            </View>

            <View className="att__card">
              <Text className="att__title">打卡记录</Text>
              {d.items.length === 0 ? (
                <Text className="att__empty">本月没有打卡记录</Text>
              ) : (
                d.items.map((i) => <ItemRow key={i.id} item={i} />)
              )}
            </View>
          </>
        )}
      </View>
    </PageContainer>
  );
}
