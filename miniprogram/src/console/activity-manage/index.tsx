import { useEffect, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Image, Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { Attendee } from '@pioneer/shared';
import { ACTIVITY_RULES } from '@pioneer/shared/src/activities';
import { formatShanghai } from '@pioneer/shared/src/time';
import PageContainer from '../../components/PageContainer';
import PhotoPicker from '../../components/PhotoPicker';
import TextField from '../../components/TextField';
import { useRequest } from '../../hooks/use-request';
import { useMe } from '../../hooks/use-me';
import { useSession } from '../../hooks/use-session';
import { ApiError } from '../../services/api-error';
import {
  addActivityAttendee,
  getActivity,
  getActivityAttendance,
  getActivityQr,
  patchActivity,
  putActivityMinutes,
  reviewActivityLeave,
} from '../../services/api';
import { activityWhen, statusLabel, typeLabel } from '../../utils/activity';
import { queryValue } from '../../utils/quiz-nav';
import EditPanel, { canChange } from './edit-panel';
import './index.scss';

/** How often the live list and the code refresh while the page is open. */
export const POLL_MS = 5_000;

const message = (e: unknown) => (e instanceof ApiError ? e.message : '操作失败，请重试');

/**
 * 签到管理 for the branch secretary: the rotating sign-in QR (drawn by the server as a PNG: no QR code runs on the
 * phone) with its 6-digit code under it for members without a camera, full screen for the meeting room; the live
 * list, leave decisions, 补录 and the minutes.
 */
/**
 * H5: Taro's navigation bar (z-index 500, outside the page) and the shown page's transform (which makes it the box of
 * `position: fixed` children) would frame the QR full screen; a root class hides the chrome while it is open
 * (index.scss). The mini-program's own bar is native: nothing to do there.
 */
function useChromeHidden(hidden: boolean) {
  useEffect(() => {
    if (process.env.TARO_ENV !== 'h5' || !hidden) return undefined;
    document.documentElement.classList.add('qr-fullscreen');
    return () => document.documentElement.classList.remove('qr-fullscreen');
  }, [hidden]);
}

export default function ActivityManagePage() {
  const id = queryValue(useRouter().params.id) ?? '';
  const loggedIn = useSession();
  const me = useMe();
  const act = useRequest(() => getActivity(id), [id], loggedIn && !!id);
  const open = act.data?.status === 'open';
  const att = useRequest(() => getActivityAttendance(id), [id], loggedIn && !!id);
  const qr = useRequest(() => getActivityQr(id), [id, open], loggedIn && !!id && open);
  const [fullScreen, setFullScreen] = useState(false);
  useChromeHidden(fullScreen);
  const [reason, setReason] = useState('');
  const [minutes, setMinutes] = useState<string | null>(null);
  const [photos, setPhotos] = useState<string[] | null>(null);
  const [uploading, setUploading] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  useEffect(() => {
    if (!loggedIn || !id) return undefined;
    const timer = setInterval(() => {
      void att.reload();
      if (open) void qr.reload();
    }, POLL_MS);
    return () => clearInterval(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [loggedIn, id, open]);

  async function run(fn: () => Promise<unknown>, done: string) {
    setBusy(true);
    setError('');
    try {
      await fn();
      void Taro.showToast({ title: done, icon: 'none' });
      await Promise.all([act.reload(), att.reload()]);
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(false);
    }
  }

  const a = act.data;
  const list = att.data;
  const minutesText = minutes ?? a?.minutes?.text ?? '';
  const photoUrls = photos ?? a?.minutes?.photoUrls ?? [];

  const row = (p: Attendee, extra?: JSX.Element) => (
    <View key={p.userId} className="manage__row" data-testid="manage-row" data-user={p.userId}>
      <Text className="manage__name">{p.name || '（未知）'}</Text>
      <Text className="manage__meta">
        {p.at ? formatShanghai(p.at, 'HH:mm') : ''}
        {p.method === 'manual' ? ' 补录' : ''}
        {p.reason ? ` ${p.reason}` : ''}
      </Text>
      {extra}
    </View>
  );

  if (fullScreen && qr.data) {
    return (
      <View className="manage__full" data-testid="manage-full" onClick={() => setFullScreen(false)}>
        <Text className="manage__full-title" data-testid="manage-full-title">
          {a?.title}
        </Text>
        <Image className="manage__full-qr" src={qr.data.qrDataUrl} mode="scaleToFill" data-testid="manage-full-qr" />
        <Text className="manage__full-label">扫码签到 · 没有相机请输入签到码</Text>
        <Text className="manage__full-code" data-testid="manage-full-code">
          {qr.data.code}
        </Text>
        <Text className="manage__full-hint">
          每30秒更换 · 已签到 {list ? list.present.length + list.late.length : 0} 人 · 轻触返回
        </Text>
      </View>
    );
  }

  return (
    <PageContainer
      console="activities"
      loggedIn={loggedIn}
      loading={act.loading}
      hasData={!!a}
      error={act.error}
      onRetry={act.reload}
    >
      {a && (
        <View className="manage">
          <View className="manage__card">
            <Text className="manage__title">
              {typeLabel(a)} · {a.title}
            </Text>
            <Text className="manage__meta">
              {activityWhen(a)} · {statusLabel(a)}
            </Text>
            {a.cancelled ? (
              <Text className="manage__error" data-testid="manage-cancelled">
                已取消：{a.cancelled.reason}
              </Text>
            ) : a.status === 'closed' && Date.parse(a.endsAt) < Date.now() ? (
              // Over by the clock: no 开始签到 (the server refuses it too), only 补录 and the minutes.
              <Text className="manage__meta" data-testid="manage-ended">
                活动已结束，未签到的党员可在下方补录
              </Text>
            ) : a.status !== 'open' ? (
              <Button
                type="primary"
                size="large"
                block
                disabled={busy}
                onClick={() => void run(() => patchActivity(id, { status: 'open' }), '已开始签到')}
                data-testid="manage-open"
              >
                开始签到
              </Button>
            ) : (
              <Button
                size="large"
                block
                disabled={busy}
                onClick={() => void run(() => patchActivity(id, { status: 'closed' }), '已结束签到')}
                data-testid="manage-close"
              >
                结束签到
              </Button>
            )}
          </View>

          {canChange(a) && <EditPanel a={a} me={me.data} onChanged={() => void act.reload()} />}

          {open && qr.data && (
            <View className="manage__card manage__qr" data-testid="manage-qr">
              <Text className="manage__label">扫码签到（每30秒更换）</Text>
              <Image
                className="manage__qr-img"
                src={qr.data.qrDataUrl}
                mode="scaleToFill"
                data-testid="manage-qr-img"
              />
              <Text className="manage__meta">没有相机的党员：在“组织生活”页输入签到码</Text>
              <Text className="manage__code" data-testid="manage-code">
                {qr.data.code}
              </Text>
              <Button
                type="primary"
                size="large"
                block
                onClick={() => setFullScreen(true)}
                data-testid="manage-fullscreen"
              >
                全屏显示
              </Button>
            </View>
          )}

          {list && (
            <View className="manage__card manage__list" data-testid="manage-list">
              <Text className="manage__section" data-testid="manage-counts">
                已到 {list.present.length} · 迟到 {list.late.length} · 请假 {list.onLeave.length} · 未到{' '}
                {list.absent.length}
              </Text>
              {[...list.present, ...list.late].map((p) => row(p))}
              {list.pendingLeave.length > 0 && <Text className="manage__section">请假待批准</Text>}
              {list.pendingLeave.map((p) =>
                row(
                  p,
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
                  </View>,
                ),
              )}
              {list.onLeave.length > 0 && <Text className="manage__section">已请假</Text>}
              {list.onLeave.map((p) => row(p))}
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
              {list.absent.map((p) =>
                row(
                  p,
                  <Button
                    size="small"
                    disabled={busy || !reason.trim()}
                    onClick={() =>
                      void run(() => addActivityAttendee(id, { userId: p.userId, reason: reason.trim() }), '已补录')
                    }
                    data-testid="manage-add"
                  >
                    补录
                  </Button>,
                ),
              )}
            </View>
          )}

          <View className="manage__card" data-testid="manage-minutes">
            <TextField
              label="会议纪要"
              value={minutesText}
              onChange={setMinutes}
              multiline
              maxLength={ACTIVITY_RULES.minutesMax}
              placeholder="议题、讨论情况、决定事项"
              testId="manage-minutes-text"
            />
            <PhotoPicker
              value={photoUrls}
              onChange={setPhotos}
              max={ACTIVITY_RULES.photosMax}
              testId="manage-photos"
              onBusy={setUploading}
            />
            <Button
              type="primary"
              size="large"
              block
              disabled={busy || uploading || !minutesText.trim()}
              onClick={() =>
                void run(() => putActivityMinutes(id, { text: minutesText.trim(), photoUrls }), '纪要已保存')
              }
              data-testid="manage-minutes-save"
            >
              保存纪要
            </Button>
          </View>
          {error && (
            <Text className="manage__error" data-testid="manage-error">
              {error}
            </Text>
          )}
        </View>
      )}
    </PageContainer>
  );
}
