import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { Transfer } from '@pioneer/shared';
import { useRequest } from '../../hooks/use-request';
import { ApiError } from '../../services/api-error';
import { decideTransfer, getTransfers, withdrawTransfer } from '../../services/org-admin-api';
import { formatTime } from '../../utils/format';

type Verb = 'accept' | 'reject' | 'withdraw';
const WORDS: Record<Verb, { verb: string; done: string }> = {
  accept: { verb: '接收', done: '已接收' },
  reject: { verb: '退回', done: '已退回' },
  withdraw: { verb: '撤回', done: '已撤回' },
};

async function decide(t: Transfer, how: Verb, after: () => Promise<void>) {
  const { verb, done } = WORDS[how];
  const { confirm } = await Taro.showModal({
    title: `${verb}组织关系`,
    content: `确定${verb}${t.userName}（${t.from.name} → ${t.to.name}）吗？`,
    confirmColor: '#C8161D',
  });
  if (!confirm) return;
  try {
    await (how === 'withdraw' ? withdrawTransfer(t.id) : decideTransfer(t.id, how === 'accept'));
    void Taro.showToast({ title: done, icon: 'success' });
  } catch (e) {
    void Taro.showModal({
      title: '未能完成',
      content: e instanceof ApiError ? e.message : '请稍后重试',
      showCancel: false,
    });
  }
  await after();
}

function Row({ t, incoming, after }: { t: Transfer; incoming: boolean; after: () => Promise<void> }) {
  return (
    <View className="members__transfer" data-testid={incoming ? 'transfer-in' : 'transfer-out'} data-name={t.userName}>
      <View className="members__transfer-who">
        <Text className="members__name">{t.userName}</Text>
        <View className="members__facts">
          <Text className="members__meta">
            {t.from.name} → {t.to.name}
          </Text>
          <Text className="members__meta">{formatTime(t.startedAt)}</Text>
        </View>
        {t.reason ? <Text className="members__meta">理由：{t.reason}</Text> : null}
      </View>
      {incoming ? (
        <View className="members__transfer-actions">
          <Button
            type="primary"
            size="large"
            data-testid="transfer-accept"
            onClick={() => void decide(t, 'accept', after)}
          >
            接收
          </Button>
          <Button size="large" data-testid="transfer-reject" onClick={() => void decide(t, 'reject', after)}>
            退回
          </Button>
        </View>
      ) : (
        <View className="members__transfer-actions">
          <Text className="members__badge">待对方接收</Text>
          <Button size="large" data-testid="transfer-withdraw" onClick={() => void decide(t, 'withdraw', after)}>
            撤回
          </Button>
        </View>
      )}
    </View>
  );
}

/** 组织关系转接 waiting around this org: arriving ones to accept or reject, leaving ones to watch or withdraw. */
export default function TransfersPanel({
  orgId,
  version,
  onDecided,
}: {
  orgId: string;
  version: number;
  onDecided: () => void;
}) {
  const list = useRequest(() => getTransfers(orgId), [orgId, version]);
  const after = async () => {
    await list.reload();
    onDecided();
  };
  const incoming = list.data?.incoming ?? [];
  const outgoing = list.data?.outgoing ?? [];
  if (incoming.length === 0 && outgoing.length === 0) return null;
  return (
    <View className="members__card" data-testid="transfers">
      {incoming.length > 0 && <Text className="members__title">待接收的转入（{incoming.length}）</Text>}
      {incoming.map((t) => (
        <Row key={t.id} t={t} incoming after={after} />
      ))}
      {outgoing.length > 0 && <Text className="members__title">已转出、待对方接收（{outgoing.length}）</Text>}
      {outgoing.map((t) => (
        <Row key={t.id} t={t} incoming={false} after={after} />
      ))}
    </View>
  );
}
