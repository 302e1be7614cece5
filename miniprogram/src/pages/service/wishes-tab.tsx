import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { Wish } from '@pioneer/shared';
import PageContainer from '../../components/PageContainer';
import WishCard from '../../components/WishCard';
import { usePaged } from '../../hooks/use-paged';
import { claimWish, listWishes, releaseWish } from '../../services/api';
import { fulfilWishUrl, go } from '../../utils/service-nav';
import ResidentContact from './resident-contact';

/** What a member can do with a wish: claim an open one; fulfil or give back their own. */
export function WishActions({ wish, onChanged }: { wish: Wish; onChanged: () => void }) {
  const [busy, setBusy] = useState(false);
  const run = async (fn: () => Promise<unknown>, done: string) => {
    setBusy(true);
    try {
      await fn();
      void Taro.showToast({ title: done, icon: 'success' });
      onChanged();
    } catch {
      onChanged(); // the toast said why (taken meanwhile...); show the list as it is now
    } finally {
      setBusy(false);
    }
  };
  const release = async () => {
    const { confirm } = await Taro.showModal({
      title: '取消认领',
      content: '确定不再认领这个心愿吗？',
      confirmColor: '#C8161D',
    });
    if (confirm) await run(() => releaseWish(wish.id), '已取消认领');
  };

  if (wish.status === 'open') {
    return (
      <Button
        type="primary"
        size="large"
        block
        loading={busy}
        onClick={() => void run(() => claimWish(wish.id), '认领成功')}
        data-testid="wish-claim"
      >
        认领心愿
      </Button>
    );
  }
  if (!wish.mine) return null;
  if (wish.status === 'claimed') {
    return (
      <>
        <Button size="large" onClick={() => void release()} disabled={busy} data-testid="wish-release">
          取消认领
        </Button>
        <Button type="primary" size="large" onClick={() => go(fulfilWishUrl(wish.id))} data-testid="wish-fulfil">
          标记完成
        </Button>
      </>
    );
  }
  if (wish.status === 'fulfilled') return <Text className="service__waiting">已提交，等待书记确认</Text>;
  return null;
}

/** 微心愿 of my branch and above: residents' small needs, with the resident's name masked by the server. */
export default function WishesTab() {
  const wishes = usePaged((cursor) => listWishes({}, cursor));
  const shown = wishes.items.filter((w) => w.status !== 'closed');
  return (
    <View data-testid="wishes-tab">
      <PageContainer
        inline
        loading={wishes.loading}
        hasData={wishes.loaded}
        error={wishes.error}
        onRetry={wishes.reload}
        empty={wishes.loaded && shown.length === 0}
        emptyText="暂无微心愿"
      >
        {shown.map((w) => (
          <WishCard
            key={w.id}
            wish={w}
            extra={w.mine && (w.status === 'claimed' || w.status === 'fulfilled') && <ResidentContact wishId={w.id} />}
          >
            <WishActions wish={w} onChanged={() => void wishes.reload()} />
          </WishCard>
        ))}
        {!wishes.done && wishes.loaded && (
          <View className="service__more">
            <Button size="large" block onClick={wishes.loadMore}>
              加载更多
            </Button>
          </View>
        )}
      </PageContainer>
    </View>
  );
}
