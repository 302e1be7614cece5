import { useRef, useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { Answer, OptionKey } from '@pioneer/shared';
import { QUIZ_KIND_LABELS } from '@pioneer/shared/src/quiz';
import QuestionView from '../../components/QuestionView';
import { formatClock, useCountdown } from '../../hooks/use-countdown';
import { send, writes } from '../../services/api';
import { enqueue } from '../../services/offline-queue';
import { clearAnswers, loadAnswers, saveAnswers, type PaperAnswers } from '../../services/quiz-answers-store';
import { ApiError } from '../../services/api-error';
import type { QuizRunProps } from './index';
import { PRACTICE_NOTES } from './notes';

export const URGENT_SECONDS = 60;

export function Clock({ seconds }: { seconds: number | null }) {
  const s = seconds ?? 0;
  return (
    <Text
      className={`quiz__clock${s < URGENT_SECONDS ? ' quiz__clock--urgent' : ''}`}
      data-testid="quiz-countdown"
      aria-label="剩余时间"
    >
      {formatClock(s)}
    </Text>
  );
}

/** Where a resumed paper opens: the first question without an answer (the last one if all are answered). */
function firstUnanswered(questions: QuizRunProps['attempt']['questions'], answers: PaperAnswers): number {
  const i = questions.findIndex((q) => !answers[q.id]?.length);
  return i === -1 ? Math.max(questions.length - 1, 0) : i;
}

/** A paper (daily, weekly, topic, mistakes): one question per screen, hand in on the last or when time is up. */
export default function Paper({ attempt, deadline, onFinish, onExpired }: QuizRunProps) {
  const questions = attempt.questions;
  // A resumed paper: the answers given before leaving come back, and it opens at the first one still unanswered.
  const [answers, setAnswers] = useState<PaperAnswers>(() => loadAnswers(attempt.id));
  const [index, setIndex] = useState(() => firstUnanswered(questions, answers));
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState<string>();
  const sending = useRef(false);

  const unanswered = questions.filter((q) => !answers[q.id]?.length).length;

  async function handIn(auto: boolean) {
    if (sending.current) return;
    if (!auto && unanswered > 0) {
      const { confirm } = await Taro.showModal({
        title: '确定交卷吗？',
        // The first hand-in of the day (week, topic) is the one that counts, whatever it scores: say so first.
        content: `还有 ${unanswered} 题没有作答，交卷后未答的题按答错计。${attempt.pays ? '只有第一次交卷计分。' : ''}`,
        confirmText: '交卷',
        cancelText: '继续答题',
        confirmColor: '#C8161D',
      });
      if (!confirm) return;
    }
    sending.current = true;
    setBusy(true);
    setFailed(undefined);
    const sheet: Answer[] = questions.map((q) => ({ questionId: q.id, choice: answers[q.id] ?? [] }));
    const write = writes.submitAttempt({ answers: sheet }, attempt.id);
    try {
      const result = await send(write);
      clearAnswers(attempt.id);
      onFinish(result);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'ATTEMPT_EXPIRED') onExpired();
      else if (e instanceof ApiError && e.isNetwork) {
        // Weak network: the answer sheet waits in the offline queue and is handed in when the network returns.
        enqueue({ ...write, kind: 'quiz-submit', label: '答题交卷' });
        setFailed('网络不给力，答卷已保存，联网后自动提交');
      } else setFailed(e instanceof ApiError ? e.message : '交卷失败，请重试');
    } finally {
      sending.current = false;
      setBusy(false);
    }
  }

  function answer(questionId: string, choice: OptionKey[]) {
    const next = { ...answers, [questionId]: choice };
    setAnswers(next);
    saveAnswers(attempt.id, next);
  }

  const seconds = useCountdown(deadline, () => void handIn(true));
  const timeUp = seconds === 0;
  const q = questions[index];
  const last = index === questions.length - 1;

  return (
    <View className="quiz__run">
      <View className="quiz__bar">
        <View className="quiz__bar-main">
          <Text className="quiz__kind">
            {QUIZ_KIND_LABELS[attempt.kind]}
            {attempt.topic ? ` · ${attempt.topic}` : ''}
          </Text>
          <Text className="quiz__progress" data-testid="quiz-progress">
            第{index + 1}题 / 共{questions.length}题
          </Text>
        </View>
        <Clock seconds={seconds} />
      </View>

      {attempt.resumed && (
        <Text className="quiz__notice" data-testid="quiz-resumed">
          接着上次没答完的这组题继续，已经答过的都还在，时间也接着算。
        </Text>
      )}

      {!attempt.pays && (
        <Text className="quiz__notice" data-testid="quiz-practice">
          {PRACTICE_NOTES[attempt.kind]}
        </Text>
      )}

      <QuestionView
        key={q.id}
        question={q}
        selected={answers[q.id] ?? []}
        disabled={busy || timeUp}
        onChange={(choice) => answer(q.id, choice)}
      />

      {failed && (
        <Text className="quiz__failed" data-testid="quiz-failed">
          交卷没有成功：{failed}。答案还在，请点“交卷”再试一次。
        </Text>
      )}

      <Text className="quiz__answered">
        已答 {questions.length - unanswered} / {questions.length} 题
      </Text>

      <View className="quiz__actions">
        <View className="quiz__action">
          <Button
            size="large"
            block
            disabled={index === 0 || busy}
            onClick={() => setIndex(index - 1)}
            data-testid="quiz-prev"
          >
            上一题
          </Button>
        </View>
        <View className="quiz__action">
          {last || timeUp ? (
            <Button
              type="primary"
              size="large"
              block
              loading={busy}
              onClick={() => void handIn(timeUp)}
              data-testid="quiz-submit"
            >
              交卷
            </Button>
          ) : (
            <Button type="primary" size="large" block onClick={() => setIndex(index + 1)} data-testid="quiz-next">
              下一题
            </Button>
          )}
        </View>
      </View>
    </View>
  );
}
