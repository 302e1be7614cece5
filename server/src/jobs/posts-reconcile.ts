import {
  ClaimModel,
  PostModel,
  RecordModel,
  type ClaimDoc,
  type PostDoc,
  type RecordDoc,
} from '../modules/posts/posts.model';
import { applyDecision } from '../modules/posts/records.service';
import { flushGroupedMarks } from '../db/grouped-marks';
import { payConfirmedWishes } from '../modules/wishes/wishes.service';
import { listMissing } from '../modules/posts/claim-lists';

export interface PostsRepair {
  /** Posts whose seat counter disagreed with their active claims. */
  seats: number;
  /** Posts and claims whose confirmed hours / problems solved disagreed with their records. */
  totals: number;
  /** Reviews a crash left half-done (decided but not applied, or confirmed but unpaid). */
  reviews: number;
  wishes: number;
  /** Claims missing from their member's list for 我的认领 (listed after the claim's reply: a crash between). */
  lists: number;
}

/** Finishes reviews a crash interrupted: the first decision is re-applied (idempotent; pays once by key). */
async function finishReviews(): Promise<number> {
  // Deliberate scans: a start-up job over the records still pending or confirmed-but-unpaid.
  const pending = (await RecordModel.find({ status: 'pending' }).lean<RecordDoc[]>()).filter(
    (r) => r.decisions.length > 0,
  );
  const unpaid = await RecordModel.find({ status: 'confirmed', pointsAwarded: null }).lean<RecordDoc[]>();
  for (const r of [...pending, ...unpaid]) await applyDecision(r, r.decisions[0]!);
  return pending.length + unpaid.length;
}

interface Sum {
  hours: number;
  resolved: number;
}

const add = (map: Map<string, Sum>, key: string, r: Sum) => {
  const s = map.get(key) ?? { hours: 0, resolved: 0 };
  map.set(key, { hours: s.hours + r.hours, resolved: s.resolved + r.resolved });
};
const differs = (hours: number, resolved: number, s: Sum | undefined) =>
  hours !== (s?.hours ?? 0) || resolved !== (s?.resolved ?? 0);

/**
 * Repairs what a crash between two writes can leave behind, from the sources of truth:
 * - seat counters from the active claims (a claim writes its seat first, a release its claim first, so a crash
 *   only ever leaves a counter too HIGH: never a claim beyond capacity);
 * - confirmed hours and problems solved on posts and claims from the confirmed records;
 * - reviews decided but not applied, confirmations not yet paid (records and wishes).
 * Runs at start-up, before the server takes requests: recounting while claims are in flight would drop their
 * reservations. Each collection is scanned once and grouped in code (no aggregation on the embedded engine).
 */
export async function reconcilePosts(): Promise<PostsRepair> {
  const reviews = await finishReviews();
  const wishes = await payConfirmedWishes();
  // The totals and 待办 moves those queued (grouped off the path) land before the recounts, not after them.
  await flushGroupedMarks();

  const [posts, claims, records] = await Promise.all([
    PostModel.find({}, { taken: 1, capacity: 1, serviceHours: 1, resolved: 1 }).lean<PostDoc[]>(),
    ClaimModel.find({}, { postId: 1, userId: 1, status: 1, hours: 1, resolved: 1 }).lean<ClaimDoc[]>(),
    RecordModel.find({ status: 'confirmed' }, { postId: 1, claimId: 1, hours: 1, resolved: 1 }).lean<RecordDoc[]>(),
  ]);
  const active = new Map<string, number>();
  for (const c of claims) if (c.status === 'active') active.set(c.postId, (active.get(c.postId) ?? 0) + 1);
  const byPost = new Map<string, Sum>();
  const byClaim = new Map<string, Sum>();
  for (const r of records) {
    add(byPost, r.postId, r);
    add(byClaim, r.claimId, r);
  }

  let seats = 0;
  let totals = 0;
  for (const p of posts) {
    const held = active.get(p._id) ?? 0;
    const sum = byPost.get(p._id);
    const set: Record<string, number> = {};
    if (p.taken !== held) {
      set.taken = held;
      seats++;
    }
    if (differs(p.serviceHours, p.resolved, sum)) {
      Object.assign(set, { serviceHours: sum?.hours ?? 0, resolved: sum?.resolved ?? 0 });
      totals++;
    }
    if (Object.keys(set).length > 0) await PostModel.updateOne({ _id: p._id }, { $set: set });
  }
  for (const c of claims) {
    const sum = byClaim.get(c._id);
    if (!differs(c.hours, c.resolved, sum)) continue;
    await ClaimModel.updateOne({ _id: c._id }, { $set: { hours: sum?.hours ?? 0, resolved: sum?.resolved ?? 0 } });
    totals++;
  }
  return { seats, totals, reviews, wishes, lists: await listMissing(claims) };
}
