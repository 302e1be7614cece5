import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import PageContainer from '../../components/PageContainer';
import PostCard from '../../components/PostCard';
import RecordCard from '../../components/RecordCard';
import WishCard from '../../components/WishCard';
import { useRequest } from '../../hooks/use-request';
import { getMyClaims, listWishes } from '../../services/api';
import { formatHours } from '../../utils/service-format';
import { go, logServiceUrl, postUrl } from '../../utils/service-nav';
import ResidentContact from './resident-contact';
import { WishActions } from './wishes-tab';

/**
 * 我的认领: each post I hold a seat on, a button to log service, and the service I logged with its review; then the
 * wishes I claimed and have not seen through yet (to do, or waiting for the secretary), with the resident's contact.
 */
export default function MineTab() {
  const claims = useRequest(getMyClaims, []);
  const wishes = useRequest(() => listWishes({ mine: 'true' }), []);
  const items = claims.data?.items ?? [];
  const myWishes = (wishes.data?.items ?? []).filter((w) => w.status === 'claimed' || w.status === 'fulfilled');
  return (
    <View data-testid="mine-tab">
      <PageContainer
        inline
        loading={claims.loading}
        hasData={!!claims.data}
        error={claims.error}
        onRetry={claims.reload}
        empty={!!claims.data && items.length === 0 && myWishes.length === 0}
        emptyText="还没有认领岗位或心愿，去“公益岗位”“微心愿”看看吧"
      >
        {items.map((c) => (
          <View key={c.id} className="service__claim" data-testid="my-claim">
            <PostCard post={c.post} onOpen={() => go(postUrl(c.postId))}>
              <Button type="primary" size="large" onClick={() => go(logServiceUrl(c.id))} data-testid="log-service">
                记录服务
              </Button>
            </PostCard>
            <View className="service__records">
              <Text className="service__records-title">
                {`我的服务记录 · 已确认 ${formatHours(c.hours)} 小时`}
                {c.resolved > 0 ? ` · 解决 ${c.resolved} 件` : ''}
              </Text>
              {c.records.length === 0 ? (
                <Text className="service__none">还没有记录，服务后点“记录服务”</Text>
              ) : (
                c.records.map((r) => <RecordCard key={r.id} record={r} />)
              )}
            </View>
          </View>
        ))}
        {myWishes.length > 0 && <Text className="service__records-title">我认领的心愿</Text>}
        {myWishes.map((w) => (
          <View key={w.id} data-testid="my-wish">
            <WishCard wish={w} extra={<ResidentContact wishId={w.id} />}>
              <WishActions wish={w} onChanged={() => void wishes.reload()} />
            </WishCard>
          </View>
        ))}
      </PageContainer>
    </View>
  );
}
