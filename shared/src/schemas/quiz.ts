import { z } from 'zod';
import { OPTION_KEYS, QUESTION_LIMITS as L, QUESTION_TYPES, QUIZ_KINDS } from '../quiz';
import { LIMITS } from '../orgs';

export const QuizKindSchema = z.enum(QUIZ_KINDS);
export const QuestionTypeSchema = z.enum(QUESTION_TYPES);
export const OptionKeySchema = z.enum(OPTION_KEYS);
const TagSchema = z.string().trim().min(1).max(L.tagMax);

export const StartAttemptBodySchema = z
  .object({ kind: QuizKindSchema, topic: TagSchema.optional() })
  .refine((b) => b.kind !== 'topic' || !!b.topic, { message: '专项答题需要选择专题', path: ['topic'] });
export type StartAttemptBody = z.infer<typeof StartAttemptBodySchema>;

/** A question as a member sees it while answering: never the answer or the explanation. */
export const QuizQuestionSchema = z.object({
  id: z.string(),
  type: QuestionTypeSchema,
  stem: z.string(),
  options: z.array(z.object({ key: OptionKeySchema, text: z.string() })),
});
export type QuizQuestion = z.infer<typeof QuizQuestionSchema>;

export const AttemptSchema = z.object({
  id: z.string(),
  kind: QuizKindSchema,
  topic: z.string().nullable(),
  startedAt: z.string(),
  expiresAt: z.string(),
  /** Seconds left as the server counts at its reply: the page's clock runs from this (a resumed paper's too). */
  secondsLeft: z.number().int().optional(),
  /** The member's open paper of this kind, dealt earlier and not handed in: the same questions, the same clock. */
  resumed: z.boolean().optional(),
  /** For a challenge: only the current question. */
  questions: z.array(QuizQuestionSchema),
  /** False when today's daily (or this week's weekly, this topic) already paid: the member can still practise. */
  pays: z.boolean(),
});
export type Attempt = z.infer<typeof AttemptSchema>;

export const AnswerSchema = z.object({
  questionId: z.string().max(64),
  choice: z.array(OptionKeySchema).max(OPTION_KEYS.length),
});
export type Answer = z.infer<typeof AnswerSchema>;

export const SubmitAttemptBodySchema = z.object({ answers: z.array(AnswerSchema).max(60) });
export type SubmitAttemptBody = z.infer<typeof SubmitAttemptBodySchema>;

export const QuestionResultSchema = z.object({
  questionId: z.string(),
  stem: z.string(),
  options: z.array(z.object({ key: OptionKeySchema, text: z.string() })),
  choice: z.array(OptionKeySchema),
  correct: z.boolean(),
  /** The right keys, in the option order this attempt showed. */
  answer: z.array(OptionKeySchema),
  explanation: z.string(),
});
export type QuestionResult = z.infer<typeof QuestionResultSchema>;

export const AttemptResultSchema = z.object({
  attemptId: z.string(),
  kind: QuizKindSchema,
  correct: z.number().int(),
  total: z.number().int(),
  pointsAwarded: z.number().int(),
  results: z.array(QuestionResultSchema),
  submittedAt: z.string(),
});
export type AttemptResult = z.infer<typeof AttemptResultSchema>;

export const ChallengeAnswerBodySchema = AnswerSchema;
export type ChallengeAnswerBody = Answer;

/** A challenge step: right -> the next question (and the streak so far); wrong or done -> the final result. */
export const ChallengeStepSchema = z.object({
  correct: z.boolean(),
  streak: z.number().int(),
  next: QuizQuestionSchema.nullable(),
  result: AttemptResultSchema.nullable(),
});
export type ChallengeStep = z.infer<typeof ChallengeStepSchema>;

export const QuizTodaySchema = z.object({
  day: z.string(),
  daily: z.object({ done: z.boolean(), pointsToday: z.number().int() }),
  weekly: z.object({ done: z.boolean() }),
  challenge: z.object({ paidToday: z.boolean() }),
  mistakes: z.number().int(),
  topics: z.array(z.object({ tag: z.string(), questions: z.number().int(), done: z.boolean() })),
});
export type QuizToday = z.infer<typeof QuizTodaySchema>;

