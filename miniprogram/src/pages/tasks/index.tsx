import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Image, Text, View } from '@tarojs/components';
import type { MyTask } from '@pioneer/shared';
import { TASK_EVIDENCE_LABELS, TASK_LIMITS, TASK_STATE_LABELS } from '@pioneer/shared/src/tasks';
import { formatShanghai } from '@pioneer/shared/src/time';
import FormSubmit from '../../components/FormSubmit';
import PhotoPicker from '../../components/PhotoPicker';
import RemindButton from '../../components/RemindButton';
import TextField from '../../components/TextField';
import { ApiError } from '../../services/api-error';
import { mediaUrl } from '../../services/media';
import { getMyTasks, reportTask } from '../../services/notices-api';
import Inbox from '../notices/inbox';

const canReport = (t: MyTask) => t.status === 'todo' || t.status === 'returned';
/** The report form: the evidence the sender asked for, then 上报. */
function ReportForm({ t, onDone }: { t: MyTask; onDone: () => void }) {
  const [text, setText] = useState('');
  const [photos, setPhotos] = useState<string[]>([]);
  const [uploading, setUploading] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  async function submit() {
    setBusy(true);
    setError('');
    try {
      await reportTask(t.taskId, t.receiverId, { text, photoUrls: photos });
      void Taro.showToast({ title: '已上报', icon: 'none' });
      onDone();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '上报失败，请重试');
    } finally {
      setBusy(false);
    }
  }
  const needs = t.task.evidence.map((e) => TASK_EVIDENCE_LABELS[e]).join('、');
  return (
    <View className="inbox__form">
      {needs && <Text className="inbox__meta">需提交：{needs}</Text>}
      <TextField
        label="完成情况"
        value={text}
        onChange={setText}
        multiline
        maxLength={TASK_LIMITS.reportMax}
        testId="task-report-text"
      />
      <PhotoPicker
        label={t.task.evidence.includes('photo') ? '现场照片（必填）' : '现场照片（选填）'}
        value={photos}
        onChange={setPhotos}
        max={TASK_LIMITS.photosMax}
        testId="task-report-photos"
        onBusy={setUploading}
      />
      <FormSubmit error={error} disabled={busy || uploading} onSubmit={() => void submit()} testId="task-report-submit">
        {t.status === 'returned' ? '重新上报' : '上报'}
      </FormSubmit>
    </View>
  );
}

function TaskCard({ t, onDone }: { t: MyTask; onDone: () => void }) {
  return (
    <View className="inbox__card" data-testid="task-item">
      <View className="inbox__head">
        <Text className="inbox__title">{t.task.title}</Text>
        <Text className={`inbox__state inbox__state--${t.state}`} data-testid="task-state">
          {TASK_STATE_LABELS[t.state]}
        </Text>
      </View>
      <Text className="inbox__meta">
        {t.task.orgName} · 截止 {t.task.deadline} ·{' '}
        {t.receiverKind === 'branch' ? `接收：${t.receiverName}` : '接收：本人'}
        {t.task.points > 0 ? ` · 验收得${t.task.points}分` : ''}
      </Text>
      {t.task.body && <Text className="inbox__text">{t.task.body}</Text>}
      {t.status === 'returned' && t.comment && (
        <Text className="inbox__comment" data-testid="task-comment">
          退回意见：{t.comment}
        </Text>
      )}
      {t.report && !canReport(t) && (
        <View>
          <Text className="inbox__text">
            {t.reporterName}于{t.reportedAt ? formatShanghai(t.reportedAt, 'M月D日 HH:mm') : ''}上报：{t.report.text}
          </Text>
          {t.report.photoUrls.map((u) => (
            <Image
              key={u}
              src={mediaUrl(u)}
              mode="aspectFill"
              style={{ width: '160px', height: '160px', marginRight: '12px' }}
            />
          ))}
        </View>
      )}
      {canReport(t) && <ReportForm t={t} onDone={onDone} />}
    </View>
  );
}

/** 我的任务: tasks sent to me (or, for a secretary, to my branch); report back with the evidence asked for. */
export default function TasksPage() {
  const [tick, setTick] = useState(0);
  return (
    <Inbox
      load={getMyTasks}
      version={tick}
      emptyText="暂无任务"
      top={
        <RemindButton
          template="task"
          label="开启微信提醒（有新任务或被退回时通知我）"
          done="已开启，下次有任务时微信通知您"
          testId="task-subscribe"
        />
      }
    >
      {(t) => <TaskCard key={`${t.taskId}|${t.receiverId}`} t={t} onDone={() => setTick((n) => n + 1)} />}
    </Inbox>
  );
}
