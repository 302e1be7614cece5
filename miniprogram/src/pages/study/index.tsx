import type { ReactNode } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { QuizKind, QuizToday } from '@pioneer/shared';
import { CHALLENGE_STREAK_TO_PAY, QUIZ_RULES } from '@pioneer/shared/src/quiz';
import PageContainer from '../../components/PageContainer';
import { usePointRules, type PointRules } from '../../hooks/use-point-rules';
import { useRequest } from '../../hooks/use-request';
import { useSession } from '../../hooks/use-session';
import { useShowCount } from '../../hooks/use-show-count';
import { getQuizToday } from '../../services/api';
import { MISTAKES_PAGE, openQuiz } from '../../utils/quiz-nav';
import { getStudyToday } from '../../services/study-api';
import Articles from './articles';
import TodayCard from './today-card';
import './index.scss';

const sizeText = (kind: QuizKind) =>
  `${QUIZ_RULES[kind].questions}道题 · 限时${Math.round(QUIZ_RULES[kind].seconds / 60)}分钟`;
export const challengeRule = (rules: PointRules) =>
  `连续答对${CHALLENGE_STREAK_TO_PAY}题得${rules.pays('challenge_quiz')}分，每天一次`;

function Status({ done, yes, no }: { done: boolean; yes: string; no: string }) {
  return <Text className={`study__status${done ? ' study__status--done' : ''}`}>{done ? `✓ ${yes}` : no}</Text>;
}

function Daily({ today, rules }: { today: QuizToday; rules: PointRules }) {
  const { done, pointsToday } = today.daily;
  return (
    <View className="study__daily" data-testid="study-daily">
      <View className="study__head">
        <Text className="study__title study__title--big">每日答题</Text>
        <Status done={done} yes="今日已完成" no="今日未完成" />
      </View>
      <View className="study__points">
        <Text className="study__points-num" data-testid="study-daily-points">
          {pointsToday}
        </Text>
        <Text className="study__points-unit">分 今日答题得分</Text>
      </View>
      <Text className="study__rule">
        {sizeText('daily')} · {rules.rule('daily_quiz').earns}
      </Text>
      <Button type="primary" size="xlarge" block onClick={() => openQuiz('daily')} data-testid="study-daily-start">
        {done ? '再练一次' : '开始答题'}
      </Button>
    </View>
  );
}

interface KindCardProps {
  title: string;
  rule: string;
  status: ReactNode;
  action: string;
  testId: string;
  onStart: () => void;
}

function KindCard(p: KindCardProps) {
  return (
    <View className="study__card">
      <View className="study__card-main">
        <View className="study__head">
          <Text className="study__title">{p.title}</Text>
          {p.status}
        </View>
        <Text className="study__rule">{p.rule}</Text>
      </View>
      <View className="study__card-action">
        <Button type="primary" size="large" block onClick={p.onStart} data-testid={p.testId}>
          {p.action}
        </Button>
      </View>
    </View>
  );
}

export default function Study() {
  const loggedIn = useSession();
  const shown = useShowCount();
  const today = useRequest(getQuizToday, [shown], loggedIn && shown > 0);
  const t = today.data;
  const rules = usePointRules();
  // The daily card is its own request: a failure there leaves the quizzes usable.
  const card = useRequest(getStudyToday, [shown], loggedIn && shown > 0);

  return (
    <PageContainer
      className="study"
      loggedIn={loggedIn}
      loading={today.loading}
      hasData={!!t}
      error={today.error}
      onRetry={today.reload}
    >
      {t && (
        <>
          {card.data && <TodayCard today={card.data} />}
          <Daily today={t} rules={rules} />

          <KindCard
            title="每周答题"
            status={<Status done={t.weekly.done} yes="本周已完成" no="本周未完成" />}
            rule={`${sizeText('weekly')} · ${rules.rule('weekly_quiz').earns}`}
            action={t.weekly.done ? '再练一次' : '开始答题'}
            testId="study-weekly-start"
            onStart={() => openQuiz('weekly')}
          />
          <KindCard
            title="挑战答题"
            status={<Status done={t.challenge.paidToday} yes="今日已得分" no="今日未得分" />}
            rule={`${challengeRule(rules)}，答错即结束`}
            action={t.challenge.paidToday ? '再挑战' : '开始挑战'}
            testId="study-challenge-start"
            onStart={() => openQuiz('challenge')}
          />

          <View className="study__list">
            <View
              className="study__row study__row--link"
              data-testid="study-mistakes"
              onClick={() => void Taro.navigateTo({ url: MISTAKES_PAGE })}
            >
              <Text className="study__row-title">错题本</Text>
              <Text className="study__row-sub">{t.mistakes > 0 ? `${t.mistakes} 道错题待巩固` : '暂无错题'}</Text>
              <Text className="study__arrow">›</Text>
            </View>
          </View>

          <Text className="study__section">专项答题</Text>
          <Text className="study__section-sub">{`每个专题${QUIZ_RULES.topic.questions}道题 · ${rules.rule('topic_quiz').earns}`}</Text>
          {t.topics.length === 0 ? (
            <Text className="study__none">暂无专题</Text>
          ) : (
            <View className="study__list">
              {t.topics.map((topic) => (
                <View
                  key={topic.tag}
                  className="study__row study__row--link"
                  data-testid={`study-topic-${topic.tag}`}
                  onClick={() => openQuiz('topic', topic.tag)}
                >
                  <Text className="study__row-title">{topic.tag}</Text>
                  <Text className="study__row-sub">{topic.questions} 题</Text>
                  {topic.done && <Text className="study__done">✓ 已完成</Text>}
                  <Text className="study__arrow">›</Text>
                </View>
              ))}
            </View>
          )}
          <Articles shown={shown} />
        </>
      )}
    </PageContainer>
  );
}
