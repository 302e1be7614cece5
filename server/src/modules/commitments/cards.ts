import mongoose from 'mongoose';
import type { Commitment, IdentityCard } from '@pioneer/shared';
import type { UserDoc } from '../users/users.model';
import { commitmentView, identityCard, type CommitmentDoc } from './commitments.store';

/**
 * A commitment card as the wall shows it, rendered once when it changes (issue 17: a wall page is one key read, not
 * a read per card): the member's 亮身份 card as anyone but the owner sees it (contact masked, only our own upload
 * URLs) and the approved commitment. The branch is kept by id and named at read time from a shared view, so a
 * renamed branch shows its new name as it did when the wall read every member.
 */
export interface StoredCard {
  /** When it was rendered (ms, increasing in a process): of two renders the later one wins everywhere. */
  v: number;
  u: string;
  /** The last progress (or the approval): the wall's order. */
  at: number;
  /** The commitment's org path: the walls it is on. */
  orgPath: string[];
  card: Omit<IdentityCard, 'branch'> & { branchId: string | null };
  commitment: Commitment;
}

/** One document per member (`_id` userId): `y.<year>` -> the stored card of that year's approved commitment. */
interface CardsDoc {
  _id: string;
  y?: Record<string, string>;
}
export const cardDocs = () => mongoose.connection.collection<CardsDoc>('commitment_cards');

const VERSION_DIGITS = 13;
/** Stored as one string, the version first, written with `$max`: a render that lands late never overwrites a newer one. */
export const packCard = (c: StoredCard) => String(c.v).padStart(VERSION_DIGITS, '0') + JSON.stringify(c);
export const unpackCard = (s: string): StoredCard => JSON.parse(s.slice(VERSION_DIGITS)) as StoredCard;

let lastVersion = 0;
export function nextVersion(): number {
  lastVersion = Math.max(Date.now(), lastVersion + 1);
  return lastVersion;
}

const ms = (d: Date | null | undefined) => (d ? new Date(d).getTime() : 0);
export const lastActivity = (doc: CommitmentDoc) =>
  Math.max(ms(doc.approvedAt), ...(doc.progress ?? []).map((p) => ms(p.at)));

export function identityOf(user: UserDoc): StoredCard['card'] {
  const { branch: _named, ...card } = identityCard(user, null);
  return { ...card, branchId: user.orgId ?? null };
}

export function renderCard(doc: CommitmentDoc, user: UserDoc, v = nextVersion()): StoredCard {
  return {
    v,
    u: doc.userId,
    at: lastActivity(doc),
    orgPath: doc.orgPath,
    card: identityOf(user),
    commitment: commitmentView(doc),
  };
}

/** The stored card of a member's year (the pages' fallback when a card they hold is older than the wall's). */
export async function readCard(userId: string, year: number): Promise<StoredCard | null> {
  const packed = (await cardDocs().findOne({ _id: userId }))?.y?.[String(year)];
  return typeof packed === 'string' ? unpackCard(packed) : null;
}
