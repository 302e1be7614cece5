import { useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { Post } from '@pioneer/shared';
import { POST_STATUS_LABELS } from '@pioneer/shared/src/posts';
import PageContainer from '../../components/PageContainer';
import { useRequest } from '../../hooks/use-request';
import { useSession } from '../../hooks/use-session';
import { useShowCount } from '../../hooks/use-show-count';
import { claimPost, getPost, releasePost } from '../../services/api';
import { queryValue } from '../../utils/quiz-nav';
import { formatHours, postWindow } from '../../utils/service-format';
import { go, logServiceUrl, postEditUrl, postSeatsUrl } from '../../utils/service-nav';
import './index.scss';

/** The member's buttons: claim while seats are left; once held, log service or give the seat back. */
function Actions({ post, onChanged }: { post: Post; onChanged: () => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  const held = post.myClaim?.status === 'active';

  async function act(fn: () => Promise<unknown>, done: string) {
    setBusy(true);
    try {
      await fn();
      void Taro.showToast({ title: done, icon: 'success' });
    } catch {
      // request() already showed the server's reason (满员, 已关闭...).
    } finally {
      setBusy(false);
      await onChanged();
    }
  }
  async function release() {
    const { confirm } = await Taro.showModal({
      title: '取消认领',
      content: '取消后名额将让给其他党员，确定吗？',
      confirmColor: '#C8161D',
    });
    if (confirm) await act(() => releasePost(post.id), '已取消认领');
  }

  if (held) {
    return (
      <View className="post__actions">
        <Text className="post__held" data-testid="post-held">
          ✓ 您已认领此岗位
        </Text>
        <Button
          type="primary"
          size="xlarge"
          block
          onClick={() => go(logServiceUrl(post.myClaim!.id))}
          data-testid="post-log-service"
        >
          记录服务
        </Button>
        <View className="post__gap" />
        <Button size="large" block disabled={busy} onClick={() => void release()} data-testid="post-release">
          取消认领
        </Button>
      </View>
    );
  }
  if (post.myClaim?.status === 'removed')
    return <Text className="post__note">书记已将您移出该岗位，如需重新认领请联系书记</Text>;
  const why = post.status === 'closed' ? '该岗位已结束' : post.seatsLeft === 0 ? '名额已满' : null;
  return (
    <View className="post__actions">
      <Button
        type="primary"
        size="xlarge"
        block
        disabled={!!why}
        loading={busy}
        onClick={() => void act(() => claimPost(post.id), '认领成功')}
        data-testid="post-claim"
      >
        {why ?? '认领岗位'}
      </Button>
    </View>
  );
}

export default function PostDetail() {
  const loggedIn = useSession();
  const shown = useShowCount();
  const id = queryValue(useRouter().params.id) ?? '';
  const post = useRequest(() => getPost(id), [id, shown], loggedIn && shown > 0 && !!id);
  const p = post.data;
  const span = p ? postWindow(p) : null;

  return (
    <PageContainer
      className="post"
      loggedIn={loggedIn}
      loading={post.loading}
      hasData={!!p}
      error={post.error}
      onRetry={post.reload}
    >
      {p && (
        <>
          <View className="post__card">
            <View className="post__head">
              <Text className="post__cat">{p.category}</Text>
              <Text className={`post__status post__status--${p.status}`}>{POST_STATUS_LABELS[p.status]}</Text>
            </View>
            <Text className="post__title" data-testid="post-title">
              {p.title}
            </Text>
            <Text className="post__org">{p.org.name}</Text>
            {span && <Text className="post__org">{`时间：${span}`}</Text>}
            <View className="post__stats">
              <View className="post__stat">
                <Text className="post__num post__num--red" data-testid="post-detail-seats">
                  {p.seatsLeft}
                </Text>
                <Text className="post__unit">{`剩余名额（共${p.capacity}）`}</Text>
              </View>
              <View className="post__stat">
                <Text className="post__num">{formatHours(p.serviceHours)}</Text>
                <Text className="post__unit">服务小时</Text>
              </View>
              <View className="post__stat">
                <Text className="post__num">{p.resolved}</Text>
                <Text className="post__unit">解决困难</Text>
              </View>
            </View>
          </View>

          <View className="post__card">
            <Text className="post__section">岗位说明</Text>
            <Text className="post__desc">{p.description}</Text>
            {p.skills.length > 0 && (
              <View className="post__skills">
                {p.skills.map((s) => (
                  <Text key={s} className="post__skill">
                    {s}
                  </Text>
                ))}
              </View>
            )}
          </View>

          <Actions post={p} onChanged={post.reload} />

          {p.canManage && (
            <View className="post__manage">
              <Button size="large" onClick={() => go(postSeatsUrl(p.id))} data-testid="post-seats-link">
                {`认领人员（${p.taken}）`}
              </Button>
              <Button size="large" onClick={() => go(postEditUrl(p.id))} data-testid="post-edit-link">
                编辑岗位
              </Button>
            </View>
          )}
        </>
      )}
    </PageContainer>
  );
}
