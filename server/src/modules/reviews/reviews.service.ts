import {
  REVIEW_MIN_VOTERS,
  type BallotBody,
  type OpenReviewBody,
  type ReviewGrade,
  type ReviewRound,
} from '@pioneer/shared';
import { isDuplicateKey } from '../../db/connect';
import { AppError, invalid, notFound } from '../../http/errors';
import type { SessionUser } from '../../http/types';
import { authorize, secretaryBranchOf, type Placed } from '../../policy';
import { requireOrg } from '../orgs/orgs.service';
import { UserModel, type UserDoc } from '../users/users.model';
import { currentYear } from '../commitments/commitments.service';
import { RoundModel, TallyModel, VotedModel, type RoundDoc } from './reviews.model';
import {
  VOTE_STALE_MS,
  claimVote,
  countBallot,
  createSlots,
  dropSlots,
  finishVote,
  slotComments,
  votedKey,
  writeBallot,
} from './ballot-write';

export const roundKey = (branchId: string, year: number) => `${branchId}|${year}`;
const notOpen = (message: string) => new AppError('REVIEW_NOT_OPEN', message);

export const isClosed = (round: Pick<RoundDoc, 'closedAt' | 'closesAt'>, now = new Date()) =>
  round.closedAt !== null && round.closedAt !== undefined ? true : now.getTime() >= new Date(round.closesAt).getTime();

export const electorateOf = (round: RoundDoc) => round.members.map((m) => m.id);

/** The branch as the policy sees it; a missing or dissolved branch is a 404 before anything else. */
export async function branchPlaced(branchId: string): Promise<Placed & { name: string; type: string }> {
  const org = await requireOrg(branchId);
  return { _id: org._id, path: org.path ?? [], name: org.name, type: org.type };
}

export async function findRound(branchId: string, year: number): Promise<RoundDoc | null> {
  return RoundModel.findById(roundKey(branchId, year)).lean<RoundDoc>();
}

export async function requireRound(branchId: string, year: number): Promise<RoundDoc> {
  const round = await findRound(branchId, year);
  if (!round) throw notFound('本年度民主评议');
  return round;
}

export async function hasVoted(roundId: string, userId: string): Promise<boolean> {
  return (await VotedModel.exists({ _id: votedKey(roundId, userId) })) !== null;
}

export async function voterCount(roundId: string): Promise<number> {
  const tally = await TallyModel.findById(roundId).lean<{ voters?: number }>();
  return tally?.voters ?? 0;
}

export async function roundView(round: RoundDoc, viewerId: string, now = new Date()): Promise<ReviewRound> {
  const canVote = electorateOf(round).includes(viewerId);
  return {
    id: round._id,
    branchId: round.branchId,
    branchName: round.branchName,
    year: round.year,
    closesAt: new Date(round.closesAt).toISOString(),
    closed: isClosed(round, now),
    members: round.members,
    voterCount: await voterCount(round._id),
    canVote,
    hasVoted: canVote ? await hasVoted(round._id, viewerId) : false,
  };
}

/** The electorate: members of the branch in good standing when the round opens (one scan, once a year). */
export async function branchMembers(branchId: string): Promise<{ id: string; name: string }[]> {
  const users = await UserModel.find({ orgId: branchId }).lean<UserDoc[]>();
  return users
    .filter((u) => (u.status ?? 'active') === 'active')
    .map((u) => ({ id: u._id, name: u.name }))
    .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
}

export async function openRound(actor: SessionUser, body: OpenReviewBody, now = new Date()): Promise<ReviewRound> {
  const branchId = body.org ?? secretaryBranchOf(actor);
  if (!branchId) throw invalid('请选择要开展评议的支部');
  const branch = await branchPlaced(branchId);
  authorize(actor, 'review.manage', branch);
  if (branch.type !== 'branch') throw invalid('民主评议以党支部为单位开展，请选择一个支部');
  if (body.closesAt.getTime() <= now.getTime()) throw invalid('截止时间必须晚于现在');
  if (body.closesAt.getTime() > now.getTime() + 60 * 86_400_000) throw invalid('截止时间不能超过60天');
  if (Math.abs(body.year - currentYear(now)) > 1) throw invalid('只能评议今年或去年');
  const members = await branchMembers(branchId);
  if (members.length < 2) throw invalid('支部党员少于2人，无法开展互评');
  const id = roundKey(branchId, body.year);
  // The slots first, so a round never lists a slot that is not there (a crash leaves unlisted empty slots only).
  const slots = await createSlots(id, members.length);
  try {
    await RoundModel.create({
      _id: id,
      branchId,
      branchName: branch.name,
      branchPath: [...branch.path],
      year: body.year,
      closesAt: body.closesAt,
      closedAt: null,
      members,
      openedBy: actor.id,
      openedAt: now,
      slots,
    });
  } catch (err) {
    await dropSlots(slots);
    if (isDuplicateKey(err)) throw new AppError('CONFLICT', `${branch.name}${body.year}年度的民主评议已经开启`);
    throw err;
  }
  await TallyModel.updateOne(
    { _id: id },
    { $setOnInsert: { voters: 0, counts: {}, comments: {}, excellent: 0 } },
    { upsert: true },
  );
  return roundView((await RoundModel.findById(id).lean<RoundDoc>())!, actor.id, now);
}

