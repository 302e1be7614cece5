import type { ReactNode } from 'react';
import Taro from '@tarojs/taro';
import { Image, Text, View } from '@tarojs/components';
import type { ServiceRecord } from '@pioneer/shared';
import { RECORD_STATUS_LABELS } from '@pioneer/shared/src/posts';
import { mediaUrl } from '../../services/media';
import { formatTime } from '../../utils/format';
import { dayLabel, formatHours } from '../../utils/service-format';
import { dayKey } from '@pioneer/shared/src/time';
import './index.scss';

export interface RecordCardProps {
  record: ServiceRecord;
  /** Shows who logged it and on which post (the secretary's queue). */
  showMember?: boolean;
  /** The secretary's 确认 / 退回. */
  children?: ReactNode;
}

/** Photos as thumbnails; a tap opens them full size where the platform can. */
export function Thumbs({ urls }: { urls: string[] }) {
  if (urls.length === 0) return null;
  const all = urls.map(mediaUrl);
  return (
    <View className="record__thumbs">
      {all.map((src) => (
        <Image
          key={src}
          className="record__thumb"
          src={src}
          mode="aspectFill"
          onClick={() => {
            if (typeof Taro.previewImage === 'function') void Taro.previewImage({ urls: all, current: src });
          }}
        />
      ))}
    </View>
  );
}

/** One service record: the day served and hours first, problems solved, what was done, photos, and where its review stands. */
export default function RecordCard({ record: r, showMember, children }: RecordCardProps) {
  return (
    <View className="record" data-testid="record-card" data-record-id={r.id}>
      {showMember && (
        <Text className="record__who">
          {r.userName} · {r.postTitle}
        </Text>
      )}
      <View className="record__head">
        <Text className="record__day" data-testid="record-day">
          {dayLabel(r.servedOn ?? dayKey(r.createdAt))}
        </Text>
        <Text className="record__hours" data-testid="record-hours">{`服务 ${formatHours(r.hours)} 小时`}</Text>
        {r.resolved > 0 && <Text className="record__resolved">{`解决困难 ${r.resolved} 件`}</Text>}
        <Text className={`record__status record__status--${r.status}`} data-testid="record-status">
          {RECORD_STATUS_LABELS[r.status]}
          {r.pointsAwarded !== null && ` +${r.pointsAwarded}分`}
        </Text>
      </View>
      <Text className="record__note">{r.note}</Text>
      <Thumbs urls={r.photoUrls} />
      <Text className="record__time">{`提交于 ${formatTime(r.createdAt)}`}</Text>
      {r.review?.comment && <Text className="record__review">{`${r.review.byName}：${r.review.comment}`}</Text>}
      {children && <View className="record__actions">{children}</View>}
    </View>
  );
}
