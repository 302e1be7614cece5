import { useMemo, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { Attempt, AttemptResult, QuizKind, StartAttemptBody } from '@pioneer/shared';
import { QUIZ_KINDS } from '@pioneer/shared/src/quiz';
import PageContainer from '../../components/PageContainer';
import { useRequest } from '../../hooks/use-request';
import { useSession } from '../../hooks/use-session';
import { startAttempt } from '../../services/api';
import { saveResult } from '../../services/quiz-result-store';
import { backToStudy, queryValue, resultUrl } from '../../utils/quiz-nav';
import Challenge from './challenge';
import Paper from './paper';
import './index.scss';

/**
 * Submit this long before the server's expiresAt: the reply takes time to travel, and an answer sheet that lands
 * a moment late is refused (ATTEMPT_EXPIRED) and lost.
 */
export const SUBMIT_MARGIN_MS = 3000;

export function parseQuizParams(params: Partial<Record<string, string>>): StartAttemptBody | null {
  const kind = params.kind;
  if (!kind || !(QUIZ_KINDS as readonly string[]).includes(kind)) return null;
  if (kind !== 'topic') return { kind: kind as QuizKind };
  const topic = queryValue(params.topic);
  return topic ? { kind, topic } : null;
}

/**
 * The local moment to hand in: the attempt's length counted from when its reply arrived, so a phone whose clock
 * is off does not cut the time short or run past the server's.
 */
export function deadlineOf(attempt: Attempt, receivedAt: number): number {
  // A resumed paper has less than its full length left: the server says how much.
  const leftMs =
    attempt.secondsLeft !== undefined
      ? attempt.secondsLeft * 1000
      : Date.parse(attempt.expiresAt) - Date.parse(attempt.startedAt);
  return receivedAt + leftMs - SUBMIT_MARGIN_MS;
}

export interface QuizRunProps {
  attempt: Attempt;
  deadline: number;
  /** The attempt is over: show its result. */
  onFinish: (result: AttemptResult, streak?: number) => void;
  /** The server said the time ran out before the answers arrived. */
  onExpired: () => void;
}

function Expired() {
  return (
    <View className="quiz__ended-wrap">
      <View className="quiz__ended" data-testid="quiz-expired">
        <Text className="quiz__ended-title">答题时间已到</Text>
        <Text className="quiz__ended-text">这次作答超过了规定时间，没能交卷，不计分。可以回到学习页重新开始。</Text>
        <Button type="primary" size="large" block onClick={backToStudy} data-testid="quiz-back">
          返回学习
        </Button>
      </View>
    </View>
  );
}

export default function QuizPage() {
  const loggedIn = useSession();
  const { params } = useRouter();
  const body = parseQuizParams(params);
  const attempt = useRequest(() => startAttempt(body as StartAttemptBody), [], loggedIn && body !== null);
  const [expired, setExpired] = useState(false);
  const a = attempt.data;
  const deadline = useMemo(() => (a ? deadlineOf(a, Date.now()) : null), [a]);

  function finish(result: AttemptResult, streak?: number) {
    saveResult({ result, pays: a?.pays ?? false, streak, topic: a?.topic });
    // Replace the quiz page: 返回 from the result must not reopen a finished paper.
    void Taro.redirectTo({ url: resultUrl(result.attemptId) });
  }

  const run =
    a && deadline !== null ? { attempt: a, deadline, onFinish: finish, onExpired: () => setExpired(true) } : null;
  return (
    <PageContainer
      className="quiz"
      loggedIn={loggedIn}
      loading={attempt.loading}
      hasData={!!a}
      error={attempt.error}
      onRetry={attempt.reload}
      empty={body === null || a?.questions.length === 0}
      emptyText={body === null ? '没有找到这组题，请返回学习页重新进入' : '题库里暂时没有可答的题，请稍后再来'}
    >
      {expired ? <Expired /> : run && (run.attempt.kind === 'challenge' ? <Challenge {...run} /> : <Paper {...run} />)}
    </PageContainer>
  );
}
