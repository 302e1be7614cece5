import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import PageContainer from '../../components/PageContainer';
import RecordCard from '../../components/RecordCard';
import WishCard from '../../components/WishCard';
import { useRequest } from '../../hooks/use-request';
import { confirmRecord, confirmWish, listRecords, listWishes, rejectRecord, returnWish } from '../../services/api';
import ReviewButtons from './review-buttons';

const MAX_SHOWN = 100;

async function loadQueue() {
  const [records, wishes] = await Promise.all([
    listRecords({ status: 'pending', limit: MAX_SHOWN }),
    listWishes({ managed: 'true', status: 'fulfilled', limit: MAX_SHOWN }),
  ]);
  return { records: records.items, wishes: wishes.items };
}

/** 待确认: service records and fulfilled wishes waiting for this secretary; confirming is what pays the points. */
export default function ReviewTab() {
  const queue = useRequest(loadQueue, []);
  const q = queue.data;
  const done = (title: string) => async () => {
    void Taro.showToast({ title, icon: 'success' });
    await queue.reload();
  };
  // request() toasts the server's reason when a review fails (already reviewed...); show the queue as it is now.
  const attempt = (fn: () => Promise<unknown>, title: string) => fn().then(done(title), () => queue.reload());

  return (
    <PageContainer
      inline
      loading={queue.loading}
      hasData={!!q}
      error={queue.error}
      onRetry={queue.reload}
      empty={!!q && q.records.length === 0 && q.wishes.length === 0}
      emptyText="没有待确认的服务记录和心愿"
    >
      {q && q.records.length > 0 && (
        <View className="sa__card">
          <Text className="sa__section">{`服务记录（${q.records.length}）`}</Text>
          {q.records.map((r) => (
            <RecordCard key={r.id} record={r} showMember>
              <ReviewButtons
                testId="review-record"
                onConfirm={() => attempt(() => confirmRecord(r.id), '已确认')}
                onReturn={(comment) => attempt(() => rejectRecord(r.id, comment ? { comment } : {}), '已退回')}
              />
            </RecordCard>
          ))}
        </View>
      )}
      {q && q.wishes.length > 0 && (
        <Text className="sa__section sa__section--out">{`微心愿（${q.wishes.length}）`}</Text>
      )}
      {q?.wishes.map((w) => (
        <WishCard key={w.id} wish={w}>
          <ReviewButtons
            testId="review-wish"
            onConfirm={() => attempt(() => confirmWish(w.id), '已确认')}
            onReturn={(comment) => attempt(() => returnWish(w.id, comment ? { comment } : {}), '已退回')}
          />
        </WishCard>
      ))}
    </PageContainer>
  );
}
