import mongoose from 'mongoose';
import type { BranchResult, Quarter, ScorecardVersion, TownshipResult } from '@pioneer/shared';

/**
 * 支部评分 documents, one collection, every read and write by `_id`:
 * - `card|<countyId>`: `{ versions: [{ effectiveFrom, indicators, stars, candidatesPerTownship, weakBelow }] }`,
 *   append-only like the points rules (a quarter is scored by the version in force on its last day);
 * - `manual|<branchId>|<quarter>`: `{ entries: { <key>: { value, note, photoUrls, by, at } } }`;
 * - `flags|<countyId>|<quarter>`: `{ branches: { <branchId>: { reason, by, at } } }`, admins' 软弱涣散 marks;
 * - `result|<countyId>|<quarter>`: the computed quarter (every branch and township of the county), so the scores,
 *   the 通报 and the 整顿 check read one key.
 */
export interface CardDoc {
  _id: string;
  versions: ScorecardVersion[];
}
export interface ManualEntry {
  value: number;
  note: string;
  photoUrls: string[];
  by: string;
  at: Date;
}
export interface ManualDoc {
  _id: string;
  entries: Record<string, ManualEntry>;
}
export interface FlagDoc {
  _id: string;
  branches: Record<string, { reason: string; by: string; at: Date }>;
}
export interface ResultDoc {
  _id: string;
  countyId: string;
  countyName: string;
  quarter: Quarter;
  computedAt: Date;
  version: ScorecardVersion;
  /** Branches with the computed part of their result (flags are merged in at read time). */
  branches: (Omit<BranchResult, 'weak' | 'weakReason'> & { path: string[]; belowLine: boolean })[];
  townships: Omit<TownshipResult, 'weak'>[];
}

type AnyDoc = CardDoc | ManualDoc | FlagDoc | ResultDoc;
export const scorecardDocs = <T extends AnyDoc>() => mongoose.connection.collection<T>('scorecards');

export const cardId = (countyId: string) => `card|${countyId}`;
export const manualId = (branchId: string, q: Quarter) => `manual|${branchId}|${q}`;
export const flagsId = (countyId: string, q: Quarter) => `flags|${countyId}|${q}`;
export const resultId = (countyId: string, q: Quarter) => `result|${countyId}|${q}`;

export const readCard = (countyId: string) => scorecardDocs<CardDoc>().findOne({ _id: cardId(countyId) });
export const readFlags = (countyId: string, q: Quarter) =>
  scorecardDocs<FlagDoc>().findOne({ _id: flagsId(countyId, q) });
export const readResult = (countyId: string, q: Quarter) =>
  scorecardDocs<ResultDoc>().findOne({ _id: resultId(countyId, q) });
export const readManual = (branchId: string, q: Quarter) =>
  scorecardDocs<ManualDoc>().findOne({ _id: manualId(branchId, q) });

/** The versions oldest first. */
export function sortedVersions(doc: CardDoc | null): ScorecardVersion[] {
  return [...(doc?.versions ?? [])].sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : 1));
}

/** The version in force on a day: the latest started on or before it (a later one on the same day wins). */
export function versionOn(versions: ScorecardVersion[], day: string): ScorecardVersion | null {
  let found: ScorecardVersion | null = null;
  for (const v of versions) if (v.effectiveFrom <= day) found = v;
  return found;
}

/**
 * The card a quarter is scored by: the version in force on its last day; before the first version, the first (a
 * county that sets up its card today can score the quarter just ended, and earlier ones, by it).
 */
export function versionForQuarter(versions: ScorecardVersion[], lastDay: string): ScorecardVersion | null {
  return versionOn(versions, lastDay) ?? versions[0] ?? null;
}
