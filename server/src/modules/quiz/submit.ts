import { CHALLENGE_STREAK_TO_PAY, type Answer, type AttemptResult, type ChallengeStep } from '@pioneer/shared';
import { isDuplicateKey } from '../../db/connect';
import { AppError } from '../../http/errors';
import { orderOf, questionsOf, requireAttempt } from './attempts';
import type { BankQuestion } from './bank';
import { gradeQuestion, questionView } from './grading';
import { ChallengeStepModel, QuizResultModel, type AttemptDoc } from './quiz.model';
import { assertOpen, finish, isLate, resultStored, storedResult } from './results';

/** Hands in a paper: graded against the paper given (its questions, its option orders), paid once, remembered. */
export async function submitAttempt(
  userId: string,
  attemptId: string,
  answers: Answer[],
  now = new Date(),
): Promise<AttemptResult> {
  const attempt = await requireAttempt(userId, attemptId);
  // A repeat of a graded submit is found by the result's insert (a duplicate key: the stored result), so a first
  // submit reads no result first; a challenge or a late submit looks for one before it ends or refuses.
  const stored = () => resultStored(attemptId);
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
