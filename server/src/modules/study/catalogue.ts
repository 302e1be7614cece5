import type { StudyTopic } from '@pioneer/shared';
import { notFound } from '../../http/errors';
import type { SessionUser } from '../../http/types';
import { adminRootOf, can } from '../../policy';
import { OrgModel } from '../orgs/orgs.model';

/** Where a study item sits in the tree, as the policy reads it. */
export const placedItem = (item: { orgId?: string | null; orgPath?: string[] | null }) => ({
  orgId: item.orgId!,
  orgPath: item.orgPath ?? [],
});

interface CatalogueItem {
  id?: string | null;
  topic?: string | null;
  title?: string | null;
  publishedAt?: Date | string | null;
  orgId?: string | null;
  orgPath?: string[] | null;
}

/**
 * Articles and videos alike: what this member may read, by topic, title search and 收藏, newest first. Search runs
 * over the one catalogue document already read: no query reaches the engine.
 */
export function visibleItems<T extends CatalogueItem>(
  actor: SessionUser,
  items: T[],
  filter: { topic?: StudyTopic; q?: string; fav?: '1' },
  favs: Set<string>,
): T[] {
  return items
    .filter((i) => can(actor, 'study.read', placedItem(i)))
    .filter((i) => !filter.topic || i.topic === filter.topic)
    .filter((i) => !filter.q || (i.title ?? '').includes(filter.q))
    .filter((i) => !filter.fav || favs.has(i.id!))
    .sort((a, b) => new Date(b.publishedAt!).getTime() - new Date(a.publishedAt!).getTime());
}

/** The org an item is placed at, with its path and name for the catalogue line. */
export async function placedOrg(orgId: string) {
  const org = await OrgModel.findById(orgId).lean();
  if (!org) throw notFound('组织');
  return { _id: org._id as string, path: (org.path ?? []) as string[], name: org.name as string };
}

/** A catalogue or counters model as these helpers use it: read and written by key only. */
interface ByKey {
  findById(id: unknown): { lean(): PromiseLike<unknown> };
  updateOne(filter: object, update: object, options: object): PromiseLike<unknown>;
}

/** The lines of a county's catalogue (a plain object once read lean). */
export async function linesOf<T>(catalogue: ByKey, countyId: string): Promise<T[]> {
  const doc = (await catalogue.findById(countyId).lean()) as { items?: Record<string, T> } | null;
  return Object.values(doc?.items ?? {});
}

/** Writes an item's line in its county's catalogue: one `$set` of its own key, so edits never race a publish. */
export async function putLine(catalogue: ByKey, countyId: string, line: { id?: string | null }): Promise<void> {
  await catalogue.updateOne({ _id: countyId }, { $set: { [`items.${line.id}`]: line } }, { upsert: true });
}

type Stats = { opens?: number | null; completions?: number | null; completedMs?: number | null } | null;

/** The console's counters of one item: opens, completions, completion rate and average seconds of a completion. */
export function statsColumns(stats: Stats) {
  const opens = stats?.opens ?? 0;
  const completions = stats?.completions ?? 0;
  return {
    opens,
    completions,
    completionRate: opens ? completions / opens : 0,
    averageSeconds: completions ? Math.round((stats?.completedMs ?? 0) / completions / 1000) : 0,
  };
}

/**
 * The console's list: the lines placed in the admin's subtree, each with its counters, newest first. One catalogue
 * read and a key read of each item's counters (an admin's page, bounded by the catalogue).
 */
export async function adminLines<L extends CatalogueItem, R extends { publishedAt: string }>(
  actor: SessionUser,
  catalogue: ByKey,
  statsOf: ByKey,
  row: (line: L, stats: Stats) => R,
): Promise<R[]> {
  const root = adminRootOf(actor);
  if (!root) return [];
  const rootOrg = await placedOrg(root);
  const lines = (await linesOf<L>(catalogue, rootOrg.path[0] ?? rootOrg._id)).filter((i) =>
    can(actor, 'study.publish', { _id: i.orgId!, path: i.orgPath ?? [] }),
  );
  const stats = await Promise.all(lines.map((i) => statsOf.findById(i.id).lean() as PromiseLike<Stats>));
  return lines.map((i, n) => row(i, stats[n] ?? null)).sort((a, b) => b.publishedAt.localeCompare(a.publishedAt));
}

/** The catalogue line's fields both kinds share, from the stored item. */
export const lineOf = (
  item: { _id: string; title: string; topic: string; source?: string | null; orgId: string; orgPath: string[] },
  orgName: string,
  publishedAt: Date,
) => ({
  id: item._id,
  title: item.title,
  topic: item.topic,
  source: item.source ?? '',
  orgId: item.orgId,
  orgPath: item.orgPath,
  orgName,
  publishedAt,
});

/** The list summary's fields both kinds share, from a catalogue line. */
export const summaryOf = (line: CatalogueItem & { source?: string | null; orgName?: string | null }) => ({
  id: line.id!,
  title: line.title!,
  topic: line.topic as StudyTopic,
  source: line.source ?? '',
  orgId: line.orgId!,
  orgName: line.orgName ?? '',
  publishedAt: new Date(line.publishedAt!).toISOString(),
});
