import type { ReactNode } from 'react';
import { Text, View } from '@tarojs/components';
import type { Post } from '@pioneer/shared';
import { formatHours } from '../../utils/service-format';
import './index.scss';

export interface PostCardProps {
  post: Post;
  onOpen?: () => void;
  /** Buttons under the figures (the secretary's 编辑 / 认领人员). */
  children?: ReactNode;
}

function badge(post: Post): { text: string; tone: 'mine' | 'closed' | 'full' } | null {
  if (post.myClaim?.status === 'active') return { text: '我已认领', tone: 'mine' };
  if (post.status === 'closed') return { text: '已结束', tone: 'closed' };
  if (post.seatsLeft === 0) return { text: '已满员', tone: 'full' };
  return null;
}

/** A public-welfare post as a card: what it is, whose it is, seats left, and the service it has seen. */
export default function PostCard({ post, onOpen, children }: PostCardProps) {
  const b = badge(post);
  return (
    <View className="post-card" data-testid="post-card" data-post-id={post.id}>
      <View className="post-card__main" onClick={onOpen}>
        <View className="post-card__head">
          <Text className="post-card__cat">{post.category}</Text>
          {b && <Text className={`post-card__badge post-card__badge--${b.tone}`}>{b.text}</Text>}
        </View>
        <Text className="post-card__title" data-testid="post-card-title">
          {post.title}
        </Text>
        <Text className="post-card__org">{post.org.name}</Text>
        <View className="post-card__stats">
          <View className="post-card__stat">
            <Text
              className={`post-card__num${post.status === 'open' ? ' post-card__num--seats' : ''}`}
              data-testid="post-seats-left"
            >
              {post.seatsLeft}
            </Text>
            <Text className="post-card__unit">剩余名额 / 共{post.capacity}</Text>
          </View>
          <View className="post-card__stat">
            <Text className="post-card__num">{formatHours(post.serviceHours)}</Text>
            <Text className="post-card__unit">服务小时</Text>
          </View>
          <View className="post-card__stat">
            <Text className="post-card__num">{post.resolved}</Text>
            <Text className="post-card__unit">解决困难</Text>
          </View>
        </View>
      </View>
      {children && <View className="post-card__actions">{children}</View>}
    </View>
  );
}
