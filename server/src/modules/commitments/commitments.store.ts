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
 * The secretary queue `${branchId}|${year}`, read by `_id` only: `submitted.<userId>` awaiting review,
 * `awaiting.<userId>` approved but not evaluated. Field-level $set/$unset on `{ _id }` are atomic, so concurrent
 * members never overwrite each other. The walls' read models are in wall-pages.ts.
 */
interface QueueDoc {
  _id: string;
  submitted?: Record<string, number>;
  awaiting?: Record<string, number>;
}
export const queues = () => mongoose.connection.collection<QueueDoc>('commitment_queues');
export const indexKey = (orgId: string, year: number) => `${orgId}|${year}`;

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

export async function readQueue(
  branchId: string,
  year: number,
): Promise<{ submitted: Record<string, number>; awaiting: Record<string, number> }> {
  const doc = await queues().findOne({ _id: indexKey(branchId, year) });
  return { submitted: doc?.submitted ?? {}, awaiting: doc?.awaiting ?? {} };
}
