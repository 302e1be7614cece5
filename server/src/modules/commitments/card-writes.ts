import { UserModel, type UserDoc } from '../users/users.model';
import { cardDocs, identityOf, nextVersion, packCard, renderCard, unpackCard, type StoredCard } from './cards';
import type { CommitmentDoc } from './commitments.store';
import { touchWall } from './wall-pages';

/** A card rendered: kept as the member's card of its year (newest render wins), then put on its walls. */
export async function putCard(card: StoredCard): Promise<void> {
  await cardDocs().updateOne(
    { _id: card.u },
    { $max: { [`y.${card.commitment.year}`]: packCard(card) } },
    { upsert: true },
  );
  await touchWall(card);
}

/** An approved commitment moved (approval, progress, evaluation): its card and the pages of its walls. */
export async function publishCommitment(doc: CommitmentDoc): Promise<void> {
  const user = await UserModel.findById(doc.userId).lean<UserDoc>();
  if (!user) return;
  await putCard(renderCard(doc, user));
}

/**
 * The member's name, 亮身份 fields or branch changed (or the account was closed): every year's card is rendered
 * again and put on its walls. One key read when the member has no approved commitment.
 */
export async function refreshMemberCards(userId: string): Promise<void> {
  const doc = await cardDocs().findOne({ _id: userId });
  const years = Object.values(doc?.y ?? {}).filter((s): s is string => typeof s === 'string');
  if (years.length === 0) return;
  const user = await UserModel.findById(userId).lean<UserDoc>();
  if (!user) return;
  const identity = identityOf(user);
  for (const packed of years) {
    const old = unpackCard(packed);
    if (JSON.stringify(old.card) === JSON.stringify(identity)) continue;
    await putCard({ ...old, v: nextVersion(), card: identity });
  }
}
