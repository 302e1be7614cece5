import { View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import PageContainer from '../../components/PageContainer';
import PostCard from '../../components/PostCard';
import { usePaged } from '../../hooks/use-paged';
import { listPosts } from '../../services/api';
import { go, postEditUrl, postSeatsUrl, postUrl } from '../../utils/service-nav';

/** The posts I run: publish a new one, edit or close one, see who holds its seats. */
export default function PostsAdminTab() {
  const posts = usePaged((cursor) => listPosts({ managed: 'true' }, cursor));
  return (
    <View>
      <View className="sa__top">
        <Button type="primary" size="xlarge" block onClick={() => go(postEditUrl())} data-testid="sa-new-post">
          发布岗位
        </Button>
      </View>
      <PageContainer
        inline
        loading={posts.loading}
        hasData={posts.loaded}
        error={posts.error}
        onRetry={posts.reload}
        empty={posts.loaded && posts.items.length === 0}
        emptyText="还没有发布岗位"
      >
        {posts.items.map((p) => (
          <PostCard key={p.id} post={p} onOpen={() => go(postUrl(p.id))}>
            <Button size="large" onClick={() => go(postSeatsUrl(p.id))} data-testid="sa-post-seats">
              {`认领人员（${p.taken}）`}
            </Button>
            <Button size="large" onClick={() => go(postEditUrl(p.id))} data-testid="sa-post-edit">
              编辑
            </Button>
          </PostCard>
        ))}
        {!posts.done && posts.loaded && (
          <View className="sa__top">
            <Button size="large" block onClick={posts.loadMore}>
              加载更多
            </Button>
          </View>
        )}
      </PageContainer>
    </View>
  );
}
