import { QUIZ_RULES, dayKey, weekKey, type Attempt, type QuizKind, type StartAttemptBody } from '@pioneer/shared';
import { newId } from '../../db/ids';
import { AppError } from '../../http/errors';
import { paidEntry } from '../points/points.service';
import { attemptById, holdAttempt, insertAttempt, orderOf } from './attempts';
import { bankFor, type BankQuestion } from './bank';
import { optionOrder, pickQuestions, questionView } from './grading';
import { keyTaken, memoryOf, noteOpenPaper, paperSlot, recentlyRight, staleRight, type Memory } from './memory';
import { paymentFor } from './payment';
import { resultStored } from './results';
import type { AttemptDoc } from './quiz.model';

/** Who is quizzed: the member, and their county (whose own questions they get besides the platform's). */
export interface Quizzer {
  id: string;
  county: string | null;
}

async function poolFor(body: StartAttemptBody, member: Quizzer, memory: Memory): Promise<BankQuestion[]> {
  const bank = await bankFor(member.county);
  if (body.kind === 'topic') return bank.byTag.get(body.topic!) ?? [];
  if (body.kind === 'mistakes')
    return Object.keys(memory.wrong)
      .map((id) => bank.byId.get(id))
      .filter((q): q is BankQuestion => !!q);
  return bank.active;
}

/** Below this much time left, a paper is not worth resuming: a fresh one is dealt instead. */
const RESUME_MIN_MS = 30_000;

/** What the member is shown of an attempt: no answers, the clock as the server sees it now. */
async function attemptView(
  attempt: AttemptDoc,
  questions: BankQuestion[],
  now: Date,
  resumed: boolean,
  memory: Memory,
): Promise<Attempt> {
  const kind = attempt.kind as QuizKind;
  const payment = paymentFor(kind, attempt.userId, attempt);
  // Marked in the memory once the ledger held the entry: then taken for sure; unmarked, the ledger says.
  const paid = !payment ? null : keyTaken(memory, attempt, payment.key) ? true : await paidEntry(payment.key);
  const shown = kind === 'challenge' ? 1 : questions.length;
  return {
    id: attempt._id,
    kind,
    topic: attempt.topic ?? null,
    startedAt: attempt.startedAt.toISOString(),
    expiresAt: attempt.expiresAt.toISOString(),
    secondsLeft: Math.max(0, Math.floor((attempt.expiresAt.getTime() - now.getTime()) / 1000)),
    resumed,
    questions: questions.slice(0, shown).map((q, i) => questionView(q, orderOf(attempt, i))),
    // The slot is taken by the first submission whatever it scored (a 0-point entry marks it), so "pays" is "no entry yet".
    pays: payment !== null && paid === null,
  };
}

/**
 * The member's open paper of this kind (topic), if it is still running, not handed in and every question still in
 * the member's bank (an admin may have withdrawn one): the same questions in the same order, so coming back mid-way
 * resumes it (the page keeps the answers given so far). A challenge is answered step by step and not resumed here.
 */
async function openPaper(
  member: Quizzer,
  body: StartAttemptBody,
  memory: Memory,
  now: Date,
): Promise<{ attempt: AttemptDoc; questions: BankQuestion[] } | null> {
  if (body.kind === 'challenge') return null;
  const slot = paperSlot(body);
  const open = memory.open[slot];
  // Read from the member's quiz memory with the rest (issue 17): no paper, one handed in or one about to run out
  // reads nothing more. A paper still open is read and checked as stored (a crash may have kept `done` unwritten).
  if (!open || memory.done[slot] === open.a || Date.parse(open.exp) - now.getTime() < RESUME_MIN_MS) return null;
  const attempt = await attemptById(open.a);
  if (!attempt || attempt.userId !== member.id) return null;
  if (attempt.expiresAt.getTime() - now.getTime() < RESUME_MIN_MS) return null;
  if (await resultStored(attempt._id)) return null;
  const bank = await bankFor(member.county);
  const questions = attempt.questionIds.map((id) => bank.byId.get(id));
  if (questions.some((q) => !q)) return null;
  return { attempt, questions: questions as BankQuestion[] };
}

/**
 * A member's starts in this process, one at a time: two at once (a double tap, a page loaded twice) each found no open
 * paper and each dealt one, and the phone, which keeps the answers under the paper it shows, lost them when the other
 * was resumed (the e2e step "a daily quiz left mid-way comes back with the answer kept" opened at question 1). The
 * second now finds the first's paper open (memory.ts holds it at once) and resumes it.
 */
const starting = new Map<string, Promise<unknown>>();

/** Starts an attempt (the server picks and shuffles; the reply carries no answers), or resumes the open one. */
export async function startAttempt(member: Quizzer, body: StartAttemptBody, now = new Date()): Promise<Attempt> {
  const before = starting.get(member.id);
  const mine = (before ? before.catch(() => undefined) : Promise.resolve()).then(() =>
    startOrResume(member, body, now),
  );
  starting.set(member.id, mine);
  try {
    return await mine;
  } finally {
    if (starting.get(member.id) === mine) starting.delete(member.id);
  }
}

async function startOrResume(member: Quizzer, body: StartAttemptBody, now: Date): Promise<Attempt> {
  const userId = member.id;
  const memory = await memoryOf(userId);
  const resumable = await openPaper(member, body, memory, now);
  if (resumable) return attemptView(resumable.attempt, resumable.questions, now, true, memory);
  const pool = await poolFor(body, member, memory);
  const picked = pickQuestions(pool, QUIZ_RULES[body.kind].questions, recentlyRight(memory, now));
  if (picked.length === 0)
    throw new AppError('NO_QUESTIONS', body.kind === 'mistakes' ? '错题本是空的，继续保持' : '暂无可答的题目');
  const attempt: AttemptDoc = {
    _id: newId(),
    userId,
    kind: body.kind,
    topic: body.kind === 'topic' ? body.topic! : null,
    questionIds: picked.map((q) => q.id),
    orders: picked.map(optionOrder).map((o) => o.join('')),
    day: dayKey(now),
    week: weekKey(now),
    startedAt: now,
    expiresAt: new Date(now.getTime() + QUIZ_RULES[body.kind].seconds * 1000),
  };
  // The view's ledger read (does it pay?) goes with the insert: the reply waits for one round trip, not two. Should
  // the insert fail, the reply is its error all the same.
  const [view] = await Promise.all([attemptView(attempt, picked, now, false, memory), insertAttempt(attempt)]);
  holdAttempt(attempt);
  if (body.kind !== 'challenge') noteOpenPaper(attempt, staleRight(memory, now, attempt.questionIds));
  return view;
}
