import mongoose from 'mongoose';
import {
  maskPhone,
  ownUploadUrl,
  type Commitment,
  type CommitmentRating,
  type CommitmentStatus,
  type IdentityCard,
} from '@pioneer/shared';
import { casStore, type CasDoc } from '../../db/cas';
import { OrgModel } from '../orgs/orgs.model';
import { UserModel, type UserDoc } from '../users/users.model';
import { unseal } from '../privacy/field-crypto';

/** One document per member per year, `_id` `${userId}|${year}`, moved only through the CAS log (db/cas.ts). */
export interface CommitmentDoc extends CasDoc {
  userId: string;
  year: number;
  orgId: string;
  orgPath: string[];
  status: CommitmentStatus;
  items: { text: string }[];
  reviewComment: string | null;
  reviewerId: string | null;
  submittedAt: Date | null;
  reviewedAt: Date | null;
  approvedAt: Date | null;
  progress: { id: string; text: string; photoUrls: string[]; at: Date }[];
  evaluation: { rating: CommitmentRating; comment: string | null; at: Date; by: string } | null;
  createdAt: Date;
  updatedAt: Date;
  /** The seq whose effects (queue, wall, points) are done: see effects.ts. */
  settledSeq?: number;
}

export const commitments = casStore<CommitmentDoc>('commitments', 'commitment_log');
export const commitmentId = (userId: string, year: number) => `${userId}|${year}`;

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

export function commitmentView(doc: CommitmentDoc): Commitment {
  return {
    id: doc._id,
    userId: doc.userId,
    year: doc.year,
    status: doc.status,
    items: doc.items.map((i) => ({ text: i.text })),
    reviewComment: doc.reviewComment ?? null,
    submittedAt: iso(doc.submittedAt),
    reviewedAt: iso(doc.reviewedAt),
    // Newest first: what a reader wants to see.
    progress: [...(doc.progress ?? [])]
      .reverse()
      .map((p) => ({ id: p.id, text: p.text, photoUrls: p.photoUrls ?? [], at: iso(p.at)! })),
    evaluation: doc.evaluation
      ? { rating: doc.evaluation.rating, comment: doc.evaluation.comment ?? null, at: iso(doc.evaluation.at)! }
      : null,
    updatedAt: iso(doc.updatedAt)!,
  };
}

/** 亮身份 as anyone but the owner sees it: the contact is always masked. */
export function identityCard(user: UserDoc, branchName: string | null): IdentityCard {
  return {
    userId: user._id,
    name: user.name,
    photoUrl: ownUploadUrl(user.identity?.photoUrl),
    branch: branchName,
    partySince: user.identity?.partySince ?? null,
    dutyTitle: user.identity?.dutyTitle ?? null,
    badge: user.identity?.badge ?? null,
    contact: maskPhone(unseal(user.identity?.contact)),
  };
}

/** Cards for a page of members: one key lookup per member and per distinct branch. */
export async function cardsFor(userIds: string[]): Promise<Map<string, IdentityCard>> {
  const users = (await Promise.all(userIds.map((id) => UserModel.findById(id).lean<UserDoc>()))).filter(
    (u): u is UserDoc => !!u,
  );
  const branchIds = [...new Set(users.map((u) => u.orgId).filter((o): o is string => !!o))];
  const branches = await Promise.all(branchIds.map((id) => OrgModel.findById(id).lean()));
  const names = new Map(branches.filter((b) => !!b).map((b) => [String(b!._id), b!.name as string]));
  return new Map(users.map((u) => [u._id, identityCard(u, u.orgId ? (names.get(u.orgId) ?? null) : null)]));
}

/**
 * Read models kept as the writes happen, each read by `_id` only:
 * - wall `${orgId}|${year}`: `members.<userId>` = ms of the last progress (or the approval) for every org on the
 *   member's path, so a branch, township or county wall is one key read;
 * - queue `${branchId}|${year}`: `submitted.<userId>` awaiting review, `awaiting.<userId>` approved but not evaluated.
 * Field-level $set/$unset on `{ _id }` are atomic, so concurrent members never overwrite each other.
 */
interface WallDoc {
  _id: string;
  members?: Record<string, number>;
  /** Above the branch: approved members per branch below (`counts.<branchId>`), for the wall's total. */
  counts?: Record<string, number>;
}
interface QueueDoc {
  _id: string;
  submitted?: Record<string, number>;
  awaiting?: Record<string, number>;
}
export const walls = () => mongoose.connection.collection<WallDoc>('commitment_walls');
export const queues = () => mongoose.connection.collection<QueueDoc>('commitment_queues');
export const indexKey = (orgId: string, year: number) => `${orgId}|${year}`;

/**
 * Above the branch a wall keeps only the most recent members (a county of 100k would otherwise be one huge document
 * read on every page): trimmed back to WALL_RECENT when it passes twice that. Its total comes from `counts`.
 */
export const WALL_RECENT = 300;

export async function touchWall(doc: CommitmentDoc, at: Date): Promise<void> {
  const branchId = doc.orgPath[doc.orgPath.length - 1]!;
  const branch = await walls().findOneAndUpdate(
    { _id: indexKey(branchId, doc.year) },
    { $set: { [`members.${doc.userId}`]: at.getTime() } },
    { upsert: true, returnDocument: 'after' },
  );
  const approved = Object.keys(branch?.members ?? {}).length;
  await Promise.all(
    doc.orgPath.slice(0, -1).map(async (orgId) => {
      const key = indexKey(orgId, doc.year);
      const wall = await walls().findOneAndUpdate(
        { _id: key },
        { $set: { [`members.${doc.userId}`]: at.getTime(), [`counts.${branchId}`]: approved } },
        { upsert: true, returnDocument: 'after' },
      );
      const entries = Object.entries(wall?.members ?? {});
      if (entries.length <= 2 * WALL_RECENT) return;
      entries.sort((a, b) => b[1] - a[1]);
      await walls().updateOne(
        { _id: key },
        { $unset: Object.fromEntries(entries.slice(WALL_RECENT).map(([u]) => [`members.${u}`, ''])) },
      );
    }),
  );
}

export async function setQueue(
  doc: CommitmentDoc,
  list: 'submitted' | 'awaiting',
  on: boolean,
  at = new Date(),
): Promise<void> {
  const field = `${list}.${doc.userId}`;
  await queues().updateOne(
    { _id: indexKey(doc.orgId, doc.year) },
    on ? { $set: { [field]: at.getTime() } } : { $unset: { [field]: '' } },
    { upsert: true },
  );
}

/** A wall's members (all of a branch's; the most recent above it) and how many have an approved commitment. */
export async function readWall(
  orgId: string,
  year: number,
): Promise<{ members: Record<string, number>; total: number }> {
  const doc = await walls().findOne({ _id: indexKey(orgId, year) });
  const members = doc?.members ?? {};
  const counted = Object.values(doc?.counts ?? {}).reduce((sum, n) => sum + n, 0);
  return { members, total: doc?.counts ? counted : Object.keys(members).length };
}

export async function readQueue(
  branchId: string,
  year: number,
): Promise<{ submitted: Record<string, number>; awaiting: Record<string, number> }> {
  const doc = await queues().findOne({ _id: indexKey(branchId, year) });
  return { submitted: doc?.submitted ?? {}, awaiting: doc?.awaiting ?? {} };
}
