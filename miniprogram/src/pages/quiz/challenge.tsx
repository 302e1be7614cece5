import { useRef, useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { AttemptResult, OptionKey, QuizQuestion } from '@pioneer/shared';
import { CHALLENGE_STREAK_TO_PAY } from '@pioneer/shared/src/quiz';
import QuestionView from '../../components/QuestionView';
import { useCountdown } from '../../hooks/use-countdown';
import { usePointRules } from '../../hooks/use-point-rules';
import { answerChallenge, submitAttempt } from '../../services/api';
import { ApiError } from '../../services/api-error';
import type { QuizRunProps } from './index';
import { PRACTICE_NOTES } from './notes';
import { Clock } from './paper';

/** `points`: what a paying streak earns under the rules in force. */
export function streakNote(streak: number, pays: boolean, points: number): string {
  if (!pays) return `已连续答对 ${streak} 题`;
  if (streak >= CHALLENGE_STREAK_TO_PAY) return `已连续答对 ${streak} 题，今天的 ${points} 分已到手`;
  return `已连续答对 ${streak} 题，再对 ${CHALLENGE_STREAK_TO_PAY - streak} 题得 ${points} 分`;
}

/**
 * 挑战答题: one question at a time, checked at once. Right -> 答对了 and the next question; wrong (or the bank
 * runs out) -> the result. The member may also stop after a right answer, or the clock stops the run.
 */
export default function Challenge({ attempt, deadline, onFinish, onExpired }: QuizRunProps) {
  const [question, setQuestion] = useState<QuizQuestion | undefined>(attempt.questions[0]);
  const challengePoints = usePointRules().pays('challenge_quiz');
  const [choice, setChoice] = useState<OptionKey[]>([]);
  const [streak, setStreak] = useState(0);
  /** After a right answer: the question that comes next. */
  const [upNext, setUpNext] = useState<QuizQuestion | null>(null);
  const [busy, setBusy] = useState(false);
  const sending = useRef(false);

  async function send<T>(call: () => Promise<T>, then: (value: T) => void | Promise<void>) {
    if (sending.current) return;
    sending.current = true;
    setBusy(true);
    try {
      await then(await call());
    } catch (e) {
      if (e instanceof ApiError && e.code === 'ATTEMPT_EXPIRED') onExpired();
      else void Taro.showToast({ title: e instanceof ApiError ? e.message : '提交失败，请重试', icon: 'none' });
    } finally {
      sending.current = false;
      setBusy(false);
    }
  }

  /** Ends the run where it stands: every step is already recorded by the server. */
  const stop = () =>
    send(
      () => submitAttempt(attempt.id, { answers: [] }),
      (r: AttemptResult) => onFinish(r, streak),
    );

  const check = (q: QuizQuestion) =>
    send(
      () => answerChallenge(attempt.id, { questionId: q.id, choice }),
      async (step) => {
        const best = Math.max(streak, step.streak);
        if (step.correct && step.next) {
          setStreak(step.streak);
          setUpNext(step.next);
        } else if (step.result) {
          onFinish(step.result, best);
        } else {
          // Right, but nothing follows and no result came with it: ask for the result.
          onFinish(await submitAttempt(attempt.id, { answers: [] }), best);
        }
      },
    );

  const seconds = useCountdown(deadline, () => void stop());

  function goOn() {
    setQuestion(upNext ?? undefined);
    setUpNext(null);
    setChoice([]);
  }

  if (!question) return null;
  return (
    <View className="quiz__run">
      <View className="quiz__bar">
        <View className="quiz__bar-main">
          <Text className="quiz__kind">挑战答题</Text>
          <Text className="quiz__progress" data-testid="quiz-streak">
            连对 {streak} 题
          </Text>
        </View>
        <Clock seconds={seconds} />
      </View>

      <Text
        className={`quiz__notice${attempt.pays ? ' quiz__notice--rule' : ''}`}
        data-testid={attempt.pays ? undefined : 'quiz-practice'}
      >
        {attempt.pays
          ? `连续答对${CHALLENGE_STREAK_TO_PAY}题得${challengePoints}分，答错即结束`
          : PRACTICE_NOTES.challenge}
      </Text>

      <QuestionView
        key={question.id}
        question={question}
        selected={choice}
        onChange={setChoice}
        disabled={busy || !!upNext}
        right={!!upNext}
      />

      {upNext && (
        <View className="quiz__feedback" data-testid="quiz-feedback" role="status">
          <Text className="quiz__feedback-title">✓ 答对了，继续！</Text>
          <Text className="quiz__feedback-text">{streakNote(streak, attempt.pays, challengePoints)}</Text>
        </View>
      )}

      <View className="quiz__actions">
        {upNext ? (
          <>
            <View className="quiz__action">
              <Button size="large" block disabled={busy} onClick={() => void stop()} data-testid="quiz-stop">
                结束挑战
              </Button>
            </View>
            <View className="quiz__action">
              <Button type="primary" size="large" block disabled={busy} onClick={goOn} data-testid="quiz-next">
                下一题
              </Button>
            </View>
          </>
        ) : (
          <View className="quiz__action">
            <Button
              type="primary"
              size="large"
              block
              loading={busy}
              disabled={choice.length === 0}
              onClick={() => void check(question)}
              data-testid="quiz-submit"
            >
              {choice.length === 0 ? '请选择答案' : '确定'}
            </Button>
          </View>
        )}
      </View>
    </View>
  );
}
