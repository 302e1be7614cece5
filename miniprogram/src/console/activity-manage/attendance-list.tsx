import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { Attendance, Attendee } from '@pioneer/shared';
import { ACTIVITY_RULES } from '@pioneer/shared/src/activities';
import { formatShanghai } from '@pioneer/shared/src/time';
import TextField from '../../components/TextField';
import { addActivityAttendee, reviewActivityLeave } from '../../services/api';

export type Run = (fn: () => Promise<unknown>, done: string) => Promise<void>;

function Row({ p, extra }: { p: Attendee; extra?: JSX.Element }) {
  return (
    <View className="manage__row" data-testid="manage-row" data-user={p.userId}>
      <Text className="manage__name">{p.name || '（未知）'}</Text>
      <Text className="manage__meta">
        {p.at ? formatShanghai(p.at, 'HH:mm') : ''}
        {p.method === 'manual' ? ' 补录' : ''}
        {p.reason ? ` ${p.reason}` : ''}
      </Text>
      {extra}
    </View>
  );
}

/** The live list: who came, leave to decide, who is on leave, and who is missing with 补录 (a reason first). */
export default function AttendanceList({
  id,
  list,
  busy,
  run,
}: {
  id: string;
  list: Attendance;
  busy: boolean;
  run: Run;
}) {
  const [reason, setReason] = useState('');
  return (
    <View className="manage__card manage__list" data-testid="manage-list">
      <Text className="manage__section" data-testid="manage-counts">
        已到 {list.present.length} · 迟到 {list.late.length} · 请假 {list.onLeave.length} · 未到 {list.absent.length}
      </Text>
      {[...list.present, ...list.late].map((p) => (
        <Row key={p.userId} p={p} />
      ))}
      {list.pendingLeave.length > 0 && <Text className="manage__section">请假待批准</Text>}
      {list.pendingLeave.map((p) => (
        <Row
          key={p.userId}
          p={p}
          extra={
            <View className="manage__actions">
              <Button
                size="small"
                disabled={busy}
                onClick={() => void run(() => reviewActivityLeave(id, p.userId, 'refuse'), '已不批准')}
                data-testid="manage-leave-refuse"
              >
                不批准
              </Button>
              <Button
                type="primary"
                size="small"
                disabled={busy}
                onClick={() => void run(() => reviewActivityLeave(id, p.userId, 'approve'), '已批准请假')}
                data-testid="manage-leave-approve"
              >
                批准
              </Button>
            </View>
          }
        />
      ))}
      {list.onLeave.length > 0 && <Text className="manage__section">已请假</Text>}
      {list.onLeave.map((p) => (
        <Row key={p.userId} p={p} />
      ))}
      {list.absent.length > 0 && <Text className="manage__section">未到（可补录）</Text>}
      {list.absent.length > 0 && (
        <TextField
          label="补录原因"
          value={reason}
          onChange={setReason}
          maxLength={ACTIVITY_RULES.reasonMax}
          placeholder="例如：手机没电，已在纸质签到表签名"
          testId="manage-reason"
        />
      )}
      {list.absent.map((p) => (
        <Row
          key={p.userId}
          p={p}
          extra={
            <Button
              size="small"
              disabled={busy || !reason.trim()}
              onClick={() =>
                void run(() => addActivityAttendee(id, { userId: p.userId, reason: reason.trim() }), '已补录')
              }
              data-testid="manage-add"
            >
              补录
            </Button>
          }
        />
      ))}
    </View>
  );
}
