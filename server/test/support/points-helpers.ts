import type { PointReason } from '@pioneer/shared';
import { awardPoints } from '../../src/modules/points/points.service';

/**
 * What a test may set on an award besides its member, amount and key: the ledger entry's refType ('test' unless
 * given), its refId (the key unless given) and its moment (now unless given).
 */
export interface AwardExtras {
  refType?: string;
  refId?: string;
  at?: Date;
}

/**
 * Pays a member `points` as a manual adjustment straight through the service (no route, no role), the way tests
 * give members a standing. `key` is the ledger entry's id: the same key never pays twice.
 */
export function givePoints(userId: string, points: number, key: string, extras: AwardExtras = {}) {
  const { refType = 'test', refId = key, at } = extras;
  return awardPoints({ userId, reason: 'manual_adjustment', points, refType, refId, idempotencyKey: key, at });
}

/**
 * Pays a member for an event of `reason` (`units` of it, 1 unless given) straight through the service: the rules in
 * force on its day price it and caps apply, as for the real event. `key` is the ledger entry's id.
 */
export function payFor(
  userId: string,
  reason: PointReason,
  key: string,
  extras: AwardExtras & { units?: number } = {},
) {
  const { refType = 'test', refId = key, at, units = 1 } = extras;
  return awardPoints({ userId, reason, units, refType, refId, idempotencyKey: key, at });
}
