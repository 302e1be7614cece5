import { randomBytes, randomInt } from 'node:crypto';
import { isDuplicateKey } from '../../db/connect';
import { AppError } from '../../http/errors';
import { BallotModel, ReviewDocModel, RoundModel, TallyModel, VotedModel } from './reviews.model';

/**
 * How a secret ballot is written without transactions, so a crash at any point can be finished or undone.
 * When the round opens, one empty ballot slot per elector is inserted (random ids, random order) and listed on the
 * round: the engine keeps documents in insertion order, so ballots inserted at vote time would line up with the
 * has-voted keys (inserted in the same order); slots filled in place say nothing about who voted when. A vote:
 * 1. the has-voted key `${roundId}|${userId}` is inserted `pending` with a fresh random vote token (the claim: a
 *    duplicate means the member already voted);
 * 2. a randomly chosen empty slot is filled by compare-and-swap on `{ _id, filled: false }` with the ratings and the
 *    token (a lost race tries another slot; an update does not move the document);
 * 3. the tally counts it with one `$inc`, noting the token in `applied` (so counting it again is refused);
 * 4. the slot forgets the token, the key loses its state, token and time (a bare key: voted); then the `applied`
 *    note is removed.
 * Only while a vote is pending does anything link a member to a ballot; once done nothing does. A vote left
 * pending past VOTE_STALE_MS is the reconciler's: with its slot filled (or already counted) it is counted and
 * finished, without one the key is removed and the member may vote again; a slot filled by a vote rolled back
 * (a fill stalled past the wait) is emptied again. Rounds opened before slots existed (no `slots` on the round)
 * keep the old step 2: the ballot is inserted under the token.
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

const shuffled = <T>(items: readonly T[]): T[] => {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = randomInt(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
};

/** At opening: `count` empty slots with random ids, inserted one by one in random order; their ids. */
export async function createSlots(roundId: string, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, () => randomBytes(16).toString('hex'));
  for (const id of shuffled(ids)) await BallotModel.create({ _id: id, roundId, filled: false, ratings: [] });
  return ids;
}

/** Slots of a round that lost the race to open it (by key: a rare path). */
export async function dropSlots(ids: readonly string[]): Promise<void> {
  for (const id of ids) await BallotModel.deleteOne({ _id: id, filled: false });
}

export const noEmptySlot = () => new AppError('CONFLICT', '本轮选票已全部投出，请联系书记');

/**
 * Step 2: fills a random empty slot with the ratings (by key, compare-and-swap) and returns its id; a round without
 * slots (opened before them) gets its ballot inserted under the token, as then. `slots` read from the round if not given.
 */
export async function writeBallot(
  roundId: string,
  token: string,
  ratings: Rating[],
  slots?: string[],
): Promise<string> {
  const list = slots ?? (await RoundModel.findById(roundId, { slots: 1 }).lean<{ slots?: string[] }>())?.slots;
  if (!list) {
    await BallotModel.create({ _id: token, roundId, ratings });
    return token;
  }
  for (const id of shuffled(list)) {
    const res = await BallotModel.updateOne(
      { _id: id, filled: false },
      { $set: { filled: true, ratings, vote: token } },
    );
    if (res.modifiedCount === 1) return id;
  }
  throw noEmptySlot();
}

/**
 * Step 3: counted once; a ballot already noted in `applied` is not counted again. Comments go on the tally only for
 * rounds without slots (`comments: false` otherwise).
 */
export async function countBallot(
  roundId: string,
  ballotId: string,
  ratings: Rating[],
  now = new Date(),
  opts: { comments?: boolean } = {},
) {
  const seen = await TallyModel.findById(roundId, { [`applied.${ballotId}`]: 1 }).lean<{
    applied?: Record<string, unknown>;
  }>();
  if (seen?.applied?.[ballotId]) return;
  const inc: Record<string, number> = { voters: 1 };
  const push: Record<string, string> = {};
  for (const r of ratings) {
    inc[`counts.${r.memberId}.${r.grade}`] = 1;
    // A slot keeps its comments (read from the slots after closing); a pushed list would be in arrival order.
    if (r.comment && opts.comments !== false) push[`comments.${r.memberId}`] = r.comment;
  }
  const set = { [`applied.${ballotId}`]: now.toISOString() };
  await TallyModel.updateOne(
    { _id: roundId },
    Object.keys(push).length ? { $inc: inc, $push: push, $set: set } : { $inc: inc, $set: set },
  );
}

/**
 * Step 4: the slot forgets the token (first: a pending key whose slot no longer names it is still known counted by
 * `applied`), the key is left bare (a key without state is a finished vote), then the tally forgets the token.
 */
