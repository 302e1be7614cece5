import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { MemberMessage } from '@pioneer/shared';
import { formatShanghai } from '@pioneer/shared/src/time';
import PageContainer from '../../components/PageContainer';
import { useRequest } from '../../hooks/use-request';
import { useSession } from '../../hooks/use-session';
import { useShowCount } from '../../hooks/use-show-count';
import { getMessages } from '../../services/notices-api';
import '../notices/index.scss';

/** Where a message leads: the notice it is about, or the member's tasks. */
function target(m: MemberMessage): string | null {
  const [kind, id] = m.ref.split(':');
  if (kind === 'notice' && id) return `/pages/notice/index?id=${encodeURIComponent(id)}`;
  if (kind === 'task') return '/pages/tasks/index';
  return null;
}

/** 我的 -> 消息: everything the member was told (reminders, tasks sent, returned, accepted), newest first. */
export default function MessagesPage() {
  const loggedIn = useSession();
  const shown = useShowCount();
  const list = useRequest(getMessages, [shown], loggedIn && shown > 0);
  const items = list.data?.items ?? [];
  return (
    <PageContainer
      loggedIn={loggedIn}
      loading={list.loading && !list.data}
      hasData={!!list.data}
      error={list.error}
      onRetry={list.reload}
    >
      <View className="inbox">
        {items.length === 0 && <Text className="inbox__empty">暂无消息</Text>}
        {items.map((m) => (
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
        ))}
      </View>
    </PageContainer>
  );
}
