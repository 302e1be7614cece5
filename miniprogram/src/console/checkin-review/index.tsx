import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { PendingItem } from '@pioneer/shared';
import { CHECKIN_FLAG_LABELS, CHECKIN_RULES } from '@pioneer/shared/src/checkins';
import PageContainer from '../../components/PageContainer';
import TextField from '../../components/TextField';
import { useRequest } from '../../hooks/use-request';
import { useSession } from '../../hooks/use-session';
import { useShowCount } from '../../hooks/use-show-count';
import { useWideScreen } from '../../hooks/use-wide-screen';
import { getPendingCheckins } from '../../services/api';
import { formatTime } from '../../utils/format';
import { formatDistance } from '../../utils/location';
import ReviewDeskTable from './desk-table';
import { useDecision, type Decision } from './use-decision';
import './index.scss';

function PendingCard({ item, onDone }: { item: PendingItem; onDone: (id: string, decision: Decision) => void }) {
  const { comment, setComment, busy, error, decide } = useDecision(item, onDone);

  return (
    <View className="review__card" data-testid="review-item" data-id={item.id}>
      <View className="review__head">
        <Text className="review__name">{item.name}</Text>
        <Text className="review__time">{formatTime(item.at)}</Text>
      </View>
      <Text className="review__line">
        {item.branchName} · 驻{item.villageName}
      </Text>
      <Text className="review__line">
        距打卡点{formatDistance(item.distanceM)} · 定位精度约{Math.round(item.accuracy)}米
      </Text>
      <Text className="review__reason" data-testid="review-reason">
        外勤说明：{item.reason ?? '（未填写）'}
      </Text>
      {item.flags.length > 0 && (
        <Text className="review__flag" data-testid="review-flags">
          存疑：{item.flags.map((f) => CHECKIN_FLAG_LABELS[f]).join('、')}
        </Text>
      )}
      <TextField
        label="审核意见（选填）"
        value={comment}
        onChange={setComment}
        maxLength={CHECKIN_RULES.commentMax}
        placeholder="例如：情况属实"
        testId="review-comment"
      />
      {error && <Text className="review__error">{error}</Text>}
      <View className="review__actions">
        <Button size="large" block disabled={busy} onClick={() => void decide('reject')} data-testid="review-reject">
          驳回
        </Button>
        <Button
          type="primary"
          size="large"
          block
          disabled={busy}
          onClick={() => void decide('approve')}
          data-testid="review-approve"
        >
          批准
        </Button>
      </View>
    </View>
  );
}

/** 外勤审核: the secretary's (or admin's) list of out-of-fence check-ins, oldest first. */
export default function CheckinReviewPage() {
  const loggedIn = useSession();
  const shown = useShowCount();
  const list = useRequest(() => getPendingCheckins(), [shown], loggedIn && shown > 0);
  const [decided, setDecided] = useState<Record<string, Decision>>({});
  const wide = useWideScreen();

  const items = (list.data?.items ?? []).filter((i) => !decided[i.id]);
  function done(id: string, decision: Decision) {
    setDecided((d) => ({ ...d, [id]: decision }));
    void Taro.showToast({ title: decision === 'approve' ? '已批准，计为出勤' : '已驳回', icon: 'none' });
  }

  return (
    <PageContainer
      console="checkin-review"
      loggedIn={loggedIn}
      loading={list.loading}
      hasData={!!list.data}
      error={list.error}
      onRetry={list.reload}
      empty={!!list.data && items.length === 0}
      emptyText="没有待审核的外勤打卡"
    >
      <View className="review">
        <Text className="review__intro">
          驻村干部在打卡范围外打卡并说明原因的，由所在支部书记审核；批准后当天计为出勤。
        </Text>
        {wide ? (
          <ReviewDeskTable items={items} onDone={done} />
        ) : (
          items.map((i) => <PendingCard key={i.id} item={i} onDone={done} />)
        )}
      </View>
    </PageContainer>
  );
}
