import { useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { CHALLENGE_STREAK_TO_PAY, QUIZ_KIND_LABELS } from '@pioneer/shared/src/quiz';
import AnswerReview from '../../components/AnswerReview';
import PageContainer from '../../components/PageContainer';
import { useMe } from '../../hooks/use-me';
import { DEFAULT_RULES, usePointRules } from '../../hooks/use-point-rules';
import { useRequest } from '../../hooks/use-request';
import { getMemberBoard } from '../../services/api';
import { loadResult, type StoredResult } from '../../services/quiz-result-store';
import { backToStudy, MISTAKES_PAGE, queryValue } from '../../utils/quiz-nav';
import './index.scss';

/**
 * What the points line says: earned, practice, or why a paying attempt earned nothing. `challengePoints`: what a
 * paying streak earns under the rules in force (the page reads them; the default table otherwise).
 */
export function pointsText(
  { result, pays, streak }: StoredResult,
  challengePoints = DEFAULT_RULES.pays('challenge_quiz'),
): { main: string; note?: string } {
  if (result.pointsAwarded > 0) return { main: `+${result.pointsAwarded} 积分` };
  if (!pays)
    return { main: '本次不计分', note: result.kind === 'mistakes' ? '错题练习不计积分' : '已经交过卷，这次是练习' };
  if (result.kind === 'challenge' && (streak ?? 0) < CHALLENGE_STREAK_TO_PAY)
    return { main: '+0 积分', note: `连续答对${CHALLENGE_STREAK_TO_PAY}题可得${challengePoints}分，明天再来挑战` };
  return { main: '+0 积分' };
}

function Rank() {
  const me = useMe();
  const orgId = me.data?.org?.id;
  const board = useRequest(() => getMemberBoard({ scope: orgId ?? '', period: 'month', limit: 0 }), [orgId], !!orgId);
  const text = !me.data
    ? '…'
    : !orgId
      ? '加入党支部后可看排名'
      : board.data?.me
        ? `第${board.data.me.rank}名`
        : board.loading
          ? '…'
          : '暂无排名';
  return (
    <View className="result__stat">
      <Text className="result__stat-num result__stat-num--small" data-testid="result-rank">
        {text}
      </Text>
      <Text className="result__stat-label">本月支部排名</Text>
    </View>
  );
}

export default function QuizResult() {
  const { params } = useRouter();
  // Read once: the store keeps only the latest result, and this page shows the one it was opened for.
  const [entry] = useState(() => loadResult(queryValue(params.id) ?? ''));
  const r = entry?.result;
  const challengePoints = usePointRules().pays('challenge_quiz');
  const points = entry ? pointsText(entry, challengePoints) : null;
  const wrong = r ? r.results.filter((x) => !x.correct).length : 0;

  return (
    <PageContainer className="result" empty={!entry} emptyText="没有找到这次答题的结果，可以在学习页重新开始">
      {r && points && (
        <>
          <View className="result__hero">
            <Text className="result__kind">
              {QUIZ_KIND_LABELS[r.kind]}
              {entry?.topic ? ` · ${entry.topic}` : ''}
            </Text>
            <Text className="result__score" data-testid="result-score">
              答对 {r.correct} / {r.total} 题
            </Text>
            {r.kind === 'challenge' && entry?.streak !== undefined && (
              <Text className="result__streak">最多连续答对 {entry.streak} 题</Text>
            )}
          </View>

          <View className="result__stats">
            <View className="result__stat">
              <Text
                className={`result__stat-num${r.pointsAwarded > 0 ? '' : ' result__stat-num--small'}`}
                data-testid="result-points"
              >
                {points.main}
              </Text>
              <Text className="result__stat-label">{points.note ?? '本次得分'}</Text>
            </View>
            <Rank />
          </View>

          <View className="result__buttons">
            <View className="result__button">
              <Button type="primary" size="large" block onClick={backToStudy} data-testid="result-back">
                返回学习
              </Button>
            </View>
            {wrong > 0 && (
              <View className="result__button">
                <Button
                  size="large"
                  block
                  onClick={() => void Taro.navigateTo({ url: MISTAKES_PAGE })}
                  data-testid="result-mistakes"
                >
                  看错题本
                </Button>
              </View>
            )}
          </View>

          <Text className="result__section">答题详情</Text>
          {r.results.map((x, i) => (
            <AnswerReview
              key={x.questionId}
              testId="result-item"
              index={i + 1}
              stem={x.stem}
              options={x.options}
              answer={x.answer}
              choice={x.choice}
              correct={x.correct}
              explanation={x.explanation}
            />
          ))}
        </>
      )}
    </PageContainer>
  );
}
