import { Text, View } from '@tarojs/components';
import type { OptionKey, QuizQuestion } from '@pioneer/shared';
import { OPTION_KEYS, QUESTION_TYPE_LABELS } from '@pioneer/shared/src/quiz';
import './index.scss';

export interface QuestionViewProps {
  question: QuizQuestion;
  selected: readonly OptionKey[];
  onChange: (choice: OptionKey[]) => void;
  /** While a step is being checked, or after it was: taps do nothing. */
  disabled?: boolean;
  /** Challenge feedback: the chosen option turns green. */
  right?: boolean;
}

/** Single and judge choose one; multiple toggles. The choice is kept in A–F order, as the server compares it. */
export function nextChoice(type: QuizQuestion['type'], selected: readonly OptionKey[], key: OptionKey): OptionKey[] {
  if (type !== 'multiple') return [key];
  const set = new Set(selected);
  if (set.has(key)) set.delete(key);
  else set.add(key);
  return OPTION_KEYS.filter((k) => set.has(k));
}

/** One question on a screen: its type, the stem, and each option as a large row a member can hit easily. */
export default function QuestionView({ question, selected, onChange, disabled, right }: QuestionViewProps) {
  const multiple = question.type === 'multiple';
  return (
    <View className="qv" data-testid="quiz-question">
      <View className="qv__head">
        <Text className={`qv__type qv__type--${question.type}`}>{QUESTION_TYPE_LABELS[question.type]}</Text>
        {multiple && <Text className="qv__hint">可选多项</Text>}
      </View>
      <Text className="qv__stem">{question.stem}</Text>
      <View className="qv__options" role={multiple ? 'group' : 'radiogroup'}>
        {question.options.map((o) => {
          const on = selected.includes(o.key);
          const cls = `qv__option${on ? ' qv__option--on' : ''}${on && right ? ' qv__option--right' : ''}`;
          return (
            <View
              key={o.key}
              className={cls}
              role={multiple ? 'checkbox' : 'radio'}
              aria-checked={on}
              aria-disabled={disabled}
              data-testid={`quiz-option-${o.key}`}
              onClick={() => {
                if (!disabled) onChange(nextChoice(question.type, selected, o.key));
              }}
            >
              <Text className={`qv__key${multiple ? ' qv__key--square' : ''}`}>{o.key}</Text>
              <Text className="qv__text">{o.text}</Text>
              {on && <Text className="qv__tick">✓</Text>}
            </View>
          );
        })}
      </View>
    </View>
  );
}
