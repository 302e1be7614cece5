import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { Activity, Me } from '@pioneer/shared';
import { ACTIVITY_RULES } from '@pioneer/shared/src/activities';
import ActivityForm from '../../components/ActivityForm';
import TextField from '../../components/TextField';
import { useVillageFence } from '../../hooks/use-village-fence';
import { ApiError } from '../../services/api-error';
import { cancelActivity, patchActivity } from '../../services/api';

/** The server's rule (activity-edit.service.ts): a published activity is corrected or cancelled before it starts. */
export const canChange = (a: Activity, now = Date.now()) => !a.cancelled && Date.parse(a.startsAt) > now;

/**
 * 修改活动 / 取消活动 on 签到管理, offered only before the activity starts. Cancelling asks for the reason in a panel
 * of its own (at a desk it sits in the left column, not a full-width phone sheet); members are not told yet.
 */
export default function EditPanel({ a, me, onChanged }: { a: Activity; me: Me | undefined; onChanged: () => void }) {
  const village = useVillageFence(me);
  const [mode, setMode] = useState<'idle' | 'edit' | 'cancel'>('idle');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  async function cancel() {
    setBusy(true);
    setError('');
    try {
      await cancelActivity(a.id, reason.trim());
      setMode('idle');
      onChanged();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '取消失败，请重试');
    } finally {
      setBusy(false);
    }
  }

  if (mode === 'edit')
    return (
      <View className="manage__card" data-testid="manage-edit">
        <Text className="manage__section">修改活动</Text>
        <ActivityForm
          village={village}
          initial={a}
          submitLabel="保存修改"
          onCancel={() => setMode('idle')}
          onSave={async ({ title, topic, startsAt, endsAt, place }) => {
            await patchActivity(a.id, { title, topic: topic ?? '', startsAt, endsAt, place: place ?? null });
            setMode('idle');
            onChanged();
          }}
        />
      </View>
    );

  return (
    <View className="manage__card" data-testid="manage-change">
      <Text className="manage__meta">活动开始前可以修改时间、地点、标题，或取消活动。</Text>
      {mode === 'cancel' ? (
        <View className="manage__dialog" role="dialog" aria-label="取消活动" data-testid="manage-cancel-dialog">
          <Text className="manage__section">取消“{a.title}”？</Text>
          <TextField
            label="取消原因"
            value={reason}
            onChange={setReason}
            maxLength={ACTIVITY_RULES.reasonMax}
            placeholder="例如：与镇里会议冲突，另行通知"
            testId="manage-cancel-reason"
          />
          <Text className="manage__meta">取消后党员不再看到这次活动，台账不计入；取消记入操作记录。</Text>
          {error && <Text className="manage__error">{error}</Text>}
          <View className="manage__dialog-buttons">
            <Button size="large" disabled={busy} onClick={() => setMode('idle')}>
              不取消
            </Button>
            <Button
              type="danger"
              size="large"
              disabled={busy || !reason.trim()}
              onClick={() => void cancel()}
              data-testid="manage-cancel-confirm"
            >
              确认取消活动
            </Button>
          </View>
        </View>
      ) : (
        <View className="manage__dialog-buttons">
          <Button size="large" onClick={() => setMode('edit')} data-testid="manage-edit-open">
            修改活动
          </Button>
          <Button size="large" onClick={() => setMode('cancel')} data-testid="manage-cancel-open">
            取消活动
          </Button>
        </View>
      )}
    </View>
  );
}
