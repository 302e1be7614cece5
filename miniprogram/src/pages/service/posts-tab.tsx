import { View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import CategoryChips, { type CategoryFilter } from '../../components/CategoryChips';
import PageContainer from '../../components/PageContainer';
import PostCard from '../../components/PostCard';
import { usePaged } from '../../hooks/use-paged';
import { listPosts } from '../../services/api';
import { go, postUrl } from '../../utils/service-nav';

export interface PostsTabProps {
  category: CategoryFilter;
  onCategory: (c: CategoryFilter) => void;
}

/** Open posts of my branch and the orgs above it, filtered by category; a tap opens the post. */
export default function PostsTab({ category, onCategory }: PostsTabProps) {
  const posts = usePaged((cursor) =>
    listPosts({ category: category === 'all' ? undefined : category, status: 'open' }, cursor),
  );
  return (
    <View data-testid="posts-tab">
      <CategoryChips value={category} onChange={onCategory} />
      <PageContainer
        inline
        loading={posts.loading}
        hasData={posts.loaded}
        error={posts.error}
        onRetry={posts.reload}
        empty={posts.loaded && posts.items.length === 0}
        emptyText={category === 'all' ? '暂无招募中的岗位' : `暂无招募中的“${category}”岗位`}
      >
        {posts.items.map((p) => (
          <PostCard key={p.id} post={p} onOpen={() => go(postUrl(p.id))} />
        ))}
        {!posts.done && posts.loaded && (
          <View className="service__more">
            <Button size="large" block onClick={posts.loadMore} data-testid="posts-more">
              加载更多
            </Button>
          </View>
        )}
      </PageContainer>
    </View>
  );
}
