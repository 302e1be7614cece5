import type { AnyBulkWriteOperation } from 'mongoose';
import { CHECKIN_RULES } from '@pioneer/shared';
import { CheckinSettingsModel } from '../checkins/checkins.model';
import { UserModel, type UserDoc } from '../users/users.model';
import { OrgModel, type OrgDoc } from './orgs.model';
import { SubtreeModel, type CadrePosting, type SubtreeDoc } from './subtree.model';

/**
 * The subtree documents (subtree.model.ts) kept as things change: an org created, renamed, dissolved; members
 * counted in or out (the same bulk write as the orgs' memberCount); a cadre's posting or branch changed; the
 * county's required days. A move re-paths a whole subtree: the county's documents are rebuilt from the orgs.
 */

type Placed = Pick<OrgDoc, '_id' | 'name' | 'type' | 'parentId' | 'path'>;
type Ops = AnyBulkWriteOperation[];

const upd = (_id: string, update: Record<string, unknown>, upsert = false) => ({
  updateOne: { filter: { _id }, update, upsert },
});

export async function writeSubtrees(ops: Ops): Promise<void> {
  if (ops.length > 0) await SubtreeModel.bulkWrite(ops as never, { ordered: false });
}

export const readSubtree = (orgId: string) => SubtreeModel.findById(orgId).lean<SubtreeDoc>();

/** A new org: its own document, a row on its parent's, and its place in every ancestor's branches or villages. */
export async function placeOrgInSubtrees(org: Placed): Promise<void> {
  // The county's required days travel down from the parent (a county itself starts without: the default).
  const req = org.parentId
    ? (await SubtreeModel.findById(org.parentId, { req: 1 }).lean<{ req?: number }>())?.req
    : undefined;
  const self = { name: org.name, type: org.type, parentId: org.parentId ?? null, path: org.path, m: 0 };
  const ops: Ops = [
    upd(
      org._id,
      { $setOnInsert: { self, kids: {}, branches: {}, villages: {}, cadres: {}, ...(req ? { req } : {}) } },
      true,
    ),
  ];
  if (org.parentId)
    ops.push(upd(org.parentId, { $set: { [`kids.${org._id}`]: { name: org.name, type: org.type, m: 0 } } }));
  if (org.type === 'branch' || org.type === 'village')
    for (const id of org.path)
      ops.push(
        upd(id, {
          $set: org.type === 'branch' ? { [`branches.${org._id}`]: org.path } : { [`villages.${org._id}`]: 1 },
        }),
      );
  await writeSubtrees(ops);
}

export async function renameInSubtrees(org: Placed, name: string): Promise<void> {
  const ops: Ops = [upd(org._id, { $set: { 'self.name': name } })];
  if (org.parentId) ops.push(upd(org.parentId, { $set: { [`kids.${org._id}.name`]: name } }));
  await writeSubtrees(ops);
}

/** A dissolved (empty) org leaves its ancestors' documents; its own goes. */
export async function dropFromSubtrees(org: Placed): Promise<void> {
  const ops: Ops = org.path.map((id) =>
    upd(id, { $unset: { [`kids.${org._id}`]: '', [`branches.${org._id}`]: '', [`villages.${org._id}`]: '' } }),
  );
  ops.push({ deleteOne: { filter: { _id: org._id } } });
  await writeSubtrees(ops);
}

/**
 * Members counted in or out (`[orgPath, delta]`, the branch last): the orgs' memberCount and the subtree documents'
 * `self.m` and `kids.<next>.m`, one bulk write each, whatever the depth.
 */
export async function applyMemberDeltas(moves: readonly (readonly [readonly string[], number])[]): Promise<void> {
  const orgs = new Map<string, number>();
  const trees = new Map<string, Record<string, number>>();
  for (const [path, d] of moves)
    path.forEach((id, i) => {
      orgs.set(id, (orgs.get(id) ?? 0) + d);
      const inc = trees.get(id) ?? {};
      inc['self.m'] = (inc['self.m'] ?? 0) + d;
      if (path[i + 1]) inc[`kids.${path[i + 1]}.m`] = (inc[`kids.${path[i + 1]}.m`] ?? 0) + d;
      trees.set(id, inc);
    });
  const orgOps = [...orgs].filter(([, d]) => d !== 0).map(([id, d]) => upd(id, { $inc: { memberCount: d } }));
  if (orgOps.length === 0) return;
  await Promise.all([
    OrgModel.bulkWrite(orgOps as never, { ordered: false }),
    writeSubtrees(
      [...trees].map(([id, inc]) => upd(id, { $inc: Object.fromEntries(Object.entries(inc).filter(([, d]) => d)) })),
    ),
  ]);
}

interface CadreFields {
  roles: readonly string[];
  postedVillageId?: string | null;
  postedSince?: string | null;
  postedUntil?: string | null;
}

