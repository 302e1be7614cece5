import { useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { Seat } from '@pioneer/shared';
import { LIMITS } from '@pioneer/shared/src/orgs';
import PageContainer from '../../components/PageContainer';
import TextField from '../../components/TextField';
import { useRequest } from '../../hooks/use-request';
import { useSession } from '../../hooks/use-session';
import { getPostSeats, removeClaim } from '../../services/api';
import { formatTime } from '../../utils/format';
import { queryValue } from '../../utils/quiz-nav';
import { formatHours } from '../../utils/service-format';
import './index.scss';

/** One seat: who holds it since when, the service confirmed; 移出 asks for a reason (it is audited). */
function SeatRow({ seat, index, onRemoved }: { seat: Seat; index: number; onRemoved: () => void }) {
  const [removing, setRemoving] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);

  async function remove() {
    if (reason.trim().length < 2) {
      void Taro.showToast({ title: '请填写移出理由', icon: 'none' });
      return;
    }
    setBusy(true);
    try {
      await removeClaim(seat.claimId, { reason: reason.trim() });
      void Taro.showToast({ title: '已移出', icon: 'success' });
      onRemoved();
    } catch {
      // request() showed why
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className="seats__row" data-testid="seat-row">
      <View className="seats__line">
        <Text className="seats__no">{index + 1}</Text>
        <View className="seats__who">
          <Text className="seats__name">{seat.name}</Text>
          <Text className="seats__sub">{`${seat.orgName} · ${formatTime(seat.claimedAt)} 认领`}</Text>
          <Text className="seats__sub">{`已确认服务 ${formatHours(seat.hours)} 小时 · 解决 ${seat.resolved} 件`}</Text>
        </View>
        {!removing && (
          <Button onClick={() => setRemoving(true)} data-testid="seat-remove">
            移出
          </Button>
        )}
      </View>
      {removing && (
        <View className="seats__remove">
          <TextField
            label="移出理由（记入操作日志）"
            value={reason}
            maxLength={LIMITS.reasonMax}
            onChange={setReason}
            testId="seat-reason"
          />
          <View className="seats__buttons">
            <Button size="large" onClick={() => setRemoving(false)}>
              取消
            </Button>
            <Button
              type="primary"
              size="large"
              loading={busy}
              onClick={() => void remove()}
              data-testid="seat-remove-confirm"
            >
              确认移出
            </Button>
          </View>
        </View>
      )}
    </View>
  );
}

/** 认领人员: who holds which seat of a post (secretary / admin). */
export default function PostSeats() {
  const loggedIn = useSession();
  const id = queryValue(useRouter().params.id) ?? '';
  const seats = useRequest(() => getPostSeats(id), [id], loggedIn && !!id);
  const s = seats.data;
  return (
    <PageContainer
      console="service-admin"
      className="seats"
      loggedIn={loggedIn}
      loading={seats.loading}
      hasData={!!s}
      error={seats.error}
      onRetry={seats.reload}
    >
      {s && (
        <View className="seats__card">
          <Text className="seats__title">{s.post.title}</Text>
          <Text
            className="seats__count"
            data-testid="seats-count"
          >{`已认领 ${s.seats.length} / ${s.post.capacity} 个名额`}</Text>
          {s.seats.length === 0 ? (
            <Text className="seats__none">还没有党员认领</Text>
          ) : (
            s.seats.map((seat, i) => (
              <SeatRow key={seat.claimId} seat={seat} index={i} onRemoved={() => void seats.reload()} />
            ))
          )}
        </View>
      )}
    </PageContainer>
  );
}
