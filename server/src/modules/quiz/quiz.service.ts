import {
  CHALLENGE_STREAK_TO_PAY,
  QUIZ_RULES,
  dayKey,
  weekKey,
  type Answer,
  type Attempt,
  type AttemptResult,
  type ChallengeStep,
  type MistakeList,
  type PointReason,
  type QuestionResult,
  type QuizKind,
  type QuizToday,
  type StartAttemptBody,
} from '@pioneer/shared';
import { isDuplicateKey } from '../../db/connect';
import { newId } from '../../db/ids';
import { AppError, notFound } from '../../http/errors';
import { payKey } from '../points/keys';
import { awardPoints, paidEntry } from '../points/points.service';
import { bankFor, questionById, type BankQuestion } from './bank';
import { gradeQuestion, optionOrder, pickQuestions, questionView } from './grading';
import { keyTaken, memoryOf, paperSlot, recentlyRight, remember, type Memory } from './memory';
import { AttemptModel, ChallengeStepModel, QuizMemoryModel, QuizResultModel, type AttemptDoc } from './quiz.model';

/** A few seconds' grace for the network between the countdown reaching 0 and the request arriving. */
const SUBMIT_GRACE_MS = 10_000;

interface Payment {
  reason: PointReason;
  key: string;
}

/** Which award an attempt can earn: the key makes "first daily attempt of the day" and friends exactly-once. */
function paymentFor(
  kind: QuizKind,
  userId: string,
  a: { day: string; week: string; topic?: string | null },
): Payment | null {
  switch (kind) {
    case 'daily':
      return { reason: 'daily_quiz', key: payKey('daily_quiz', userId, a.day) };
    case 'weekly':
      return { reason: 'weekly_quiz', key: payKey('weekly_quiz', userId, a.week) };
    case 'topic':
      return { reason: 'topic_quiz', key: payKey('topic_quiz', userId, `${a.topic}`) };
    case 'challenge':
      return { reason: 'challenge_quiz', key: payKey('challenge_quiz', userId, a.day) };
    case 'mistakes':
      return null;
  }
}

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
) {
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
  const attempt = await AttemptModel.findById(open.a).lean<AttemptDoc>();
  if (!attempt || attempt.userId !== member.id) return null;
  if (attempt.expiresAt.getTime() - now.getTime() < RESUME_MIN_MS) return null;
  if (await QuizResultModel.exists({ _id: attempt._id })) return null;
  const bank = await bankFor(member.county);
  const questions = attempt.questionIds.map((id) => bank.byId.get(id));
  if (questions.some((q) => !q)) return null;
  return { attempt, questions: questions as BankQuestion[] };
}

