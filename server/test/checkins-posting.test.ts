import type { MyMonth } from '@pioneer/shared';
import { requiredDaysInPosting, requiredDaysOfMonth } from '@pioneer/shared/src/holidays';
import { dayKey, monthKey } from '@pioneer/shared/src/time';
import { UserModel } from '../src/modules/users/users.model';
import { startTestApp, type TestApp } from './support/harness';
import { bearer } from './support/client';
import { buildAdmin, buildCounty, buildMember } from './support/factories';

/**
 * Issue 15: the calendar called the days before a cadre's posting 缺勤. A posting dates itself when it is set; days
 * outside it are marked `outside` (never absent) and 应出勤 is shared out over the posted working days.
 */
let t: TestApp;
const auth = (id: string) => bearer(t, id);

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const month = async (userId: string, m?: string) => {
  const res = await t
    .http()
    .get(`/api/v1/checkins/mine${m ? `?month=${m}` : ''}`)
    .set(auth(userId));
  expect(res.status).toBe(200);
  return res.body as MyMonth;
};

test('when an admin posts a cadre today, then earlier days of the month are outside the posting, and 应出勤 follows', async () => {
  const county = await buildCounty();
  const admin = await buildAdmin({ of: county.county, branch: county.branchB });
  const cadre = await buildMember({ branch: county.branchA, name: '新派驻干部' });
  await t
    .http()
    .patch(`/api/v1/members/${cadre.id}`)
    .set(auth(admin.id))
    .send({ roles: ['cadre'], postedVillageId: county.villageA.id })
    .expect(200);
  const today = dayKey(new Date());
  expect(await UserModel.findById(cadre.id).lean()).toMatchObject({ postedSince: today, postedUntil: null });

  const m = await month(cadre.id);
  const before = m.days.filter((d) => d.day < today);
  expect(before.every((d) => d.outside === true && d.status === 'absent')).toBe(true);
  expect(m.days.find((d) => d.day === today)?.outside).toBeUndefined();
  expect(m.requiredDays).toBe(requiredDaysInPosting(20, monthKey(new Date()), today, null));

  // A month wholly before the posting owes nothing; the posting's end is dated when it is taken away.
  const earlier = await month(cadre.id, '2026-01');
  expect(earlier.days.every((d) => d.outside)).toBe(true);
  expect(earlier.requiredDays).toBe(0);
  await t
    .http()
    .patch(`/api/v1/members/${cadre.id}`)
    .set(auth(admin.id))
    .send({ roles: ['member'], postedVillageId: null })
    .expect(200);
  expect(await UserModel.findById(cadre.id).lean()).toMatchObject({ postedSince: today, postedUntil: today });
});

test('a cadre posted since mid-month: the days before are not 缺勤 and 应出勤 is the posted share', async () => {
  const county = await buildCounty();
  const cadre = await buildMember({ branch: county.branchA, roles: ['member', 'cadre'], postedTo: county.villageA });
  await UserModel.updateOne({ _id: cadre.id }, { $set: { postedSince: '2026-03-16' } });
  const m = await month(cadre.id, '2026-03');
  expect(m.days.filter((d) => d.outside).map((d) => d.day)).toEqual(
    Array.from({ length: 15 }, (_, i) => `2026-03-${String(i + 1).padStart(2, '0')}`),
  );
  // March 2026: 22 working days, 12 of them from the 16th; 20 × 12 / 22 = 10.9 → 11.
  expect(requiredDaysOfMonth(20, '2026-03')).toBe(20);
  expect(m.requiredDays).toBe(11);
});
