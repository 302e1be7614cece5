import { View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import PageContainer from '../../components/PageContainer';
import WishCard from '../../components/WishCard';
import { usePaged } from '../../hooks/use-paged';
import { listWishes } from '../../services/api';
import { go, wishEditUrl } from '../../utils/service-nav';

/** The wishes I entered (residents' names and contacts in full, for me only); edit or close them. */
export default function WishesAdminTab() {
  const wishes = usePaged((cursor) => listWishes({ managed: 'true' }, cursor));
  return (
    <View>
      <View className="sa__top">
        <Button type="primary" size="xlarge" block onClick={() => go(wishEditUrl())} data-testid="sa-new-wish">
          登记心愿
        </Button>
      </View>
      <PageContainer
        inline
        loading={wishes.loading}
        hasData={wishes.loaded}
        error={wishes.error}
        onRetry={wishes.reload}
        empty={wishes.loaded && wishes.items.length === 0}
        emptyText="还没有登记微心愿"
      >
        {wishes.items.map((w) => (
          <WishCard key={w.id} wish={w}>
            {(w.status === 'open' || w.status === 'claimed' || w.status === 'closed') && (
              <Button size="large" onClick={() => go(wishEditUrl(w.id))} data-testid="sa-wish-edit">
                编辑
              </Button>
            )}
          </WishCard>
        ))}
        {!wishes.done && wishes.loaded && (
          <View className="sa__top">
            <Button size="large" block onClick={wishes.loadMore}>
              加载更多
            </Button>
          </View>
        )}
      </PageContainer>
    </View>
  );
}
