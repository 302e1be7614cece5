import mongoose from 'mongoose';
import type { ReviewGrade, ReviewResults, ReviewRound } from '@pioneer/shared';
import { LedgerModel } from '../src/modules/points/points.model';
import { currentYear } from '../src/modules/commitments/commitments.service';
import { startCountyApp, type TestApp } from './support/harness';
import { bearer } from './support/client';
import { buildAdmin, buildMember, type County } from './support/factories';
import { binary, workbookOf } from './support/download';

/** 民主评议党员 (issue 21): secret ballots, one per member, withheld under 5 voters, the 优秀 share, 不合格 confirmed above. */
let t: TestApp;
let county: County;
const year = currentYear();
const auth = (id: string) => bearer(t, id);
const base = (branchId: string) => `/api/v1/reviews/${branchId}/${year}`;
const later = () => new Date(Date.now() + 86_400_000).toISOString();

let secA: { id: string };
let membersA: { id: string }[];
let secA2: { id: string };
let membersA2: { id: string }[];
let townA: { id: string };
let townB: { id: string };
let outsider: { id: string };

const open = (who: string, org: string) =>
  t.http().post('/api/v1/reviews').set(auth(who)).send({ org, year, closesAt: later() });
const everyone = (ids: { id: string }[], grade: ReviewGrade = 'qualified') => ({
  ratings: ids.map((m) => ({ memberId: m.id, grade })),
});
const vote = (who: string, branchId: string, body: object) =>
  t
    .http()
    .post(`${base(branchId)}/ballot`)
    .set(auth(who))
    .send(body);
const close = (who: string, branchId: string) =>
  t
    .http()
    .post(`${base(branchId)}/close`)
    .set(auth(who))
    .send({});
const results = (who: string, branchId: string) =>
  t
    .http()
    .get(`${base(branchId)}/results`)
    .set(auth(who));
const grade = (who: string, branchId: string, userId: string, body: object) =>
  t
    .http()
    .put(`${base(branchId)}/grades/${userId}`)
    .set(auth(who))
    .send(body);
const raw = (name: string) => mongoose.connection.db!.collection(name).find({}).toArray();
/** Ballot slots a vote filled (empty slots are created when a round opens). */
const filled = async () => (await raw('review_ballots')).filter((b) => b.filled !== false);

beforeAll(async () => {
  ({ t, county } = await startCountyApp());
  secA = await buildMember({ branch: county.branchA, roles: ['member', 'secretary'], name: '甲书记' });
  membersA = [secA];
  for (let i = 1; i <= 6; i += 1) membersA.push(await buildMember({ branch: county.branchA, name: `甲党员${i}` }));
  secA2 = await buildMember({ branch: county.branchA2, roles: ['member', 'secretary'], name: '二支书记' });
  membersA2 = [secA2];
  for (let i = 1; i <= 4; i += 1) membersA2.push(await buildMember({ branch: county.branchA2, name: `二支党员${i}` }));
  townA = await buildAdmin({ of: county.townA, branch: county.branchB, name: '甲镇组织委员' });
  townB = await buildAdmin({ of: county.townB, branch: county.branchB, name: '乙乡组织委员' });
  outsider = await buildMember({ branch: county.branchB, name: '乙村党员' });
}, 60_000);
afterAll(async () => t.close());