export const MistakeSchema = z.object({
  questionId: z.string(),
  type: QuestionTypeSchema,
  stem: z.string(),
  options: z.array(z.object({ key: OptionKeySchema, text: z.string() })),
  answer: z.array(OptionKeySchema),
  explanation: z.string(),
  wrongCount: z.number().int(),
  lastWrongAt: z.string(),
});
export type Mistake = z.infer<typeof MistakeSchema>;
export const MistakeListSchema = z.object({ items: z.array(MistakeSchema) });
export type MistakeList = z.infer<typeof MistakeListSchema>;

/** Admin: a question in full. */
export const QuestionSchema = z.object({
  id: z.string(),
  type: QuestionTypeSchema,
  stem: z.string(),
  options: z.array(z.string()),
  answer: z.array(OptionKeySchema),
  explanation: z.string(),
  tags: z.array(z.string()),
  difficulty: z.number().int(),
  active: z.boolean(),
  /** 'platform' (the shipped bank, read-only) or the id of the county whose own question it is. */
  owner: z.string(),
  /** Whether the admin asking may edit or deactivate it (only county admins, only their county's questions). */
  editable: z.boolean(),
});
export type Question = z.infer<typeof QuestionSchema>;

const questionFields = {
  type: QuestionTypeSchema,
  stem: z.string().trim().min(4, '题干太短').max(L.stemMax),
  options: z.array(z.string().trim().min(1, '选项不能为空').max(L.optionMax)).min(L.optionsMin).max(L.optionsMax),
  answer: z.array(OptionKeySchema).min(1, '请设置答案'),
  explanation: z.string().trim().max(L.explanationMax).default(''),
  tags: z.array(TagSchema).max(L.tagsMax).default([]),
  difficulty: z.number().int().min(1).max(3).default(1),
  active: z.boolean().default(true),
};

/** The rules every question obeys, whether typed in the console or imported from a sheet. */
export function questionProblem(q: { type: string; options: string[]; answer: string[] }): string | null {
  const keys = OPTION_KEYS.slice(0, q.options.length) as readonly string[];
  if (q.answer.some((a) => !keys.includes(a))) return '答案超出选项范围';
  if (new Set(q.answer).size !== q.answer.length) return '答案重复';
  if (q.type === 'judge' && (q.options.length !== 2 || q.answer.length !== 1)) return '判断题必须有两个选项和一个答案';
  if (q.type === 'single' && q.answer.length !== 1) return '单选题只能有一个答案';
  if (q.type === 'multiple' && q.answer.length < 2) return '多选题至少有两个答案';
  if (new Set(q.options).size !== q.options.length) return '选项重复';
  return null;
}

export const CreateQuestionBodySchema = z.object(questionFields).superRefine((q, ctx) => {
  const problem = questionProblem(q);
  if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['answer'] });
});
export type CreateQuestionBody = z.infer<typeof CreateQuestionBodySchema>;

export const PatchQuestionBodySchema = z.object({
  type: QuestionTypeSchema.optional(),
  stem: questionFields.stem.optional(),
  options: questionFields.options.optional(),
  answer: questionFields.answer.optional(),
  explanation: z.string().trim().max(L.explanationMax).optional(),
  tags: z.array(TagSchema).max(L.tagsMax).optional(),
  difficulty: z.number().int().min(1).max(3).optional(),
  active: z.boolean().optional(),
});
export type PatchQuestionBody = z.infer<typeof PatchQuestionBodySchema>;

export const QuestionListQuerySchema = z.object({
  q: z.string().trim().max(50).optional(),
  tag: TagSchema.optional(),
  type: QuestionTypeSchema.optional(),
  active: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(LIMITS.pageMax).default(LIMITS.pageDefault),
  cursor: z
    .string()
    .regex(/^\d{1,6}$/)
    .optional(),
});
export type QuestionListQuery = z.infer<typeof QuestionListQuerySchema>;

export const QuestionPageSchema = z.object({
  items: z.array(QuestionSchema),
  nextCursor: z.string().nullable(),
  total: z.number().int(),
  /** Whether the admin asking may add questions (create, import) to their county's bank. */
  canCreate: z.boolean(),
});
export type QuestionPage = z.infer<typeof QuestionPageSchema>;

export const ImportReportSchema = z.object({
  imported: z.number().int(),
  skipped: z.number().int(),
  errors: z.array(z.object({ row: z.number().int(), message: z.string() })),
});
export type ImportReport = z.infer<typeof ImportReportSchema>;
