/**
 * Lists of posts, wishes and service records read one page from the database, not every visible item
 * (issue 13, finding 15): each `find` carries a limit of the page plus one, the cursor walks every item once in
 * the order the whole list has, and a cursor past the end is an empty page.
 */
import mongoose from 'mongoose';
import type { Post, Wish } from '@pioneer/shared';
import { PostModel } from '../src/modules/posts/posts.model';
import { startCountyApp, type TestApp } from './support/harness';
import { bearer } from './support/client';
import { buildMember, buildOrg, type BuiltOrg, type County } from './support/factories';
import { postsClient } from './support/posts-helpers';

let t: TestApp;
let county: County;
const auth = (id: string) => bearer(t, id);

beforeAll(async () => ({ t, county } = await startCountyApp()));
afterAll(() => t.close());

/** Every `find` sent to a collection while `run` runs, with its options (limit, skip). */
async function findsOn<T>(
  collection: string,
  run: () => Promise<T>,
): Promise<{ result: T; limits: (number | undefined)[] }> {
  const limits: (number | undefined)[] = [];
  mongoose.set('debug', (coll: string, method: string, ...args: unknown[]) => {
    if (coll === collection && method === 'find') limits.push((args[1] as { limit?: number } | undefined)?.limit);
  });
  try {
    return { result: await run(), limits };
  } finally {
    mongoose.set('debug', false);
  }
}

/** Follows nextCursor from the first page to the last; fails past 50 pages. */
async function walk<T>(userId: string, path: string, query: string): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 50; pages += 1) {
    const url: string = `${path}?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res = await t.http().get(url).set(auth(userId));
    expect(res.status).toBe(200);
    out.push(...(res.body.items as T[]));
    cursor = res.body.nextCursor;
    if (cursor === null) return out;
  }
  throw new Error('more than 50 pages');
}

async function branchWithSecretary(
  name: string,
): Promise<{ branch: BuiltOrg; secretary: { id: string }; member: { id: string } }> {
  const branch = await buildOrg('branch', name, county.villageA);
  const secretary = await buildMember({ branch, roles: ['member', 'secretary'], name: '分页书记' });
  const member = await buildMember({ branch, name: '分页党员' });
  return { branch, secretary, member };
}

describe('posts are paged in the database', () => {
  test('when a branch has 12 posts, 4 of them closed, then pages of 5 walk the open ones newest first, each read limited to 6', async () => {
    const { branch, secretary, member } = await branchWithSecretary('分页岗位支部');
    const api = postsClient(t);
    const created: Post[] = [];
    for (let i = 0; i < 12; i += 1) {
      const res = await api.createPost(secretary.id, { orgId: branch.id, title: `岗位${i}` });
      expect(res.status).toBe(201);
      created.push(res.body as Post);
    }
    // Two closed by the secretary, two past their end time.
    for (const p of created.slice(0, 2))
      await t.http().patch(`/api/v1/posts/${p.id}`).set(auth(secretary.id)).send({ status: 'closed' }).expect(200);
    await PostModel.updateMany(
      { _id: { $in: created.slice(2, 4).map((p) => p.id) } },
      { $set: { endsAt: new Date(Date.now() - 60_000) } },
    );
    const open = created
      .slice(4)
      .map((p) => p.id)
      .reverse();
    const closed = created
      .slice(0, 4)
      .map((p) => p.id)
      .reverse();

    const { result, limits } = await findsOn('posts', () =>
      walk<Post>(member.id, '/api/v1/posts', `org=${branch.id}&status=open&limit=5`),
    );
    expect(result.map((p) => p.id).filter((id) => open.includes(id))).toEqual(open);
    expect(result.every((p) => p.status === 'open')).toBe(true);
    expect(limits.length).toBeGreaterThan(0);
    expect(limits.every((l) => l !== undefined && l <= 6)).toBe(true);

    const closedSeen = (await walk<Post>(member.id, '/api/v1/posts', `org=${branch.id}&status=closed&limit=3`)).map(
      (p) => p.id,
    );
    expect(closedSeen.filter((id) => closed.includes(id))).toEqual(closed);
    const managed = await walk<Post>(secretary.id, '/api/v1/posts', 'managed=true&limit=4');
    expect(managed.map((p) => p.id)).toEqual(created.map((p) => p.id).reverse());
  });

  test('when the cursor lies past the end, then the page is empty and quick', async () => {
    const { member } = await branchWithSecretary('分页岗位支部二');
    const started = Date.now();
    const res = await t.http().get('/api/v1/posts?cursor=999999&limit=100').set(auth(member.id));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [], nextCursor: null });
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('wishes are paged in the database', () => {
  test('when a branch has open, claimed and closed wishes, then pages of 3 walk them state by state, newest first, each read limited', async () => {
    const { branch, secretary, member } = await branchWithSecretary('分页心愿支部');
    const claimer = await buildMember({ branch, name: '认领人' });
    const ids: string[] = [];
    for (let i = 0; i < 8; i += 1) {
      const res = await t
        .http()
        .post('/api/v1/wishes')
        .set(auth(secretary.id))
        .send({ title: `心愿${i}`, description: '想要一台收音机', residentName: '王秀英', orgId: branch.id });
      expect(res.status).toBe(201);
      ids.push((res.body as Wish).id);
    }
    for (const id of [ids[1]!, ids[4]!])
      await t.http().post(`/api/v1/wishes/${id}/claim`).set(auth(claimer.id)).expect(200);
    await t.http().patch(`/api/v1/wishes/${ids[6]}`).set(auth(secretary.id)).send({ status: 'closed' }).expect(200);
    const newestFirst = (list: string[]) => [...list].reverse();
    const expected = [
      ...newestFirst(ids.filter((_, i) => ![1, 4, 6].includes(i))),
      ...newestFirst([ids[1]!, ids[4]!]),
      ids[6]!,
    ];
    const { result, limits } = await findsOn('wishes', () =>
      walk<Wish>(member.id, '/api/v1/wishes', `org=${branch.id}&limit=3`),
    );
    expect(result.map((w) => w.id)).toEqual(expected);
    expect(result.map((w) => w.status)).toEqual([
      'open',
      'open',
      'open',
      'open',
      'open',
      'claimed',
      'claimed',
      'closed',
    ]);
    expect(limits.every((l) => l !== undefined && l <= 4)).toBe(true);
    // One state alone, and the secretary's managed list, walk the same way.
    expect(
      (await walk<Wish>(member.id, '/api/v1/wishes', `org=${branch.id}&status=claimed&limit=1`)).map((w) => w.id),
    ).toEqual(newestFirst([ids[1]!, ids[4]!]));
    expect((await walk<Wish>(secretary.id, '/api/v1/wishes', 'managed=true&limit=2')).map((w) => w.id)).toEqual(
      expected,
    );
  });

  test('when the cursor lies past the end or is not a position, then an empty page or a 400', async () => {
    const { member } = await branchWithSecretary('分页心愿支部二');
    const past = await t.http().get('/api/v1/wishes?cursor=4:999999&limit=100').set(auth(member.id));
    expect(past.body).toEqual({ items: [], nextCursor: null });
    const bad = await t.http().get('/api/v1/wishes?cursor=9:1').set(auth(member.id));
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('翻页位置不正确');
  });
});
