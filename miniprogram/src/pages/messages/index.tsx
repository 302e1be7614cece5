import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { MemberMessage } from '@pioneer/shared';
import { formatShanghai } from '@pioneer/shared/src/time';
import { getMessages } from '../../services/notices-api';
import Inbox from '../notices/inbox';

/** Where a message leads: the notice, the activity, the member's tasks, 民主评议, 亮身份 (承诺) or 我的考勤. */
function target(m: Pick<MemberMessage, 'ref'>): string | null {
  const [kind, id] = m.ref.split(':');
  if (kind === 'notice' && id) return `/pages/notice/index?id=${encodeURIComponent(id)}`;
  if (kind === 'activity' && id) return `/pages/activity/index?id=${encodeURIComponent(id)}`;
  if (kind === 'task') return '/pages/tasks/index';
  if (kind === 'review') return '/pages/review-vote/index';
  if (kind === 'commitment') return '/pages/identity/index';
  if (kind === 'checkin') return '/pages/checkin-calendar/index';
  return null;
}

/**
 * 我的 -> 消息: everything the member was told (notice reminders, tasks sent, returned, accepted, due tomorrow,
 * activities within the hour, 民主评议 opened or closing, a commitment or check-in reviewed), newest first.
 */
export default function MessagesPage() {
  return (
    <Inbox load={getMessages} emptyText="暂无消息">
      {(m) => (
        <View
          key={m.id}
          className="inbox__card"
          data-testid="message-item"
          onClick={() => {
            const url = target(m);
            if (url) void Taro.navigateTo({ url });
          }}
        >
          <Text className="inbox__title">{m.title}</Text>
          <Text className="inbox__meta">
            {m.text} · {formatShanghai(m.at, 'M月D日 HH:mm')}
          </Text>
        </View>
      )}
    </Inbox>
  );
}
