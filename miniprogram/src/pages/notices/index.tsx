import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { NoticeListItem } from '@pioneer/shared';
import { formatShanghai } from '@pioneer/shared/src/time';
import PageContainer from '../../components/PageContainer';
import { useRequest } from '../../hooks/use-request';
import { useSession } from '../../hooks/use-session';
import { useShowCount } from '../../hooks/use-show-count';
import { getNotices } from '../../services/notices-api';
import './index.scss';

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
  const loggedIn = useSession();
  // Loaded each time the page shows: back from a notice, its unread mark is gone.
  const shown = useShowCount();
  const list = useRequest(getNotices, [shown], loggedIn && shown > 0);
  const items = list.data?.items ?? [];
  return (
    <PageContainer
      loggedIn={loggedIn}
      loading={list.loading && !list.data}
      hasData={!!list.data}
      error={list.error}
      onRetry={list.reload}
    >
      <View className="inbox">
        {items.length === 0 && <Text className="inbox__empty">暂无通知</Text>}
        {items.map((n) => (
          <NoticeCard key={n.id} n={n} />
        ))}
      </View>
    </PageContainer>
  );
}