/** A cadre's posting as the subtree keeps it (as the 考勤 report reads it); null for someone who is not a cadre. */
export function postingOf(u: CadreFields | null): CadrePosting | null {
  if (!u || !u.roles.includes('cadre')) return null;
  return { s: u.postedSince ?? null, u: u.postedVillageId ? null : (u.postedUntil ?? null) };
}

/** A member's cadre entry moved from the documents of `before` to those of `after` (each an org path and a posting). */
export function cadreOps(
  userId: string,
  before: { path: readonly string[]; posting: CadrePosting | null },
  after: { path: readonly string[]; posting: CadrePosting | null },
): Ops {
  const key = `cadres.${userId}`;
  const ops: Ops = [];
  if (before.posting)
    for (const id of before.path)
      if (!after.posting || !after.path.includes(id)) ops.push(upd(id, { $unset: { [key]: '' } }));
  const entry = after.posting && { ...after.posting, b: after.path.at(-1) };
  if (entry) for (const id of after.path) ops.push(upd(id, { $set: { [key]: entry } }));
  return ops;
}

/**
 * After a member's branch, roles or posting changed: their cadre entry follows (read back from their document, so
 * the callers pass only where they were before).
 */
export async function syncCadre(userId: string, before: { path: readonly string[]; posting: CadrePosting | null }) {
  const u = await UserModel.findById(userId, {
    roles: 1,
    orgPath: 1,
    postedVillageId: 1,
    postedSince: 1,
    postedUntil: 1,
  }).lean<UserDoc>();
  await writeSubtrees(cadreOps(userId, before, { path: u?.orgPath ?? [], posting: postingOf(u) }));
}

/** The county's 应出勤 a month, copied into its subtree documents (a rare admin change: one scan of them). */
export async function setCountyRequired(countyId: string, days: number): Promise<void> {
  await SubtreeModel.updateMany({ $or: [{ _id: countyId }, { 'self.path': countyId }] }, { $set: { req: days } });
}

/** Every subtree document of a county, from its orgs and cadres (scans: a batch, after a move or to repair). */
export function subtreesOf(orgs: OrgDoc[], cadres: UserDoc[], req: number): SubtreeDoc[] {
  const live = orgs.filter((o) => !o.dissolvedAt);
  return live.map((o) => {
    const below = live.filter((d) => d.path.includes(o._id));
    return {
      _id: o._id,
      self: { name: o.name, type: o.type, parentId: o.parentId ?? null, path: o.path, m: o.memberCount ?? 0 },
      kids: Object.fromEntries(
        live
          .filter((d) => d.parentId === o._id)
          .map((d) => [d._id, { name: d.name, type: d.type, m: d.memberCount ?? 0 }]),
      ),
      branches: Object.fromEntries(below.filter((d) => d.type === 'branch').map((d) => [d._id, d.path])),
      villages: Object.fromEntries(below.filter((d) => d.type === 'village').map((d) => [d._id, 1 as const])),
      cadres: Object.fromEntries(
        cadres
          .filter((c) => c.orgPath.includes(o._id))
          .map((c) => [c._id, { ...postingOf(c)!, b: c.orgPath.at(-1) }] as const),
      ),
      req,
    };
  });
}

/** Rebuilds the subtree documents of one county (or of every county): replaced whole, dissolved orgs' removed. */
export async function rebuildSubtrees(countyId?: string): Promise<number> {
  const counties = countyId
    ? [countyId]
    : (await OrgModel.find({ type: 'county' }, { _id: 1 }).lean<{ _id: string }[]>()).map((c) => c._id);
  let written = 0;
  for (const id of counties) {
    const [orgs, cadres, settings] = await Promise.all([
      OrgModel.find({ $or: [{ _id: id }, { path: id }] }).lean<OrgDoc[]>(),
      UserModel.find({ roles: 'cadre', orgPath: id }).lean<UserDoc[]>(),
      CheckinSettingsModel.findById(id).lean<{ requiredDays?: number }>(),
    ]);
    const docs = subtreesOf(orgs, cadres, settings?.requiredDays ?? CHECKIN_RULES.defaultRequiredDays);
    const gone = orgs.filter((o) => o.dissolvedAt).map((o) => ({ deleteOne: { filter: { _id: o._id } } }));
    await writeSubtrees([
      ...docs.map((d) => ({ replaceOne: { filter: { _id: d._id }, replacement: d, upsert: true } })),
      ...gone,
    ]);
    written += docs.length;
  }
  return written;
}

/**
 * Start-up: a database from before the subtree documents (or one whose collection was dropped) gets them built
 * once from its orgs; afterwards they are kept as things change.
 */
export async function ensureSubtrees(): Promise<number> {
  if ((await SubtreeModel.estimatedDocumentCount()) > 0) return 0;
  if ((await OrgModel.estimatedDocumentCount()) === 0) return 0;
  return rebuildSubtrees();
}
