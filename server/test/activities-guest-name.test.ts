import type { Activity, Attendance } from '@pioneer/shared';
import { UserModel } from '../src/modules/users/users.model';
import { startTestApp, type TestApp } from './support/harness';
import { bearer } from './support/client';
import { buildCounty, buildMember } from './support/factories';

/** Issue 15: a member outside a 支委会's committee who signs in by QR (列席) was listed without a name. */
let t: TestApp;
const auth = (id: string) => bearer(t, id);
const api = (path: string) => `/api/v1/activities${path}`;
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

test('when a member outside the committee signs in to a 支委会 by QR, then the live list names them as a guest', async () => {
  const county = await buildCounty();
  const secretary = await buildMember({ branch: county.branchA, roles: ['member', 'secretary'], name: '书记' });
  const organiser = await buildMember({ branch: county.branchA, name: '组织委员' });
  await UserModel.updateOne({ _id: organiser.id }, { $set: { 'identity.dutyTitle': '组织委员' } });
  const guest = await buildMember({ branch: county.branchA, name: '列席党员' });
  const created = await t
    .http()
    .post(api(''))
    .set(auth(secretary.id))
    .send({ type: 'committee', title: '十二月支委会', startsAt: minutesAgo(5), endsAt: minutesAgo(-60) });
  expect(created.status).toBe(201);
  const a = created.body as Activity;
  await t
    .http()
    .patch(api(`/${a.id}`))
    .set(auth(secretary.id))
    .send({ status: 'open' })
    .expect(200);
  const qr = await t
    .http()
    .get(api(`/${a.id}/qr`))
    .set(auth(secretary.id))
    .expect(200);
  for (const m of [guest, organiser])
    await t
      .http()
      .post(api(`/${a.id}/signin`))
      .set(auth(m.id))
      .send({ token: qr.body.token })
      .expect(201);

  const list = (
    await t
      .http()
      .get(api(`/${a.id}/attendance`))
      .set(auth(secretary.id))
      .expect(200)
  ).body as Attendance;
  const present = [...list.present, ...list.late];
  expect(present.map((p) => p.name).sort()).toEqual(['列席党员', '组织委员']);
  // A guest is not counted against the committee: the denominator stays the secretary and the organiser.
  expect(list.absent.map((p) => p.name)).toEqual(['书记']);
});
