import {
  REVIEW_DEFAULT_EXCELLENT_SHARE,
  REVIEW_GRADES,
  REVIEW_GRADE_LABELS,
  REVIEW_GRADE_SHARE,
  excellentCap,
  type ConfirmGradeBody,
  type ReviewGrade,
  type ReviewGradeView,
  type ReviewHistoryItem,
  type ReviewPendingItem,
  type ReviewResults,
  type ReviewSettingsBody,
  type SetGradeBody,
} from '@pioneer/shared';
import { isDuplicateKey } from '../../db/connect';
import { AppError, notFound } from '../../http/errors';
import type { SessionUser } from '../../http/types';
import { adminRootOf, authorize } from '../../policy';
import { awardPoints } from '../points/points.service';
import { requireOrg } from '../orgs/orgs.service';
import { UserModel, type UserDoc } from '../users/users.model';
import { GradeModel, ReviewDocModel, RoundModel, TallyModel, type GradeDoc, type RoundDoc } from './reviews.model';
import { branchPlaced, isClosed, readTally, requireRound, roundView, withheldReason } from './reviews.service';

const gradeKey = (roundId: string, userId: string) => `${roundId}|${userId}`;
const illegal = (message: string) => new AppError('ILLEGAL_TRANSITION', message);

/** The county's 优秀 share (`share|${countyId}`), else the default 30%. */
export async function excellentShareOf(countyId: string | undefined): Promise<number> {
  if (!countyId) return REVIEW_DEFAULT_EXCELLENT_SHARE;
  const doc = await ReviewDocModel.findById(`share|${countyId}`).lean<{ value?: number | null }>();
  return typeof doc?.value === 'number' ? doc.value : REVIEW_DEFAULT_EXCELLENT_SHARE;
}

export async function putSettings(actor: SessionUser, body: ReviewSettingsBody): Promise<{ excellentShare: number }> {
  const org = await requireOrg(body.org);
  authorize(actor, 'county.manage', { _id: org._id, path: org.path ?? [] });
  if (org.type !== 'county') throw new AppError('VALIDATION_FAILED', '优秀比例由县级设置');
  await ReviewDocModel.updateOne(
    { _id: `share|${org._id}` },
    { $set: { value: body.excellentShare } },
    { upsert: true },
  );
  return { excellentShare: body.excellentShare };
}

/** The county's 优秀 share for its admins' settings screen (the admin's own county when none is named). */
export async function getSettings(
  actor: SessionUser,
  orgId: string | undefined,
): Promise<{ org: string; orgName: string; excellentShare: number }> {
  const org = await requireOrg(orgId ?? actor.orgPath[0] ?? adminRootOf(actor) ?? '');
  authorize(actor, 'county.manage', { _id: org._id, path: org.path ?? [] });
  if (org.type !== 'county') throw new AppError('VALIDATION_FAILED', '优秀比例由县级设置');
  return { org: org._id, orgName: org.name, excellentShare: await excellentShareOf(org._id) };
}

const gradeView = (g: GradeDoc | null): ReviewGradeView | null =>
  g
    ? {
        grade: g.grade as ReviewGrade,
        status: g.status as 'final' | 'pending',
        reason: g.reason ?? null,
        note: g.note ?? null,
      }
    : null;

/** A final grade's effects, each idempotent: the member's history for the year, then the points, then `paid`. */
async function settleGrade(round: RoundDoc, g: GradeDoc): Promise<void> {
  await ReviewDocModel.updateOne(
    { _id: `history|${g.userId}` },
    { $set: { [`items.${round.year}`]: { grade: g.grade, status: 'final', branchName: round.branchName } } },
    { upsert: true },
  );
  const units = REVIEW_GRADE_SHARE[g.grade as ReviewGrade];
  if (units > 0) {
    await awardPoints({
      userId: g.userId,
      reason: 'review_grade',
      units,
      refType: 'review',
      refId: round._id,
      idempotencyKey: `review|grade|${g.userId}|${round.year}`,
      actorId: g.confirmedBy ?? g.by,
      at: g.at,
    });
  }
  await GradeModel.updateOne({ _id: g._id }, { $set: { paid: true } });
}

