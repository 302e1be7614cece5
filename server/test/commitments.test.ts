import type { Commitment, MyCommitment, PointReason, Queue, WallPage } from '@pioneer/shared';
import { LedgerModel } from '../src/modules/points/points.model';
import { currentYear } from '../src/modules/commitments/commitments.service';
import { commitments } from '../src/modules/commitments/commitments.store';
import { startCountyApp, type TestApp } from './support/harness';
import { buildAdmin, buildCounty, buildMember, buildSecretary, type County } from './support/factories';
import { bearer, client } from './support/client';

let t: TestApp;
let county: County;
const year = currentYear();
const auth = (id: string) => bearer(t, id);
const as = (id: string) => client(t, id);
const url = (id: string, action: string) => `/api/v1/commitments/${encodeURIComponent(id)}/${action}`;
const PHOTO = '/api/v1/uploads/2026-11/0123456789abcdef0123456789abcdef.jpg';

const put = (userId: string, items: string[], y = year) =>
  as(userId).put('/commitments/mine', { year: y, items: items.map((text) => ({ text })) });
const post = (userId: string, id: string, action: string, body: object = {}) =>
  t.http().post(url(id, action)).set(auth(userId)).send(body);

async function draft(userId: string, items = ['带头参加支部活动', '帮扶一户困难群众']): Promise<Commitment> {
  const res = await put(userId, items);
  expect(res.status).toBe(200);
  return (res.body as MyCommitment).commitment!;
}
async function approved(userId: string, secretaryId: string): Promise<Commitment> {
  const c = await draft(userId);
  expect((await post(userId, c.id, 'submit')).status).toBe(200);
  const res = await post(secretaryId, c.id, 'review', { decision: 'approve' });
  expect(res.status).toBe(200);
  return res.body as Commitment;
}
const ledger = (userId: string, reason: PointReason) =>
  LedgerModel.find({ userId, reason }).lean<{ delta: number }[]>();

let secretaryA: { id: string };
let secretaryB: { id: string };

beforeAll(async () => {
  ({ t, county } = await startCountyApp());
  secretaryA = await buildSecretary(county.branchA, '甲书记');
  secretaryB = await buildSecretary(county.branchB, '乙书记');
});
afterAll(() => t.close());

describe('items validation', () => {
  test.each([
    ['0 items', []],
    ['6 items', ['1', '2', '3', '4', '5', '6']],
    ['an item of 201 characters', ['字'.repeat(201)]],
    ['an empty item', ['  ']],
  ])('when a member saves %s, then 400', async (_label, items) => {
    const m = await buildMember({ branch: county.branchA });
    const res = await put(m.id, items as string[]);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
  });

  test('when a member saves 5 items of 200 characters, then it is a draft', async () => {
    const m = await buildMember({ branch: county.branchA });
    const c = await draft(
      m.id,
      Array.from({ length: 5 }, () => '诺'.repeat(200)),
    );
    expect(c).toMatchObject({ status: 'draft', year, userId: m.id });
    expect(c.items).toHaveLength(5);
    const mine = await as(m.id).get(`/commitments/mine?year=${year}`);
    expect(mine.body.commitment.id).toBe(c.id);
  });

  test('when progress carries a photo URL this server did not issue, then 400', async () => {
    const m = await buildMember({ branch: county.branchA });
    const c = await approved(m.id, secretaryA.id);
    expect(
      (await post(m.id, c.id, 'progress', { text: '走访', photoUrls: ['https://evil.example/x.jpg'] })).status,
    ).toBe(400);
    expect((await post(m.id, c.id, 'progress', { text: '走访', photoUrls: Array(7).fill(PHOTO) })).status).toBe(400);
  });
});

