import type { AuditGroup } from '@pioneer/shared';
import { groupedQueue } from '../../db/grouped-marks';
import { AUDIT_PAGE_SIZE, AuditFeedPageModel, AuditHeadModel } from './audit.model';

/**
 * Per-org feeds of audit entries, newest read first, every read and write by `_id` (architecture.md "Fast on
 * every engine"). Each org has the feed `all` and one per action group, so the 操作记录 filter is a lookup too.
 * A numbered slot lost to a crash between the `$inc` and the `$push` is a gap the reader skips; the entry itself
 * is in the audit collection either way, and filed again at start-up if it never reached the feeds.
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
const FEED_GROUP_MS = 10;
const FEED_RETRY_MS = 1000;

/** One line on its way to the feeds of `orgIds` (`all` and its group), and who waits for it. */
interface QueuedLine {
  orgIds: string[];
  group: AuditGroup;
  item: FeedItem;
  filed: () => void;
}

const feedsOf = (line: QueuedLine): FeedName[] => ['all', line.group];

/**
 * Files a group of lines: per org, one `$inc` on its head by how many of the group's lines each of its feeds gets
 * (the range of sequence numbers they take, in queue order), then every page `$push` in one bulk write. A head
 * moved by a failed try leaves a gap the reader skips; a page written twice by a retry shows its line once
 * (the reader drops repeats by id).
 */
async function writeLines(lines: QueuedLine[]): Promise<void> {
  const counts = new Map<string, Partial<Record<FeedName, number>>>();
  for (const line of lines)
    for (const orgId of line.orgIds) {
      const n = counts.get(orgId) ?? {};
      for (const feed of feedsOf(line)) n[feed] = (n[feed] ?? 0) + 1;
      counts.set(orgId, n);
    }
  const heads = new Map<string, Record<string, number>>();
  await Promise.all(
    [...counts].map(async ([orgId, n]) => {
      const inc = Object.fromEntries(Object.entries(n).map(([feed, k]) => [`n.${feed}`, k]));
      const head = await AuditHeadModel.findOneAndUpdate(
        { _id: orgId },
        { $inc: inc },
        { upsert: true, returnDocument: 'after' },
      ).lean<{ n: Record<string, number> }>();
      // The first of this group's numbers in each feed: the head after, less what the group added.
      heads.set(orgId, Object.fromEntries(Object.entries(n).map(([feed, k]) => [feed, head!.n[feed]! - k! + 1])));
    }),
  );
  const pages = new Map<string, StoredFeedItem[]>();
  for (const line of lines)
    for (const orgId of line.orgIds)
      for (const feed of feedsOf(line)) {
        const next = heads.get(orgId)!;
        const seq = next[feed]!;
        next[feed] = seq + 1;
        const id = pageId(orgId, feed, pageOf(seq));
        pages.set(id, [...(pages.get(id) ?? []), { ...line.item, seq }]);
      }
  if (pages.size === 0) return;
  await AuditFeedPageModel.bulkWrite(
    [...pages].map(([_id, items]) => ({
      updateOne: { filter: { _id }, update: { $push: { items: { $each: items } } }, upsert: true },
    })),
    { ordered: false },
  );
}

/** The lines on their way; a failure (the engine away) keeps them queued and tries again a second later. */
const lines = groupedQueue<QueuedLine>(
  'audit-feeds',
  async (queued) => {
    await writeLines(queued);
    for (const line of queued) line.filed();
  },
  FEED_GROUP_MS,
  FEED_RETRY_MS,
);

/** Writes every queued line now (the feeds' readers call it first, so a process reads its own lines). */
export const flushFeeds = (): Promise<void> => lines.flush();

/**
 * Files the line in every org's feeds (issue 17: off the request's path). Lines are queued and written together
 * every 10 ms: under load one head `$inc` per org and one page write for all the lines of that window, not a head
 * per org for each line. Resolves when the line is in the feeds. A stop before that loses the queue, not the line:
 * the audit entry is stored first, and start-up files again the entries not marked filed (audit.service.ts).
 */
export function appendToFeeds(orgIds: string[], group: AuditGroup, item: FeedItem): Promise<void> {
  return new Promise((filed) => lines.add({ orgIds, group, item, filed }));
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
  await flushFeeds();
  const head = (await AuditHeadModel.findById(orgId).lean<{ n?: Record<string, number> }>())?.n?.[feed] ?? 0;
  const top = before !== undefined ? Math.min(before - 1, head) : head;
  const items: StoredFeedItem[] = [];
  const seen = new Set<string>();
  const lastPage = top > 0 ? pageOf(top) : -1;
  const maxPages = Math.ceil(limit / AUDIT_PAGE_SIZE) + 2;
  let page = lastPage;
  for (; page >= 0 && items.length < limit && lastPage - page < maxPages; page -= 1) {
    const doc = await AuditFeedPageModel.findById(pageId(orgId, feed, page)).lean<{ items: StoredFeedItem[] }>();
    // Concurrent appends may land out of order inside a page: order by sequence here.
    const fresh = (doc?.items ?? []).filter((i) => i.seq <= top).sort((a, b) => b.seq - a.seq);
    for (const i of fresh) {
      // A line a retried write filed twice is shown once.
      if (items.length === limit || seen.has(i.id)) continue;
      seen.add(i.id);
      items.push(i);
    }
  }
  const last = items[items.length - 1];
  if (items.length === limit && last) return { items, next: last.seq > 1 ? last.seq : null };
  // Stopped by the page bound with pages left below: continue under the last page read.
  return { items, next: page >= 0 ? (page + 1) * AUDIT_PAGE_SIZE + 1 : null };
}
