import { useEffect, useState } from 'react';
import { Text, View } from '@tarojs/components';
import { formatShanghai } from '@pioneer/shared/src/time';
import {
  flushQueue,
  onQueueChange,
  queuedWrites,
  startOfflineSync,
  QUEUE_KIND_LABELS,
  type QueuedWrite,
} from '../../services/offline-queue';
import './index.scss';

/** What waits to be sent (离线待发送); hidden when nothing does. Tapping it tries now. */
export default function OfflineQueue() {
  const [items, setItems] = useState<QueuedWrite[]>(queuedWrites);
  useEffect(() => {
    startOfflineSync();
    setItems(queuedWrites());
    return onQueueChange(setItems);
  }, []);
  if (items.length === 0) return null;
  return (
    <View className="offline-queue" data-testid="offline-queue" onClick={() => void flushQueue()}>
      <Text className="offline-queue__title">网络恢复后自动提交（{items.length}条待发送）</Text>
      {items.map((i) => (
        <Text key={i.id} className="offline-queue__item" data-testid="offline-queue-item">
          {QUEUE_KIND_LABELS[i.kind]} · {i.label || formatShanghai(i.queuedAt, 'M月D日 HH:mm')}
        </Text>
      ))}
    </View>
  );
}
