import type { Wish } from '@pioneer/shared';
import { startCountyApp, type TestApp } from './support/harness';
import { buildMember, buildSecretary, type County } from './support/factories';
import { AuditModel } from '../src/modules/audit/audit.model';
import { client } from './support/client';

let t: TestApp;
let county: County;
const as = (id: string) => client(t, id);
const CONTACT = '13955558888';

beforeAll(async () => ({ t, county } = await startCountyApp()));
afterAll(() => t.close());

const contactOf = (userId: string, wishId: string) => as(userId).get(`/wishes/${wishId}/contact`);

async function claimedWish() {
  const secretary = await buildSecretary(county.branchA);
  const claimant = await buildMember({ branch: county.branchA, name: '张建国' });
  const res = await as(secretary.id).post('/wishes', {
    title: '想要一台收音机',
    residentName: '王秀英',
    residentContact: CONTACT,
    orgId: county.branchA.id,
  });
  expect(res.status).toBe(201);
  const wish = res.body as Wish;
  expect((await as(claimant.id).post(`/wishes/${wish.id}/claim`)).status).toBe(200);
  return { secretary, claimant, wish };
}

describe('the claimant reaches the resident (issue 15)', () => {
  test('when the member who claimed a wish asks, then they get the name and number in full, and the look is an audit line', async () => {
    const { claimant, wish } = await claimedWish();
    const res = await contactOf(claimant.id, wish.id);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({ wishId: wish.id, residentName: '王秀英', residentContact: CONTACT });
    const lines = await AuditModel.find({ action: 'privacy.resident_contact_view', targetId: wish.id }).lean();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ actorId: claimant.id, details: { as: 'claimant' } });
  });

  test('when another member of the branch asks, then 403 and no line; the list still masks the name for them', async () => {
    const { wish } = await claimedWish();
    const other = await buildMember({ branch: county.branchA });
    expect((await contactOf(other.id, wish.id)).status).toBe(403);
    expect(await AuditModel.countDocuments({ targetId: wish.id, actorId: other.id })).toBe(0);
    const seen = await as(other.id).get(`/wishes/${wish.id}`);
    expect(seen.body.residentName).toBe('王*英');
    expect(seen.text).not.toContain(CONTACT);
  });

  test('while handed in it is still theirs; once confirmed, or after giving the claim back, the number is not', async () => {
    const { secretary, claimant, wish } = await claimedWish();
    expect((await as(claimant.id).post(`/wishes/${wish.id}/fulfil`, { note: '送去了收音机' })).status).toBe(200);
    expect((await contactOf(claimant.id, wish.id)).status).toBe(200);
    expect((await as(secretary.id).post(`/wishes/${wish.id}/confirm`)).status).toBe(200);
    expect((await contactOf(claimant.id, wish.id)).status).toBe(403);

    const again = await claimedWish();
    expect((await as(again.claimant.id).delete(`/wishes/${again.wish.id}/claim`)).status).toBe(204);
    expect((await contactOf(again.claimant.id, again.wish.id)).status).toBe(403);
  });

  test('the secretary still reads it as before', async () => {
    const { secretary, wish } = await claimedWish();
    expect((await contactOf(secretary.id, wish.id)).body).toMatchObject({ residentContact: CONTACT });
  });
});
