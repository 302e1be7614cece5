import { Button } from '@nutui/nutui-react-taro';
import PostCard from '../../components/PostCard';
import { usePaged } from '../../hooks/use-paged';
import { listPosts } from '../../services/api';
import { go, postEditUrl, postSeatsUrl, postUrl } from '../../utils/service-nav';
import ManagedTab from './managed-tab';

/** The posts I run: publish a new one, edit or close one, see who holds its seats. */
export default function PostsAdminTab() {
  const posts = usePaged((cursor) => listPosts({ managed: 'true' }, cursor));
  return (
    <ManagedTab
      newLabel="发布岗位"
      newTestId="sa-new-post"
      onNew={() => go(postEditUrl())}
      list={posts}
      emptyText="还没有发布岗位"
    >
      {(p) => (
        <PostCard key={p.id} post={p} onOpen={() => go(postUrl(p.id))}>
          <Button size="large" onClick={() => go(postSeatsUrl(p.id))} data-testid="sa-post-seats">
            {`认领人员（${p.taken}）`}
          </Button>
          <Button size="large" onClick={() => go(postEditUrl(p.id))} data-testid="sa-post-edit">
            编辑
          </Button>
        </PostCard>
      )}
    </ManagedTab>
  );
}
