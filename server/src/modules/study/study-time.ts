import { monthKey } from '@pioneer/shared';
import { Schema, model, type InferSchemaType } from 'mongoose';

/**
 * 学习时长 (issue 20, 学习台账): a member's study time in a month, one document by key `${userId}|${YYYY-MM}`
 * (Shanghai month), $inc'ed with what the server credited — a completed reading's counted time, each accepted
 * heartbeat's stretch — never what a client claims. It counts past the daily points cap: it is time studied, not
 * points. The ledger reads it by key per member.
 */
const StudyTimeSchema = new Schema(
  {
    _id: { type: String, required: true },
    readMs: { type: Number, default: 0 },
    watchMs: { type: Number, default: 0 },
  },
  { versionKey: false },
);
export type StudyTimeDoc = InferSchemaType<typeof StudyTimeSchema> & { _id: string };
export const StudyTimeModel = model('StudyTime', StudyTimeSchema, 'study_time');

/**
 * A reading session has no upper bound of its own (a page left in front keeps counting), so the ledger credits at
 * most this many times the article's minimum: a slow reader is covered, a page forgotten open for an hour is not.
 */
export const READ_CREDIT_FACTOR = 4;

export const studyTimeKey = (userId: string, at: Date) => `${userId}|${monthKey(at)}`;

export const readCreditMs = (countedMs: number, minSeconds: number) =>
  Math.min(countedMs, minSeconds * 1000 * READ_CREDIT_FACTOR);

/** Adds server-credited time to the member's month (by key, upserted). */
export async function creditStudyTime(userId: string, kind: 'read' | 'watch', ms: number, at: Date): Promise<void> {
  if (!(ms > 0)) return;
  const field = kind === 'read' ? 'readMs' : 'watchMs';
  await StudyTimeModel.updateOne(
    { _id: studyTimeKey(userId, at) },
    { $inc: { [field]: Math.round(ms) } },
    { upsert: true },
  );
}
