import type { ReactNode } from 'react';
import { Text, View } from '@tarojs/components';
import type { Wish } from '@pioneer/shared';
import { WISH_STATUS_LABELS } from '@pioneer/shared/src/posts';
import { Thumbs } from '../RecordCard';
import './index.scss';

export interface WishCardProps {
  wish: Wish;
  /** 认领 / 标记完成 / 确认 buttons. */
  children?: ReactNode;
  /** Shown above the buttons, full width: the claimant's 联系群众 box. */
  extra?: ReactNode;
}

/**
 * A micro-wish. The resident's name arrives already masked for members (张*明) and their contact only for the
 * secretary: the card shows what the server sent, nothing more.
 */
export default function WishCard({ wish: w, children, extra }: WishCardProps) {
  return (
    <View className="wish" data-testid="wish-card" data-wish-id={w.id}>
      <View className="wish__head">
        <Text className="wish__title">{w.title}</Text>
        <Text className={`wish__status wish__status--${w.status}`} data-testid="wish-status">
          {WISH_STATUS_LABELS[w.status]}
        </Text>
      </View>
      {w.description && <Text className="wish__desc">{w.description}</Text>}
      <Text className="wish__meta" data-testid="wish-resident">
        {`群众：${w.residentName}${w.residentContact ? ` · ${w.residentContact}` : ''}${w.canManage || w.mine ? '' : '（联系方式仅认领人可见）'}`}
      </Text>
      <Text className="wish__meta">{w.org.name}</Text>
      {w.claimant && <Text className="wish__meta">{w.mine ? '由我认领' : `认领人：${w.claimant.name}`}</Text>}
      {w.fulfilment && (
        <View className="wish__proof">
          <Text className="wish__proof-note">{`完成情况：${w.fulfilment.note}`}</Text>
          <Thumbs urls={w.fulfilment.photoUrls} />
        </View>
      )}
      {w.review?.decision === 'reject' && w.status === 'claimed' && w.review.comment && (
        <Text className="wish__returned">{`书记退回：${w.review.comment}`}</Text>
      )}
      {w.pointsAwarded !== null && w.mine && <Text className="wish__points">{`+${w.pointsAwarded} 积分`}</Text>}
      {extra}
      {children && <View className="wish__actions">{children}</View>}
    </View>
  );
}