describe('state machine', () => {
  test('draft -> submitted -> returned (with comment) -> edited -> resubmitted -> approved -> progress -> evaluated', async () => {
    const m = await buildMember({ branch: county.branchA });
    const c = await draft(m.id);
    expect((await post(m.id, c.id, 'submit')).body.status).toBe('submitted');
    expect((await post(secretaryA.id, c.id, 'review', { decision: 'return' })).status).toBe(400);
    const returned = await post(secretaryA.id, c.id, 'review', { decision: 'return', comment: '请写得更具体' });
    expect(returned.body).toMatchObject({ status: 'returned', reviewComment: '请写得更具体' });
    const mine = await as(m.id).get('/commitments/mine');
    expect(mine.body.commitment).toMatchObject({ status: 'returned', reviewComment: '请写得更具体' });
    expect((await put(m.id, ['每月走访两户群众'])).body.commitment.items).toEqual([{ text: '每月走访两户群众' }]);
    expect((await post(m.id, c.id, 'submit')).body.status).toBe('submitted');
    expect((await post(secretaryA.id, c.id, 'review', { decision: 'approve', comment: '好' })).body.status).toBe(
      'approved',
    );
    const p = await post(m.id, c.id, 'progress', { text: '走访了张大爷', photoUrls: [PHOTO] });
    expect(p.status).toBe(201);
    expect(p.body.progress[0]).toMatchObject({ text: '走访了张大爷', photoUrls: [PHOTO] });
    const e = await post(secretaryA.id, c.id, 'evaluate', { rating: 'good', comment: '践诺较好' });
    expect(e.body.evaluation).toMatchObject({ rating: 'good', comment: '践诺较好' });
  });

  test('every illegal move is refused with 422 ILLEGAL_TRANSITION and a Chinese message', async () => {
    const m = await buildMember({ branch: county.branchA });
    const c = await draft(m.id);
    const refused = async (res: { status: number; body: { error: { code: string; message: string } } }) => {
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('ILLEGAL_TRANSITION');
      expect(res.body.error.message).toMatch(/[\u4e00-\u9fa5]/);
    };
    // draft
    await refused(await post(secretaryA.id, c.id, 'review', { decision: 'approve' }));
    await refused(await post(m.id, c.id, 'progress', { text: '早了' }));
    await refused(await post(secretaryA.id, c.id, 'evaluate', { rating: 'good' }));
    // submitted
    await post(m.id, c.id, 'submit');
    await refused(await post(m.id, c.id, 'submit'));
    await refused(await put(m.id, ['改一改']));
    await refused(await post(m.id, c.id, 'progress', { text: '早了' }));
    await refused(await post(secretaryA.id, c.id, 'evaluate', { rating: 'good' }));
    // returned
    await post(secretaryA.id, c.id, 'review', { decision: 'return', comment: '再想想' });
    await refused(await post(secretaryA.id, c.id, 'review', { decision: 'approve' }));
    await refused(await post(m.id, c.id, 'progress', { text: '早了' }));
    await refused(await post(secretaryA.id, c.id, 'evaluate', { rating: 'good' }));
    // approved
    await post(m.id, c.id, 'submit');
    await post(secretaryA.id, c.id, 'review', { decision: 'approve' });
    await refused(await post(m.id, c.id, 'submit'));
    await refused(await put(m.id, ['改一改']));
    await refused(await post(secretaryA.id, c.id, 'review', { decision: 'return', comment: '反悔' }));
    // evaluated
    await post(secretaryA.id, c.id, 'evaluate', { rating: 'fair' });
    await refused(await post(secretaryA.id, c.id, 'evaluate', { rating: 'excellent' }));
    await refused(await post(m.id, c.id, 'progress', { text: '晚了' }));
    // a year far away
    await refused(await put(m.id, ['穿越'], year + 5));
  });

  test('when the secretary of another branch, a plain member or another member acts, then 403', async () => {
    const m = await buildMember({ branch: county.branchA });
    const other = await buildMember({ branch: county.branchA });
    const c = await draft(m.id);
    expect((await post(other.id, c.id, 'submit')).status).toBe(403);
    await post(m.id, c.id, 'submit');
    expect((await post(secretaryB.id, c.id, 'review', { decision: 'approve' })).status).toBe(403);
    expect((await post(other.id, c.id, 'review', { decision: 'approve' })).status).toBe(403);
    expect((await post(m.id, c.id, 'review', { decision: 'approve' })).status).toBe(403);
    await post(secretaryA.id, c.id, 'review', { decision: 'approve' });
    expect((await post(other.id, c.id, 'progress', { text: '冒名' })).status).toBe(403);
    expect((await post(secretaryB.id, c.id, 'evaluate', { rating: 'poor' })).status).toBe(403);
    expect((await as(secretaryB.id).get(`/commitments/queue?org=${county.branchA.id}`)).status).toBe(403);
    expect((await as(other.id).get('/commitments/queue')).status).toBe(403);
  });

  test('when the admin of the township reviews a member of a branch below, then it is allowed', async () => {
    const admin = await buildAdmin({ of: county.townA, branch: county.branchA });
    const m = await buildMember({ branch: county.branchA2 });
    const c = await draft(m.id);
    await post(m.id, c.id, 'submit');
    const q = await as(admin.id).get(`/commitments/queue?org=${county.townA.id}`);
    expect(q.status).toBe(200);
    expect((q.body as Queue).submitted.map((x) => x.commitment.id)).toContain(c.id);
    expect((await post(admin.id, c.id, 'review', { decision: 'approve' })).status).toBe(200);
  });
});

