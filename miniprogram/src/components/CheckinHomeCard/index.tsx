import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { Me } from '@pioneer/shared';
import { DAY_STATUS_LABELS } from '@pioneer/shared/src/checkins';
import { dayKey } from '@pioneer/shared/src/time';
import { useRequest } from '../../hooks/use-request';
import { getMyCheckins } from '../../services/api';
import './index.scss';

export const CHECKIN_PAGES = {
  checkin: '/pages/checkin/index',
  calendar: '/pages/checkin-calendar/index',
  review: '/console/checkin-review/index',
  report: '/console/checkin-report/index',
  fences: '/console/checkin-fences/index',
} as const;

const go = (url: string) => void Taro.navigateTo({ url });

function CadreCard({ me }: { me: Me }) {
  const village = me.postedVillage;
  const month = useRequest(() => getMyCheckins(), [me], !!village?.fence);
  const today = month.data?.days.find((d) => d.day === dayKey(Date.now()));
  const done = !!today && today.status !== 'absent';
  const state = !village
    ? '尚未派驻到村'
    : !village.fence
      ? `${village.name}尚未设置打卡范围`
      : done
        ? `今日${DAY_STATUS_LABELS[today.status]}`
        : '今日未打卡';
  return (
    <View className="checkin-card" data-testid="home-checkin" onClick={() => go(CHECKIN_PAGES.checkin)}>
      <View className="checkin-card__main">
        <Text className="checkin-card__title">驻村打卡</Text>
        <Text className="checkin-card__desc">{village ? `${village.name} · ${state}` : state}</Text>
        {month.data && (
          <Text className="checkin-card__desc">
            本月出勤 {month.data.presentDays} / {month.data.requiredDays} 天
          </Text>
        )}
      </View>
      <Text className={`checkin-card__action${done ? ' checkin-card__action--done' : ''}`}>
        {done ? '已打卡' : '去打卡'}
      </Text>
    </View>
  );
}

/** The 首页 entry to 驻村考勤: a check-in card for cadres, review and report links for secretaries and admins. */
export default function CheckinHomeCard({ me }: { me: Me }) {
  const isCadre = me.roles.includes('cadre');
  const manages = me.roles.includes('secretary') || me.roles.includes('admin');
  if (!isCadre && !manages) return null;
  return (
    <View className="checkin-home">
      {isCadre && <CadreCard me={me} />}
      {manages && (
        <View className="checkin-home__links">
          <View
            className="checkin-home__link"
            data-testid="home-checkin-review"
            onClick={() => go(CHECKIN_PAGES.review)}
          >
            <Text>打卡审核</Text>
          </View>
          <View
            className="checkin-home__link"
            data-testid="home-checkin-report"
            onClick={() => go(CHECKIN_PAGES.report)}
          >
            <Text>考勤报表</Text>
          </View>
          {me.roles.includes('admin') && (
            <View
              className="checkin-home__link"
              data-testid="home-checkin-fences"
              onClick={() => go(CHECKIN_PAGES.fences)}
            >
              <Text>打卡范围</Text>
            </View>
          )}
        </View>
      )}
    </View>
  );
}