async function gradesOf(round: RoundDoc): Promise<Map<string, GradeDoc>> {
  const docs = await Promise.all(
    round.members.map((m) => GradeModel.findById(gradeKey(round._id, m.id)).lean<GradeDoc>()),
  );
  const map = new Map<string, GradeDoc>();
  for (const d of docs) if (d) map.set(d.userId, d);
  // A final grade whose effects a crash cut short is settled when next read.
  await Promise.all([...map.values()].filter((d) => d.status === 'final' && !d.paid).map((d) => settleGrade(round, d)));
  return map;
}

export async function results(
  actor: SessionUser,
  branchId: string,
  year: number,
  now = new Date(),
): Promise<ReviewResults> {
  const branch = await branchPlaced(branchId);
  authorize(actor, 'review.manage', branch);
  const round = await requireRound(branchId, year);
  if (!isClosed(round, now)) throw illegal('评议结束后才能查看结果，请先结束投票');
  const [tally, grades, share] = await Promise.all([
    readTally(round._id, round.slots),
    gradesOf(round),
    excellentShareOf(round.branchPath[0]),
  ]);
  const withheld = withheldReason(tally.voters);
  const rows = round.members.map((member) => {
    const c = tally.counts[member.id] ?? {};
    const counts = Object.fromEntries(REVIEW_GRADES.map((g) => [g, c[g] ?? 0])) as Record<ReviewGrade, number>;
    // Sorted, so the order says nothing about when each ballot came in.
    const comments = [...(tally.comments[member.id] ?? [])].sort();
    return {
      member,
      counts: withheld ? null : counts,
      comments: withheld ? null : comments,
      grade: gradeView(grades.get(member.id) ?? null),
    };
  });
  return {
    round: await roundView(round, actor.id, now),
    withheld,
    excellentShare: share,
    excellentCap: excellentCap(round.members.length, share),
    rows,
  };
}

/** Claims one of the round's 优秀 places (atomic `$inc`), giving it back when over the county's cap. */
async function claimExcellent(round: RoundDoc): Promise<void> {
  const share = await excellentShareOf(round.branchPath[0]);
  const cap = excellentCap(round.members.length, share);
  const after = await TallyModel.findOneAndUpdate(
    { _id: round._id },
    { $inc: { excellent: 1 } },
    { returnDocument: 'after', upsert: true },
  ).lean<{ excellent: number }>();
  if ((after?.excellent ?? 1) > cap) {
    await TallyModel.updateOne({ _id: round._id }, { $inc: { excellent: -1 } });
    throw new AppError(
      'EXCELLENT_SHARE_EXCEEDED',
      `优秀等次不能超过本支部评议人数的${Math.round(share * 100)}%（最多${cap}人）`,
    );
  }
}

/** The admin-level ancestors of the branch each keep a queue of its 不合格 grades waiting for them (by key). */
async function setPending(round: RoundDoc, g: GradeDoc, on: boolean): Promise<void> {
  const field = `items.${g._id.replaceAll('.', '_')}`;
  await Promise.all(
    round.branchPath.map((orgId) =>
      ReviewDocModel.updateOne(
        { _id: `pending|${orgId}` },
        on
          ? { $set: { [field]: { roundId: round._id, userId: g.userId, reason: g.reason } } }
          : { $unset: { [field]: '' } },
        { upsert: on },
      ),
    ),
  );
}

