import type { Wish } from '@pioneer/shared';
import { startCountyApp, type TestApp } from './support/harness';
import { buildSecretary, type County } from './support/factories';
import { members } from './support/posts-helpers';
import { reconcilePosts } from '../src/jobs/posts-reconcile';
import { AuditModel } from '../src/modules/audit/audit.model';
import { LedgerModel } from '../src/modules/points/points.model';
import * as points from '../src/modules/points/points.service';
import { WishModel } from '../src/modules/wishes/wishes.model';
import { bearer, client } from './support/client';

let t: TestApp;
let county: County;
const auth = (id: string) => bearer(t, id);
const as = (id: string) => client(t, id);
const RESIDENT = '王秀英';
const CONTACT = '13955558888';
const MASKED = '139****8888';
const PHOTO = '/api/v1/uploads/2026-01/0123456789abcdef0123456789abcdef.png';

beforeAll(async () => ({ t, county } = await startCountyApp()));
afterAll(() => t.close());

async function wishInBranchA(over: object = {}) {
  const secretary = await buildSecretary(county.branchA, '李书记');
  const res = await as(secretary.id).post('/wishes', {
    title: '想要一台收音机',
    description: '独居老人，想听戏',
    residentName: RESIDENT,
    residentContact: CONTACT,
    orgId: county.branchA.id,
    ...over,
  });
  expect(res.status).toBe(201);
  return { secretary, wish: res.body as Wish };
}

/** Every member-facing reply: the full name and the contact appear nowhere in the raw text. */
function expectMasked(raw: string): void {
  expect(raw).not.toContain(RESIDENT);
  expect(raw).not.toContain(CONTACT);
  expect(raw).not.toContain('55558888');
}

const wishLedger = (userId: string) => LedgerModel.find({ userId, reason: 'wish_fulfilled' }).lean();

