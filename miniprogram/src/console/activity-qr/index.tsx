import { useEffect } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useRequest } from '../../hooks/use-request';
import { useSession } from '../../hooks/use-session';
import { getActivity, getActivityAttendance, getActivityQr } from '../../services/api';
import { ACTIVITY_PAGES } from '../../utils/activity';
import { queryValue } from '../../utils/quiz-nav';
import QrFull, { POLL_MS } from '../activity-manage/qr-full';
import '../activity-manage/index.scss';
import './index.scss';

/** Back to 签到管理: the page it was opened from, or (opened directly) 签到管理 of this activity. */
function leave(id: string) {
  if (Taro.getCurrentPages().length > 1) void Taro.navigateBack();
  else void Taro.redirectTo({ url: ACTIVITY_PAGES.manage(id) });
}

/**
 * The sign-in QR full screen as a page of its own, without WeChat's navigation bar (`navigationStyle: 'custom'`):
 * a page's bar cannot be hidden at run time in the weapp, so 签到管理's 全屏显示 opens this page there.
 */
export default function ActivityQrPage() {
  const id = queryValue(useRouter().params.id) ?? '';
  const loggedIn = useSession();
  const act = useRequest(() => getActivity(id), [id], loggedIn && !!id);
  const open = act.data?.status === 'open';
  const qr = useRequest(() => getActivityQr(id), [id, open], loggedIn && !!id && open);
  const att = useRequest(() => getActivityAttendance(id), [id], loggedIn && !!id && open);

  useEffect(() => {
    if (!loggedIn || !id || !open) return undefined;
    const timer = setInterval(() => {
      void qr.reload();
      void att.reload();
    }, POLL_MS);
    return () => clearInterval(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [loggedIn, id, open]);

  const list = att.data;
  if (act.data && qr.data)
    return (
      <QrFull
        title={act.data.title}
        qr={qr.data}
        signedIn={list ? list.present.length + list.late.length : 0}
        onExit={() => leave(id)}
      />
    );
  const note = !id
    ? '没有指定活动'
    : act.error || qr.error
      ? '加载失败，请返回重试'
      : act.data && !open
        ? '签到未开始或已结束'
        : '加载中…';
  return (
    <View className="qr-page" data-testid="qr-page" onClick={() => leave(id)}>
      <Text className="qr-page__note">{note}</Text>
      <Text className="qr-page__back">轻触返回</Text>
    </View>
  );
}
