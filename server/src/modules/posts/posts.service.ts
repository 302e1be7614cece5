import {
  seatsLeft,
  type CreatePostBodyParsed,
  type OrgSummary,
  type PatchPostBody,
  type Post,
  type PostListQueryParsed,
  type PostPage,
  type PostStatus,
} from '@pioneer/shared';
import type { QueryFilter } from 'mongoose';
import { newId } from '../../db/ids';
import { sharedValue } from '../../db/shared-view';
import { AppError, forbidden, notFound } from '../../http/errors';
import type { SessionUser } from '../../http/types';
import { authorize, can, managedFilter as managedScopeFilter } from '../../policy';
import { orgSummary, requireOrg } from '../orgs/orgs.service';
import { OrgModel } from '../orgs/orgs.model';
import { ClaimModel, PostModel, type ClaimDoc, type PostDoc } from './posts.model';

export const claimIdOf = (postId: string, userId: string) => `${postId}_${userId}`;

export async function requirePost(id: string): Promise<PostDoc> {
  const post = await PostModel.findById(id).lean<PostDoc>();
  if (!post) throw notFound('岗位');
  return post;
}

/**
 * The post as a claim judges it before taking a seat (who may see it, whether it is open): a shared view (issue 17,
 * db/shared-view.ts), read at most once per bound. Its org never changes, so who may see it is exact; a status
 * changed in another process within the bound is caught by the seat's own reply. Never the seat count.
 */
const placedPosts = sharedValue(requirePost);
export const placedPost = (id: string): Promise<PostDoc> => placedPosts.get(id);

/** Secretary of the post's branch, or an admin over it. */
export function canManagePost(actor: SessionUser, post: Pick<PostDoc, 'orgId' | 'orgPath'>): boolean {
  return can(actor, 'post.manage', post);
}

/** Members see the posts of their own org and its ancestors; those who run a post see it too. */
export function assertCanSeePost(actor: SessionUser, post: Pick<PostDoc, 'orgId' | 'orgPath'>): void {
  authorize(actor, 'post.view', post);
}

export function assertCanManagePost(actor: SessionUser, post: Pick<PostDoc, 'orgId' | 'orgPath'>): void {
  authorize(actor, 'post.manage', post);
}

/** Closed by the secretary, or past its end time. */
export function effectiveStatus(post: Pick<PostDoc, 'status' | 'endsAt'>, now = new Date()): PostStatus {
  if (post.status === 'closed') return 'closed';
  return post.endsAt && new Date(post.endsAt) <= now ? 'closed' : 'open';
}

/** Org names for a page of posts or wishes: key reads, once per org. */
export function orgLookup() {
  const cache = new Map<string, Promise<OrgSummary>>();
  return (id: string): Promise<OrgSummary> => {
    let hit = cache.get(id);
    if (!hit) {
      hit = OrgModel.findById(id)
        .lean()
        .then((o) =>
          o
            ? orgSummary({ _id: o._id as string, name: o.name, type: o.type })
            : { id, name: '', type: 'branch' as const },
        );
      cache.set(id, hit);
    }
    return hit;
  };
}

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

export async function postView(
  actor: SessionUser,
  post: PostDoc,
  org: OrgSummary,
  claim?: ClaimDoc | null,
): Promise<Post> {
  const mine = claim === undefined ? await ClaimModel.findById(claimIdOf(post._id, actor.id)).lean<ClaimDoc>() : claim;
  const taken = Math.min(post.taken, post.capacity);
  return {
    id: post._id,
    title: post.title,
    category: post.category as Post['category'],
    description: post.description,
    skills: post.skills,
    capacity: post.capacity,
    taken,
    seatsLeft: seatsLeft(post),
    org,
    startsAt: iso(post.startsAt),
    endsAt: iso(post.endsAt),
    status: effectiveStatus(post),
    serviceHours: post.serviceHours,
    resolved: post.resolved,
    myClaim: mine ? { id: mine._id, status: mine.status as 'active' } : null,
    canManage: canManagePost(actor, post),
    createdAt: new Date((post as { createdAt?: Date }).createdAt ?? Date.now()).toISOString(),
  };
}

export async function getPost(actor: SessionUser, id: string): Promise<Post> {
  const post = await requirePost(id);
  assertCanSeePost(actor, post);
  return postView(actor, post, await orgLookup()(post.orgId));
}

export async function createPost(actor: SessionUser, body: CreatePostBodyParsed): Promise<Post> {
  const org = await requireOrg(body.orgId);
  authorize(actor, 'org.run', org, '只能为本支部（管理员：本辖区）发布岗位');
  const post = await PostModel.create({
    _id: newId(),
    title: body.title,
    category: body.category,
    description: body.description,
    skills: body.skills,
    capacity: body.capacity,
    orgId: org._id,
    orgPath: [...org.path, org._id],
    startsAt: body.startsAt ? new Date(body.startsAt) : null,
    endsAt: body.endsAt ? new Date(body.endsAt) : null,
    createdBy: actor.id,
  });
  placedPosts.put(post._id, post.toObject() as PostDoc);
  return postView(actor, post.toObject() as PostDoc, orgSummary(org), null);
}

