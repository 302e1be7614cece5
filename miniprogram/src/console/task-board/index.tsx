import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { dayKey, type OrgTreeNode, type TaskSummary } from '@pioneer/shared';
import PageContainer from '../../components/PageContainer';
import Segmented from '../../components/Segmented';
import TextField from '../../components/TextField';
import { useMe } from '../../hooks/use-me';
import { useRequest } from '../../hooks/use-request';
import { ApiError } from '../../services/api-error';
import { createTask, getSentTasks } from '../../services/notices-api';
import { getOrgTree, searchMembers } from '../../services/org-admin-api';
import { Board } from './board';
import '../../pages/identity/index.scss';
import '../../pages/notices/index.scss';

const message = (e: unknown) => (e instanceof ApiError ? e.message : '操作失败，请重试');
const branchesOf = (n: OrgTreeNode): { id: string; name: string }[] =>
  n.type === 'branch' ? [{ id: n.id, name: n.name }] : n.children.flatMap(branchesOf);
const PHOTO_OPTIONS = [
  { value: 'text' as const, label: '文字说明', testId: 'evidence-text' },
  { value: 'photo' as const, label: '文字和照片', testId: 'evidence-photo' },
];

/** Who the task can go to: an admin's branches, a secretary's members. */
function useReceivers(adminOrgId: string | null, branchId: string | null) {
  return useRequest(
    async () => {
      if (adminOrgId) return { kind: 'branches' as const, options: branchesOf(await getOrgTree(adminOrgId)) };
      const page = await searchMembers(branchId ?? '', {}, null, 100);
      return { kind: 'members' as const, options: page.items.map((m) => ({ id: m.id, name: m.name })) };
    },
    [adminOrgId, branchId],
    !!adminOrgId || !!branchId,
  );
}

function CreateForm(props: { adminOrgId: string | null; branchId: string | null; meId: string; onDone: () => void }) {
  const receivers = useReceivers(props.adminOrgId, props.branchId);
  const tomorrow = dayKey(Date.now() + 86_400_000);
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [deadline, setDeadline] = useState(tomorrow);
  const [points, setPoints] = useState('0');
  const [evidence, setEvidence] = useState<'text' | 'photo'>('photo');
  const [picked, setPicked] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const options = (receivers.data?.options ?? []).filter((o) => o.id !== props.meId);
  const toggle = (id: string) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id]));
  async function submit() {
    setBusy(true);
    setError('');
    try {
      const to = receivers.data?.kind === 'branches' ? { branches: picked } : { members: picked };
      await createTask({
        title,
        body,
        deadline: deadline.trim(),
        points: Number(points) || 0,
        evidence: evidence === 'photo' ? ['text', 'photo'] : ['text'],
        ...to,
      });
      void Taro.showToast({ title: '任务已下发', icon: 'none' });
      setTitle('');
      setBody('');
      setPicked([]);
      props.onDone();
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <View className="section">
      <Text className="section__title">下发任务</Text>
      <TextField label="任务名称" value={title} onChange={setTitle} maxLength={60} testId="task-title" />
      <TextField label="任务要求" value={body} onChange={setBody} multiline maxLength={2000} testId="task-body" />
      <TextField
        label="截止日期（北京时间当天24时前）"
        value={deadline}
        onChange={setDeadline}
        testId="task-deadline"
      />
      <TextField label="验收得分（0为不计分）" type="number" value={points} onChange={setPoints} testId="task-points" />
      <Segmented label="佐证材料" options={PHOTO_OPTIONS} value={evidence} onChange={setEvidence} />
      <Text className="section__hint">{receivers.data?.kind === 'members' ? '接收党员' : '接收支部'}（点选）</Text>
      <View className="inbox__head" style={{ flexWrap: 'wrap' }}>
        {options.map((o) => (
          <Text
            key={o.id}
            className={picked.includes(o.id) ? 'inbox__unread' : 'inbox__tag'}
            style={{ padding: '16px 20px', margin: '6px' }}
            data-testid="task-receiver"
            onClick={() => toggle(o.id)}
          >
            {o.name}
          </Text>
        ))}
      </View>
      {error && (
        <Text className="form-error" data-testid="task-error">
          {error}
        </Text>
      )}
      <Button type="primary" size="large" block disabled={busy} onClick={() => void submit()} data-testid="task-send">
        下发
      </Button>
    </View>
  );
}

/** 任务督办: send a task (admin: to branches; secretary: to members), follow each receiver, accept or return. */
export default function TaskBoardPage() {
  const me = useMe();
  const roles = me.data?.roles ?? [];
  const adminOrgId = roles.includes('admin') ? (me.data?.adminOrg?.id ?? null) : null;
  const branchId = roles.includes('secretary') ? (me.data?.org?.id ?? null) : null;
  const manages = !!adminOrgId || !!branchId;
  const [tick, setTick] = useState(0);
  const [open, setOpen] = useState<string | null>(null);
  const sent = useRequest(getSentTasks, [tick], manages);
  return (
    <PageContainer
      console="task-board"
      loggedIn={me.loggedIn}
      loading={me.loading}
      hasData={!!me.data}
      error={me.error}
      onRetry={me.reload}
    >
      <View className="identity">
        {!manages && <Text className="section__hint">只有支部书记和管理员可以下发任务</Text>}
        {manages && me.data && (
          <CreateForm
            adminOrgId={adminOrgId}
            branchId={branchId}
            meId={me.data.id}
            onDone={() => setTick((n) => n + 1)}
          />
        )}
        {manages && (
          <View className="section">
            <Text className="section__title">已下发的任务</Text>
            {(sent.data?.items ?? []).length === 0 && <Text className="section__hint">还没有下发任务</Text>}
            {(sent.data?.items ?? []).map((t: TaskSummary) => (
              <View key={t.id} className="inbox__card" data-testid="sent-task">
                <View className="inbox__head" onClick={() => setOpen(open === t.id ? null : t.id)}>
                  <Text className="inbox__title">{t.title}</Text>
                  <Text className="inbox__tag">{open === t.id ? '收起' : '督办情况'}</Text>
                </View>
                <Text className="inbox__meta">
                  截止 {t.deadline}
                  {t.points > 0 ? ` · 验收得${t.points}分` : ''}
                </Text>
                {open === t.id && <Board taskId={t.id} />}
              </View>
            ))}
          </View>
        )}
      </View>
    </PageContainer>
  );
}