describe('opening a round', () => {
  test('only who runs the branch opens it, once a year, with the branch members as electorate', async () => {
    expect((await open(membersA[1].id, county.branchA.id)).status).toBe(403);
    expect((await open(townB.id, county.branchA.id)).status).toBe(403);
    expect((await open(secA2.id, county.branchA.id)).status).toBe(403);
    const past = await t
      .http()
      .post('/api/v1/reviews')
      .set(auth(secA.id))
      .send({ org: county.branchA.id, year, closesAt: new Date(Date.now() - 1000).toISOString() });
    expect(past.status).toBe(400);
    expect(past.body.error.message).toContain('截止时间');
    const res = await open(secA.id, county.branchA.id);
    expect(res.status).toBe(201);
    const round = res.body as ReviewRound;
    expect(round.members.map((m) => m.id).sort()).toEqual(membersA.map((m) => m.id).sort());
    expect(round).toMatchObject({ closed: false, voterCount: 0, canVote: true, hasVoted: false });
    expect((await open(secA.id, county.branchA.id)).status).toBe(409);
    expect((await open(secA2.id, county.branchA2.id)).status).toBe(201);
  });

  test('scopes: members of the branch read it, others do not; only the electorate votes', async () => {
    expect((await t.http().get(base(county.branchA.id)).set(auth(membersA[2].id))).status).toBe(200);
    expect((await t.http().get(base(county.branchA.id)).set(auth(outsider.id))).status).toBe(403);
    expect((await t.http().get(base(county.branchA.id)).set(auth(townB.id))).status).toBe(403);
    expect((await vote(outsider.id, county.branchA.id, everyone(membersA))).status).toBe(403);
    expect((await vote(townA.id, county.branchA.id, everyone(membersA))).status).toBe(403);
    const current = await t.http().get('/api/v1/reviews/current').set(auth(membersA[3].id));
    expect(current.body.round.id).toBe(`${county.branchA.id}|${year}`);
  });
});

describe('secret ballots', () => {
  test('a ballot must rate every member once, the voter included; a bad one writes nothing', async () => {
    const missingSelf = everyone(membersA.filter((m) => m.id !== membersA[1].id));
    const res = await vote(membersA[1].id, county.branchA.id, missingSelf);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('每位党员');
    const twice = { ratings: [...everyone(membersA).ratings, { memberId: membersA[2].id, grade: 'excellent' }] };
    expect((await vote(membersA[1].id, county.branchA.id, twice)).status).toBe(400);
    const commentOnGood = { ratings: everyone(membersA).ratings.map((r) => ({ ...r, comment: '很好' })) };
    expect((await vote(membersA[1].id, county.branchA.id, commentOnGood)).status).toBe(400);
    // One empty slot per elector of the two rounds, none filled.
    expect(await raw('review_ballots')).toHaveLength(membersA.length + membersA2.length);
    expect(await filled()).toHaveLength(0);
    expect(await raw('review_voted')).toHaveLength(0);
  });

  test('10 concurrent submits by one member give one ballot', async () => {
    const voter = membersA[1].id;
    const replies = await Promise.all(
      Array.from({ length: 10 }, () => vote(voter, county.branchA.id, everyone(membersA))),
    );
    const statuses = replies.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(9);
    expect(replies.find((r) => r.status === 409)!.body.error.code).toBe('ALREADY_VOTED');
    expect(await filled()).toHaveLength(1);
    expect(await raw('review_ballots')).toHaveLength(membersA.length + membersA2.length);
    const round = (await t.http().get(base(county.branchA.id)).set(auth(voter))).body as ReviewRound;
    expect(round).toMatchObject({ hasVoted: true, voterCount: 1 });
  });

  test('no voter id in any stored ballot or reply (the collection dumped)', async () => {
    const voters = membersA.slice(2, 6);
    const replies = [];
    for (const [i, m] of voters.entries()) {
      const ratings = everyone(membersA).ratings.map((r) =>
        r.memberId === membersA[6].id ? { ...r, grade: i === 0 ? 'unqualified' : 'basic', comment: `意见${i}` } : r,
      );
      replies.push(await vote(m.id, county.branchA.id, { ratings }));
    }
    for (const r of replies) expect(r.body).toEqual({ voted: true });
    const electorate = membersA.map((m) => m.id).sort();
    for (const b of await raw('review_ballots'))
      expect(Object.keys(b).sort()).toEqual(['_id', 'filled', 'ratings', 'roundId']);
    const ballots = await filled();
    expect(ballots).toHaveLength(5);
    for (const b of ballots) {
      const ratings = b.ratings as { memberId: string; grade: string; comment?: string }[];
      for (const r of ratings)
        expect(Object.keys(r).every((k) => ['memberId', 'grade', 'comment'].includes(k))).toBe(true);
      // Every ballot names the same members (everyone rates everyone): nothing in it singles out its voter.
      expect(ratings.map((r) => r.memberId).sort()).toEqual(electorate);
      expect(String(b._id)).toMatch(/^[0-9a-f]{32}$/);
    }
    // The has-voted keys carry nothing but the key.
    for (const v of await raw('review_voted')) expect(Object.keys(v)).toEqual(['_id']);
  });

  test('counts only after closing, and the secretary never reads a ballot', async () => {
    const early = await results(secA.id, county.branchA.id);
    expect(early.status).toBe(422);
    expect((await results(membersA[2].id, county.branchA.id)).status).toBe(403);
    expect((await close(membersA[2].id, county.branchA.id)).status).toBe(403);
    expect((await close(secA.id, county.branchA.id)).status).toBe(200);
    expect((await vote(membersA[6].id, county.branchA.id, everyone(membersA))).body.error.code).toBe('REVIEW_NOT_OPEN');
    const res = await results(secA.id, county.branchA.id);
    expect(res.status).toBe(200);
    const r = res.body as ReviewResults;
    expect(r.withheld).toBeNull();
    expect(r.round.voterCount).toBe(5);
    const last = r.rows.find((row) => row.member.id === membersA[6].id)!;
    expect(last.counts).toEqual({ excellent: 0, qualified: 1, basic: 3, unqualified: 1 });
    expect(last.comments).toEqual(['意见0', '意见1', '意见2', '意见3']);
    const text = JSON.stringify(r);
    for (const b of await raw('review_ballots')) expect(text).not.toContain(String(b._id));
  });

  test('fewer than 5 voters: the counts are withheld with a reason', async () => {
    for (const m of membersA2.slice(0, 4))
      expect((await vote(m.id, county.branchA2.id, everyone(membersA2))).status).toBe(201);
    expect((await close(secA2.id, county.branchA2.id)).status).toBe(200);
    const r = (await results(secA2.id, county.branchA2.id)).body as ReviewResults;
    expect(r.withheld).toContain('不足5人');
    expect(r.rows.every((row) => row.counts === null && row.comments === null)).toBe(true);
  });
});

