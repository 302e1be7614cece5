import type { ReactNode } from 'react';
import { Text, View } from '@tarojs/components';
import PageContainer from '../../components/PageContainer';
import { useRequest } from '../../hooks/use-request';
import { useSession } from '../../hooks/use-session';
import { useShowCount } from '../../hooks/use-show-count';
import './index.scss';

interface InboxProps<T> {
  /** Loads the list: each time the page shows, and again when `version` changes. */
  load: () => Promise<{ items: T[] }>;
  version?: number;
  emptyText: string;
  /** Above the cards (我的任务's WeChat reminder switch). */
  top?: ReactNode;
  /** One item as its card. */
  children: (item: T) => ReactNode;
}

/**
 * A page of cards the member was sent (消息, 通知公告, 我的任务). Loaded each time the page shows: back from an item,
 * its marks (unread, reported) are fresh.
 */
export default function Inbox<T>({ load, version = 0, emptyText, top, children }: InboxProps<T>) {
  const loggedIn = useSession();
  const shown = useShowCount();
  const list = useRequest(load, [shown, version], loggedIn && shown > 0);
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
        {top}
        {items.length === 0 && <Text className="inbox__empty">{emptyText}</Text>}
        {items.map(children)}
      </View>
    </PageContainer>
  );
}
