import type { ReactNode } from 'react';
import { View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import PageContainer from '../../components/PageContainer';
import type { ApiError } from '../../services/api-error';

/** What the tab reads of usePaged's state. */
interface PagedList<T> {
  items: T[];
  loading: boolean;
  loaded: boolean;
  done: boolean;
  error?: ApiError;
  reload: () => unknown;
  loadMore: () => unknown;
}

interface ManagedTabProps<T> {
  /** The button on top that starts a new one (发布岗位, 登记心愿). */
  newLabel: string;
  newTestId: string;
  onNew: () => void;
  list: PagedList<T>;
  emptyText: string;
  /** One item as a card with its buttons. */
  children: (item: T) => ReactNode;
}

/** A tab of what I run (posts, wishes): the new-one button, then my items a page at a time. */
export default function ManagedTab<T>({ newLabel, newTestId, onNew, list, emptyText, children }: ManagedTabProps<T>) {
  return (
    <View>
      <View className="sa__top">
        <Button type="primary" size="xlarge" block onClick={onNew} data-testid={newTestId}>
          {newLabel}
        </Button>
      </View>
      <PageContainer
        inline
        loading={list.loading}
        hasData={list.loaded}
        error={list.error}
        onRetry={list.reload}
        empty={list.loaded && list.items.length === 0}
        emptyText={emptyText}
      >
        {list.items.map(children)}
        {!list.done && list.loaded && (
          <View className="sa__top">
            <Button size="large" block onClick={list.loadMore}>
              加载更多
            </Button>
          </View>
        )}
      </PageContainer>
    </View>
  );
}
