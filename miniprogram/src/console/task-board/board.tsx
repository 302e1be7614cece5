import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Image, Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { formatShanghai, TASK_STATE_LABELS, type TaskReceiverRow, type TaskState } from '@pioneer/shared';
import TextField from '../../components/TextField';
import { useRequest } from '../../hooks/use-request';
import { ApiError } from '../../services/api-error';
import { downloadFile } from '../../services/download';
import { mediaUrl } from '../../services/media';
import { acceptTask, getTaskBoard, returnTask, taskXlsxUrl } from '../../services/notices-api';

const message = (e: unknown) => (e instanceof ApiError ? e.message : '操作失败，请重试');
const STATES: TaskState[] = ['overdue', 'returned', 'todo', 'reported', 'accepted'];

/** One receiver: its state, what it reported, and 验收 / 退回 while a report waits. */
function Row({ taskId, r, onDone }: { taskId: string; r: TaskReceiverRow; onDone: () => void }) {
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  async function act(what: () => Promise<unknown>, done: string) {
    setBusy(true);
    try {
      await what();
      void Taro.showToast({ title: done, icon: 'none' });
      onDone();
    } catch (e) {
      void Taro.showToast({ title: message(e), icon: 'none' });
    } finally {
      setBusy(false);
    }
  }
  return (
    <View className="inbox__row" data-testid="board-row">
      <View className="inbox__head">
        <Text className="inbox__title">{r.receiverName}</Text>
        <Text className={`inbox__state inbox__state--${r.state}`} data-testid="board-state">
          {TASK_STATE_LABELS[r.state]}
        </Text>
      </View>
      {r.report && (
        <Text className="inbox__text">
          {r.reporterName} {r.reportedAt ? formatShanghai(r.reportedAt, 'M月D日 HH:mm') : ''}
          {r.late ? '（逾期上报）' : ''}：{r.report.text}
        </Text>
      )}
      {r.report && r.report.photoUrls.length > 0 && (
        <View>
          {r.report.photoUrls.map((u) => (
            <Image
              key={u}
              src={mediaUrl(u)}
              mode="aspectFill"
              data-testid="board-photo"
              style={{ width: '120px', height: '120px', marginRight: '8px' }}
            />
          ))}
        </View>
      )}
      {r.status === 'returned' && r.comment && <Text className="inbox__comment">退回意见：{r.comment}</Text>}
      {r.status === 'reported' && (
        <View>
          <TextField label="退回意见（退回时必填）" value={comment} onChange={setComment} testId="board-comment" />
          <View className="inbox__head">
            <Button
              type="primary"
              size="large"
              disabled={busy}
              onClick={() => void act(() => acceptTask(taskId, r.receiverId), '已验收')}
              data-testid="board-accept"
            >
              验收通过
            </Button>
            <Button
              size="large"
              disabled={busy}
              onClick={() => void act(() => returnTask(taskId, r.receiverId, comment), '已退回')}
              data-testid="board-return"
            >
              退回
            </Button>
          </View>
        </View>
      )}
    </View>
  );
}

/** The sender's board of one task: counts by state, receivers overdue first, XLSX export. */
export function Board({ taskId }: { taskId: string }) {
  const [tick, setTick] = useState(0);
  const board = useRequest(() => getTaskBoard(taskId), [taskId, tick], true);
  const b = board.data;
  if (!b) return <Text className="section__hint">{board.error ? board.error.message : '加载中…'}</Text>;
  return (
    <View data-testid="task-board">
      <Text className="inbox__meta" data-testid="board-counts">
        {STATES.filter((s) => b.counts[s] > 0)
          .map((s) => `${TASK_STATE_LABELS[s]} ${b.counts[s]}`)
          .join(' · ')}
      </Text>
      {b.rows.map((r) => (
        <Row key={r.receiverId} taskId={taskId} r={r} onDone={() => setTick((n) => n + 1)} />
      ))}
      <Button
        size="large"
        block
        onClick={() =>
          void downloadFile(taskXlsxUrl(taskId), 'task.xlsx').catch((e) =>
            Taro.showToast({ title: message(e), icon: 'none' }),
          )
        }
        data-testid="board-export"
      >
        导出督办情况（Excel）
      </Button>
    </View>
  );
}