export async function setGrade(
  actor: SessionUser,
  branchId: string,
  year: number,
  userId: string,
  body: SetGradeBody,
  now = new Date(),
): Promise<ReviewGradeView> {
  const branch = await branchPlaced(branchId);
  authorize(actor, 'review.grade', { branch, beneficiaryId: userId });
  const round = await requireRound(branchId, year);
  if (!isClosed(round, now)) throw illegal('投票结束后才能评定等次');
  if (!round.members.some((m) => m.id === userId)) throw notFound('本轮评议中的该党员');
  if (body.grade === 'excellent') await claimExcellent(round);
  const doc = {
    _id: gradeKey(round._id, userId),
    roundId: round._id,
    userId,
    grade: body.grade,
    status: (body.grade === 'unqualified' ? 'pending' : 'final') as 'pending' | 'final',
    reason: body.reason ?? null,
    note: null,
    by: actor.id,
    at: now,
    confirmedBy: null,
    paid: false,
  };
  try {
    await GradeModel.create(doc);
  } catch (err) {
    if (body.grade === 'excellent') await TallyModel.updateOne({ _id: round._id }, { $inc: { excellent: -1 } });
    if (isDuplicateKey(err)) throw new AppError('GRADE_ALREADY_SET');
    throw err;
  }
  const saved = (await GradeModel.findById(doc._id).lean<GradeDoc>())!;
  if (saved.status === 'pending') await setPending(round, saved, true);
  else await settleGrade(round, saved);
  return gradeView(saved)!;
}

/** 不合格 confirmed by an admin above the branch (final, recorded, nothing paid), or returned for the branch to grade again. */
export async function confirmGrade(
  actor: SessionUser,
  branchId: string,
  year: number,
  userId: string,
  body: ConfirmGradeBody,
  now = new Date(),
): Promise<ReviewGradeView | null> {
  const branch = await branchPlaced(branchId);
  authorize(actor, 'review.confirm', { branch, beneficiaryId: userId });
  const round = await requireRound(branchId, year);
  const g = await GradeModel.findById(gradeKey(round._id, userId)).lean<GradeDoc>();
  if (!g) throw notFound('该党员的评定等次');
  if (g.status !== 'pending') throw illegal('该等次不需要确认');
  await setPending(round, g, false);
  if (body.decision === 'return') {
    await GradeModel.deleteOne({ _id: g._id });
    return null;
  }
  await GradeModel.updateOne(
    { _id: g._id },
    { $set: { status: 'final', confirmedBy: actor.id, note: body.note ?? null, at: now } },
  );
  const saved = (await GradeModel.findById(g._id).lean<GradeDoc>())!;
  await settleGrade(round, saved);
  return gradeView(saved);
}

/** The 不合格 grades waiting for the caller: their subtree's queue, one key read plus the rounds named in it. */
export async function pendingConfirmations(actor: SessionUser): Promise<ReviewPendingItem[]> {
  const root = adminRootOf(actor);
  if (!root) return [];
  const doc = await ReviewDocModel.findById(`pending|${root}`).lean<{
    items?: Record<string, { roundId: string; userId: string; reason: string }>;
  }>();
  const items = Object.values(doc?.items ?? {}).slice(0, 100);
  const out: ReviewPendingItem[] = [];
  for (const it of items) {
    const round = await RoundModel.findById(it.roundId).lean<RoundDoc>();
    const member = round?.members.find((m) => m.id === it.userId);
    if (round && member)
      out.push({ branchId: round.branchId, branchName: round.branchName, year: round.year, member, reason: it.reason });
  }
  return out;
}

/** A member's grades by year: the member, or who manages them. */
export async function history(actor: SessionUser, userId: string): Promise<ReviewHistoryItem[]> {
  if (userId !== actor.id) {
    const user = await UserModel.findById(userId).lean<UserDoc>();
    if (!user) throw notFound('党员');
    authorize(actor, 'member.manage', { orgId: user.orgId, orgPath: user.orgPath });
  }
  const doc = await ReviewDocModel.findById(`history|${userId}`).lean<{
    items?: Record<string, { grade: ReviewGrade; status: 'final' }>;
  }>();
  return Object.entries(doc?.items ?? {})
    .map(([year, v]) => ({ year: Number(year), grade: v.grade, status: v.status }))
    .sort((a, b) => b.year - a.year);
}

export const gradeLabel = (g: ReviewGradeView | null) =>
  g ? `${REVIEW_GRADE_LABELS[g.grade]}${g.status === 'pending' ? '（待上级确认）' : ''}` : '未评定';
