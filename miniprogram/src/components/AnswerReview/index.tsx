import { Text, View } from '@tarojs/components';
import type { OptionKey, QuestionType } from '@pioneer/shared';
import { QUESTION_TYPE_LABELS } from '@pioneer/shared/src/quiz';
import './index.scss';

export interface AnswerReviewProps {
  /** 1-based number shown before the stem. */
  index?: number;
  type?: QuestionType;
  stem: string;
  options: ReadonlyArray<{ key: OptionKey; text: string }>;
  /** Empty when the server withholds it: an unanswered question of an unpaid practice (the answer key stays hidden). */
  answer: readonly OptionKey[];
  /** What the member chose; leave out where there was no attempt (错题本). */
  choice?: readonly OptionKey[];
  correct?: boolean;
  explanation: string;
  /** A line under the head, e.g. 答错 2 次. */
  note?: string;
  testId?: string;
}

const keys = (k: readonly OptionKey[]) => (k.length ? k.join('') : '未作答');

/** A question after the fact: right answer in green, my wrong pick in red, and why. */
export default function AnswerReview(p: AnswerReviewProps) {
  const chosen = p.choice ?? [];
  return (
    <View className={`review${p.correct === false ? ' review--wrong' : ''}`} data-testid={p.testId}>
      <View className="review__head">
        {p.index !== undefined && <Text className="review__num">第{p.index}题</Text>}
        {p.type && <Text className="review__type">{QUESTION_TYPE_LABELS[p.type]}</Text>}
        {p.correct !== undefined && (
          <Text className={`review__mark review__mark--${p.correct ? 'right' : 'wrong'}`}>
            {p.correct ? '✓ 答对' : '✗ 答错'}
          </Text>
        )}
      </View>
      {p.note && <Text className="review__note">{p.note}</Text>}
      <Text className="review__stem">{p.stem}</Text>
      {p.options.map((o) => {
        const isAnswer = p.answer.includes(o.key);
        const wrongPick = !isAnswer && chosen.includes(o.key);
        return (
          <View
            key={o.key}
            className={`review__option${isAnswer ? ' review__option--answer' : ''}${wrongPick ? ' review__option--picked' : ''}`}
          >
            <Text className="review__key">{o.key}</Text>
            <Text className="review__text">{o.text}</Text>
            {isAnswer && <Text className="review__tag">正确答案</Text>}
            {wrongPick && <Text className="review__tag review__tag--picked">我的选择</Text>}
          </View>
        );
      })}
      <View className="review__answers">
        {p.choice && <Text className="review__line">我的答案：{keys(chosen)}</Text>}
        {p.answer.length > 0 ? (
          <Text className="review__line review__line--answer">正确答案：{keys(p.answer)}</Text>
        ) : (
          <Text className="review__line" data-testid="review-withheld">
            练习中未作答的题不显示答案
          </Text>
        )}
      </View>
      {p.explanation ? (
        <View className="review__explain">
          <Text className="review__explain-title">解析</Text>
          <Text className="review__explain-text">{p.explanation}</Text>
        </View>
      ) : null}
    </View>
  );
}
