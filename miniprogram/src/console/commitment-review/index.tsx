import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { CommitmentCard, CommitmentRating } from '@pioneer/shared';
import { COMMITMENT_LIMITS as L, COMMITMENT_RATINGS, RATING_LABELS } from '@pioneer/shared/src/commitments';
import FormSubmit from '../../components/FormSubmit';
import PageContainer from '../../components/PageContainer';
import Segmented from '../../components/Segmented';
import TextField from '../../components/TextField';
import { useRequest } from '../../hooks/use-request';
import { useSession } from '../../hooks/use-session';
import { useShowCount } from '../../hooks/use-show-count';
import { ApiError } from '../../services/api-error';
import { evaluateCommitment, getCommitmentQueue, reviewCommitment } from '../../services/api';
import { CardView } from '../../pages/identity/card';
import { CommitmentBody } from '../../pages/identity/commitment';
import '../../pages/identity/index.scss';

const message = (e: unknown) => (e instanceof ApiError ? e.message : '操作失败，请重试');

function ReviewCard({ entry, onDone }: { entry: CommitmentCard; onDone: (id: string, toast: string) => void }) {
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  async function decide(decision: 'approve' | 'return') {
    if (decision === 'return' && !comment.trim()) return setError('退回时请填写修改意见');
    setBusy(true);
    setError('');
    try {
      await reviewCommitment(entry.commitment.id, { decision, comment: comment.trim() || undefined });
      onDone(entry.commitment.id, decision === 'approve' ? '已通过，已上墙' : '已退回修改');
    } catch (e) {
      setError(message(e));
      setBusy(false);
    }
  }
  return (
    <View className="section" data-testid="queue-item" data-id={entry.commitment.id}>
      <CardView card={entry.card} testId="queue-card" />
      <CommitmentBody c={entry.commitment} />
      <TextField
        label="审核意见（退回时必填）"
        value={comment}
        onChange={setComment}
        multiline
        maxLength={L.commentMax}
        testId="queue-comment"
      />
      {error && (
        <Text className="form-error" data-testid="queue-error">
          {error}
        </Text>
      )}
      <View className="actions">
        <Button size="large" block disabled={busy} onClick={() => void decide('return')} data-testid="queue-return">
          退回修改
        </Button>
        <Button
          type="primary"
          size="large"
          block
          disabled={busy}
          onClick={() => void decide('approve')}
          data-testid="queue-approve"
        >
          审核通过
        </Button>
      </View>
    </View>
  );
}

function EvaluateCard({ entry, onDone }: { entry: CommitmentCard; onDone: (id: string, toast: string) => void }) {
  const [rating, setRating] = useState<CommitmentRating>('good');
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  async function send() {
    setBusy(true);
    setError('');
    try {
      await evaluateCommitment(entry.commitment.id, { rating, comment: comment.trim() || undefined });
      onDone(entry.commitment.id, `已评为${RATING_LABELS[rating]}`);
    } catch (e) {
      setError(message(e));
      setBusy(false);
    }
  }
  return (
    <View className="section" data-testid="eval-item" data-id={entry.commitment.id}>
      <CardView card={entry.card} testId="eval-card" />
      <CommitmentBody c={entry.commitment} />
      <Segmented
        label="评价等级"
        options={COMMITMENT_RATINGS.map((r) => ({ value: r, label: RATING_LABELS[r], testId: `eval-rating-${r}` }))}
        value={rating}
        onChange={setRating}
      />
      <TextField
        label="评语（选填）"
        value={comment}
        onChange={setComment}
        multiline
        maxLength={L.commentMax}
        testId="eval-comment"
      />
      <FormSubmit error={error} disabled={busy} onSubmit={() => void send()} testId="eval-submit">
        提交评诺
      </FormSubmit>
    </View>
  );
}

type Tab = 'review' | 'evaluate';

/** 承诺审核 (待审核, oldest first) and 年终评诺 (approved, not yet evaluated) for the secretary's branch or the admin's area. */
export default function CommitmentReviewPage() {
  const loggedIn = useSession();
  const shown = useShowCount();
  const queue = useRequest(() => getCommitmentQueue(), [shown], loggedIn && shown > 0);
  const [tab, setTab] = useState<Tab>('review');
  const [done, setDone] = useState<Record<string, true>>({});
  const finish = (id: string, toast: string) => {
    setDone((d) => ({ ...d, [id]: true }));
    void Taro.showToast({ title: toast, icon: 'none' });
  };
  const submitted = (queue.data?.submitted ?? []).filter((e) => !done[e.commitment.id]);
  const toEvaluate = (queue.data?.awaitingEvaluation ?? []).filter((e) => !done[e.commitment.id]);
  const list = tab === 'review' ? submitted : toEvaluate;
  // The server sends the oldest 100 of each list (counts cover all); deciding them brings the next on reload.
  const total = (tab === 'review' ? queue.data?.counts.submitted : queue.data?.counts.awaitingEvaluation) ?? 0;
  const sent = (tab === 'review' ? queue.data?.submitted : queue.data?.awaitingEvaluation)?.length ?? 0;
  return (
    <PageContainer
      console="commitment-review"
      loggedIn={loggedIn}
      loading={queue.loading}
      hasData={!!queue.data}
      error={queue.error}
      onRetry={queue.reload}
    >
      <View className="identity">
        <Segmented
          label="审核类别"
          value={tab}
          onChange={setTab}
          options={[
            { value: 'review', label: `待审核 ${submitted.length}`, testId: 'tab-review' },
            { value: 'evaluate', label: `年终评诺 ${toEvaluate.length}`, testId: 'tab-evaluate' },
          ]}
        />
        {total > sent && (
          <Text className="section__hint" data-testid="queue-more">
            共{total}份，先显示最早的{sent}份，处理后刷新可见其余
          </Text>
        )}
        {list.length === 0 && (
          <Text className="section__hint" data-testid="queue-empty">
            {tab === 'review' ? '没有待审核的承诺' : '没有待评诺的承诺'}
          </Text>
        )}
        {tab === 'review'
          ? submitted.map((e) => <ReviewCard key={e.commitment.id} entry={e} onDone={finish} />)
          : toEvaluate.map((e) => <EvaluateCard key={e.commitment.id} entry={e} onDone={finish} />)}
      </View>
    </PageContainer>
  );
}
