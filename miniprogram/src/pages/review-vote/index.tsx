import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { ReviewGrade, ReviewRound } from '@pioneer/shared';
import { REVIEW_COMMENT_MAX, REVIEW_GRADES, REVIEW_GRADE_LABELS } from '@pioneer/shared/src/reviews';
import { formatShanghai } from '@pioneer/shared/src/time';
import PageContainer from '../../components/PageContainer';
import TextField from '../../components/TextField';
import { useRequest } from '../../hooks/use-request';
import { useMe } from '../../hooks/use-me';
import { useSession } from '../../hooks/use-session';
import { useShowCount } from '../../hooks/use-show-count';
import { ApiError } from '../../services/api-error';
import { castBallot, getCurrentReview } from '../../services/reviews-api';
import { MyRectify } from './my-rectify';
import { MyLifeCheck } from './my-life';
import './index.scss';

const message = (e: unknown) => (e instanceof ApiError ? e.message : '提交失败，请重试');
const needsComment = (g: ReviewGrade | undefined) => g === 'basic' || g === 'unqualified';

function MemberCard({
  name,
  self,
  grade,
  comment,
  onGrade,
  onComment,
  index,
}: {
  name: string;
  self: boolean;
  grade?: ReviewGrade;
  comment: string;
  index: number;
  onGrade: (g: ReviewGrade) => void;
  onComment: (c: string) => void;
}) {
  return (
    <View className="review__card" data-testid="review-member">
      <Text className="review__name">
        {name}
        {self ? '（本人自评）' : ''}
      </Text>
      <View className="review__grades">
        {REVIEW_GRADES.map((g) => (
          <View
            key={g}
            className={`review__grade${grade === g ? ' review__grade--active' : ''}`}
            data-testid={`grade-${index}-${g}`}
            onClick={() => onGrade(g)}
          >
            {REVIEW_GRADE_LABELS[g]}
          </View>
        ))}
      </View>
      {needsComment(grade) && (
        <TextField
          label="意见（选填）"
          value={comment}
          onChange={onComment}
          maxLength={REVIEW_COMMENT_MAX}
          testId={`comment-${index}`}
        />
      )}
    </View>
  );
}

function Ballot({ round, me, onDone }: { round: ReviewRound; me: string | undefined; onDone: () => void }) {
  const [grades, setGrades] = useState<Record<string, ReviewGrade>>({});
  const [comments, setComments] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const missing = round.members.filter((m) => !grades[m.id]).length;
  async function submit() {
    if (missing > 0) return setError(`还有${missing}位党员未评议，请为每位党员（含本人）选择等次`);
    setBusy(true);
    setError('');
    try {
      const ratings = round.members.map((m) => {
        const comment = needsComment(grades[m.id]) ? (comments[m.id] ?? '').trim() : '';
        return { memberId: m.id, grade: grades[m.id], ...(comment ? { comment } : {}) };
      });
      await castBallot(round.branchId, round.year, { ratings });
      void Taro.showToast({ title: '投票成功', icon: 'none' });
      onDone();
    } catch (e) {
      setError(message(e));
      setBusy(false);
    }
  }
  return (
    <View>
      {round.members.map((m, i) => (
        <MemberCard
          key={m.id}
          index={i}
          name={m.name}
          self={m.id === me}
          grade={grades[m.id]}
          comment={comments[m.id] ?? ''}
          onGrade={(g) => setGrades((x) => ({ ...x, [m.id]: g }))}
          onComment={(c) => setComments((x) => ({ ...x, [m.id]: c }))}
        />
      ))}
      {error && (
        <Text className="review__error" data-testid="review-error">
          {error}
        </Text>
      )}
      <View className="review__submit">
        <Button
          type="primary"
          size="large"
          block
          disabled={busy}
          onClick={() => void submit()}
          data-testid="review-submit"
        >
          提交评议（无记名）
        </Button>
      </View>
    </View>
  );
}

/** 民主评议党员: the member's secret ballot for their branch's round. The server keeps no link from the ballot to the voter. */
export default function ReviewVotePage() {
  const loggedIn = useSession();
  const shown = useShowCount();
  const [sent, setSent] = useState(0);
  const current = useRequest(() => getCurrentReview(), [shown, sent], loggedIn && shown > 0);
  const round = current.data?.round ?? null;
  const meDoc = useMe().data;
  const me = meDoc?.id;
  return (
    <PageContainer
      loggedIn={loggedIn}
      loading={current.loading}
      hasData={!!current.data}
      error={current.error}
      onRetry={current.reload}
    >
      <View className="review">
        <View className="review__card">
          <Text className="review__title" data-testid="review-title">
            {round ? `${round.branchName} ${round.year}年度民主评议` : '民主评议党员'}
          </Text>
          {!round && (
            <Text className="review__hint" data-testid="review-none">
              本支部暂无进行中的民主评议
            </Text>
          )}
          {round && (
            <Text className="review__hint">
              {round.closed ? '本轮评议已结束' : `截止 ${formatShanghai(round.closesAt, 'YYYY-MM-DD HH:mm')}`}。已有
              {round.voterCount}人投票。
              投票为无记名：系统只记录“已投票”，不记录您投给谁；任何人（包括书记）都看不到您的选票。
            </Text>
          )}
          {round && round.hasVoted && (
            <Text className="review__hint" data-testid="review-voted">
              您已完成本轮评议，感谢参与。
            </Text>
          )}
          {round && !round.canVote && (
            <Text className="review__hint" data-testid="review-not-elector">
              您不在本轮评议的党员名单中。
            </Text>
          )}
        </View>
        {round && round.canVote && !round.hasVoted && !round.closed && (
          <Ballot round={round} me={me} onDone={() => setSent((n) => n + 1)} />
        )}
        {meDoc?.org && <MyLifeCheck branchId={meDoc.org.id} />}
        {meDoc?.org && <MyRectify branchId={meDoc.org.id} meId={meDoc.id} />}
      </View>
    </PageContainer>
  );
}