export async function patchPost(actor: SessionUser, id: string, body: PatchPostBody): Promise<Post> {
  const post = await requirePost(id);
  assertCanManagePost(actor, post);
  const held = Math.min(post.taken, post.capacity);
  if (body.capacity !== undefined && body.capacity < held)
    throw new AppError('ILLEGAL_TRANSITION', `岗位人数不能少于已认领的 ${held} 人`);
  const set: Record<string, unknown> = {};
  for (const key of ['title', 'category', 'description', 'skills', 'capacity', 'status'] as const) {
    if (body[key] !== undefined) set[key] = body[key];
  }
  if (body.startsAt !== undefined) set.startsAt = body.startsAt ? new Date(body.startsAt) : null;
  if (body.endsAt !== undefined) set.endsAt = body.endsAt ? new Date(body.endsAt) : null;
  const startsAt = (set.startsAt ?? post.startsAt) as Date | null;
  const endsAt = (set.endsAt ?? post.endsAt) as Date | null;
  if (startsAt && endsAt && endsAt <= startsAt) throw new AppError('VALIDATION_FAILED', '结束时间须晚于开始时间');
  const updated = await PostModel.findOneAndUpdate(
    { _id: id },
    { $set: set },
    { returnDocument: 'after' },
  ).lean<PostDoc>();
  placedPosts.put(id, updated!);
  return postView(actor, updated!, await orgLookup()(post.orgId));
}

/** Whose posts a secretary/admin runs: the secretary's branch, the admin's subtree. */
export function managedFilter(actor: SessionUser): QueryFilter<PostDoc> {
  const filter = managedScopeFilter<PostDoc>(actor, [{ org: 'orgId', path: 'orgPath' }]);
  if (!filter) throw forbidden('只有书记或管理员可以管理');
  return filter;
}

/** Posts (and wishes) visible in an org: the org's own and its ancestors'. Default: the caller's branch. */
export async function visibleFilter(
  actor: SessionUser,
  orgId: string | undefined,
): Promise<{ orgId: { $in: string[] } }> {
  if (!orgId) return { orgId: { $in: actor.orgPath } };
  const org = await requireOrg(orgId);
  authorize(actor, 'scope.view', org);
  return { orgId: { $in: [...org.path, org._id] } };
}

/**
 * One page read from the database: `skip` the cursor's offset, `limit` one more than the page to know whether
 * another follows. A list never loads every visible item (a county's posts, wishes and records grow for years);
 * a cursor past the end is an empty page.
 */
export async function findPage<T>(
  find: () => {
    sort(s: Record<string, 1 | -1>): { skip(n: number): { limit(n: number): { lean<R>(): PromiseLike<R> } } };
  },
  sort: Record<string, 1 | -1>,
  query: { limit: number; cursor?: string },
): Promise<{ items: T[]; nextCursor: string | null }> {
  const offset = query.cursor ? Number(query.cursor) : 0;
  const docs = await find()
    .sort(sort)
    .skip(offset)
    .limit(query.limit + 1)
    .lean<T[]>();
  const items = docs.slice(0, query.limit);
  return { items, nextCursor: docs.length > query.limit ? String(offset + items.length) : null };
}

/** `effectiveStatus` as a query: closed by the secretary or past its end time, else open. */
export function postStatusFilter(status: PostStatus, now = new Date()): QueryFilter<PostDoc> {
  return status === 'closed'
    ? { $or: [{ status: 'closed' }, { endsAt: { $ne: null, $lte: now } }] }
    : { status: { $ne: 'closed' }, $or: [{ endsAt: null }, { endsAt: { $gt: now } }] };
}

export async function listPosts(actor: SessionUser, query: PostListQueryParsed): Promise<PostPage> {
  const scope: QueryFilter<PostDoc> = query.managed ? managedFilter(actor) : await visibleFilter(actor, query.org);
  const parts: QueryFilter<PostDoc>[] = [scope];
  if (query.category) parts.push({ category: query.category });
  if (query.status) parts.push(postStatusFilter(query.status));
  // A scan on FerretDB (any filter is), but only one page of documents leaves the database.
  const page = await findPage<PostDoc>(
    () => PostModel.find(parts.length === 1 ? scope : { $and: parts }),
    { createdAt: -1, _id: -1 },
    query,
  );
  const orgOf = orgLookup();
  const items = await Promise.all(page.items.map(async (p) => postView(actor, p, await orgOf(p.orgId))));
  return { items, nextCursor: page.nextCursor };
}