describe('micro-wishes', () => {
  test('when a secretary enters a wish, then they see the resident in full and members see the name masked and no contact, in every reply', async () => {
    const { secretary, wish } = await wishInBranchA();
    expect(wish).toMatchObject({ residentName: RESIDENT, residentContact: MASKED, status: 'open', canManage: true });
    const [m] = await members(county.branchA, 1);

    const listed = await as(m!.id).get('/wishes');
    expect(listed.status).toBe(200);
    expectMasked(listed.text);
    expect(listed.body.items.find((w: Wish) => w.id === wish.id)).toMatchObject({
      residentName: '王*英',
      residentContact: null,
      canManage: false,
    });
    const one = await as(m!.id).get(`/wishes/${wish.id}`);
    expectMasked(one.text);
    const claimed = await as(m!.id).post(`/wishes/${wish.id}/claim`);
    expect(claimed.status).toBe(200);
    expectMasked(claimed.text);
    expect(claimed.body).toMatchObject({ status: 'claimed', mine: true, claimant: { id: m!.id } });
    const fulfilled = await as(m!.id).post(`/wishes/${wish.id}/fulfil`, {
      note: '送去一台收音机并教会使用',
      photoUrls: [PHOTO],
    });
    expect(fulfilled.status).toBe(200);
    expectMasked(fulfilled.text);
    expect(fulfilled.body).toMatchObject({ status: 'fulfilled', fulfilment: { photoUrls: [PHOTO] } });
    // The secretary still sees the name in full, the contact masked (the full number is the audited route).
    const managed = await as(secretary.id).get('/wishes?managed=true');
    expect(managed.body.items.find((w: Wish) => w.id === wish.id)).toMatchObject({
      residentName: RESIDENT,
      residentContact: MASKED,
    });
    // A two-character name keeps only the surname.
    const short = (await wishInBranchA({ residentName: '李四' })).wish;
    expect((await as(m!.id).get(`/wishes/${short.id}`)).body.residentName).toBe('李*');
  });

  test('those running a wish see the contact masked in every list and reply; the full number only through the audited route (issue 24)', async () => {
    const { secretary, wish } = await wishInBranchA();
    const audited = () =>
      AuditModel.countDocuments({ action: 'privacy.resident_contact_view', targetId: wish.id, actorId: secretary.id });
    for (const path of ['/api/v1/wishes?managed=true', `/api/v1/wishes/${wish.id}`, '/api/v1/wishes']) {
      const res = await t.http().get(path).set(auth(secretary.id));
      expect(res.status).toBe(200);
      expect(res.text).not.toContain(CONTACT);
    }
    expect(await audited()).toBe(0);
    const full = await as(secretary.id).get(`/wishes/${wish.id}/contact`);
    expect(full.body).toMatchObject({ residentContact: CONTACT });
    expect(await audited()).toBe(1);
    // The edit page sends back the masked contact it was shown: the number stays; a new number replaces it.
    const edited = await as(secretary.id).patch(`/wishes/${wish.id}`, {
      title: '想要一台新收音机',
      residentContact: MASKED,
    });
    expect(edited.status).toBe(200);
    expect((await as(secretary.id).get(`/wishes/${wish.id}/contact`)).body.residentContact).toBe(CONTACT);
    await as(secretary.id).patch(`/wishes/${wish.id}`, { residentContact: '13700002222' });
    expect((await as(secretary.id).get(`/wishes/${wish.id}/contact`)).body.residentContact).toBe('13700002222');
  });

  test('when 20 members claim one wish at once, then exactly one holds it and the rest get WISH_TAKEN', async () => {
    const { wish } = await wishInBranchA();
    const crowd = await members(county.branchA, 20);
    const replies = await Promise.all(crowd.map((m) => as(m.id).post(`/wishes/${wish.id}/claim`)));
    const winners = replies.filter((r) => r.status === 200);
    expect(winners).toHaveLength(1);
    expect(replies.filter((r) => r.status === 409).map((r) => r.body.error.code)).toEqual(Array(19).fill('WISH_TAKEN'));
    const stored = await WishModel.findById(wish.id).lean();
    expect(stored!.claimantId).toBe(winners[0]!.body.claimant.id);
    // The winner tapping again is fine; the losers' replies leaked nothing either.
    expect((await as(stored!.claimantId!).post(`/wishes/${wish.id}/claim`)).status).toBe(200);
    for (const r of replies) expectMasked(r.text);
  });

  test('when the claimant releases, then the wish is open again for another member', async () => {
    const { wish } = await wishInBranchA();
    const [a, b] = await members(county.branchA, 2);
    await as(a!.id).post(`/wishes/${wish.id}/claim`).expect(200);
    expect((await as(b!.id).delete(`/wishes/${wish.id}/claim`)).status).toBe(404);
    await t.http().delete(`/api/v1/wishes/${wish.id}/claim`).set(auth(a!.id)).expect(204);
    expect((await as(b!.id).post(`/wishes/${wish.id}/claim`)).body).toMatchObject({ status: 'claimed', mine: true });
  });

  test('when the secretary confirms a fulfilled wish, then 5 points are paid once; a return sends it back first', async () => {
    const { secretary, wish } = await wishInBranchA();
    const [m, other] = await members(county.branchA, 2);
    expect((await as(secretary.id).post(`/wishes/${wish.id}/confirm`)).status).toBe(422);
    await as(m!.id).post(`/wishes/${wish.id}/claim`).expect(200);
    const notMine = await as(other!.id).post(`/wishes/${wish.id}/fulfil`, { note: '不是我认领的' });
    expect(notMine.status).toBe(403);
    await as(m!.id).post(`/wishes/${wish.id}/fulfil`, { note: '已送达' }).expect(200);

    const returned = await as(secretary.id).post(`/wishes/${wish.id}/return`, { comment: '请补一张照片' });
    expect(returned.body).toMatchObject({ status: 'claimed', review: { decision: 'reject', comment: '请补一张照片' } });
    expect(await wishLedger(m!.id)).toHaveLength(0);
    await as(m!.id)
      .post(`/wishes/${wish.id}/fulfil`, { note: '已送达，补充照片', photoUrls: [PHOTO] })
      .expect(200);

    const replies = await Promise.all(
      Array.from({ length: 8 }, () => as(secretary.id).post(`/wishes/${wish.id}/confirm`)),
    );
    expect(replies.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(replies.every((r) => r.body.status === 'confirmed' && r.body.pointsAwarded === 5)).toBe(true);
    expect((await wishLedger(m!.id)).map((e) => e.delta)).toEqual([5]);
    expect(await AuditModel.countDocuments({ action: 'wish.confirm', targetId: wish.id })).toBe(1);
    expect((await as(secretary.id).post(`/wishes/${wish.id}/return`)).status).toBe(422);
    const me = await as(m!.id).get('/me');
    expect(me.body.points.all).toBe(5);
  });

  test('when the wrong role or branch acts, then 403: members cannot enter or confirm, other branches cannot, nobody confirms their own', async () => {
    const { secretary, wish } = await wishInBranchA();
    const [m] = await members(county.branchA, 1);
    const otherSecretary = await buildSecretary(county.branchB);
    expect(
      (await as(m!.id).post('/wishes', { title: '一个心愿', residentName: '张三', orgId: county.branchA.id })).status,
    ).toBe(403);
    expect(
      (
        await as(otherSecretary.id).post('/wishes', {
          title: '一个心愿',
          residentName: '张三',
          orgId: county.branchA.id,
        })
      ).status,
    ).toBe(403);
    const outsider = await as(otherSecretary.id).get(`/wishes/${wish.id}`);
    expect(outsider.status).toBe(403);
    expect((await as(otherSecretary.id).post(`/wishes/${wish.id}/claim`)).status).toBe(403);

    await as(secretary.id).post(`/wishes/${wish.id}/claim`).expect(200);
    await as(secretary.id).post(`/wishes/${wish.id}/fulfil`, { note: '书记自己完成' }).expect(200);
    expect((await as(secretary.id).post(`/wishes/${wish.id}/confirm`)).status).toBe(403);
    expect((await as(m!.id).post(`/wishes/${wish.id}/confirm`)).status).toBe(403);
    expect((await as(otherSecretary.id).post(`/wishes/${wish.id}/confirm`)).status).toBe(403);
    const edit = await as(otherSecretary.id).patch(`/wishes/${wish.id}`, { title: '改掉' });
    expect(edit.status).toBe(403);
    expect(await wishLedger(secretary.id)).toHaveLength(0);
  });

  test('when a wish is closed, then it cannot be claimed; reopening puts it back', async () => {
    const { secretary, wish } = await wishInBranchA();
    const [m] = await members(county.branchA, 1);
    await t.http().patch(`/api/v1/wishes/${wish.id}`).set(auth(secretary.id)).send({ status: 'closed' }).expect(200);
    const res = await as(m!.id).post(`/wishes/${wish.id}/claim`);
    expect(res.status).toBe(422);
    expect((await as(m!.id).get('/wishes?status=closed')).body.items.map((w: Wish) => w.id)).toContain(wish.id);
    await t.http().patch(`/api/v1/wishes/${wish.id}`).set(auth(secretary.id)).send({ status: 'open' }).expect(200);
    expect((await as(m!.id).post(`/wishes/${wish.id}/claim`)).status).toBe(200);
    expect(
      (await as(secretary.id).post('/wishes', { title: 'x', residentName: '张三', orgId: county.branchA.id })).status,
    ).toBe(400);
  });

  test('when a member lists wishes, then the ones still open to claim come first', async () => {
    const { secretary, wish: older } = await wishInBranchA({ title: '较早的心愿' });
    const taken = (await wishInBranchA({ title: '已被认领的心愿' })).wish;
    const [m] = await members(county.branchA, 1);
    await as(m!.id).post(`/wishes/${taken.id}/claim`).expect(200);
    const statuses = ((await as(m!.id).get('/wishes?limit=100')).body.items as Wish[]).map((w) => w.status);
    const firstTaken = statuses.findIndex((s) => s !== 'open');
    expect(statuses.slice(firstTaken).includes('open')).toBe(false);
    const ids = ((await as(secretary.id).get('/wishes?limit=100')).body.items as Wish[]).map((w) => w.id);
    expect(ids.indexOf(older.id)).toBeLessThan(ids.indexOf(taken.id));
  });

  test('when a crash stops a confirmation before the payment, then reconciliation pays it once', async () => {
    const { secretary, wish } = await wishInBranchA();
    const [m] = await members(county.branchA, 1);
    await as(m!.id).post(`/wishes/${wish.id}/claim`).expect(200);
    await as(m!.id).post(`/wishes/${wish.id}/fulfil`, { note: '已完成' }).expect(200);
    const spy = jest.spyOn(points, 'awardPoints').mockRejectedValueOnce(new Error('process died here'));
    expect((await as(secretary.id).post(`/wishes/${wish.id}/confirm`)).status).toBe(500);
    spy.mockRestore();
    expect(await WishModel.findById(wish.id).lean()).toMatchObject({ stage: 'confirmed', pointsAwarded: null });
    expect((await reconcilePosts()).wishes).toBeGreaterThanOrEqual(1);
    expect((await wishLedger(m!.id)).map((e) => e.delta)).toEqual([5]);
    await reconcilePosts();
    expect(await wishLedger(m!.id)).toHaveLength(1);
  });
});
