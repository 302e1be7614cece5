import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import {
  ATTACHMENT_EXTENSIONS,
  ATTACHMENTS_PER_NOTICE,
  formatBytes,
  formatShanghai,
  NOTICE_AUDIENCE_LABELS,
  NOTICE_AUDIENCES,
  type NoticeAudience,
  type NoticeListItem,
  type UploadedAttachment,
} from '@pioneer/shared';
import PageContainer from '../../components/PageContainer';
import Segmented from '../../components/Segmented';
import TextField from '../../components/TextField';
import { useMe } from '../../hooks/use-me';
import { useRequest } from '../../hooks/use-request';
import { ApiError } from '../../services/api-error';
import {
  getManagedNotices,
  getNoticeStats,
  publishNotice,
  remindNotice,
  uploadAttachment,
} from '../../services/notices-api';
import { chooseFile } from '../../utils/choose-file';
import { KIND_LABELS, viewerOf } from '../../pages/notice/attachments';
import '../../pages/identity/index.scss';
import '../../pages/notices/index.scss';
import FormSubmit from '../../components/FormSubmit';

const message = (e: unknown) => (e instanceof ApiError ? e.message : '操作失败，请重试');
const AUDIENCE_OPTIONS = NOTICE_AUDIENCES.map((a) => ({
  value: a,
  label: NOTICE_AUDIENCE_LABELS[a],
  testId: `aud-${a}`,
}));
const PIN_OPTIONS = [
  { value: 'no' as const, label: '不置顶', testId: 'pin-no' },
  { value: 'yes' as const, label: '置顶', testId: 'pin-yes' },
];

/** Plain paragraphs typed on a phone become <p>s; the server sanitizes whatever arrives. */
const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
export const paragraphs = (text: string) =>
  text
    .split(/\n+/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => `<p>${escape(l)}</p>`)
    .join('');