describe('final grades', () => {
  test('优秀 is limited to the county share (default 30%: 2 of 7)', async () => {
    expect((await grade(secA.id, county.branchA.id, membersA[1].id, { grade: 'excellent' })).status).toBe(200);
    expect((await grade(secA.id, county.branchA.id, membersA[2].id, { grade: 'excellent' })).status).toBe(200);
    const third = await grade(secA.id, county.branchA.id, membersA[3].id, { grade: 'excellent' });
    expect(third.status).toBe(422);
    expect(third.body.error.code).toBe('EXCELLENT_SHARE_EXCEEDED');
    expect(third.body.error.message).toContain('最多2人');
    expect((await grade(secA.id, county.branchA.id, membersA[3].id, { grade: 'qualified' })).status).toBe(200);
  });

  test('a grade is set once and pays through the points rules once', async () => {
    const again = await grade(secA.id, county.branchA.id, membersA[1].id, { grade: 'qualified' });
    expect(again.body.error.code).toBe('GRADE_ALREADY_SET');
    const paid = await LedgerModel.find({ userId: membersA[1].id, reason: 'review_grade' }).lean<{ delta: number }[]>();
    expect(paid.map((e) => e.delta)).toEqual([10]);
    const qualified = await LedgerModel.find({ userId: membersA[3].id, reason: 'review_grade' }).lean<
      { delta: number }[]
    >();
    expect(qualified.map((e) => e.delta)).toEqual([6]);
    const history = await t.http().get(`/api/v1/reviews/history/${membersA[1].id}`).set(auth(membersA[1].id));
    expect(history.body.items).toEqual([{ year, grade: 'excellent', status: 'final' }]);
    expect((await t.http().get(`/api/v1/reviews/history/${membersA[1].id}`).set(auth(membersA[2].id))).status).toBe(
      403,
    );
  });

  test('the secretary never grades themselves: an admin above does', async () => {
    expect((await grade(secA.id, county.branchA.id, secA.id, { grade: 'qualified' })).status).toBe(403);
    expect((await grade(townB.id, county.branchA.id, secA.id, { grade: 'qualified' })).status).toBe(403);
    expect((await grade(townA.id, county.branchA.id, secA.id, { grade: 'qualified' })).status).toBe(200);
  });

  test('不合格 needs a reason and the township’s confirmation', async () => {
    const target = membersA[6].id;
    const noReason = await grade(secA.id, county.branchA.id, target, { grade: 'unqualified' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.message).toContain('理由');
    const set = await grade(secA.id, county.branchA.id, target, {
      grade: 'unqualified',
      reason: '全年无故不参加组织生活',
    });
    expect(set.body).toMatchObject({ grade: 'unqualified', status: 'pending' });
    expect((await t.http().get(`/api/v1/reviews/history/${target}`).set(auth(target))).body.items).toEqual([]);
    const pending = await t.http().get('/api/v1/reviews/pending').set(auth(townA.id));
    expect(pending.body.items).toEqual([
      expect.objectContaining({ branchId: county.branchA.id, member: expect.objectContaining({ id: target }) }),
    ]);
    expect((await t.http().get('/api/v1/reviews/pending').set(auth(townB.id))).body.items).toEqual([]);
    const confirm = (who: string, body: object) =>
      t
        .http()
        .post(`${base(county.branchA.id)}/grades/${target}/confirm`)
        .set(auth(who))
        .send(body);
    expect((await confirm(secA.id, { decision: 'confirm' })).status).toBe(403);
    expect((await confirm(townB.id, { decision: 'confirm' })).status).toBe(403);
    expect((await confirm(townA.id, { decision: 'return' })).status).toBe(400);
    expect((await confirm(townA.id, { decision: 'return', note: '请再核实' })).body.grade).toBeNull();
    // Returned: the branch grades again, and it waits again.
    await grade(secA.id, county.branchA.id, target, { grade: 'unqualified', reason: '核实后仍全年无故不参加组织生活' });
    const ok = await confirm(townA.id, { decision: 'confirm' });
    expect(ok.body.grade).toMatchObject({ grade: 'unqualified', status: 'final' });
    expect((await confirm(townA.id, { decision: 'confirm' })).status).toBe(422);
    expect((await t.http().get('/api/v1/reviews/pending').set(auth(townA.id))).body.items).toEqual([]);
    expect((await t.http().get(`/api/v1/reviews/history/${target}`).set(auth(target))).body.items).toEqual([
      { year, grade: 'unqualified', status: 'final' },
    ]);
    expect(await LedgerModel.find({ userId: target, reason: 'review_grade' }).lean()).toEqual([]);
  });

  test('the results export as XLSX with counts and grades', async () => {
    const res = await t
      .http()
      .get(`${base(county.branchA.id)}/export`)
      .set(auth(secA.id))
      .buffer(true)
      .parse(binary);
    expect(res.status).toBe(200);
    const wb = await workbookOf(res.body);
    const sheet = wb.getWorksheet('评议结果')!;
    expect(sheet.getRow(1).values).toEqual([
      undefined,
      '姓名',
      '优秀票',
      '合格票',
      '基本合格票',
      '不合格票',
      '评定等次',
      '不合格理由',
    ]);
    const rows = sheet
      .getSheetValues()
      .slice(2)
      .map((v) => (v as unknown[]).slice(1, 7));
    expect(rows).toContainEqual(['甲党员6', 0, 1, 3, 1, '不合格']);
    expect(rows).toContainEqual(['甲党员1', 0, 5, 0, 0, '优秀']);
    expect(JSON.stringify(rows.length ? sheet.getSheetValues() : [])).toContain('核实后仍全年无故不参加组织生活');
    expect(
      (
        await t
          .http()
          .get(`${base(county.branchA.id)}/export`)
          .set(auth(membersA[1].id))
      ).status,
    ).toBe(403);
  });
});
