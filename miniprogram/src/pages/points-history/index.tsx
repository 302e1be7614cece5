import { useReachBottom } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { LedgerItem } from '@pioneer/shared';
import LoadMore from '../../components/LoadMore';
import PageContainer from '../../components/PageContainer';
import { usePaged } from '../../hooks/use-paged';
import { usePullRefresh } from '../../hooks/use-pull-refresh';
import { useSession } from '../../hooks/use-session';
import { getLedger } from '../../services/api';
import { formatDelta, formatTime, reasonLabel } from '../../utils/format';
import './index.scss';

function Row({ item }: { item: LedgerItem }) {
  return (
    <View className="ledger__row" data-testid="ledger-row">
      <View className="ledger__main">
        <Text className="ledger__reason">{reasonLabel(item.reason)}</Text>
        {item.note ? <Text className="ledger__note">{item.note}</Text> : null}
        <Text className="ledger__time">{formatTime(item.at)}</Text>
      </View>
      <Text className={`ledger__delta${item.delta < 0 ? ' ledger__delta--minus' : ''}`}>{formatDelta(item.delta)}</Text>
    </View>
  );
}

export default function PointsHistory() {
  const loggedIn = useSession();
  const ledger = usePaged(getLedger, loggedIn);
  usePullRefresh(ledger.reload);
  useReachBottom(ledger.loadMore);

  const firstLoad = !ledger.loaded;
  return (
    <PageContainer
      loggedIn={loggedIn}
      loading={ledger.loading}
      hasData={!firstLoad}
      error={firstLoad ? ledger.error : undefined}
      empty={ledger.loaded && ledger.items.length === 0}
      emptyText="还没有积分记录，去答题或参加服务吧"
      onRetry={ledger.reload}
    >
      <View className="ledger">
        {ledger.items.map((item) => (
          <Row key={item.id} item={item} />
        ))}
      </View>
      <LoadMore page={ledger} />
    </PageContainer>
  );
}
