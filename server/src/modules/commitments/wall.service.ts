import type { CommitmentCard, Queue, QueueQuery, WallPage, WallQuery } from '@pioneer/shared';
import { forbidden, invalid, notFound } from '../../http/errors';
import type { SessionUser } from '../../http/types';
import { authorize, can, defaultManagedOrgId, defaultViewOrgId } from '../../policy';
import { UserModel, type UserDoc } from '../users/users.model';
import { OrgModel } from '../orgs/orgs.model';
import { currentYear } from './commitments.service';
import { settled } from './effects';
import {
  cardsFor,
  commitmentId,
  commitments,
  commitmentView,
  readQueue,
  type CommitmentDoc,
} from './commitments.store';
import { readSlice, type PageCard } from './wall-pages';
import { heldOrg } from '../orgs/orgs.service';

interface OrgLean {
  _id: string;
  name: string;
  type: string;
  path: string[];
}

async function loadOrg(id: string): Promise<OrgLean> {
  const org = await OrgModel.findById(id).lean<OrgLean>();
  if (!org) throw notFound('组织');
  return org;
}

/**
 * A commitment for a list: one key read when its effects are settled (the usual case), the full read (log check,
 * roll forward, settle) otherwise. Walls are read far more than commitments move.
 */
async function forList(id: string): Promise<CommitmentDoc | null> {
  const doc = await commitments.peek(id);
  if (doc && (doc.settledSeq ?? -1) >= doc.seq) return doc;
  return settled(await commitments.read(id));
}

/** Cards for members in the given order, each with their commitment of the year: key lookups only. */
async function cardsInOrder(userIds: string[], year: number): Promise<CommitmentCard[]> {
  const [cards, docs] = await Promise.all([
    cardsFor(userIds),
    Promise.all(userIds.map((u) => forList(commitmentId(u, year)))),
  ]);
  const out: CommitmentCard[] = [];
  userIds.forEach((userId, i) => {
    const card = cards.get(userId);
    const doc = docs[i];
    if (card && doc) out.push({ card, commitment: commitmentView(doc) });
  });
  return out;
}

/**
 * The wall's org (its chain decides who may see it) and the branch names on cards: held orgs, like the boards' (read
 * again after any org write: this process's at once, another's within the shared-view bound; db/change-marks.ts).
 */
const branchName = async (id: string) => (await heldOrg.get(id))?.name ?? null;

function shown(c: PageCard, names: Map<string, string | null>): CommitmentCard {
  const { branchId, ...card } = c.card;
  return {
    card: {
      userId: card.userId,
      name: card.name,
      photoUrl: card.photoUrl,
      branch: branchId ? (names.get(branchId) ?? null) : null,
      partySince: card.partySince,
      dutyTitle: card.dutyTitle,
      badge: card.badge,
      contact: card.contact,
    },
    commitment: c.commitment,
  };
}

/**
 * 承诺墙: approved commitments of an org subtree, newest progress first, as rendered when they last changed
 * (wall-pages.ts): the org and branch names held, the page one key read however big the county, held for the
 * shared-view bound (`asOf` says when it was read; a member's own move shows at once in this process).
 */
export async function wall(actor: SessionUser, query: WallQuery): Promise<WallPage> {
  const orgId = query.org ?? defaultViewOrgId(actor);
  if (!orgId) throw forbidden('请先加入党支部');
  const org = await heldOrg.get(orgId);
  if (!org) throw notFound('组织');
  authorize(actor, 'scope.view', org, '只能查看本人所在组织（管理员：本辖区）的承诺墙');
  const year = query.year ?? currentYear();
  const offset = query.cursor ? Number(query.cursor) : 0;
  const slice = await readSlice(org._id, year, offset, query.limit);
  const branchIds = [...new Set(slice.cards.map((c) => c.card.branchId).filter((b): b is string => !!b))];
  const names = new Map(await Promise.all(branchIds.map(async (b) => [b, await branchName(b)] as const)));
  const next = offset + query.limit;
  return {
    org: { id: org._id, name: org.name },
    year,
    total: slice.total,
    items: slice.cards.map((c) => shown(c, names)),
    nextCursor: next < slice.n ? String(next) : null,
    asOf: slice.asOf.toISOString(),
  };
}

/**
 * The members in a queue whose commitment this actor may decide (key reads by id): not their own, and a
 * secretary's own shows in the queue of the admin above, not in the branch's.
 */
async function decidableBy(
  actor: SessionUser,
  userIds: string[],
  action: 'commitment.review' | 'commitment.evaluate',
): Promise<string[]> {
  const members = await Promise.all(userIds.map((id) => UserModel.findById(id).lean<UserDoc>()));
  return userIds.filter((_, i) => members[i] && can(actor, action, members[i]!));
}

/** Entries of each queue list read and shown per load; `counts` still counts the rest. */
export const QUEUE_SHOWN = 100;

/**
 * Secretary queue: awaiting review (oldest first) and approved-but-not-evaluated, from the per-branch index docs.
 * For a township/county an admin asks for, the branches below it come from a deliberate scan of the (small) orgs
 * collection.
 */
export async function queue(actor: SessionUser, query: QueueQuery): Promise<Queue> {
  const orgId = query.org ?? defaultManagedOrgId(actor);
  if (!orgId) throw invalid('请选择组织');
  const org = await loadOrg(orgId);
  authorize(actor, 'queue.read', org);
  const year = query.year ?? currentYear();
  const branches =
    org.type === 'branch' ? [org] : await OrgModel.find({ path: org._id, type: 'branch' }).lean<OrgLean[]>();
  const submitted: [string, number][] = [];
  const awaiting: [string, number][] = [];
  for (const entry of await Promise.all(branches.map((b) => readQueue(b._id, year)))) {
    submitted.push(...Object.entries(entry.submitted));
    awaiting.push(...Object.entries(entry.awaiting));
  }
  // Only the oldest QUEUE_SHOWN of each list are read (a few key reads each): a county admin's queue in January
  // holds every member who just submitted. Deciding them takes them off; the next load shows the next ones.
  const oldestFirst = (list: [string, number][]) =>
    list
      .sort((a, b) => a[1] - b[1])
      .map(([u]) => u)
      .slice(0, QUEUE_SHOWN);
  const [sub, wait] = await Promise.all([
    decidableBy(actor, oldestFirst(submitted), 'commitment.review'),
    decidableBy(actor, oldestFirst(awaiting), 'commitment.evaluate'),
  ]);
  const [subCards, waitCards] = await Promise.all([cardsInOrder(sub, year), cardsInOrder(wait, year)]);
  // The index is maintained after each move; the commitment itself has the last word.
  const pending = subCards.filter((c) => c.commitment.status === 'submitted');
  const toEvaluate = waitCards.filter((c) => c.commitment.status === 'approved' && !c.commitment.evaluation);
  const beyond = (all: unknown[]) => Math.max(0, all.length - QUEUE_SHOWN);
  return {
    year,
    branches: branches.map((b) => ({ id: b._id, name: b.name })),
    // Beyond the shown ones the index's count stands (not filtered by who may decide them).
    counts: { submitted: pending.length + beyond(submitted), awaitingEvaluation: toEvaluate.length + beyond(awaiting) },
    submitted: pending,
    awaitingEvaluation: toEvaluate,
  };
}
