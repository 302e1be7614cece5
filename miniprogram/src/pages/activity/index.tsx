import { useEffect, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { ACTIVITY_RULES } from '@pioneer/shared/src/activities';
import { formatShanghai } from '@pioneer/shared/src/time';
import PageContainer from '../../components/PageContainer';
import RemindButton from '../../components/RemindButton';
import OfflineQueue from '../../components/OfflineQueue';
import TextField from '../../components/TextField';
import { useMe } from '../../hooks/use-me';
import { useRequest } from '../../hooks/use-request';
import { useSession } from '../../hooks/use-session';
import { ApiError } from '../../services/api-error';
import { askActivityLeave, getActivity, send, writes } from '../../services/api';
import { enqueue, onQueueChange, queuedWrites } from '../../services/offline-queue';
import { ACTIVITY_PAGES, LEAVE_LABELS, activityWhen, statusLabel, typeTag } from '../../utils/activity';
import { LocateError, locate } from '../../utils/location';
import { queryValue } from '../../utils/quiz-nav';
import './index.scss';

type SigninProof = Parameters<typeof writes.activitySignin>[0];

const isQueued = (id: string) => queuedWrites().some((q) => q.path === writes.activitySignin.path(id));

const message = (e: unknown) => (e instanceof ApiError || e instanceof LocateError ? e.message : '操作失败，请重试');

/** 组织生活: one activity for a member — sign in (scan in WeChat, the 6-digit code anywhere) or ask for leave. */
export default function ActivityPage() {
  const id = queryValue(useRouter().params.id) ?? '';
  const loggedIn = useSession();
  const me = useMe();
  const act = useRequest(() => getActivity(id), [id], loggedIn && !!id);
  const [code, setCode] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [queued, setQueued] = useState(() => isQueued(id));
  const a = act.data;

  // When the queue sends this sign-in (network back), show the server's word on it.
  useEffect(
    () =>
      onQueueChange(() => {
        const still = isQueued(id);
        setQueued((was) => {
          if (was && !still) void act.reload();
          return still;
        });
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [id],
  );
  const manages =
    !!a &&
    !!me.data &&
    (me.data.roles.includes('admin') || (me.data.roles.includes('secretary') && me.data.org?.id === a.branchId));

  async function run(fn: () => Promise<unknown>, done: string) {
    setBusy(true);
    setError('');
    try {
      await fn();
      void Taro.showToast({ title: done, icon: 'none' });
      await act.reload();
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(false);
    }
  }

  async function scan() {
    let result: string;
    try {
      result = (await Taro.scanCode({ onlyFromCamera: true, scanType: ['qrCode'] })).result;
    } catch {
      return; // cancelled
    }
    await signInWith(() => Promise.resolve(/^\d{6}$/.test(result) ? { code: result } : { token: result }));
  }

  /**
   * Sign in now; with no network the proof (code, token or fix) waits in the offline queue with the moment it was
   * captured and its own Idempotency-Key, and the server checks it against that moment when it arrives.
   */
  async function signInWith(proof: () => Promise<SigninProof>) {
    setBusy(true);
    setError('');
    let write: ReturnType<typeof writes.activitySignin> | null = null;
    const capturedAt = new Date().toISOString();
    try {
      // One action, one Idempotency-Key: the queued copy carries the key of the send that lost its reply.
      write = writes.activitySignin(await proof(), id);
      await send(write, { quietNetwork: true });
      void Taro.showToast({ title: '签到成功', icon: 'none' });
      await act.reload();
    } catch (e) {
      if (write && e instanceof ApiError && e.isNetwork && a) {
        const label = `${a.title} ${formatShanghai(capturedAt, 'M月D日 HH:mm')}`;
        enqueue({ ...write, kind: 'activity-signin', label, body: { ...(write.body as SigninProof), capturedAt } });
        setQueued(true);
      } else setError(message(e));
    } finally {
      setBusy(false);
    }
  }

  const signInHere = () => signInWith(() => locate());
  const signIn = () => signInWith(() => Promise.resolve({ code: code.trim() }));
  const leave = () => run(() => askActivityLeave(id, reason.trim()), '已提交请假，等待书记批准');
  const weapp = process.env.TARO_ENV === 'weapp';

  return (
    <PageContainer loggedIn={loggedIn} loading={act.loading} hasData={!!a} error={act.error} onRetry={act.reload}>
      {a && (
        <View className="activity">
          <View className="activity__card">
            {typeTag(a) && <Text className="activity__type">{typeTag(a)}</Text>}
            <Text className="activity__title" data-testid="activity-title">
              {a.title}
            </Text>
            {a.topic && <Text className="activity__line">主题：{a.topic}</Text>}
            <Text className="activity__line">时间：{activityWhen(a)}</Text>
            {a.place && <Text className="activity__line">地点：{a.place.name}</Text>}
            <Text className={`activity__status activity__status--${a.status}`} data-testid="activity-status">
              {statusLabel(a)}
            </Text>
          </View>

          <OfflineQueue />

          <View className="activity__card" data-testid="activity-mine">
            {a.mine.signedInAt ? (
              <Text className="activity__done" data-testid="activity-signed">
                已签到 {formatShanghai(a.mine.signedInAt, 'HH:mm')}
                {a.mine.late ? '（迟到）' : ''}
              </Text>
            ) : queued ? (
              <Text className="activity__queued" data-testid="activity-queued">
                网络不给力，签到已保存，联网后自动提交
              </Text>
            ) : a.status === 'open' ? (
              <View>
                <Text className="activity__section">签到</Text>
                {weapp && (
                  <Button
                    type="primary"
                    size="large"
                    block
                    disabled={busy}
                    onClick={() => void scan()}
                    data-testid="activity-scan"
                  >
                    扫码签到
                  </Button>
                )}
                {a.place?.fence && (
                  <Button
                    size="large"
                    block
                    disabled={busy}
                    onClick={() => void signInHere()}
                    data-testid="activity-locate"
                  >
                    在{a.place.name}定位签到
                  </Button>
                )}
                <TextField
                  label="签到码（书记屏幕上的6位数字）"
                  value={code}
                  onChange={setCode}
                  maxLength={6}
                  placeholder="例如 123456"
                  testId="activity-code"
                />
                <Button
                  type={weapp ? 'default' : 'primary'}
                  size="large"
                  block
                  disabled={busy || !/^\d{6}$/.test(code.trim())}
                  onClick={() => void signIn()}
                  data-testid="activity-signin"
                >
                  输入签到码签到
                </Button>
              </View>
            ) : (
              <Text className="activity__line">
                {a.status === 'planned' ? `活动开始前${ACTIVITY_RULES.opensBeforeMinutes}分钟开放签到` : '活动已结束'}
              </Text>
            )}

            {a.status === 'planned' && a.mine.expected && a.mine.leave?.status !== 'approved' && (
              <RemindButton
                template="activity"
                label="开始前一小时微信提醒我"
                done="已开启，活动开始前一小时通知您"
                testId="activity-subscribe"
              />
            )}
            {!a.mine.signedInAt && a.mine.leave && (
              <Text className="activity__leave" data-testid="activity-leave-status">
                {LEAVE_LABELS[a.mine.leave.status]}：{a.mine.leave.reason}
              </Text>
            )}
            {!a.mine.signedInAt &&
              !queued &&
              a.status !== 'closed' &&
              a.mine.expected &&
              (!a.mine.leave || a.mine.leave.status === 'refused') && (
                <View className="activity__leave-form">
                  <TextField
                    label="不能参加？请假原因"
                    value={reason}
                    onChange={setReason}
                    maxLength={ACTIVITY_RULES.reasonMax}
                    placeholder="例如：外出务工"
                    testId="activity-leave-reason"
                  />
                  <Button
                    size="large"
                    block
                    disabled={busy || !reason.trim()}
                    onClick={() => void leave()}
                    data-testid="activity-leave"
                  >
                    请假
                  </Button>
                </View>
              )}
            {error && (
              <Text className="activity__error" data-testid="activity-error">
                {error}
              </Text>
            )}
          </View>

          {a.minutes && (
            <View className="activity__card" data-testid="activity-minutes">
              <Text className="activity__section">会议纪要</Text>
              <Text className="activity__text">{a.minutes.text}</Text>
            </View>
          )}

          {manages && (
            <Button
              type="primary"
              size="large"
              block
              onClick={() => void Taro.navigateTo({ url: ACTIVITY_PAGES.manage(a.id) })}
              data-testid="activity-manage"
            >
              签到管理 · 补录 · 纪要
            </Button>
          )}
        </View>
      )}
    </PageContainer>
  );
}
