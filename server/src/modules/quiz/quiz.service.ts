import { dayKey, weekKey, type MistakeList, type QuizToday } from '@pioneer/shared';
import type { mongo } from 'mongoose';
import { LedgerModel, type LedgerDoc } from '../points/points.model';
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

/**
 * The ledger entries these payment keys paid, by key, in one read (issue 17, H8b): `_id: {$in}` is fetched by the
 * `_id` index. The quiz's home asked for each key on its own: the day's three and one per topic, ~12 commands.
 */
async function paidEntries(keys: string[]): Promise<Map<string, LedgerDoc>> {
  const ledger = LedgerModel.collection as unknown as mongo.Collection<LedgerDoc>;
  const found = await ledger.find({ _id: { $in: keys } }, { projection: { delta: 1 } }).toArray();
  return new Map(found.map((e) => [e._id, e]));
}

export async function quizToday(member: Quizzer, now = new Date()): Promise<QuizToday> {
  const userId = member.id;
  const period = { day: dayKey(now), week: weekKey(now) };
  const keyOf = (kind: 'daily' | 'weekly' | 'challenge' | 'topic', topic?: string) =>
    paymentFor(kind, userId, { ...period, topic })!.key;
  const bank = await bankFor(member.county);
  const tags = [...bank.byTag.entries()].sort((a, b) => b[1].length - a[1].length);
  const topicKeys = tags.map(([tag]) => keyOf('topic', tag));
  const [memory, paid] = await Promise.all([
    memoryOf(userId),
    paidEntries([keyOf('daily'), keyOf('weekly'), keyOf('challenge'), ...topicKeys]),
  ]);
  const [daily, weekly, challenge] = [keyOf('daily'), keyOf('weekly'), keyOf('challenge')].map((k) => paid.get(k));
  return {
    day: period.day,
    daily: { done: daily !== undefined, pointsToday: daily?.delta ?? 0 },
    weekly: { done: weekly !== undefined },
    challenge: { paidToday: challenge !== undefined && challenge.delta > 0 },
    mistakes: Object.keys(memory.wrong).length,
    topics: tags.map(([tag, questions], i) => ({ tag, questions: questions.length, done: paid.has(topicKeys[i]!) })),
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
