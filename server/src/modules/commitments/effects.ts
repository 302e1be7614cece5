import { RATING_SHARE } from '@pioneer/shared';
import { payKey } from '../points/keys';
import { awardPoints } from '../points/points.service';
import { publishCommitment } from './card-writes';
import { commitments, setQueue, type CommitmentDoc } from './commitments.store';

/**
 * Everything a commitment's state implies outside its own document — queue entries, the wall's card and pages, points — derived
 * from the state alone, so running it twice changes nothing. It runs after every move; `settledSeq` records that it
 * finished, and a reader that finds it behind `seq` (a crash between the move and its effects) runs it again.
 */
export async function settle(doc: CommitmentDoc): Promise<void> {
  const approved = doc.status === 'approved';
  await setQueue(doc, 'submitted', doc.status === 'submitted', doc.submittedAt ?? new Date());
  await setQueue(doc, 'awaiting', approved && !doc.evaluation, doc.approvedAt ?? new Date());
  if (approved) {
    // The card as the wall shows it and the pages of its walls (before the points: a wall is what others see).
    await publishCommitment(doc);
    await awardPoints({
      userId: doc.userId,
      reason: 'commitment_approved',
      units: 1,
      refType: 'commitment',
      refId: doc._id,
      idempotencyKey: payKey('commitment_approved', doc.userId, doc.year),
      actorId: doc.reviewerId ?? undefined,
      at: doc.approvedAt ?? undefined,
    });
  }
  if (approved && doc.evaluation) {
    await awardPoints({
      userId: doc.userId,
      reason: 'commitment_evaluated',
      units: RATING_SHARE[doc.evaluation.rating],
      refType: 'commitment',
      refId: doc._id,
      idempotencyKey: payKey('commitment_evaluated', doc.userId, doc.year),
      actorId: doc.evaluation.by,
      at: doc.evaluation.at,
    });
  }
  await commitments.mark(doc._id, { settledSeq: doc.seq });
}

/** Settles a document read back if its last move's effects never finished. */
export async function settled(doc: CommitmentDoc | null): Promise<CommitmentDoc | null> {
  if (doc && (doc.settledSeq ?? -1) < doc.seq) await settle(doc);
  return doc;
}
