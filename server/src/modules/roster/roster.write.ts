import type { AnyBulkWriteOperation } from 'mongoose';
import { createHash } from 'node:crypto';
import { applyMemberDeltas, cadreOps, postingOf, writeSubtrees } from '../orgs/subtree';
import { UserModel } from '../users/users.model';
import { seal, sealedContact } from '../privacy/field-crypto';
import { RosterRowModel } from './roster.model';
import { refreshMemberCards } from '../commitments/card-writes';
import type { OrgIndex, PlannedRow } from './roster.plan';

/** Rows written per round trip: one bulk write per collection and chunk. */
export const CHUNK = 100;

const rolesOf = (p: PlannedRow) => [
  'member',
  ...(p.role === 'member' ? [] : [p.role]),
  ...(p.existing?.user?.roles.includes('admin') ? ['admin'] : []),
];

function rosterFields(p: PlannedRow) {
  return {
    name: p.name,
    branchId: p.branchId,
    category: p.category,
    joinedAt: p.joinedAt,
    duty: p.duty,
    role: p.role,
    villageId: p.villageId,
  };
}

/** A created row's member id comes from its key: a re-run after a crash, or two imports at once, write one member. */
const userIdOf = (key: string) => createHash('sha256').update(key).digest('hex').slice(0, 24);

/** The roster's part of the identity card: a new member's whole card, an existing one's three fields only. */
function identityFields(p: PlannedRow, fresh: boolean): Record<string, unknown> {
  const card = {
    ...sealedContact(p.phone),
    dutyTitle: p.duty || null,
    partySince: p.joinedAt ? Number(p.joinedAt.slice(0, 4)) : null,
  };
  if (fresh) return { identity: { ...card, photoUrl: null, badge: null } };
  return Object.fromEntries(Object.entries(card).map(([k, v]) => [`identity.${k}`, v]));
}

/**
 * Writes one chunk of planned rows: the members (upserts by id), member counts, then the roster rows. Returns the
 * rows that could not be written (none today; kept for the report's shape).
 */
export async function writeChunk(index: OrgIndex, countyId: string, rows: PlannedRow[]): Promise<Set<number>> {
  const lost = new Set<number>();
  const created = rows.filter((p) => !p.existing);
  const userIds = new Map<number, string>(rows.map((p) => [p.row, p.existing?.roster.userId ?? userIdOf(p.key)]));
  const live = rows;
  void created;
  const moves: [string[], number][] = [];
  const bump = (path: string[], d: number) => moves.push([path, d]);
  const cadres: AnyBulkWriteOperation[] = [];
  const userOps: AnyBulkWriteOperation[] = live.map((p) => {
    const branch = index.get(p.branchId)!;
    const orgPath = [...branch.path, branch._id];
    const before = p.existing?.user;
    if (!before) bump(orgPath, 1);
    else if (before.orgId !== p.branchId) {
      bump(before.orgPath, -1);
      bump(orgPath, 1);
    }
    const admin = before?.roles.includes('admin');
    // A cadre's entry in the subtree documents (who owes 应出勤) follows their branch, role and posting.
    const posted = { ...before, roles: rolesOf(p), postedVillageId: p.villageId };
    cadres.push(
      ...cadreOps(
        userIds.get(p.row)!,
        { path: before?.orgPath ?? [], posting: postingOf(before ?? null) },
        { path: orgPath, posting: postingOf(posted) },
      ),
    );
    return {
      updateOne: {
        filter: { _id: userIds.get(p.row)! },
        update: {
          $set: {
            name: p.name,
            roles: rolesOf(p),
            orgId: branch._id,
            orgPath,
            postedVillageId: p.villageId,
            adminOrgId: admin ? (before?.adminOrgId ?? null) : null,
            category: p.category,
            ...identityFields(p, !before),
          },
        },
        upsert: true,
      },
    };
  });
  if (userOps.length > 0) await UserModel.bulkWrite(userOps as never, { ordered: false });
  // Existing members' names, branches and 亮身份 fields are on their 承诺墙 cards (one key read each without one).
  for (const p of rows.filter((r) => r.existing)) await refreshMemberCards(userIds.get(p.row)!);
  await applyMemberDeltas(moves);
  await writeSubtrees(cadres);
  // Last, the roster rows with their hash: a crash before this leaves the row missing or stale, so the next run
  // writes it again, onto the same member (the id is derived from the key). Upserts in bulk: a bulk `update` of
  // plain $set statements stalled the embedded engine at ~100 rows (every later read waited too); upserts did not.
  if (live.length > 0) {
    await RosterRowModel.bulkWrite(
      live.map((p) => ({
        updateOne: {
          filter: { _id: p.key },
          update: {
            $setOnInsert: { countyId, phone: seal(p.phone), userId: userIds.get(p.row)! },
            $set: { ...rosterFields(p), hash: p.hash },
          },
          upsert: true,
        },
      })),
      { ordered: false },
    );
  }
  return lost;
}
