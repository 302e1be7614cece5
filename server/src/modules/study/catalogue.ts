import type { StudyTopic } from '@pioneer/shared';
import type { SessionUser } from '../../http/types';
import { can } from '../../policy';

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
