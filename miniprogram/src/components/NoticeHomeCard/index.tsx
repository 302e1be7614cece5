import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { Me } from '@pioneer/shared';
import { useRequest } from '../../hooks/use-request';
import { getNoticeBadge } from '../../services/notices-api';
import '../ActivityHomeCard/index.scss';

export const NOTICES_PAGE = '/pages/notices/index';

/** 首页: the way to 通知公告, with the number not yet read (a key read on the server), refreshed with `me`. */
export default function NoticeHomeCard({ me }: { me: Me }) {
  const badge = useRequest(getNoticeBadge, [me], !!me.org);
  if (!me.org) return null;
  const unread = badge.data?.unread ?? 0;
  return (
    <View
      className="activity-card"
      data-testid="home-notices"
      onClick={() => void Taro.navigateTo({ url: NOTICES_PAGE })}
    >
      <View className="activity-card__main">
        <Text className="activity-card__title">通知公告</Text>
        <Text className="activity-card__desc">{unread > 0 ? `您有${unread}条通知未读` : '暂无未读通知'}</Text>
      </View>
      <Text
        className={`activity-card__action${unread > 0 ? ' activity-card__action--hot' : ''}`}
        data-testid="home-notices-badge"
      >
        {unread > 0 ? `${unread}条未读` : '查看'}
      </Text>
    </View>
  );
}
