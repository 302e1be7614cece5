import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { CreateQuestionBody, OptionKey, Question, QuestionType } from '@pioneer/shared';
import { OPTION_KEYS, QUESTION_LIMITS, QUESTION_TYPE_LABELS, QUESTION_TYPES } from '@pioneer/shared/src/quiz';
import Segmented from '../../components/Segmented';
import TextField from '../../components/TextField';
import { nextChoice } from '../../components/QuestionView';
import { createQuestion, updateQuestion } from '../../services/api';
import { ApiError } from '../../services/api-error';

export interface Draft {
  type: QuestionType;
  stem: string;
  options: string[];
  answer: OptionKey[];
  explanation: string;
  /** As typed: 党章, 党史 (commas of either width, or 、). */
  tags: string;
  difficulty: 1 | 2 | 3;
  active: boolean;
}

const JUDGE_OPTIONS = ['正确', '错误'];
const BLANK_OPTIONS = ['', '', '', ''];

export function draftOf(q?: Question): Draft {
  if (!q)
    return {
      type: 'single',
      stem: '',
      options: BLANK_OPTIONS,
      answer: [],
      explanation: '',
      tags: '',
      difficulty: 1,
      active: true,
    };
  const difficulty = q.difficulty === 2 || q.difficulty === 3 ? q.difficulty : 1;
  return { ...q, tags: q.tags.join('，'), difficulty };
}

export function splitTags(text: string): string[] {
  return Array.from(
    new Set(
      text
        .split(/[,，、\s]+/)
        .map((t) => t.trim())
        .filter(Boolean),
    ),
  );
}

/** Switching type keeps what still fits: judge has exactly 正确/错误 and one answer, single one answer. */
export function withType(d: Draft, type: QuestionType): Draft {
  if (type === 'judge') return { ...d, type, options: JUDGE_OPTIONS, answer: d.type === 'judge' ? d.answer : [] };
  const options = d.type === 'judge' ? BLANK_OPTIONS : d.options;
  const answer = d.type === 'judge' ? [] : type === 'single' ? d.answer.slice(0, 1) : d.answer;
  return { ...d, type, options, answer };
}

/** What is plainly missing, in the console's words; the server checks the rest with the shared schema. */
export function draftProblem(d: Draft): string | null {
  if (!d.stem.trim()) return '请填写题干';
  if (d.options.some((o) => !o.trim())) return '选项不能为空';
  if (d.answer.length === 0) return '请点选项前的字母设置正确答案';
  if (d.type === 'multiple' && d.answer.length < 2) return '多选题至少有两个答案';
  if (splitTags(d.tags).length > QUESTION_LIMITS.tagsMax) return `标签最多${QUESTION_LIMITS.tagsMax}个`;
  return null;
}

export function bodyOf(d: Draft): CreateQuestionBody {
  return {
    type: d.type,
    stem: d.stem.trim(),
    options: d.options.map((o) => o.trim()),
    answer: OPTION_KEYS.filter((k) => d.answer.includes(k)),
    explanation: d.explanation.trim(),
    tags: splitTags(d.tags),
    difficulty: d.difficulty,
    active: d.active,
  };
}

const TYPE_OPTIONS = QUESTION_TYPES.map((t) => ({
  value: t,
  label: QUESTION_TYPE_LABELS[t],
  testId: `aq-edit-type-${t}`,
}));
const DIFFICULTY_OPTIONS = [
  { value: '1', label: '容易' },
  { value: '2', label: '中等' },
  { value: '3', label: '较难' },
] as const;
const ACTIVE_OPTIONS = [
  { value: 'on', label: '启用', testId: 'aq-edit-active-on' },
  { value: 'off', label: '停用', testId: 'aq-edit-active-off' },
] as const;

export interface QuestionEditorProps {
  /** Absent: a new question. */
  question?: Question;
  onSaved: (q: Question, created: boolean) => void;
  onCancel: () => void;
}

