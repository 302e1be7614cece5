import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { LifeMeetingView } from '@pioneer/shared';
import { LIFE_CHECK_MAX } from '@pioneer/shared/src/schemas/life-meeting';
import { formatShanghai } from '@pioneer/shared/src/time';
import TextField from '../../components/TextField';
import { useRequest } from '../../hooks/use-request';
import { ApiError } from '../../services/api-error';
import { getLifeMeeting, submitLifeCheck } from '../../services/life-api';

const thisYear = () => new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();
/** No meeting this year is a 404: nothing to show, not an error. */
const orNull = async <T,>(p: Promise<T>) =>
  p.catch((e: unknown) => {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  });

function CheckForm({ view, onSent }: { view: LifeMeetingView; onSent: () => void }) {
  const [text, setText] = useState(view.mine?.text ?? '');
  const [error, setError] = useState('');
  async function send() {
    if (!text.trim()) return setError('请填写对照检查材料');
    setError('');
    try {
      await submitLifeCheck(view.branchId, view.year, text.trim());
      void Taro.showToast({ title: '已提交对照检查', icon: 'none' });
      onSent();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '提交失败，请重试');
    }
  }
  const held = view.meeting?.held === true;
  return (
    <View className="review__card" data-testid="my-life">
      <Text className="review__title">{view.year}年度组织生活会 · 对照检查</Text>
      <Text className="review__hint">对照以下主题查找问题、剖析原因、明确措施：</Text>
      {view.topics.map((t, i) => (
        <Text className="review__hint" key={t}>
          {i + 1}. {t}
        </Text>
      ))}
      {view.meeting && (
        <Text className="review__hint">
          会议时间：{formatShanghai(view.meeting.startsAt, 'YYYY-MM-DD HH:mm')}
          {held ? '（已召开）' : ''}
        </Text>
      )}
      <Text className="review__hint" data-testid="my-life-state">
        {view.mine?.submittedAt
          ? `已于${formatShanghai(view.mine.submittedAt, 'MM-DD HH:mm')}提交${held ? '' : '，会前可修改'}`
          : held
            ? '会议已召开，未提交对照检查'
            : '尚未提交，请在会前提交'}
      </Text>
      {!held && (
        <View>
          <TextField
            label="对照检查材料"
            value={text}
            onChange={setText}
            maxLength={LIFE_CHECK_MAX}
            multiline
            testId="my-life-text"
          />
          {error && (
            <Text className="form-error" data-testid="my-life-error">
              {error}
            </Text>
          )}
          <Button type="primary" size="large" block onClick={() => void send()} data-testid="my-life-send">
            {view.mine?.submittedAt ? '更新对照检查' : '提交对照检查'}
          </Button>
        </View>
      )}
    </View>
  );
}

/** A member's 对照检查 for the branch's 组织生活会 of the year, when the secretary has arranged one. */
export function MyLifeCheck({ branchId }: { branchId: string }) {
  const [tick, setTick] = useState(0);
  const year = thisYear();
  const view = useRequest(() => orNull(getLifeMeeting(branchId, year)), [branchId, tick], true);
  if (!view.data || !view.data.mine) return null;
  // Keyed by what was last saved: the form starts again from the stored text once the reload brings it.
  return <CheckForm key={view.data.mine.submittedAt ?? 'new'} view={view.data} onSent={() => setTick((n) => n + 1)} />;
}
