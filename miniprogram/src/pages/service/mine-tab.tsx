import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import PageContainer from '../../components/PageContainer';
import PostCard from '../../components/PostCard';
import RecordCard from '../../components/RecordCard';
import { useRequest } from '../../hooks/use-request';
import { getMyClaims } from '../../services/api';
import { formatHours } from '../../utils/service-format';
import { go, logServiceUrl, postUrl } from '../../utils/service-nav';

/** 我的认领: each post I hold a seat on, a button to log service, and the service I logged with its review. */
export default function MineTab() {
  const claims = useRequest(getMyClaims, []);
  const items = claims.data?.items ?? [];
  return (
    <View data-testid="mine-tab">
      <PageContainer
        inline
        loading={claims.loading}
        hasData={!!claims.data}
        error={claims.error}
        onRetry={claims.reload}
        empty={!!claims.data && items.length === 0}
        emptyText="还没有认领岗位，去“公益岗位”看看吧"
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
      </PageContainer>
    </View>
  );
}