describe('points', () => {
  test('when approval is repeated, then 2 points are paid once', async () => {
    const m = await buildMember({ branch: county.branchA });
    const c = await approved(m.id, secretaryA.id);
    expect((await post(secretaryA.id, c.id, 'review', { decision: 'approve' })).status).toBe(422);
    const paid = await ledger(m.id, 'commitment_approved');
    expect(paid).toHaveLength(1);
    expect(paid[0]!.delta).toBe(2);
  });

  test('when 10 approvals race, then exactly one succeeds and points are paid once', async () => {
    const m = await buildMember({ branch: county.branchA });
    const c = await draft(m.id);
    await post(m.id, c.id, 'submit');
    const results = await Promise.all(
      Array.from({ length: 10 }, () => post(secretaryA.id, c.id, 'review', { decision: 'approve' })),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 200)) expect([409, 422]).toContain(r.status);
    const paid = await ledger(m.id, 'commitment_approved');
    expect(paid).toHaveLength(1);
    expect(paid[0]!.delta).toBe(2);
  });

  test.each([
    ['excellent', 10],
    ['fair', 3],
  ])('when rated %s, then %i points are paid once', async (rating, points) => {
    const m = await buildMember({ branch: county.branchA });
    const c = await approved(m.id, secretaryA.id);
    const results = await Promise.all(
      Array.from({ length: 5 }, () => post(secretaryA.id, c.id, 'evaluate', { rating })),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    const paid = await ledger(m.id, 'commitment_evaluated');
    expect(paid).toHaveLength(1);
    expect(paid[0]!.delta).toBe(points);
  });
});

