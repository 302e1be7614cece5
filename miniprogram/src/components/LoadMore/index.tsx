import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import './index.scss';

/** What the foot needs of a paged list (usePaged's state). */
export interface PagedFoot {
  done: boolean;
  loading: boolean;
  error?: unknown;
  loadMore: () => void;
}

/** The foot of a paged list: 加载更多 (after a failure: retry) until the last page, then 没有更多了. */
export default function LoadMore({ page, testId = 'load-more' }: { page: PagedFoot; testId?: string }) {
  return (
    <View className="load-more">
      {page.done ? (
        <Text className="load-more__end">没有更多了</Text>
      ) : (
        <Button size="large" block loading={page.loading} onClick={page.loadMore} data-testid={testId}>
          {page.error ? '加载失败，点此重试' : '加载更多'}
        </Button>
      )}
    </View>
  );
}
