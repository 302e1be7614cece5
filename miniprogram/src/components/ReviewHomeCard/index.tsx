import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { Me } from '@pioneer/shared';
import { formatShanghai } from '@pioneer/shared/src/time';
import { useRequest } from '../../hooks/use-request';
import { getCurrentReview } from '../../services/reviews-api';
import '../ActivityHomeCard/index.scss';

export const REVIEW_VOTE_PAGE = '/pages/review-vote/index';

/** 首页: while the branch's 民主评议 is open and the member has not voted, a way to the ballot; otherwise nothing. */
export default function ReviewHomeCard({ me }: { me: Me }) {
  const current = useRequest(getCurrentReview, [me.id], !!me.org);
  const round = current.data?.round;
  if (!me.org || !round || round.closed || !round.canVote || round.hasVoted) return null;
  return (
    <View
      className="activity-card"
      data-testid="home-review"
      onClick={() => void Taro.navigateTo({ url: REVIEW_VOTE_PAGE })}
    >
      <View className="activity-card__main">
        <Text className="activity-card__title">民主评议</Text>
        <Text className="activity-card__desc">
          {round.year}年度民主评议党员 · 截止 {formatShanghai(round.closesAt, 'MM-DD HH:mm')}
        </Text>
      </View>
      <Text className="activity-card__action activity-card__action--hot">去投票</Text>
    </View>
  );
}
