import { EARTH_RADIUS_M, type CheckinBody } from '@pioneer/shared';
import { loadSessionUser } from '../../src/modules/users/users.service';
import { checkIn } from '../../src/modules/checkins/checkins.service';
import { bearer } from './client';
import { buildMember, type County } from './factories';
import type { TestApp } from './harness';

/** buildCounty's 甲村 fence (GCJ-02). */
export const FENCE = { lat: 30.5447, lng: 119.9752, radiusM: 500 };

/** A GCJ-02 point `metres` due north of the fence centre (and `eastM` east of it). */
export function near(metres: number, eastM = 0): { lat: number; lng: number } {
  const degPerM = 180 / (Math.PI * EARTH_RADIUS_M);
  return {
    lat: FENCE.lat + metres * degPerM,
    lng: FENCE.lng + (eastM * degPerM) / Math.cos((FENCE.lat * Math.PI) / 180),
  };
}

export const body = (p: { lat: number; lng: number }, extra: Partial<CheckinBody> = {}) => ({
  ...p,
  accuracy: 20,
  coordType: 'gcj02' as const,
  ...extra,
});

/** Shanghai 09:00 on a day, as the server's clock would stamp it. */
export const shanghaiMorning = (day: string, hour = 9) =>
  new Date(`${day}T${String(hour).padStart(2, '0')}:00:00+08:00`);

/** A check-in on an earlier day, through the service with that day's clock (HTTP always uses "now"). */
export async function checkInOn(userId: string, at: Date, b: ReturnType<typeof body>) {
  const actor = await loadSessionUser(userId);
  if (!actor) throw new Error(`no user ${userId}`);
  return checkIn(actor, b, { now: at });
}

/** A new cadre of branch A posted to village A, checking in 10 m from its fence through the API; the reply. */
export async function cadreChecksIn(t: TestApp, county: County) {
  const cadre = await buildMember({ branch: county.branchA, roles: ['member', 'cadre'], postedTo: county.villageA });
  const res = await t
    .http()
    .post('/api/v1/checkins')
    .set(bearer(t, cadre.id))
    .send(body(near(10)));
  return { cadre, res };
}