/** Starts an attempt (the server picks and shuffles; the reply carries no answers), or resumes the open one. */
export async function startAttempt(member: Quizzer, body: StartAttemptBody, now = new Date()): Promise<Attempt> {
  const userId = member.id;
  const memory = await memoryOf(userId);
  const resumable = await openPaper(member, body, memory, now);
  if (resumable) return attemptView(resumable.attempt, resumable.questions, now, true, memory);
  const pool = await poolFor(body, member, memory);
  const picked = pickQuestions(pool, QUIZ_RULES[body.kind].questions, recentlyRight(memory, now));
  if (picked.length === 0)
    throw new AppError('NO_QUESTIONS', body.kind === 'mistakes' ? '错题本是空的，继续保持' : '暂无可答的题目');
  const attempt = {
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
  await AttemptModel.create(attempt);
  if (body.kind !== 'challenge')
    await QuizMemoryModel.updateOne(
      { _id: userId },
      { $set: { [`open.${paperSlot(body)}`]: { a: attempt._id, exp: attempt.expiresAt.toISOString() } } },
      { upsert: true },
    );
  return attemptView(attempt as AttemptDoc, picked, now, false, memory);
}

/** The option order shown for question i of an attempt. */
function orderOf(attempt: AttemptDoc, i: number): number[] {
  return [...(attempt.orders[i] ?? '')].map(Number);
}

async function requireAttempt(userId: string, attemptId: string): Promise<AttemptDoc> {
  const attempt = await AttemptModel.findById(attemptId).lean<AttemptDoc>();
  // Someone else's attempt is as good as missing: its id says nothing about them.
  if (!attempt || attempt.userId !== userId) throw notFound('答题记录');
  return attempt;
}

async function questionsOf(attempt: AttemptDoc): Promise<BankQuestion[]> {
  const found = await Promise.all(attempt.questionIds.map((id) => questionById(id)));
  return found.map((q) => {
    if (!q) throw new AppError('INTERNAL');
    return q;
  });
}

/**
 * Daily, weekly and topic sets have one paid slot per period, and the first submission takes it whatever it scored:
 * a 0-point ledger entry marks the slot used. Otherwise an empty submission would pay 0, show every answer and leave
 * the paid attempt for later: the whole bank harvested in minutes. A challenge pays only for a 5+ streak, and its
 * result never shows a question the member did not answer, so a short run takes no slot.
 */
const SLOT_KINDS: ReadonlySet<QuizKind> = new Set(['daily', 'weekly', 'topic']);

interface Paid {
  /** The points this attempt brought (0 if another attempt took the key). */
  points: number;
  /** This attempt holds the period's paid slot: its result may show every answer. */
  slot: boolean;
  /** The payment key the ledger now holds an entry of (this attempt's or another's), if one was paid. */
  taken?: string;
}

/** The payment an attempt's units can take, if any (a challenge short of a paying streak takes none). */
function paymentOf(attempt: AttemptDoc, units: number): Payment | null {
  const kind = attempt.kind as QuizKind;
  const payment = paymentFor(kind, attempt.userId, attempt);
  return !payment || (units <= 0 && !SLOT_KINDS.has(kind)) ? null : payment;
}

/** What a ledger entry of the attempt's payment key says this attempt got. */
function paidFrom(attempt: AttemptDoc, entry: { refId: string; awarded: number }): Paid {
  const slot = entry.refId === attempt._id;
  return { points: slot ? entry.awarded : 0, slot };
}

/** Pays what an attempt earned (right answers; for a challenge, 1 for a paying streak), once per payment key. */
async function pay(attempt: AttemptDoc, units: number): Promise<Paid> {
  const payment = paymentOf(attempt, units);
  if (!payment) return { points: 0, slot: false };
  const award = await awardPoints({
    userId: attempt.userId,
    reason: payment.reason,
    units: Math.max(units, 0),
    refType: 'quiz_attempt',
    refId: attempt._id,
    idempotencyKey: payment.key,
    at: attempt.startedAt,
  });
  return { ...paidFrom(attempt, award), taken: payment.key };
}

/**
 * What a result may show. The attempt holding the period's paid slot shows every answer; an unpaid practice (a
 * second daily set, 错题练习, a short challenge) shows the answer and explanation only of questions the member
 * answered, so practice cannot be used to read the answer key.
 */
function revealed(results: QuestionResult[], slot: boolean): QuestionResult[] {
  if (slot) return results;
  return results.map((r) => (r.choice.length > 0 ? r : { ...r, answer: [], explanation: '' }));
}

/**
 * Records the graded result exactly once (the first insert of the attempt's id wins), then pays and remembers.
 * A repeat, or a retry after a crash between the two, finds the stored result and completes what is missing.
 */
async function finish(
  attempt: AttemptDoc,
  results: QuestionResult[],
  units: number,
  now: Date,
): Promise<AttemptResult> {
  const draft: AttemptResult = {
    attemptId: attempt._id,
    kind: attempt.kind as QuizKind,
    correct: results.filter((r) => r.correct).length,
    total: results.length,
    pointsAwarded: 0,
    results,
    submittedAt: now.toISOString(),
  };
  try {
    await QuizResultModel.create({ _id: attempt._id, userId: attempt.userId, result: { ...draft, units } });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    return storedResult(attempt);
  }
  const paid = await pay(attempt, units);
  const result = settle(attempt, draft, paid);
  // Questions whose answer this result withholds stay out of the mistake book too: it shows answers.
  await remember(
    attempt,
    result.results.filter((r) => r.answer.length > 0),
    paid.taken ?? null,
    now,
  );
  return result;
}

/** The reply: what the payment brought, and only what the result may show. */
function settle(attempt: AttemptDoc, result: AttemptResult, paid: Paid): AttemptResult {
  return { ...result, pointsAwarded: paid.points, results: revealed(result.results, paid.slot) };
}

/**
 * A stored result as its first reply was. What it paid is not written back on it (issue 17: a command fewer): the
 * ledger entry of its payment key says it, read only by a repeat; no entry means a crash came between the result
 * and the payment, which is paid now. Results stored before carry `paid` with what they paid.
 */
async function storedResult(attempt: AttemptDoc): Promise<AttemptResult> {
  const doc = await QuizResultModel.findById(attempt._id).lean();
  // `points` is what results stored before units held (the same number for every kind but a challenge's 3).
  const { paid, units, points, ...result } = doc!.result as AttemptResult & {
    paid?: boolean;
    units?: number;
    points?: number;
  };
  if (paid) return result;
  const earned = units ?? (attempt.kind === 'challenge' && points ? 1 : (points ?? 0));
  const payment = paymentOf(attempt, earned);
  const entry = payment ? await paidEntry(payment.key) : null;
  if (!entry) return settle(attempt, result, await pay(attempt, earned));
  return settle(attempt, result, paidFrom(attempt, { refId: entry.refId, awarded: entry.delta }));
}

const isLate = (attempt: AttemptDoc, now: Date) => now.getTime() > attempt.expiresAt.getTime() + SUBMIT_GRACE_MS;

function assertOpen(attempt: AttemptDoc, now: Date): void {
  if (isLate(attempt, now)) throw new AppError('ATTEMPT_EXPIRED', '答题已超时，本次不计分，请重新开始');
}

export async function submitAttempt(
  userId: string,
  attemptId: string,
  answers: Answer[],
  now = new Date(),
): Promise<AttemptResult> {
  const attempt = await requireAttempt(userId, attemptId);
  // A repeat of a graded submit is found by the result's insert (a duplicate key: the stored result), so a first
  // submit reads no result first; a challenge or a late submit looks for one before it ends or refuses.
  const stored = () => QuizResultModel.exists({ _id: attemptId });
  if ((attempt.kind === 'challenge' || isLate(attempt, now)) && (await stored())) return storedResult(attempt);
  if (attempt.kind === 'challenge') return endChallenge(attempt, now);
  assertOpen(attempt, now);
  const questions = await questionsOf(attempt);
  const byQuestion = new Map(answers.map((a) => [a.questionId, a.choice]));
  const results = questions.map((q, i) => gradeQuestion(q, orderOf(attempt, i), byQuestion.get(q.id) ?? []));
  return finish(attempt, results, results.filter((r) => r.correct).length, now);
}

async function challengeSteps(attempt: AttemptDoc, upTo: number) {
  return Promise.all(Array.from({ length: upTo }, (_, i) => ChallengeStepModel.findById(`${attempt._id}|${i}`).lean()));
}

async function finishChallenge(
  attempt: AttemptDoc,
  questions: BankQuestion[],
  answered: number,
  now: Date,
): Promise<AttemptResult> {
  const steps = await challengeSteps(attempt, answered);
  const results = steps.map((s, i) =>
    gradeQuestion(questions[i]!, orderOf(attempt, i), (s?.choice ?? []) as Answer['choice']),
  );
  const streak = results.findIndex((r) => !r.correct);
  const rightInARow = streak === -1 ? results.length : streak;
  return finish(attempt, results, rightInARow >= CHALLENGE_STREAK_TO_PAY ? 1 : 0, now);
}

/**
 * Ends a challenge the member stops (or whose clock ran out) with the answers already accepted in time: the
 * run counts up to its first wrong answer, so stopping early never loses a streak already earned.
 */
async function endChallenge(attempt: AttemptDoc, now: Date): Promise<AttemptResult> {
  const questions = await questionsOf(attempt);
  let answered = 0;
  while (answered < questions.length) {
    const step = await ChallengeStepModel.findById(`${attempt._id}|${answered}`).lean();
    if (!step) break;
    answered += 1;
    if (!step.correct) break;
  }
  return finishChallenge(attempt, questions, answered, now);
}

/** One challenge answer: right -> the next question; wrong (or the run exhausted) -> the final result. */
export async function answerChallenge(
  userId: string,
  attemptId: string,
  answer: Answer,
  now = new Date(),
): Promise<ChallengeStep> {
  const attempt = await requireAttempt(userId, attemptId);
  if (attempt.kind !== 'challenge') throw new AppError('ILLEGAL_TRANSITION', '只有挑战答题可以逐题作答');
  const index = attempt.questionIds.indexOf(answer.questionId);
  if (index === -1) throw new AppError('VALIDATION_FAILED', '题目不属于本次挑战');
  if (await QuizResultModel.exists({ _id: attemptId })) {
    const result = await storedResult(attempt);
    return { correct: result.results[index]?.correct ?? false, streak: result.correct, next: null, result };
  }
  assertOpen(attempt, now);
  if (index > 0) {
    const previous = await ChallengeStepModel.findById(`${attemptId}|${index - 1}`).lean();
    if (!previous?.correct) throw new AppError('ILLEGAL_TRANSITION', '请按顺序作答');
  }
  const questions = await questionsOf(attempt);
  const graded = gradeQuestion(questions[index]!, orderOf(attempt, index), answer.choice);
  try {
    await ChallengeStepModel.create({
      _id: `${attemptId}|${index}`,
      questionId: answer.questionId,
      choice: graded.choice,
      correct: graded.correct,
    });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    // A double tap: the first answer stands.
  }
  const step = (await ChallengeStepModel.findById(`${attemptId}|${index}`).lean())!;
  const next = index + 1;
  if (step.correct && next < questions.length) {
    return { correct: true, streak: next, next: questionView(questions[next]!, orderOf(attempt, next)), result: null };
  }
  const result = await finishChallenge(attempt, questions, next, now);
  return { correct: step.correct, streak: step.correct ? next : index, next: null, result };
}

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
