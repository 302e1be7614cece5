import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { NoticeListItem } from '@pioneer/shared';
import { formatShanghai } from '@pioneer/shared/src/time';
import { getNotices } from '../../services/notices-api';
import Inbox from './inbox';

export const noticeUrl = (id: string) => `/pages/notice/index?id=${encodeURIComponent(id)}`;

function NoticeCard({ n }: { n: NoticeListItem }) {
  return (
    <View
      className="inbox__card"
      data-testid="notice-item"
      onClick={() => void Taro.navigateTo({ url: noticeUrl(n.id) })}
    >
      <View className="inbox__head">
        {n.pinned && <Text className="inbox__tag">置顶</Text>}
        <Text className="inbox__title">{n.title}</Text>
        {n.unread && (
          <Text className="inbox__unread" data-testid="notice-unread">
            未读
          </Text>
        )}
      </View>
      <Text className="inbox__meta">
        {n.orgName} · {formatShanghai(n.publishedAt, 'M月D日 HH:mm')}
      </Text>
    </View>
  );
}

/** 通知公告: what the branch and the orgs above sent to me, pinned first, unread marked. */
export default function NoticesPage() {
  return (
    <Inbox load={getNotices} emptyText="暂无通知">
      {(n) => <NoticeCard key={n.id} n={n} />}
    </Inbox>
  );
}