describe('wall and queue', () => {
  test('the wall lists approved commitments newest progress first, paginated, with masked cards', async () => {
    const c2 = await buildCounty();
    const sec = await buildSecretary(c2.branchA);
    const names = ['张一', '王二', '李三'];
    const members = [];
    for (const name of names) members.push(await buildMember({ branch: c2.branchA, name, contact: '13812345678' }));
    const commits = [];
    for (const m of members) commits.push(await approved(m.id, sec.id));
    const pending = await buildMember({ branch: c2.branchA, name: '赵四' });
    await post(pending.id, (await draft(pending.id)).id, 'submit');
    // Progress: 张一 then 李三, so 李三 is newest, then 张一, then 王二 (approved only).
    await post(members[0]!.id, commits[0]!.id, 'progress', { text: '第一条' });
    await new Promise((r) => setTimeout(r, 5));
    await post(members[2]!.id, commits[2]!.id, 'progress', { text: '第二条' });

    const page1 = await as(members[1]!.id).get(`/commitments/wall?org=${c2.branchA.id}&year=${year}&limit=2`);
    expect(page1.status).toBe(200);
    const body1 = page1.body as WallPage;
    expect(body1.total).toBe(3);
    expect(body1.items.map((i) => i.card.name)).toEqual(['李三', '张一']);
    expect(body1.items[0]!.card).toMatchObject({ branch: '甲村党支部', contact: '138****5678' });
    expect(body1.items[0]!.commitment.progress[0]!.text).toBe('第二条');
    const page2 = await as(members[1]!.id).get(
      `/commitments/wall?org=${c2.branchA.id}&year=${year}&limit=2&cursor=${body1.nextCursor}`,
    );
    expect((page2.body as WallPage).items.map((i) => i.card.name)).toEqual(['王二']);
    expect(page2.body.nextCursor).toBeNull();

    const county2 = await as(members[0]!.id).get(`/commitments/wall?org=${c2.county.id}`);
    expect((county2.body as WallPage).items.map((i) => i.card.name)).toEqual(['李三', '张一', '王二']);
    for (const res of [page1, page2, county2]) expect(JSON.stringify(res.body)).not.toContain('13812345678');

    const outsider = await buildMember({ branch: c2.branchB });
    expect((await as(outsider.id).get(`/commitments/wall?org=${c2.branchA.id}`)).status).toBe(403);
  });

  test('the queue counts what awaits review and evaluation, with masked cards', async () => {
    const c3 = await buildCounty();
    const sec = await buildSecretary(c3.branchA);
    const a = await buildMember({ branch: c3.branchA, contact: '13912345678' });
    const b = await buildMember({ branch: c3.branchA, contact: '13912345679' });
    await post(a.id, (await draft(a.id)).id, 'submit');
    const cb = await approved(b.id, sec.id);
    const q = await as(sec.id).get('/commitments/queue');
    expect(q.status).toBe(200);
    const body = q.body as Queue;
    expect(body.counts).toEqual({ submitted: 1, awaitingEvaluation: 1 });
    expect(body.submitted[0]!.card.contact).toBe('139****5678');
    expect(body.awaitingEvaluation[0]!.commitment.id).toBe(cb.id);
    expect(JSON.stringify(body)).not.toMatch(/1391234567[89]/);
    await post(sec.id, cb.id, 'evaluate', { rating: 'excellent' });
    const after = await as(sec.id).get('/commitments/queue');
    expect(after.body.counts).toEqual({ submitted: 1, awaitingEvaluation: 0 });
  });

  test('when the server died between an approval and its effects, then the next read settles them (points, wall, queue)', async () => {
    const c4 = await buildCounty();
    const sec = await buildSecretary(c4.branchA);
    const m = await buildMember({ branch: c4.branchA, name: '断电' });
    const c = await draft(m.id);
    await post(m.id, c.id, 'submit');
    const doc = (await commitments.read(c.id))!;
    const now = new Date();
    // The move landed; the process died before settle() ran.
    await commitments.apply(c.id, doc.seq, {
      status: 'approved',
      approvedAt: now,
      reviewedAt: now,
      reviewerId: sec.id,
      updatedAt: now,
    });
    expect(await ledger(m.id, 'commitment_approved')).toHaveLength(0);
    const mine = await as(m.id).get('/commitments/mine');
    expect(mine.body.commitment.status).toBe('approved');
    expect(await ledger(m.id, 'commitment_approved')).toHaveLength(1);
    const wall = await as(m.id).get(`/commitments/wall?org=${c4.branchA.id}`);
    expect((wall.body as WallPage).items.map((i) => i.card.name)).toEqual(['断电']);
    const q = await as(sec.id).get('/commitments/queue');
    expect(q.body.counts).toEqual({ submitted: 0, awaitingEvaluation: 1 });
  });
});
