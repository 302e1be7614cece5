import { Schema, model, type InferSchemaType } from 'mongoose';
import { REVIEW_GRADES } from '@pioneer/shared';

/**
 * 民主评议党员 (issue 21). Every read and write on the voting path is by a deterministic `_id`:
 * - the round `${branchId}|${year}`, with its electorate (the branch's members when it opened);
 * - "has voted" `${roundId}|${userId}`: inserting it is the vote's claim, so a member votes once however many
 *   submits race; it holds nothing but the key;
 * - the ballot: a slot with a random `_id`, created empty at opening and filled in place by one vote with the
 *   ratings, never who cast it, no time (nothing to line up with the claim or the order of votes);
 * - the tally `${roundId}`: counters `counts.<memberId>.<grade>` and `voters`, one atomic `$inc` per ballot.
 */
const RoundSchema = new Schema(
  {
    _id: { type: String, required: true },
    branchId: { type: String, required: true },
    branchName: { type: String, required: true },
    /** The branch's ancestors (county first), for scope checks and the township's confirmation queue. */
    branchPath: { type: [String], default: [] },
    year: { type: Number, required: true },
    closesAt: { type: Date, required: true },
    /** Set when the secretary closes before `closesAt`. */
    closedAt: { type: Date, default: null },
    /** [{ id, name }] */
    members: { type: Schema.Types.Mixed, default: [] },
    openedBy: { type: String, required: true },
    openedAt: { type: Date, required: true },
    /**
     * The ballot slots, one per elector, created empty (random ids, random order) when the round opened; a vote
     * fills one. Absent on rounds opened before slots existed (their ballots were inserted at vote time).
     */
    slots: { type: [String], default: undefined },
  },
  { versionKey: false, minimize: false },
);
export type RoundDoc = Omit<InferSchemaType<typeof RoundSchema>, 'members' | 'slots'> & {
  _id: string;
  members: { id: string; name: string }[];
  slots?: string[];
};
export const RoundModel = model('ReviewRound', RoundSchema, 'review_rounds');

/**
 * While a vote is being written the key is `pending` and holds the ballot's random id and when (so the reconciler
 * can finish or undo a vote a crash cut short); once the ballot is counted all three are removed: a bare key is a
 * finished vote.
 */
const VotedSchema = new Schema(
  {
    _id: { type: String, required: true },
    state: { type: String, enum: ['pending'], default: undefined },
    ballotId: { type: String, default: undefined },
    at: { type: Date, default: undefined },
  },
  { versionKey: false },
);
export const VotedModel = model('ReviewVoted', VotedSchema, 'review_voted');

/**
 * A ballot slot: all of a round's slots are inserted empty when it opens, so the engine's natural (insertion) order
 * says nothing about who voted when; a vote fills a random empty one in place. `vote` is the pending vote's token,
 * only until that vote is done. A ballot without `filled` is one inserted at vote time by an older round: filled.
 */
const BallotSchema = new Schema(
  {
    _id: { type: String, required: true },
    roundId: { type: String, required: true },
    filled: { type: Boolean, default: undefined },
    /** [{ memberId, grade, comment? }]; empty while the slot is */
    ratings: { type: Schema.Types.Mixed, default: [] },
    vote: { type: String, default: undefined },
  },
  { versionKey: false },
);
export const BallotModel = model('ReviewBallot', BallotSchema, 'review_ballots');

const TallySchema = new Schema(
  {
    _id: { type: String, required: true },
    voters: { type: Number, default: 0 },
    /** memberId -> grade -> count */
    counts: { type: Schema.Types.Mixed, default: {} },
    /** memberId -> [comment] (only 基本合格/不合格 carry one) */
    comments: { type: Schema.Types.Mixed, default: {} },
    /**
     * Ballot ids counted but whose vote is not yet marked done (id -> time counted): makes counting a ballot
     * idempotent for the reconciler; each entry is removed once its vote is done.
     */
    applied: { type: Schema.Types.Mixed, default: {} },
    /** How many final 优秀 the round has given: claimed by $inc before a grade is written, given back if refused. */
    excellent: { type: Number, default: 0 },
  },
  { versionKey: false, minimize: false },
);
export const TallyModel = model('ReviewTally', TallySchema, 'review_tallies');

/** `${roundId}|${userId}`: a member's grade in a round, inserted once. 不合格 waits (`pending`) for an admin above. */
const GradeSchema = new Schema(
  {
    _id: { type: String, required: true },
    roundId: { type: String, required: true },
    userId: { type: String, required: true },
    grade: { type: String, enum: REVIEW_GRADES, required: true },
    status: { type: String, enum: ['final', 'pending'], required: true },
    reason: { type: String, default: null },
    note: { type: String, default: null },
    by: { type: String, required: true },
    at: { type: Date, required: true },
    confirmedBy: { type: String, default: null },
    paid: { type: Boolean, default: false },
  },
  { versionKey: false },
);
export type GradeDoc = InferSchemaType<typeof GradeSchema> & { _id: string };
export const GradeModel = model('ReviewGrade', GradeSchema, 'review_grades');

/**
 * Read models by key: `history|${userId}` (year -> grade, the member's record), `pending|${orgId}` (for each
 * admin-level ancestor of a branch: the 不合格 grades waiting for confirmation), `share|${countyId}` (the county's
 * 优秀 share).
 */
const ReviewDocSchema = new Schema(
  {
    _id: { type: String, required: true },
    items: { type: Schema.Types.Mixed, default: {} },
    value: { type: Number, default: null },
  },
  { versionKey: false, minimize: false },
);
export const ReviewDocModel = model('ReviewDoc', ReviewDocSchema, 'review_docs');