function PublishForm({ org, onDone }: { org: string | undefined; onDone: () => void }) {
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [audience, setAudience] = useState<NoticeAudience>('all');
  const [pin, setPin] = useState<'no' | 'yes'>('no');
  const [days, setDays] = useState('');
  const [files, setFiles] = useState<UploadedAttachment[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  /** PDF, Word, Excel or a picture: the server checks what the file really is and its size (20 MB). */
  async function attach() {
    const file = await chooseFile(ATTACHMENT_EXTENSIONS);
    if (!file) return;
    setBusy(true);
    setError('');
    try {
      const uploaded = await uploadAttachment(file);
      setFiles((list) => [...list, uploaded]);
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(false);
    }
  }
  async function submit() {
    setBusy(true);
    setError('');
    try {
      const n = Number(days);
      const sent = await publishNotice({
        org,
        title,
        body: paragraphs(body),
        audience,
        pinned: pin === 'yes',
        expiresAt: n > 0 ? new Date(Date.now() + n * 86_400_000).toISOString() : null,
        attachments: files.map((f) => ({ id: f.id, name: f.name })),
      });
      void Taro.showToast({ title: `已发布，送达${sent.recipients}人`, icon: 'none' });
      setTitle('');
      setBody('');
      setFiles([]);
      onDone();
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <View className="section">
      <Text className="section__title">发布通知</Text>
      <TextField label="标题" value={title} onChange={setTitle} maxLength={60} testId="notice-title-input" />
      <TextField
        label="正文（每行一段）"
        value={body}
        onChange={setBody}
        multiline
        maxLength={5000}
        testId="notice-body-input"
      />
      <Segmented label="发送对象" options={AUDIENCE_OPTIONS} value={audience} onChange={setAudience} />
      <Segmented label="置顶" options={PIN_OPTIONS} value={pin} onChange={setPin} />
      <TextField label="有效天数（不填为长期）" type="number" value={days} onChange={setDays} testId="notice-days" />
      <View className="notice-files" data-testid="notice-attach-list">
        <Text className="notice-files__title">附件（PDF、Word、Excel 或图片，每个不超过 20 MB）</Text>
        {files.map((f) => (
          <View key={f.id} className="notice-file" data-testid="notice-attach-item">
            <Text className={`notice-file__kind notice-file__kind--${viewerOf(f.kind)}`}>{KIND_LABELS[f.kind]}</Text>
            <View className="notice-file__main">
              <Text className="notice-file__name">{f.name}</Text>
              <Text className="notice-file__size">{formatBytes(f.bytes)}</Text>
            </View>
            <Text
              className="notice-file__action"
              onClick={() => setFiles((list) => list.filter((x) => x.id !== f.id))}
              data-testid="notice-attach-remove"
            >
              移除
            </Text>
          </View>
        ))}
        {files.length < ATTACHMENTS_PER_NOTICE && (
          <Button size="large" block disabled={busy} onClick={() => void attach()} data-testid="notice-attach">
            添加附件
          </Button>
        )}
      </View>
      <FormSubmit
        error={error}
        disabled={busy}
        onSubmit={() => void submit()}
        testId="notice-publish"
        errorTestId="notice-error"
      >
        发布
      </FormSubmit>
    </View>
  );
}

function Stats({ n }: { n: NoticeListItem }) {
  const [tick, setTick] = useState(0);
  const stats = useRequest(() => getNoticeStats(n.id), [n.id, tick], true);
  const [busy, setBusy] = useState(false);
  async function remind() {
    setBusy(true);
    try {
      const r = await remindNotice(n.id);
      void Taro.showToast({ title: r.reminded ? `已提醒${r.reminded}人` : '全部已读', icon: 'none' });
      setTick((x) => x + 1);
    } catch (e) {
      void Taro.showToast({ title: message(e), icon: 'none' });
    } finally {
      setBusy(false);
    }
  }
  const s = stats.data;
  if (!s) return <Text className="section__hint">{stats.error ? stats.error.message : '加载中…'}</Text>;
  return (
    <View data-testid="notice-stats">
      <Text className="inbox__meta" data-testid="notice-stats-total">
        已读 {s.read} / {s.total} 人
      </Text>
      {s.branches.map((b) => (
        <View key={b.branchId} className="inbox__row" data-testid="notice-branch">
          <Text className="inbox__text">
            {b.branchName}：已读 {b.read} / {b.total}
          </Text>
          {b.unreadNames.length > 0 && <Text className="inbox__meta">未读：{b.unreadNames.join('、')}</Text>}
        </View>
      ))}
      {s.read < s.total && (
        <Button size="large" block disabled={busy} onClick={() => void remind()} data-testid="notice-remind">
          提醒未读党员
        </Button>
      )}
    </View>
  );
}

/** 通知公告管理: publish to my branch (secretary) or subtree (admin), then see who has read it and remind the rest. */
export default function NoticeManagePage() {
  const me = useMe();
  const roles = me.data?.roles ?? [];
  const manages = roles.includes('secretary') || roles.includes('admin');
  const [tick, setTick] = useState(0);
  const [open, setOpen] = useState<string | null>(null);
  const list = useRequest(getManagedNotices, [tick], manages);
  const org = roles.includes('admin') ? me.data?.adminOrg?.id : undefined;
  return (
    <PageContainer
      console="notice-manage"
      loggedIn={me.loggedIn}
      loading={me.loading}
      hasData={!!me.data}
      error={me.error}
      onRetry={me.reload}
    >
      <View className="identity">
        {!manages && <Text className="section__hint">只有支部书记和管理员可以发布通知</Text>}
        {manages && <PublishForm org={org} onDone={() => setTick((n) => n + 1)} />}
        {manages && (
          <View className="section">
            <Text className="section__title">已发布的通知</Text>
            {(list.data?.items ?? []).length === 0 && <Text className="section__hint">还没有发布通知</Text>}
            {(list.data?.items ?? []).map((n) => (
              <View key={n.id} className="inbox__card" data-testid="managed-notice">
                <View className="inbox__head" onClick={() => setOpen(open === n.id ? null : n.id)}>
                  {n.pinned && <Text className="inbox__tag">置顶</Text>}
                  <Text className="inbox__title">{n.title}</Text>
                  <Text className="inbox__tag">{open === n.id ? '收起' : '阅读情况'}</Text>
                </View>
                <Text className="inbox__meta">
                  {n.orgName} · {NOTICE_AUDIENCE_LABELS[n.audience]} · {formatShanghai(n.publishedAt, 'M月D日 HH:mm')}
                </Text>
                {open === n.id && <Stats n={n} />}
              </View>
            ))}
          </View>
        )}
      </View>
    </PageContainer>
  );
}