export async function getRound(actor: SessionUser, branchId: string, year: number): Promise<ReviewRound> {
  const branch = await branchPlaced(branchId);
  const round = await findRound(branchId, year);
  authorize(actor, 'review.view', { branch, electorate: round ? electorateOf(round) : [] });
  if (!round) throw notFound('本年度民主评议');
  return roundView(round, actor.id);
}

/** The round a member is asked to vote in: their branch's, this year's or last year's (held in January), two key reads. */
export async function currentRound(actor: SessionUser, now = new Date()): Promise<ReviewRound | null> {
  if (!actor.orgId) return null;
  const year = currentYear(now);
  const rounds = (await Promise.all([findRound(actor.orgId, year), findRound(actor.orgId, year - 1)])).filter(
    (r): r is RoundDoc => r !== null,
  );
  const round = rounds.find((r) => !isClosed(r, now)) ?? rounds[0];
  return round ? roundView(round, actor.id, now) : null;
}

/** Every member of the electorate rated exactly once, the voter included. */
function checkBallot(round: RoundDoc, body: BallotBody): void {
  const electorate = new Set(electorateOf(round));
  const rated = new Set(body.ratings.map((r) => r.memberId));
  const complete =
    rated.size === body.ratings.length &&
    rated.size === electorate.size &&
    [...rated].every((id) => electorate.has(id));
  if (!complete) throw invalid('请为本支部每位党员（含本人）各评议一次');
}

/**
 * A secret ballot, written in the four steps of ballot-write.ts: the has-voted key first (a duplicate means this
 * member already voted: 10 racing submits give one ballot), then a random empty slot of the round filled in place
 * (created at opening, so the stored order says nothing of who voted when) with no voter, then
 * the tally's one `$inc`, then the key forgets the ballot id. A step that would start after half the reconciler's
 * wait is left to it (so the two never count one ballot together); a crash anywhere is finished or undone by it.
 */
export async function castBallot(
  actor: SessionUser,
  branchId: string,
  year: number,
  body: BallotBody,
  now = new Date(),
): Promise<{ voted: true }> {
  const round = await requireRound(branchId, year);
  authorize(actor, 'review.vote', { electorate: electorateOf(round) });
  if (isClosed(round, now)) throw notOpen('本轮评议已结束，不能再投票');
  checkBallot(round, body);
  const started = Date.now();
  const inTime = () => {
    if (Date.now() - started > VOTE_STALE_MS / 2)
      throw new AppError('CONFLICT', '投票保存超时，系统将自动补全，请稍后刷新');
  };
  const ballotId = await claimVote(round._id, actor.id, now);
  const ratings = body.ratings.map((r) => ({
    memberId: r.memberId,
    grade: r.grade,
    ...(r.comment ? { comment: r.comment } : {}),
  }));
  inTime();
  let slotId: string;
  try {
    slotId = await writeBallot(round._id, ballotId, ratings, round.slots);
  } catch (err) {
    // No empty slot left (nothing filled, nothing counted): the claim is undone at once rather than by the reconciler.
    if (err instanceof AppError && err.code === 'CONFLICT')
      await VotedModel.deleteOne({ _id: votedKey(round._id, actor.id) });
    throw err;
  }
  inTime();
  await countBallot(round._id, ballotId, ratings, now, { comments: !round.slots });
  await finishVote(round._id, actor.id, ballotId, slotId);
  return { voted: true };
}

export async function closeRound(
  actor: SessionUser,
  branchId: string,
  year: number,
  now = new Date(),
): Promise<ReviewRound> {
  const branch = await branchPlaced(branchId);
  authorize(actor, 'review.manage', branch);
  const round = await requireRound(branchId, year);
  if (!isClosed(round, now)) await RoundModel.updateOne({ _id: round._id }, { $set: { closedAt: now } });
  return roundView((await RoundModel.findById(round._id).lean<RoundDoc>())!, actor.id, now);
}

export interface TallyView {
  voters: number;
  counts: Record<string, Partial<Record<ReviewGrade, number>>>;
  comments: Record<string, string[]>;
  excellent: number;
}

/** The counts; comments from the round's slots when it has them (the tally keeps them only for older rounds). */
export async function readTally(roundId: string, slots?: readonly string[]): Promise<TallyView> {
  const t = await TallyModel.findById(roundId).lean<Partial<TallyView>>();
  const comments = slots ? await slotComments(slots) : (t?.comments ?? {});
  return { voters: t?.voters ?? 0, counts: t?.counts ?? {}, comments, excellent: t?.excellent ?? 0 };
}

/** Why counts are not shown, or null: only after closing, and only with enough voters that no ballot can be traced. */
export function withheldReason(voters: number): string | null {
  if (voters >= REVIEW_MIN_VOTERS) return null;
  return `仅${voters}名党员参加投票，不足${REVIEW_MIN_VOTERS}人，为保护投票秘密不显示票数`;
}
