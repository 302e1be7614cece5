/**
 * One Idempotency-Key rule (shared IdempotencyKeySchema: 8–128 of letters, digits, `_`, `-`) for the replay store and
 * every route that makes an id from the key. A malformed key is refused with a Chinese 400 and writes nothing; a
 * valid one replays the first reply; the app's own keys (services/request.ts, offline queue) pass.
 */
import { IdempotencyKeySchema, dayKey } from '@pioneer/shared';
import { startCountyApp, type TestApp } from './support/harness';
import { buildMember, type County } from './support/factories';
import { bearer } from './support/client';
import { body, near } from './support/checkin-helpers';
import { members, postsClient, secretaryWithPost } from './support/posts-helpers';
import { CheckinModel } from '../src/modules/checkins/checkins.model';
import { LedgerModel } from '../src/modules/points/points.model';
import { RecordModel } from '../src/modules/posts/posts.model';
import { InviteModel } from '../src/modules/orgs/orgs.model';

let t: TestApp;
let county: County;

beforeAll(async () => ({ t, county } = await startCountyApp()));
afterAll(() => t.close());

/** Too short, too long, a space, a dot, a slash: each outside the rule (Node refuses to send non-Latin-1 headers). */
const MALFORMED = ['short', 'k'.repeat(129), 'has space-1', 'key.with.dots', 'a/b/c/d/e/f'];
/** What the mini-program makes: `newIdempotencyKey()` and the offline queue's `q-` key. */
const APP_KEYS = [
  `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`,
  `q-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`,
];

type Send = (
  key: string,
) => Promise<{ status: number; body: { id?: string; error?: { code: string; message: string } } }>;

interface KeyedRoute {
  name: string;
  /** A fresh sender: its own actor and target, so each key is tried on a clean slate. */
  prepare: () => Promise<{ send: Send; written: () => Promise<number> }>;
}

/** A sender of one write, as `who`, with the key under test. */
const keyed =
  (path: string, who: string, payload: object): Send =>
  (key) =>
    t.http().post(`/api/v1${path}`).set(bearer(t, who)).set('Idempotency-Key', key).send(payload);

const ROUTES: KeyedRoute[] = [
  {
    name: 'POST /checkins',
    prepare: async () => {
      const c = await buildMember({ branch: county.branchA, roles: ['member', 'cadre'], postedTo: county.villageA });
      return {
        send: keyed('/checkins', c.id, body(near(50))),
        written: () => CheckinModel.countDocuments({ userId: c.id }),
      };
    },
  },
  {
    name: 'POST /points/adjustments',
    prepare: async () => {
      const secretary = await buildMember({ branch: county.branchA, roles: ['member', 'secretary'] });
      const member = await buildMember({ branch: county.branchA });
      return {
        send: keyed('/points/adjustments', secretary.id, { userId: member.id, delta: 3, reason: '协助整理档案' }),
        written: () => LedgerModel.countDocuments({ userId: member.id }),
      };
    },
  },
  {
    name: 'POST /claims/:id/records',
    prepare: async () => {
      const api = postsClient(t);
      const { post } = await secretaryWithPost(t, county.branchA);
      const [member] = await members(county.branchA, 1);
      const claim = (await api.claim(member!.id, post.id).expect(201)).body as { id: string };
      return {
        send: (key) => api.logService(member!.id, claim.id, {}, key),
        written: () => RecordModel.countDocuments({ userId: member!.id }),
      };
    },
  },
  {
    name: 'POST /records (代为登记)',
    prepare: async () => {
      const { secretary, post } = await secretaryWithPost(t, county.branchA);
      const [elder] = await members(county.branchA, 1);
      const servedOn = dayKey(Date.now() - 86_400_000);
      const form = {
        userId: elder!.id,
        postId: post.id,
        hours: 1,
        resolved: 0,
        servedOn,
        reason: '老党员没有智能手机',
      };
      return {
        send: keyed('/records', secretary.id, form),
        written: () => RecordModel.countDocuments({ userId: elder!.id }),
      };
    },
  },
  {
    name: 'POST /orgs/:id/invites (replay store only)',
    prepare: async () => {
      const secretary = await buildMember({ branch: county.branchB, roles: ['member', 'secretary'] });
      return {
        send: keyed(`/orgs/${county.branchB.id}/invites`, secretary.id, { maxUses: 5 }),
        written: () => InviteModel.countDocuments({ createdBy: secretary.id }),
      };
    },
  },
];

describe('the one Idempotency-Key rule', () => {
  test('the app’s own keys (request.ts, the offline queue) are inside the rule', () => {
    for (const key of APP_KEYS) expect(IdempotencyKeySchema.safeParse(key).success).toBe(true);
  });

  test.each(ROUTES)('$name: a malformed key is refused with a Chinese 400 and writes nothing', async (route) => {
    const { send, written } = await route.prepare();
    const replies = await Promise.all(MALFORMED.map((key) => send(key)));
    for (const res of replies) {
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(res.body.error!.message).toContain('请求标识（Idempotency-Key）格式不正确');
    }
    expect(await written()).toBe(0);
  });

  test.each(ROUTES)('$name: a valid key replays the first reply and writes once', async (route) => {
    const { send, written } = await route.prepare();
    const key = APP_KEYS[1]!;
    const first = await send(key);
    expect(first.status).toBe(201);
    const again = await send(key);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(await written()).toBe(1);
  });
});
