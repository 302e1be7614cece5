import { useState, type ReactNode } from 'react';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { ApiError } from '../../services/api-error';

/** What closing a reading or a watching returns: the session as the server closed it, and what it paid. */
export interface FinishResult<S> {
  session: S;
  awarded: number;
  unpaid: 'already_paid' | 'daily_cap' | null;
}

interface FinishCardProps<S extends { id: string }, R extends FinishResult<S>> {
  /** The page's BEM block (`article`, `video-page`) and test-id prefix (`article`, `video`). */
  block: string;
  testId: string;
  /** The button: 读完了 / 看完了. */
  verb: string;
  /** Seconds the server still wants before it pays (shown on the button while above 0). */
  secondsLeft: number;
  session: S | null;
  /** Closes the session on the server. */
  complete: (sessionId: string) => Promise<R>;
  onSession: (session: S) => void;
  resultText: (result: R) => string;
  /** `✓ 已学过本文` and the like, while no result is shown; null when the item is new to the member. */
  learned: string | null;
  /** Shown above the button (the article's 已听完全文). */
  children?: ReactNode;
}

/**
 * The card at the end of a study item (article or video): 读完了 / 看完了 closes the session, then what the server paid
 * or why it did not, or its refusal (too soon) with the button left to press again.
 */
export default function FinishCard<S extends { id: string }, R extends FinishResult<S>>(p: FinishCardProps<S, R>) {
  const [result, setResult] = useState<R | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function finish() {
    if (!p.session) return;
    setBusy(true);
    setRefusal(null);
    try {
      const r = await p.complete(p.session.id);
      setResult(r);
      p.onSession(r.session);
    } catch (e) {
      setRefusal(e instanceof ApiError ? e.message : '提交失败，请重试');
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className={`${p.block}__end`} data-testid={`${p.testId}-end`}>
      {p.children}
      {result ? (
        <Text className={`${p.block}__result`} data-testid={`${p.testId}-result`}>
          {p.resultText(result)}
        </Text>
      ) : (
        <Button
          type="primary"
          size="xlarge"
          block
          disabled={busy || !p.session}
          onClick={() => void finish()}
          data-testid={`${p.testId}-finish`}
        >
          {p.secondsLeft > 0 ? `${p.verb}（还需约 ${p.secondsLeft} 秒）` : p.verb}
        </Button>
      )}
      {refusal && (
        <Text className={`${p.block}__refusal`} data-testid={`${p.testId}-refused`}>
          {refusal}
        </Text>
      )}
      {p.learned && !result && <Text className={`${p.block}__hint`}>{p.learned}</Text>}
    </View>
  );
}
