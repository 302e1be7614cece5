import { inFlightBatches, type InFlightBatches } from '../../db/group-commit';
import { AppError, notFound } from '../../http/errors';
import { PostModel, type PostDoc } from './posts.model';
import { effectiveStatus } from './posts.service';

/**
 * Seats taken in groups (issue 17, H8e): the seat counter is one document per post, moved only by `$inc` on `{ _id }`.
 * While one reservation of a post is in flight, the claims after it gather and take their seats in ONE
 * findOneAndUpdate (`$inc: { taken: n }`, the count after it): the k-th of the group holds seat `taken - n + k`,
 * those past the capacity (or all, the post closed meanwhile) are refused and their seats given back in one `$inc`.
 * Every reservation in flight counts against capacity, so the seats granted never exceed it; alone, a claim's seat
 * goes at once. A crash between the two writes leaves the counter high, never low (reconcilePosts recounts).
 */
interface Ask {
  post?: PostDoc;
}

async function freeSeats(postId: string, n: number): Promise<void> {
  if (n > 0) await PostModel.updateOne({ _id: postId }, { $inc: { taken: -n } });
}

/** One findOneAndUpdate for the gathered claims; the refusals by join order. */
async function reserve(postId: string, asks: Ask[]): Promise<Map<number, unknown>> {
  const n = asks.length;
  // The driver's own call: nothing here needs mongoose's casting of the update or of the reply.
  const after = (await PostModel.collection.findOneAndUpdate(
    { _id: postId as never },
    { $inc: { taken: n } },
    { returnDocument: 'after' },
  )) as PostDoc | null;
  if (!after) throw notFound('岗位');
  const refused = new Map<number, unknown>();
  const closed = effectiveStatus(after) === 'closed';
  asks.forEach((ask, k) => {
    if (after.taken - n + k + 1 > after.capacity) refused.set(k, new AppError('POST_FULL'));
    else if (closed) refused.set(k, new AppError('POST_CLOSED'));
    else ask.post = after;
  });
  await freeSeats(postId, refused.size);
  return refused;
}

const perPost = new Map<string, InFlightBatches<Ask>>();

function seatsOf(postId: string): InFlightBatches<Ask> {
  let batches = perPost.get(postId);
  if (!batches)
    perPost.set(
      postId,
      (batches = inFlightBatches<Ask, Ask[]>({
        start: () => [],
        fits: (asks) => asks.length < 100,
        add: (asks, ask) => asks.push(ask),
        send: (asks) => reserve(postId, asks),
      })),
    );
  return batches;
}

/** Takes one seat of the post: its document as the seat's write left it; POST_FULL / POST_CLOSED when refused. */
export async function reserveSeat(postId: string): Promise<PostDoc> {
  const ask: Ask = {};
  await seatsOf(postId).submit(ask);
  return ask.post!;
}

/** Gives one seat back (a claim refused after its seat, a release, a removal). */
export const freeSeat = (postId: string): Promise<void> => freeSeats(postId, 1);

/** Tests only: holds the post's seat writes back, as if one were in flight, so the claims after it gather. */
export const holdSeats = (postId: string) => seatsOf(postId).hold();
