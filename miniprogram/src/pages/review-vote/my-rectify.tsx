import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { RectifyItem } from '@pioneer/shared';
import { RECTIFY_STATUS_LABELS, RECTIFY_TEXT_MAX } from '@pioneer/shared/src/reviews';
import { formatShanghai } from '@pioneer/shared/src/time';
import TextField from '../../components/TextField';
import { useRequest } from '../../hooks/use-request';
import { ApiError } from '../../services/api-error';
import { getRectifyItems, reportRectifyDone } from '../../services/reviews-api';

function MyItem({
  item,
  branchId,
  year,
  onDone,
}: {
  item: RectifyItem;
  branchId: string;
  year: number;
  onDone: () => void;
}) {
  const [evidence, setEvidence] = useState('');
  const [error, setError] = useState('');
  async function send() {
    if (!evidence.trim()) return setError('请填写整改情况');
    try {
      await reportRectifyDone(branchId, year, item.n, evidence.trim());
      void Taro.showToast({ title: '已提交，等待书记销号', icon: 'none' });
      onDone();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '提交失败，请重试');
    }
  }
  return (
    <View className="review__card" data-testid="my-rectify">
      <Text className="review__name">{item.text}</Text>
      <Text className="review__hint">
        期限 {formatShanghai(item.deadline, 'YYYY-MM-DD')} · {RECTIFY_STATUS_LABELS[item.status]}
        {item.overdue ? ' · 已逾期' : ''}
      </Text>
      {item.status === 'open' && (
        <View>
          <TextField
            label="整改情况"
            value={evidence}
            onChange={setEvidence}
            maxLength={RECTIFY_TEXT_MAX}
            multiline
            testId={`my-rectify-evidence-${item.n}`}
          />
          {error && <Text className="review__error">{error}</Text>}
          <Button
            type="primary"
            size="large"
            block
            onClick={() => void send()}
            data-testid={`my-rectify-done-${item.n}`}
          >
            提交整改情况
          </Button>
        </View>
      )}
    </View>
  );
}

/** The member's own 整改 items of this year in their branch: report each done with what was done. */
export function MyRectify({ branchId, meId }: { branchId: string; meId: string }) {
  const year = new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();
  const [tick, setTick] = useState(0);
  const list = useRequest(() => getRectifyItems(branchId, year), [tick], true);
  const mine = (list.data?.items ?? []).filter((i) => i.owner?.id === meId && i.status !== 'closed');
  if (mine.length === 0) return null;
  return (
    <View>
      <View className="review__card">
        <Text className="review__title">我的整改事项</Text>
      </View>
      {mine.map((i) => (
        <MyItem key={i.n} item={i} branchId={branchId} year={year} onDone={() => setTick((n) => n + 1)} />
      ))}
    </View>
  );
}
