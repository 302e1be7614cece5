import type { RectifyItem } from '@pioneer/shared';
import { currentYear } from '../src/modules/commitments/commitments.service';
import { client } from './support/client';
import { startCountyApp, type TestApp } from './support/harness';
import { buildAdmin, buildMember, buildSecretary, type County } from './support/factories';

/** 问题清单 -> 整改清单 (issue 21 item 1): 待整改 -> 已整改 -> 已销号, each illegal move refused, scopes. */
let t: TestApp;
let county: County;
const year = currentYear();
const as = (id: string) => client(t, id);
const base = () => `/rectify/${county.branchA.id}/${year}`;
let sec: { id: string };
let owner: { id: string };
let other: { id: string };
let townA: { id: string };
let townB: { id: string };

const create = (who: string, body: object) =>
  as(who).post('/rectify', {
    org: county.branchA.id,
    year,
    deadline: new Date(Date.now() + 86_400_000).toISOString(),
    ...body,
  });
const done = (who: string, n: number, evidence = '已按要求整改') => as(who).post(`${base()}/${n}/done`, { evidence });
const close = (who: string, n: number) => as(who).post(`${base()}/${n}/close`, {});

beforeAll(async () => {
  ({ t, county } = await startCountyApp());
  sec = await buildSecretary(county.branchA, '甲书记');
  owner = await buildMember({ branch: county.branchA, name: '甲党员' });
  other = await buildMember({ branch: county.branchA, name: '甲党员二' });
  townA = await buildAdmin({ of: county.townA, branch: county.branchB });
  townB = await buildAdmin({ of: county.townB, branch: county.branchB });
}, 60_000);
afterAll(async () => t.close());

test('the secretary records items; a member item needs an owner of the branch; bad input writes nothing', async () => {
  expect((await create(owner.id, { text: '学习不经常', level: 'member', ownerId: owner.id })).status).toBe(403);
  expect((await create(townB.id, { text: '学习不经常', level: 'member', ownerId: owner.id })).status).toBe(403);
  const noOwner = await create(sec.id, { text: '学习不经常', level: 'member' });
  expect(noOwner.status).toBe(400);
  expect(noOwner.body.error.message).toContain('责任人');
  expect((await create(sec.id, { text: '学习不经常', level: 'member', ownerId: townB.id })).status).toBe(400);
  const a = await create(sec.id, { text: '学习不经常', level: 'member', ownerId: owner.id });
  expect(a.status).toBe(201);
  expect(a.body).toMatchObject({ n: 1, status: 'open', owner: { id: owner.id, name: '甲党员' }, overdue: false });
  const b = await create(sec.id, {
    text: '三会一课不规范',
    level: 'branch',
    deadline: new Date(Date.now() - 86_400_000).toISOString(),
  });
  expect(b.body).toMatchObject({ n: 2, level: 'branch', overdue: true });
  const list = await as(other.id).get(base());
  expect((list.body.items as RectifyItem[]).map((i) => [i.n, i.status, i.overdue])).toEqual([
    [1, 'open', false],
    [2, 'open', true],
  ]);
  expect((await as(townB.id).get(base())).status).toBe(403);
});

test('a member item: only its owner reports it done, the secretary closes it; illegal moves are refused', async () => {
  expect((await close(sec.id, 1)).body.error.code).toBe('ILLEGAL_TRANSITION');
  expect((await done(other.id, 1)).status).toBe(403);
  expect((await done(sec.id, 1)).status).toBe(403);
  const blank = await as(owner.id).post(`${base()}/1/done`, { evidence: ' ' });
  expect(blank.status).toBe(400);
  expect((await done(owner.id, 1)).body).toMatchObject({ status: 'done', evidence: '已按要求整改' });
  expect((await done(owner.id, 1)).body.error.code).toBe('ILLEGAL_TRANSITION');
  expect((await close(owner.id, 1)).status).toBe(403);
  expect((await close(townB.id, 1)).status).toBe(403);
  expect((await close(sec.id, 1)).body).toMatchObject({ status: 'closed' });
  expect((await close(sec.id, 1)).body.error.code).toBe('ILLEGAL_TRANSITION');
});

test('a branch item: the secretary reports it, only the township closes it; racing closes give one', async () => {
  expect((await done(owner.id, 2)).status).toBe(403);
  expect((await done(sec.id, 2)).body).toMatchObject({ status: 'done' });
  expect((await close(sec.id, 2)).status).toBe(403);
  expect((await close(townB.id, 2)).status).toBe(403);
  const replies = await Promise.all(Array.from({ length: 5 }, () => close(townA.id, 2)));
  expect(replies.filter((r) => r.status === 200)).toHaveLength(1);
  expect(
    replies
      .filter((r) => r.status !== 200)
      .every((r) => ['ILLEGAL_TRANSITION', 'CONFLICT'].includes(r.body.error.code)),
  ).toBe(true);
  const list = await as(sec.id).get(base());
  expect((list.body.items as RectifyItem[]).map((i) => i.status)).toEqual(['closed', 'closed']);
  expect((await as(sec.id).post(`${base()}/9/done`, { evidence: 'x' })).status).toBe(404);
});
