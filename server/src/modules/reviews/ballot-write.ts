import { randomBytes } from 'node:crypto';
import { isDuplicateKey } from '../../db/connect';
import { AppError } from '../../http/errors';
import { BallotModel, ReviewDocModel, TallyModel, VotedModel } from './reviews.model';

/**
 * How a secret ballot is written without transactions, so a crash at any point can be finished or undone:
 * 1. the has-voted key `${roundId}|${userId}` is inserted `pending` with a fresh random ballot id (the claim: a
 *    duplicate means the member already voted);
 * 2. the ballot is inserted under that random id, with the ratings and no voter;
 * 3. the tally counts it with one `$inc`, noting the ballot id in `applied` (so counting it again is refused);
 * 4. the key loses its state, ballot id and time (a bare key: voted); then the `applied` note is removed.
 * Only while a vote is pending does anything link a member to a ballot; once done nothing does. A vote left
 * pending past VOTE_STALE_MS is the reconciler's: with its ballot stored it is counted and finished, without one
 * the key is removed and the member may vote again.
 */
export const VOTE_STALE_MS = 10 * 60_000;

export interface Rating {
  memberId: string;
  grade: string;
  comment?: string;
}

export const votedKey = (roundId: string, userId: string) => `${roundId}|${userId}`;
const roundOfVotedKey = (id: string) => id.slice(0, id.lastIndexOf('|'));

/** Step 1: the claim. Returns the ballot id the vote will use. */
export async function claimVote(roundId: string, userId: string, now = new Date()): Promise<string> {
  const ballotId = randomBytes(16).toString('hex');
  try {
    await VotedModel.create({ _id: votedKey(roundId, userId), state: 'pending', ballotId, at: now });
  } catch (err) {
    if (isDuplicateKey(err)) throw new AppError('ALREADY_VOTED');
    throw err;
  }
  return ballotId;
}

/** Step 2: the ballot, by its random id only. */
export async function writeBallot(roundId: string, ballotId: string, ratings: Rating[]): Promise<void> {
  await BallotModel.create({ _id: ballotId, roundId, ratings });
}

/** Step 3: counted once; a ballot already noted in `applied` is not counted again. */
export async function countBallot(roundId: string, ballotId: string, ratings: Rating[], now = new Date()) {
  const seen = await TallyModel.findById(roundId, { [`applied.${ballotId}`]: 1 }).lean<{
    applied?: Record<string, unknown>;
  }>();
  if (seen?.applied?.[ballotId]) return;
  const inc: Record<string, number> = { voters: 1 };
  const push: Record<string, string> = {};
  for (const r of ratings) {
    inc[`counts.${r.memberId}.${r.grade}`] = 1;
    if (r.comment) push[`comments.${r.memberId}`] = r.comment;
  }
  const set = { [`applied.${ballotId}`]: now.toISOString() };
  await TallyModel.updateOne(
    { _id: roundId },
    Object.keys(push).length ? { $inc: inc, $push: push, $set: set } : { $inc: inc, $set: set },
  );
}

/** Step 4: the key is left bare (a key without state is a finished vote), then the tally forgets the ballot id. */
export async function finishVote(roundId: string, userId: string, ballotId: string): Promise<void> {
  await VotedModel.updateOne({ _id: votedKey(roundId, userId) }, { $unset: { state: '', ballotId: '', at: '' } });
  await TallyModel.updateOne({ _id: roundId }, { $unset: { [`applied.${ballotId}`]: '' } });
}

export interface BallotRepair {
  found: number;
  finished: number;
  rolledBack: number;
  /** Held by another reconciler running at the same time. */
  skipped: number;
}

const lockKey = (votedId: string) => `ballot-repair|${votedId}`;

/** One reconciler per pending vote: the lock is an insert; a lock left by a reconciler that died expires. */
async function takeLock(votedId: string, now: Date, staleMs: number): Promise<boolean> {
  try {
    await ReviewDocModel.create({ _id: lockKey(votedId), value: now.getTime() });
    return true;
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
  const lock = await ReviewDocModel.findById(lockKey(votedId)).lean<{ value: number }>();
  if (!lock || lock.value > now.getTime() - staleMs) return false;
  // Only the reconciler that removes this very lock may take it over (a scan of review_docs: the reconciler only).
  const gone = await ReviewDocModel.deleteOne({ _id: lockKey(votedId), value: lock.value });
  return gone.deletedCount === 1 ? takeLock(votedId, now, staleMs) : false;
}

async function repairOne(id: string, now: Date, out: BallotRepair): Promise<void> {
  const v = await VotedModel.findById(id).lean<{ state?: string; ballotId?: string }>();
  if (!v || v.state !== 'pending' || !v.ballotId) return;
  const roundId = roundOfVotedKey(id);
  const userId = id.slice(roundId.length + 1);
  const ballot = await BallotModel.findById(v.ballotId).lean<{ ratings: Rating[] }>();
  if (!ballot) {
    // Crashed before the ballot was stored: nothing was counted, so the claim is undone and the member may vote.
    await VotedModel.deleteOne({ _id: id });
    out.rolledBack += 1;
    return;
  }
  await countBallot(roundId, v.ballotId, ballot.ratings, now);
  await finishVote(roundId, userId, v.ballotId);
  out.finished += 1;
}

/**
 * Finishes or undoes votes left pending longer than `staleMs` (start-up and on the engine's return). Safe to run
 * twice or concurrently: each vote is repaired under its lock, and counting is idempotent per ballot id.
 */
export async function reconcileBallots(now = new Date(), staleMs = VOTE_STALE_MS): Promise<BallotRepair> {
  const out: BallotRepair = { found: 0, finished: 0, rolledBack: 0, skipped: 0 };
  // A scan, as start-up reconcilers may: pending keys are few and short-lived.
  const pending = await VotedModel.find({ state: 'pending' }).lean<{ _id: string; at?: Date }[]>();
  const cutoff = now.getTime() - staleMs;
  for (const p of pending) {
    if (!p.at || new Date(p.at).getTime() > cutoff) continue;
    out.found += 1;
    if (!(await takeLock(p._id, now, staleMs))) {
      out.skipped += 1;
      continue;
    }
    try {
      await repairOne(p._id, now, out);
    } finally {
      await ReviewDocModel.deleteOne({ _id: lockKey(p._id) });
    }
  }
  await forgetApplied(now, staleMs);
  return out;
}

/**
 * `applied` notes left by a crash between steps 4a and 4b: dropped once older than `staleMs` and no pending vote
 * still holds that ballot id (one scan of pending keys and of the small tallies collection).
 */
async function forgetApplied(now: Date, staleMs: number): Promise<void> {
  const stillPending = new Set(
    (await VotedModel.find({ state: 'pending' }).lean<{ ballotId?: string }[]>()).map((v) => v.ballotId),
  );
  const cutoff = now.getTime() - staleMs;
  const tallies = await TallyModel.find({}, { applied: 1 }).lean<{ _id: string; applied?: Record<string, string> }[]>();
  for (const t of tallies) {
    const old = Object.entries(t.applied ?? {})
      .filter(([id, at]) => !stillPending.has(id) && new Date(at).getTime() <= cutoff)
      .map(([id]) => [`applied.${id}`, ''] as const);
    if (old.length) await TallyModel.updateOne({ _id: t._id }, { $unset: Object.fromEntries(old) });
  }
}
