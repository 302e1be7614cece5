import type { RectifyItem, RectifyQueueItem } from '@pioneer/shared';
import type { SessionUser } from '../../http/types';
import { adminRootOf, authorize } from '../../policy';
import { ReviewDocModel } from './reviews.model';

/**
 * The township's list of branch-level 整改 items to close (销号): each admin-level ancestor of a branch keeps a
 * queue by key, `rectify-queue|${orgId}`, holding the items reported done (set when the secretary reports one,
 * removed when it is closed), so an admin's list is one key read however many branches they run.
 */
export const queueKey = (orgId: string) => `rectify-queue|${orgId}`;
const field = (branchId: string, year: number, n: number) => `items.${branchId}_${year}_${n}`;

export interface QueuedBranch {
  _id: string;
  name: string;
  path: readonly string[];
}

export async function enqueueForClosing(branch: QueuedBranch, year: number, item: RectifyItem): Promise<void> {
  const entry = { branchId: branch._id, branchName: branch.name, year, item };
  await Promise.all(
    branch.path.map((orgId) =>
      ReviewDocModel.updateOne(
        { _id: queueKey(orgId) },
        { $set: { [field(branch._id, year, item.n)]: entry } },
        { upsert: true },
      ),
    ),
  );
}

export async function dequeueClosed(branch: QueuedBranch, year: number, n: number): Promise<void> {
  await Promise.all(
    branch.path.map((orgId) =>
      ReviewDocModel.updateOne({ _id: queueKey(orgId) }, { $unset: { [field(branch._id, year, n)]: '' } }),
    ),
  );
}

/** The items waiting for the caller's 销号: their subtree's queue, oldest deadline first. */
export async function itemsToClose(actor: SessionUser): Promise<RectifyQueueItem[]> {
  authorize(actor, 'rectify.queue', {});
  const root = adminRootOf(actor)!;
  const doc = await ReviewDocModel.findById(queueKey(root)).lean<{ items?: Record<string, RectifyQueueItem> }>();
  return Object.values(doc?.items ?? {})
    .sort((a, b) => a.item.deadline.localeCompare(b.item.deadline) || a.branchName.localeCompare(b.branchName))
    .slice(0, 200);
}

/**
 * Open items by admin level, for the county/township's overdue list: `rectify-open|${orgId}` holds every open item of
 * the branches below (set when listed, removed when reported done), so the overdue ones are one key read away.
 */
export const openKey = (orgId: string) => `rectify-open|${orgId}`;

export async function trackOpen(branch: QueuedBranch, year: number, item: RectifyItem): Promise<void> {
  const entry = { branchId: branch._id, branchName: branch.name, year, item };
  await Promise.all(
    branch.path.map((orgId) =>
      ReviewDocModel.updateOne(
        { _id: openKey(orgId) },
        { $set: { [field(branch._id, year, item.n)]: entry } },
        { upsert: true },
      ),
    ),
  );
}

export async function untrackOpen(branch: QueuedBranch, year: number, n: number): Promise<void> {
  await Promise.all(
    branch.path.map((orgId) =>
      ReviewDocModel.updateOne({ _id: openKey(orgId) }, { $unset: { [field(branch._id, year, n)]: '' } }),
    ),
  );
}

/** Open items past their deadline in every branch below the admin, oldest deadline first. */
export async function overdueAcross(actor: SessionUser, now = new Date()): Promise<RectifyQueueItem[]> {
  authorize(actor, 'rectify.queue', {});
  const doc = await ReviewDocModel.findById(openKey(adminRootOf(actor)!)).lean<{
    items?: Record<string, RectifyQueueItem>;
  }>();
  return Object.values(doc?.items ?? {})
    .filter((q) => new Date(q.item.deadline).getTime() < now.getTime())
    .map((q) => ({ ...q, item: { ...q.item, overdue: true } }))
    .sort((a, b) => a.item.deadline.localeCompare(b.item.deadline) || a.branchName.localeCompare(b.branchName))
    .slice(0, 200);
}
