import type { CreatePostBody, Post } from '@pioneer/shared';
import { bearer } from './client';
import { startCountyApp, type TestApp } from './harness';
import { buildMember, type BuiltOrg } from './factories';

/** A post's body as the tests create it, but its org. */
export const NEW_POST = {
  title: '交通引导岗',
  category: '交通引导',
  description: '上下学高峰在路口引导车辆行人',
  capacity: 2,
};

/** Request helpers for the posts and wishes tests: each returns the raw supertest response. */
export function postsClient(t: TestApp) {
  const auth = (id: string) => bearer(t, id);
  return {
    auth,
    createPost: (actorId: string, body: Partial<CreatePostBody> & { orgId: string }) =>
      t
        .http()
        .post('/api/v1/posts')
        .set(auth(actorId))
        .send({ ...NEW_POST, ...body }),
    claim: (userId: string, postId: string) => t.http().post(`/api/v1/posts/${postId}/claims`).set(auth(userId)),
    release: (userId: string, postId: string) =>
      t.http().delete(`/api/v1/posts/${postId}/claims/mine`).set(auth(userId)),
    getPost: (userId: string, postId: string) => t.http().get(`/api/v1/posts/${postId}`).set(auth(userId)),
    seats: (userId: string, postId: string) => t.http().get(`/api/v1/posts/${postId}/claims`).set(auth(userId)),
    logService: (userId: string, claimId: string, body: object, key?: string) => {
      const req = t.http().post(`/api/v1/claims/${claimId}/records`).set(auth(userId));
      if (key) req.set('Idempotency-Key', key);
      return req.send({ hours: 2, resolved: 1, note: '路口引导车辆两小时', ...body });
    },
    confirm: (userId: string, recordId: string, comment?: string) =>
      t
        .http()
        .post(`/api/v1/records/${recordId}/confirm`)
        .set(auth(userId))
        .send(comment ? { comment } : {}),
    reject: (userId: string, recordId: string, comment?: string) =>
      t
        .http()
        .post(`/api/v1/records/${recordId}/reject`)
        .set(auth(userId))
        .send(comment ? { comment } : {}),
  };
}

export type PostsClient = ReturnType<typeof postsClient>;

/** The posts and claims tests' set-up: startCountyApp and a posts client on its app. Call in beforeAll. */
export async function startPostsApp() {
  const { t, county } = await startCountyApp();
  return { t, county, api: postsClient(t) };
}

/** A secretary of `branch` and a post they created there. */
export async function secretaryWithPost(t: TestApp, branch: BuiltOrg, body: Partial<CreatePostBody> = {}) {
  const secretary = await buildMember({ branch, roles: ['member', 'secretary'], name: '李书记' });
  const res = await postsClient(t).createPost(secretary.id, { orgId: branch.id, ...body });
  if (res.status !== 201) throw new Error(`create post -> ${res.status} ${res.text}`);
  return { secretary, post: res.body as Post };
}

export async function members(branch: BuiltOrg, n: number) {
  return Promise.all(
    Array.from({ length: n }, (_, i) => buildMember({ branch, name: `党员${String(i).padStart(3, '0')}` })),
  );
}
