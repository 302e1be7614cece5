import { Schema, model, type InferSchemaType, type mongo } from 'mongoose';
import { OPTION_KEYS, QUESTION_TYPES, QUIZ_KINDS } from '@pioneer/shared';

const QuestionSchema = new Schema(
  {
    _id: { type: String, required: true },
    type: { type: String, enum: QUESTION_TYPES, required: true },
    stem: { type: String, required: true },
    /**
     * Normalised stem (shared `stemKey`): the same question typed twice is refused by this unique index. A county's
     * own questions are keyed `<county>|<stemKey>`, so two counties may each have a question the other has.
     */
    stemKey: { type: String, required: true, unique: true },
    /** 'platform' (the seed bank, read-only) or the county whose own question it is; none = platform (older data). */
    owner: { type: String, default: 'platform' },
    options: { type: [String], required: true },
    answer: { type: [String], enum: OPTION_KEYS, required: true },
    explanation: { type: String, default: '' },
    tags: { type: [String], default: [] },
    difficulty: { type: Number, default: 1 },
    active: { type: Boolean, default: true },
  },
  { versionKey: false, timestamps: true },
);
export type QuestionDoc = InferSchemaType<typeof QuestionSchema> & { _id: string };
export const QuestionModel = model('Question', QuestionSchema);

/** `_id: 'bank'`: bumped on every question write, so each server reloads its in-memory bank (see bank.ts). */
const QuizMetaSchema = new Schema(
  { _id: { type: String, required: true }, v: { type: Number, default: 0 } },
  { versionKey: false },
);
export const QuizMetaModel = model('QuizMeta', QuizMetaSchema, 'quiz_meta');

const AttemptSchema = new Schema(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    kind: { type: String, enum: QUIZ_KINDS, required: true },
    topic: { type: String, default: null },
    questionIds: { type: [String], required: true },
    /**
     * Per question, the original option index shown at each position, as digits ("2031"): options are shuffled
     * per attempt. (Strings, because FerretDB stores no nested arrays.)
     */
    orders: { type: [String], required: true },
    /** Shanghai day / ISO week it was started in: the period its points count for. */
    day: { type: String, required: true },
    week: { type: String, required: true },
    startedAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
);
export type AttemptDoc = InferSchemaType<typeof AttemptSchema> & { _id: string };
export const AttemptModel = model('QuizAttempt', AttemptSchema, 'quiz_attempts');

/**
 * `_id` = attempt id: the graded result. Inserting it is what "submitted" means, so an attempt is graded and paid
 * once however many submits race; a repeat reads this back.
 */
const ResultSchema = new Schema(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    result: { type: Schema.Types.Mixed, required: true },
  },
  { versionKey: false },
);
export const QuizResultModel = model('QuizResult', ResultSchema, 'quiz_results');

/** `${attemptId}|${index}`: one challenge answer. Its insert decides which of two racing answers counts. */
const ChallengeStepSchema = new Schema(
  {
    _id: { type: String, required: true },
    questionId: { type: String, required: true },
    choice: { type: [String], default: [] },
    correct: { type: Boolean, required: true },
  },
  { versionKey: false },
);
export const ChallengeStepModel = model('QuizChallengeStep', ChallengeStepSchema, 'quiz_challenge_steps');

/**
 * One per member: questions answered right lately (`right.<qid>` -> day) and the mistake book
 * (`wrong.<qid>` -> { n, at }). Read and written by the member's id only.
 * Issue 17: also what a start needs besides, so it reads this one document: the open paper of each kind (topic)
 * (`open.<kind|topic>` -> { a: attempt id, exp: ISO time }; before, a `quiz_open` document of its own), the paper
 * handed in last (`done.<kind|topic>` -> attempt id) and the newest payment key taken (`paid.<kind|topic>` -> key,
 * written after its ledger entry). Field names are escaped (`%2E` for a dot) by memory.ts. The open paper is written
 * off the start's path, grouped (H6f, memory.ts `noteOpenPaper`): a crash may lose only its resume.
 */
const QuizMemorySchema = new Schema(
  {
    _id: { type: String, required: true },
    right: { type: Schema.Types.Mixed, default: {} },
    wrong: { type: Schema.Types.Mixed, default: {} },
    open: { type: Schema.Types.Mixed, default: undefined },
    done: { type: Schema.Types.Mixed, default: undefined },
    paid: { type: Schema.Types.Mixed, default: undefined },
  },
  { versionKey: false, minimize: false },
);
export const QuizMemoryModel = model('QuizMemory', QuizMemorySchema, 'quiz_memory');

/**
 * `${userId}|${kind}|${topic}`: the member's open paper of that kind, as kept before it moved into the quiz memory
 * (`open`, issue 17). Nothing reads or writes it now; a paper open at the upgrade is dealt afresh (its clock runs
 * out within minutes anyway).
 */
const QuizOpenSchema = new Schema(
  { _id: { type: String, required: true }, attemptId: { type: String, required: true } },
  { versionKey: false },
);
export const QuizOpenModel = model('QuizOpen', QuizOpenSchema, 'quiz_open');

/**
 * The quiz's hot paths read and write these by key through the driver (issue 17, H8b): documents go and come as
 * stored, without mongoose's casting, hydration and hooks (a start or a submit spent more Node CPU in mongoose than in
 * the quiz's own code). Everything they write is built here in full (ids, dates, strings), so nothing needs casting.
 */
const driverOf = <T extends { _id: string }>(m: { collection: unknown }) => m.collection as mongo.Collection<T>;
export type QuizResultDoc = { _id: string; userId: string; result: Record<string, unknown> };
export type QuizMemoryDoc = { _id: string } & Record<string, unknown>;
export const attemptsCollection = () => driverOf<AttemptDoc>(AttemptModel);
export const resultsCollection = () => driverOf<QuizResultDoc>(QuizResultModel);
export const memoryCollection = () => driverOf<QuizMemoryDoc>(QuizMemoryModel);
