import { useEffect, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Image, Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import PageContainer from '../../components/PageContainer';
import { useRequest } from '../../hooks/use-request';
import { useMe } from '../../hooks/use-me';
import { useSession } from '../../hooks/use-session';
import { ApiError } from '../../services/api-error';
import { getActivity, getActivityAttendance, getActivityQr, patchActivity } from '../../services/api';
import { ACTIVITY_PAGES, activityWhen, statusLabel, titleWithType } from '../../utils/activity';
import { queryValue } from '../../utils/quiz-nav';
import AttendanceList from './attendance-list';
import EditPanel, { canChange } from './edit-panel';
import MinutesCard from './minutes-card';
import QrFull, { POLL_MS } from './qr-full';
import './index.scss';

export { POLL_MS };

const message = (e: unknown) => (e instanceof ApiError ? e.message : '操作失败，请重试');

/**
 * H5: Taro's navigation bar (z-index 500, outside the page) and the shown page's transform (which makes it the box of
 * `position: fixed` children) would frame the QR full screen; a root class hides the chrome while it is open
 * (index.scss). The weapp's bar is native and a page's `navigationStyle` is fixed: there the full screen is a page of
 * its own without the bar (/console/activity-qr).
 */
function useChromeHidden(hidden: boolean) {
  useEffect(() => {
    if (process.env.TARO_ENV !== 'h5' || !hidden) return undefined;
    document.documentElement.classList.add('qr-fullscreen');
    return () => document.documentElement.classList.remove('qr-fullscreen');
  }, [hidden]);
}

/**
 * 签到管理 for the branch secretary: the rotating sign-in QR (drawn by the server as a PNG: no QR code runs on the
 * phone) with its 6-digit code under it for members without a camera, full screen for the meeting room; the live
 * list, leave decisions, 补录 (attendance-list.tsx) and the minutes (minutes-card.tsx).
 */
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

  const showFull = () =>
    process.env.TARO_ENV === 'weapp' ? void Taro.navigateTo({ url: ACTIVITY_PAGES.qr(id) }) : setFullScreen(true);
  const a = act.data;
  const list = att.data;

  if (fullScreen && qr.data && a) {
    const signedIn = list ? list.present.length + list.late.length : 0;
    return <QrFull title={a.title} qr={qr.data} signedIn={signedIn} onExit={() => setFullScreen(false)} />;
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
            <Text className="manage__title">{titleWithType(a)}</Text>
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
              <Button type="primary" size="large" block onClick={showFull} data-testid="manage-fullscreen">
                全屏显示
              </Button>
            </View>
          )}

          {list && <AttendanceList id={id} list={list} busy={busy} run={run} />}

          <MinutesCard a={a} busy={busy} run={run} />
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