export default function QuestionEditor({ question, onSaved, onCancel }: QuestionEditorProps) {
  const [d, setD] = useState<Draft>(() => draftOf(question));
  const [problem, setProblem] = useState<string>();
  const [saving, setSaving] = useState(false);
  const set = (patch: Partial<Draft>) => setD((prev) => ({ ...prev, ...patch }));
  const setOption = (i: number, text: string) => set({ options: d.options.map((o, j) => (j === i ? text : o)) });
  const removeLast = () => {
    const gone = OPTION_KEYS[d.options.length - 1];
    set({ options: d.options.slice(0, -1), answer: d.answer.filter((k) => k !== gone) });
  };

  async function save() {
    const p = draftProblem(d);
    setProblem(p ?? undefined);
    if (p) return;
    setSaving(true);
    try {
      const saved = question ? await updateQuestion(question.id, bodyOf(d)) : await createQuestion(bodyOf(d));
      void Taro.showToast({ title: '已保存', icon: 'success' });
      onSaved(saved, !question);
    } catch (e) {
      setProblem(e instanceof ApiError ? e.message : '保存失败，请重试');
    } finally {
      setSaving(false);
    }
  }

  return (
    <View className="aq-edit" data-testid="aq-form">
      <Text className="aq-edit__title">{question ? '编辑题目' : '新建题目'}</Text>
      <Segmented label="题型" options={TYPE_OPTIONS} value={d.type} onChange={(t) => setD(withType(d, t))} />
      <TextField
        label="题干"
        multiline
        value={d.stem}
        maxLength={QUESTION_LIMITS.stemMax}
        onChange={(stem) => set({ stem })}
        testId="aq-stem"
      />

      <Text className="aq-edit__label">选项（点字母设为正确答案{d.type === 'multiple' ? '，可选多个' : ''}）</Text>
      {d.options.map((o, i) => {
        const key = OPTION_KEYS[i];
        const on = d.answer.includes(key);
        return (
          <View key={key} className="aq-edit__option">
            <View
              className={`aq-edit__key${on ? ' aq-edit__key--on' : ''}`}
              role={d.type === 'multiple' ? 'checkbox' : 'radio'}
              aria-checked={on}
              aria-label={`${key} 为正确答案`}
              data-testid={`aq-answer-${key}`}
              onClick={() => set({ answer: nextChoice(d.type, d.answer, key) })}
            >
              <Text>{on ? `✓${key}` : key}</Text>
            </View>
            <View className="aq-edit__option-input">
              <TextField
                bare
                label={`选项${key}`}
                placeholder={`选项${key}`}
                value={o}
                maxLength={QUESTION_LIMITS.optionMax}
                onChange={(t) => setOption(i, t)}
                testId={`aq-option-${key}`}
              />
            </View>
          </View>
        );
      })}
      {d.type !== 'judge' && (
        <View className="aq-edit__row">
          <View className="aq-edit__half">
            <Button
              size="normal"
              block
              disabled={d.options.length >= QUESTION_LIMITS.optionsMax}
              onClick={() => set({ options: [...d.options, ''] })}
              data-testid="aq-option-add"
            >
              加一个选项
            </Button>
          </View>
          <View className="aq-edit__half">
            <Button
              size="normal"
              block
              disabled={d.options.length <= QUESTION_LIMITS.optionsMin}
              onClick={removeLast}
              data-testid="aq-option-remove"
            >
              去掉最后一个
            </Button>
          </View>
        </View>
      )}

      <TextField
        label="解析"
        multiline
        value={d.explanation}
        maxLength={QUESTION_LIMITS.explanationMax}
        onChange={(explanation) => set({ explanation })}
        testId="aq-explanation"
      />
      <TextField
        label={`标签（用逗号分隔，最多${QUESTION_LIMITS.tagsMax}个）`}
        placeholder="如：党章，党史"
        value={d.tags}
        onChange={(tags) => set({ tags })}
        testId="aq-tags"
      />
      <Text className="aq-edit__label">难度</Text>
      <Segmented
        label="难度"
        options={DIFFICULTY_OPTIONS}
        value={String(d.difficulty) as '1' | '2' | '3'}
        onChange={(v) => set({ difficulty: Number(v) as 1 | 2 | 3 })}
      />
      <Text className="aq-edit__label">状态（停用的题不再出现在答题中）</Text>
      <Segmented
        label="状态"
        options={ACTIVE_OPTIONS}
        value={d.active ? 'on' : 'off'}
        onChange={(v) => set({ active: v === 'on' })}
      />

      {problem && (
        <Text className="aq-edit__problem" data-testid="aq-problem">
          {problem}
        </Text>
      )}
      <View className="aq-edit__row">
        <View className="aq-edit__half">
          <Button size="large" block onClick={onCancel} data-testid="aq-cancel">
            取消
          </Button>
        </View>
        <View className="aq-edit__half">
          <Button type="primary" size="large" block loading={saving} onClick={() => void save()} data-testid="aq-save">
            保存
          </Button>
        </View>
      </View>
    </View>
  );
}
