import type { AuditGroup } from '@pioneer/shared';
import { AUDIT_PAGE_SIZE, AuditFeedPageModel, AuditHeadModel } from './audit.model';

/**
 * Per-org feeds of audit entries, newest read first, every read and write by `_id` (architecture.md "Fast on
 * every engine"). Each org has the feed `all` and one per action group, so the 操作记录 filter is a lookup too.
 * A numbered slot lost to a crash between the `$inc` and the `$push` is a gap the reader skips; the entry itself
 * is in the audit collection either way.
 */
export interface FeedItem {
  id: string;
  at: Date;
  actorId: string;
  actorName: string;
  action: string;
  targetType: string;
  targetId: string;
  targetLabel: string;
  summary: string | null;
  reason: string | null;
}
export type StoredFeedItem = FeedItem & { seq: number };

export type FeedName = 'all' | AuditGroup;

const pageId = (orgId: string, feed: FeedName, page: number) => `${orgId}|${feed}|${page}`;
const pageOf = (seq: number) => Math.floor((seq - 1) / AUDIT_PAGE_SIZE);

/** Hands the entry its sequence numbers in the org's feeds (`all` and the group): one `$inc` on the org's head. */
async function seqsIn(orgId: string, group: AuditGroup): Promise<{ orgId: string; feed: FeedName; seq: number }[]> {
  const head = await AuditHeadModel.findOneAndUpdate(
    { _id: orgId },
    { $inc: { 'n.all': 1, [`n.${group}`]: 1 } },
    { upsert: true, returnDocument: 'after' },
  ).lean<{ n: Record<string, number> }>();
  return (['all', group] as const).map((feed) => ({ orgId, feed, seq: head!.n[feed]! }));
}

/** Files the entry in every org's feeds: a head `$inc` per org, then every page `$push` in one bulk write. */
export async function appendToFeeds(orgIds: string[], group: AuditGroup, item: FeedItem): Promise<void> {
  const slots = (await Promise.all(orgIds.map((orgId) => seqsIn(orgId, group)))).flat();
  if (slots.length === 0) return;
  await AuditFeedPageModel.bulkWrite(
    slots.map(({ orgId, feed, seq }) => ({
      updateOne: {
        filter: { _id: pageId(orgId, feed, pageOf(seq)) },
        update: { $push: { items: { ...item, seq } } },
        upsert: true,
      },
    })),
    { ordered: false },
  );
}

/**
 * Up to `limit` items of one feed with a sequence number below `before` (the newest when absent), newest first,
 * and the cursor for the next call (null at the end). Reads the head once and one page per 50 entries. Bounded by
 * what exists: a cursor above the head starts at the head (a made-up 999999999999 walked down one read per page),
 * and at most `limit / 50 + 2` pages are read; a run of empty pages (slots lost to crashes) ends the call with a
 * cursor below them.
 */
export async function readFeed(
  orgId: string,
  feed: FeedName,
  limit: number,
  before?: number,
): Promise<{ items: StoredFeedItem[]; next: number | null }> {
  const head = (await AuditHeadModel.findById(orgId).lean<{ n?: Record<string, number> }>())?.n?.[feed] ?? 0;
  const top = before !== undefined ? Math.min(before - 1, head) : head;
  const items: StoredFeedItem[] = [];
  const lastPage = top > 0 ? pageOf(top) : -1;
  const maxPages = Math.ceil(limit / AUDIT_PAGE_SIZE) + 2;
  let page = lastPage;
  for (; page >= 0 && items.length < limit && lastPage - page < maxPages; page -= 1) {
    const doc = await AuditFeedPageModel.findById(pageId(orgId, feed, page)).lean<{ items: StoredFeedItem[] }>();
    // Concurrent appends may land out of order inside a page: order by sequence here.
    const fresh = (doc?.items ?? []).filter((i) => i.seq <= top).sort((a, b) => b.seq - a.seq);
    items.push(...fresh.slice(0, limit - items.length));
  }
  const last = items[items.length - 1];
  if (items.length === limit && last) return { items, next: last.seq > 1 ? last.seq : null };
  // Stopped by the page bound with pages left below: continue under the last page read.
  return { items, next: page >= 0 ? (page + 1) * AUDIT_PAGE_SIZE + 1 : null };
}
