import { PLATFORM_QUESTION_OWNER } from '@pioneer/shared';
import type { Placed, Principal } from './scope';
import { adminCovers } from './scope';

/**
 * Who owns a question. The shipped seed bank is the platform's and read-only through the API (it changes with a
 * release); a county's own questions (typed in or imported by its admins) belong to that county. Questions stored
 * before owners existed have none: they came from the seed bank, so they are the platform's.
 */
export const PLATFORM_BANK = PLATFORM_QUESTION_OWNER;

export const ownerOf = (q: { owner?: string | null }): string => q.owner ?? PLATFORM_BANK;

/** The county whose bank an org's people use: the root of its chain (a county has no ancestors). */
export const countyBankOf = (org: Placed): string => org.path[0] ?? org._id;

/** The banks a member draws quiz questions from: the platform's and their county's. */
export function banksOf(county: string | null): string[] {
  return county ? [PLATFORM_BANK, county] : [PLATFORM_BANK];
}

/**
 * Adding questions to a county's bank: only admins over the whole county. A township admin of that county may not:
 * the issue says "a county's own questions editable by that county's admins", and every township of the county
 * draws from the same bank, so one township must not rewrite what the others answer.
 */
export function canAddQuestions(actor: Principal, county: Placed): boolean {
  return county.path.length === 0 && adminCovers(actor, county);
}

/** Editing or deactivating a question: never the platform's; a county's only by admins over that whole county. */
export function canEditQuestion(actor: Principal, question: { owner?: string | null }): boolean {
  const owner = ownerOf(question);
  return owner !== PLATFORM_BANK && adminCovers(actor, { _id: owner, path: [] });
}
