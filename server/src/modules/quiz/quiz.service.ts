import { dayKey, weekKey, type MistakeList, type QuizToday } from '@pioneer/shared';
import { paidEntry } from '../points/points.service';
import { bankFor, questionById } from './bank';
import { gradeQuestion } from './grading';
import { memoryOf } from './memory';
import type { Quizzer } from './papers';
import { paymentFor } from './payment';

/**
 * The study quiz: a member's day at a glance and their mistake book here; dealing and resuming papers in papers.ts,
 * handing them in and challenge answers in submit.ts (results.ts records, pays and remembers), held attempts in
 * attempts.ts, the member's quiz memory in memory.ts.
 */
export { startAttempt, type Quizzer } from './papers';
export { answerChallenge, submitAttempt } from './submit';

export async function quizToday(member: Quizzer, now = new Date()): Promise<QuizToday> {
  const userId = member.id;
  const day = dayKey(now);
  const week = weekKey(now);
  const [bank, memory, daily, weekly, challenge] = await Promise.all([
    bankFor(member.county),
    memoryOf(userId),
    paidEntry(paymentFor('daily', userId, { day, week })!.key),
    paidEntry(paymentFor('weekly', userId, { day, week })!.key),
    paidEntry(paymentFor('challenge', userId, { day, week })!.key),
  ]);
  const tags = [...bank.byTag.entries()].sort((a, b) => b[1].length - a[1].length);
  const topicsDone = await Promise.all(
    tags.map(([tag]) => paidEntry(paymentFor('topic', userId, { day, week, topic: tag })!.key)),
  );
  return {
    day,
    daily: { done: daily !== null, pointsToday: daily?.delta ?? 0 },
    weekly: { done: weekly !== null },
    challenge: { paidToday: challenge !== null && challenge.delta > 0 },
    mistakes: Object.keys(memory.wrong).length,
    topics: tags.map(([tag, questions], i) => ({ tag, questions: questions.length, done: topicsDone[i] !== null })),
  };
}

export async function listMistakes(userId: string): Promise<MistakeList> {
  const memory = await memoryOf(userId);
  const rows = await Promise.all(
    Object.entries(memory.wrong).map(async ([id, w]) => {
      const q = await questionById(id);
      if (!q) return null;
      const view = gradeQuestion(
        q,
        q.options.map((_, i) => i),
        [],
      );
      return {
        questionId: id,
        type: q.type,
        stem: q.stem,
        options: view.options,
        answer: view.answer,
        explanation: q.explanation,
        wrongCount: w.n ?? 1,
        lastWrongAt: w.at,
      };
    }),
  );
  return { items: rows.filter((r) => r !== null).sort((a, b) => (a.lastWrongAt < b.lastWrongAt ? 1 : -1)) };
}