export async function finishVote(roundId: string, userId: string, ballotId: string, slotId?: string): Promise<void> {
  if (slotId) await BallotModel.updateOne({ _id: slotId, vote: ballotId }, { $unset: { vote: '' } });
  await VotedModel.updateOne({ _id: votedKey(roundId, userId) }, { $unset: { state: '', ballotId: '', at: '' } });
  await TallyModel.updateOne({ _id: roundId }, { $unset: { [`applied.${ballotId}`]: '' } });
}

export interface BallotRepair {
  found: number;
  finished: number;
  rolledBack: number;
  /** Held by another reconciler running at the same time. */
  skipped: number;
  /** Slots filled by a vote already rolled back, emptied again. */
  emptied: number;
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
  const ballot = await ballotOfVote(roundId, v.ballotId);
  if (ballot) {
    await countBallot(roundId, v.ballotId, ballot.ratings, now, { comments: ballot._id === v.ballotId });
    await finishVote(roundId, userId, v.ballotId, ballot._id);
    out.finished += 1;
    return;
  }
  const tally = await TallyModel.findById(roundId, { [`applied.${v.ballotId}`]: 1 }).lean<{
    applied?: Record<string, unknown>;
  }>();
  if (tally?.applied?.[v.ballotId]) {
    // Counted, and the slot already let go of the token (step 4 cut short): only the key is left to finish.
    await finishVote(roundId, userId, v.ballotId);
    out.finished += 1;
    return;
  }
  // Crashed before a slot was filled: nothing was counted, so the claim is undone and the member may vote.
  await VotedModel.deleteOne({ _id: id });
  out.rolledBack += 1;
}

/** The ballot a pending vote filled: the round's slot naming its token (by key, each slot), or an old-style ballot. */
async function ballotOfVote(roundId: string, token: string): Promise<{ _id: string; ratings: Rating[] } | null> {
  const round = await RoundModel.findById(roundId, { slots: 1 }).lean<{ slots?: string[] }>();
  if (!round?.slots) return BallotModel.findById(token).lean<{ _id: string; ratings: Rating[] }>();
  for (const slotId of round.slots) {
    const slot = await BallotModel.findById(slotId).lean<{ _id: string; ratings: Rating[]; vote?: string }>();
    if (slot?.vote === token) return slot;
  }
  return null;
}

/**
 * Finishes or undoes votes left pending longer than `staleMs` (start-up and on the engine's return). Safe to run
 * twice or concurrently: each vote is repaired under its lock, and counting is idempotent per ballot id.
 */
export async function reconcileBallots(now = new Date(), staleMs = VOTE_STALE_MS): Promise<BallotRepair> {
  const out: BallotRepair = { found: 0, finished: 0, rolledBack: 0, skipped: 0, emptied: 0 };
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
  out.emptied = await emptyOrphanSlots();
  return out;
}

/**
 * Slots still naming a token no pending key holds and no tally counted: filled by a vote already rolled back (its
 * fill stalled past the wait). Emptied again, so the round keeps one slot per elector. A live vote's key is pending
 * from before its fill until after its slot forgot the token, so it is never taken for one (start-up scan).
 */
async function emptyOrphanSlots(): Promise<number> {
  const marked = await BallotModel.find({ vote: { $exists: true } }, { roundId: 1, vote: 1 }).lean<
    { _id: string; roundId: string; vote: string }[]
  >();
  if (!marked.length) return 0;
  const pending = new Set(
    (await VotedModel.find({ state: 'pending' }).lean<{ ballotId?: string }[]>()).map((v) => v.ballotId),
  );
  let emptied = 0;
  for (const slot of marked) {
    if (pending.has(slot.vote)) continue;
    const tally = await TallyModel.findById(slot.roundId, { [`applied.${slot.vote}`]: 1 }).lean<{
      applied?: Record<string, unknown>;
    }>();
    if (tally?.applied?.[slot.vote]) continue;
    const res = await BallotModel.updateOne(
      { _id: slot._id, vote: slot.vote },
      { $set: { filled: false, ratings: [] }, $unset: { vote: '' } },
    );
    emptied += res.modifiedCount;
  }
  return emptied;
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

/**
 * A slotted round's comments, member -> comments, read after closing from its finished slots (by key, one read per
 * slot): a slot still naming a vote token (in flight, or filled by a vote rolled back) is left out until done.
 */
export async function slotComments(slots: readonly string[]): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const id of slots) {
    const slot = await BallotModel.findById(id).lean<{ filled?: boolean; vote?: string; ratings?: Rating[] }>();
    if (!slot?.filled || slot.vote) continue;
    for (const r of slot.ratings ?? []) if (r.comment) (out[r.memberId] ??= []).push(r.comment);
  }
  return out;
}
