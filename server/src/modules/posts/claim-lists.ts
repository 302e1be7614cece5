import { groupedQueue } from '../../db/grouped-marks';
import { pendingKeys } from '../../db/pending-keys';
import { MemberClaimsModel } from './posts.model';

/**
 * 我的认领's index (`post_member_claims`, `_id` = member: the id of every claim they made), written off the claim's
 * path (issue 17, H8e: a claim is the session, the seat and the claim, 4 -> 3 commands). A claim queues its id and
 * replies; every EVERY_MS one bulk write adds the window's ids (`$addToSet`: twice changes nothing). 我的认领 on this
 * process waits for its member's queued ids (`claimsListed`); on another process it lists them within the window. A
 * failed write keeps them queued and tries again RETRY_MS later, shutdown writes them (flushGroupedMarks), and a
 * claim a crash left unlisted is listed by the start-up repair (`listMissing`, jobs/posts-reconcile.ts).
 */
const EVERY_MS = 10;
const RETRY_MS = 1000;
/** Members per bulk write (one bulk of 100+ updates stalled the embedded engine before its patch). */
const CHUNK = 50;

interface Listed {
  userId: string;
  claimId: string;
}

/** Members with ids queued or being written. */
const pending = pendingKeys();

/** One `$addToSet` per member, upserted (a member's first claim makes their list). */
async function addToLists(items: Listed[]): Promise<void> {
  const byMember = new Map<string, string[]>();
  for (const { userId, claimId } of items)
    (byMember.get(userId) ?? byMember.set(userId, []).get(userId)!).push(claimId);
  const ops = [...byMember].map(([_id, ids]) => ({
    updateOne: { filter: { _id }, update: { $addToSet: { claims: { $each: ids } } }, upsert: true },
  }));
  for (let i = 0; i < ops.length; i += CHUNK)
    await MemberClaimsModel.collection.bulkWrite(ops.slice(i, i + CHUNK) as never, { ordered: false });
}

const lists = groupedQueue<Listed>(
  'post-claim-lists',
  async (items) => {
    await addToLists(items);
    pending.done(items.map((i) => i.userId));
  },
  EVERY_MS,
  RETRY_MS,
);

/** Queues a claim's id for its member's list (written with the others of its window). */
export function listClaim(userId: string, claimId: string): void {
  pending.add(userId);
  lists.add({ userId, claimId });
}

/** Waits until the member's queued ids are written (at once when none are). */
export async function claimsListed(userId: string): Promise<void> {
  if (pending.has(userId)) await lists.flush();
}

/**
 * The start-up repair: every claim in its member's list (a crash between a claim and its list's write left it out).
 * Reads every list once (a deliberate scan, at start-up); returns how many ids it added.
 */
export async function listMissing(claims: readonly { _id: string; userId: string }[]): Promise<number> {
  await lists.flush();
  const listed = new Set<string>();
  for await (const doc of MemberClaimsModel.collection.find({}, { projection: { claims: 1 } }))
    for (const id of (doc.claims as string[] | undefined) ?? []) listed.add(id);
  const missing = claims.filter((c) => !listed.has(c._id)).map((c) => ({ userId: c.userId, claimId: c._id }));
  await addToLists(missing);
  return missing.length;
}
