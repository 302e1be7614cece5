import { useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { CheckinResult, Me } from '@pioneer/shared';
import { CHECKIN_RULES, CHECKIN_STATUS_LABELS } from '@pioneer/shared/src/checkins';
import { toGcj02 } from '@pioneer/shared/src/geo';
import { dayKey, formatShanghai } from '@pioneer/shared/src/time';
// PageContainer's styles before FenceMap's, in the same order as every other page (CSS chunk order).
import PageContainer from '../../components/PageContainer';
import OfflineQueue from '../../components/OfflineQueue';
import FenceMap from '../../components/FenceMap';
import TextField from '../../components/TextField';
import { useLocation } from '../../hooks/use-location';
import { useMe } from '../../hooks/use-me';
import { useRequest } from '../../hooks/use-request';
import { ApiError } from '../../services/api-error';
import { getMyCheckins, send as sendWrite, writes } from '../../services/api';
import { enqueue } from '../../services/offline-queue';
import { formatTime } from '../../utils/format';
import { formatDistance, type Fix } from '../../utils/location';
import { CALENDAR_PAGE, Outcome } from './outcome';
import WhereAmI from './where';
import './index.scss';

type Phase =
  | { kind: 'ready' }
  | { kind: 'submitting' }
  /** The server said OUT_OF_FENCE for this fix: ask why (外勤) and send the same fix again. */
  | { kind: 'reason'; fix: Fix; message: string }
  | { kind: 'done'; result: CheckinResult }
  | { kind: 'error'; message: string }
  /** No network: kept in the offline queue, sent when the network returns. */
  | { kind: 'queued' };

/** Why this member cannot check in, or null when they can. */
export function cannotCheckIn(me: Me): string | null {
  if (!me.roles.includes('cadre')) return '驻村打卡只对驻村干部开放';
  if (!me.postedVillage) return '您还没有派驻的村，请联系组织部设置';
  if (!me.postedVillage.fence) return `${me.postedVillage.name}尚未设置打卡范围，请联系组织部`;
  return null;
}

export default function CheckinPage() {
  const me = useMe();
  const m = me.data;
  const blocked = m ? cannotCheckIn(m) : null;
  const fence = m?.postedVillage?.fence ?? null;
  const loc = useLocation();
  const [phase, setPhase] = useState<Phase>({ kind: 'ready' });
  const [reason, setReason] = useState('');
  const [sent, setSent] = useState(0);
  const today = useRequest(() => getMyCheckins(), [m, sent], !!m && !blocked);

  useEffect(() => {
    if (m && !blocked) void loc.relocate();
    // Locate once the member is known to be a cadre with a fence; 重新定位 does it again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [m?.id, blocked]);

  async function send(fix: Fix, why?: string) {
    setPhase({ kind: 'submitting' });
    const capturedAt = new Date().toISOString();
    const payload = {
      lat: fix.lat,
      lng: fix.lng,
      accuracy: fix.accuracy,
      coordType: fix.coordType,
      reason: why,
      capturedAt,
    };
    // One action, one Idempotency-Key: the queued copy of a check-in whose reply was lost is the same check-in.
    const write = writes.checkIn(payload);
    try {
      const result = await sendWrite(write);
      setPhase({ kind: 'done', result });
      setReason('');
      setSent((n) => n + 1);
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError('CLIENT_ERROR', '打卡失败，请稍后重试', 0);
      if (e instanceof ApiError && e.isNetwork) {
        // Weak network: keep it (with the device's capture time and fix) and send it when the network returns.
        enqueue({ ...write, kind: 'checkin', label: formatShanghai(capturedAt, 'M月D日 HH:mm') });
        setPhase({ kind: 'queued' });
      } else if (err.code === 'OUT_OF_FENCE') setPhase({ kind: 'reason', fix, message: err.message });
      else setPhase({ kind: 'error', message: err.message });
    }
  }

  /** A fresh fix at the moment of the tap: the one on screen may be minutes old. */
  async function tap() {
    if (phase.kind === 'submitting' || loc.locating) return;
    const fix = await loc.relocate();
    if (fix) await send(fix);
  }

  const todayItems = (today.data?.items ?? []).filter((i) => i.day === dayKey(Date.now()));

  return (
    <PageContainer
      loggedIn={me.loggedIn}
      loading={me.loading}
      hasData={!!m}
      error={me.error}
      onRetry={me.reload}
      empty={!!blocked}
      emptyText={blocked ?? undefined}
    >
      {m && fence && !blocked && (
        <View className="checkin">
          <View className="checkin__place">
            <Text className="checkin__village" data-testid="checkin-village">
              {m.postedVillage!.name}
            </Text>
            <Text className="checkin__radius">打卡范围：中心{formatDistance(fence.radiusM)}以内</Text>
          </View>

          {loc.fix && (
            <FenceMap fence={fence} me={{ ...toGcj02(loc.fix, loc.fix.coordType), accuracy: loc.fix.accuracy }} />
          )}

          <WhereAmI loc={loc} fence={fence} />

          <OfflineQueue />

          {phase.kind === 'reason' ? (
            <View className="checkin__reason" data-testid="checkin-reason">
              <Text className="checkin__reason-msg">{phase.message}</Text>
              <TextField
                label="外勤说明（必填）"
                value={reason}
                onChange={setReason}
                multiline
                maxLength={CHECKIN_RULES.reasonMax}
                placeholder="例如：到镇里参加防汛会议"
                testId="checkin-reason-input"
              />
              <Button
                type="primary"
                size="xlarge"
                block
                disabled={!reason.trim()}
                onClick={() => void send(phase.fix, reason.trim())}
                data-testid="checkin-reason-submit"
              >
                提交外勤打卡
              </Button>
              <Button
                size="large"
                block
                onClick={() => setPhase({ kind: 'ready' })}
                data-testid="checkin-reason-cancel"
              >
                取消
              </Button>
            </View>
          ) : phase.kind === 'done' ? (
            <Outcome result={phase.result} onAgain={() => setPhase({ kind: 'ready' })} />
          ) : (
            <View className="checkin__action">
              <View
                className={`checkin__button${phase.kind === 'submitting' || loc.locating ? ' checkin__button--busy' : ''}`}
                role="button"
                aria-label="打卡"
                data-testid="checkin-button"
                onClick={() => void tap()}
              >
                <Text className="checkin__button-text">{phase.kind === 'submitting' ? '提交中' : '打卡'}</Text>
                <Text className="checkin__button-time">{formatShanghai(Date.now(), 'M月D日')}</Text>
              </View>
              {phase.kind === 'queued' && (
                <Text className="checkin__warn" data-testid="checkin-queued">
                  网络不给力，打卡已保存，联网后自动提交
                </Text>
              )}
              {phase.kind === 'error' && (
                <Text className="checkin__warn" data-testid="checkin-error">
                  {phase.message}
                </Text>
              )}
            </View>
          )}

          <View className="checkin__today" data-testid="checkin-today">
            <View className="checkin__today-head">
              <Text className="checkin__today-title">今日记录</Text>
              <Text
                className="checkin__link"
                onClick={() => void Taro.navigateTo({ url: CALENDAR_PAGE })}
                data-testid="checkin-calendar-link"
              >
                我的考勤 ›
              </Text>
            </View>
            {todayItems.length === 0 ? (
              <Text className="checkin__detail">今天还没有打卡</Text>
            ) : (
              todayItems.map((i) => (
                <View key={i.id} className="checkin__today-row">
                  <Text>{formatTime(i.at).split(' ')[1]}</Text>
                  <Text className={`checkin__status checkin__status--${i.status}`}>
                    {CHECKIN_STATUS_LABELS[i.status]}
                  </Text>
                </View>
              ))
            )}
          </View>
        </View>
      )}
    </PageContainer>
  );
}
