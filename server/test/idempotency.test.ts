import jwt from 'jsonwebtoken';
import { startCountyApp, type TestApp } from './support/harness';
import { bearer } from './support/client';
import { buildMember, buildSecretary, type County } from './support/factories';
import { InviteModel } from '../src/modules/orgs/orgs.model';
import { REPLAY_TTL_MS, ReplayModel, SWEEP_EVERY_MS, forgetOldReplies, sweepOldReplies } from '../src/http/idempotency';

let t: TestApp;
let county: County;
let secretary: { id: string };
const auth = (id: string) => bearer(t, id);

beforeAll(async () => {
  ({ t, county } = await startCountyApp());
  secretary = await buildSecretary(county.branchA);
});
afterAll(() => t.close());

const invite = (userId: string, key: string, branchId = county.branchA.id) =>
  t.http().post(`/api/v1/orgs/${branchId}/invites`).set(auth(userId)).set('idempotency-key', key).send({ maxUses: 5 });

describe('Idempotency-Key on writes', () => {
  test('when a write is resent with the same key, then the first reply comes back and the work is done once', async () => {
    const first = await invite(secretary.id, 'key-resend-0001');
    const again = await invite(secretary.id, 'key-resend-0001');
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replay']).toBe('true');
    expect(await InviteModel.countDocuments({ createdBy: secretary.id, _id: first.body.code })).toBe(1);
  });

  test('when the resend carries a renewed token (the same member, another signing second), then the first reply still comes back', async () => {
    const first = await invite(secretary.id, 'key-renewed-0001');
    const renewed = jwt.sign({ iat: Math.floor(Date.now() / 1000) - 30 }, t.config.jwtSecret, {
      subject: secretary.id,
      expiresIn: 3600,
      algorithm: 'HS256',
    });
    expect(renewed).not.toBe(auth(secretary.id).authorization.slice(7));
    const again = await t
      .http()
      .post(`/api/v1/orgs/${county.branchA.id}/invites`)
      .set({ authorization: `Bearer ${renewed}` })
      .set('idempotency-key', 'key-renewed-0001')
      .send({ maxUses: 5 });
    expect(again.headers['idempotent-replay']).toBe('true');
    expect(again.body).toEqual(first.body);
  });

  test('when 10 copies arrive at once, then one invite is made and all ten replies are the same', async () => {
    const before = await InviteModel.countDocuments({ createdBy: secretary.id });
    const replies = await Promise.all(Array.from({ length: 10 }, () => invite(secretary.id, 'key-burst-00001')));
    expect(replies.every((r) => r.status === 201)).toBe(true);
    expect(new Set(replies.map((r) => r.body.code)).size).toBe(1);
    expect(await InviteModel.countDocuments({ createdBy: secretary.id })).toBe(before + 1);
  });

  test('when another member uses the same key, then theirs is a separate request', async () => {
    const other = await buildSecretary(county.branchB);
    const mine = await invite(secretary.id, 'key-shared-0001');
    const theirs = await invite(other.id, 'key-shared-0001', county.branchB.id);
    expect(theirs.status).toBe(201);
    expect(theirs.body.code).not.toBe(mine.body.code);
  });

  test('when the first try fails, then nothing is kept and a corrected retry with the key does the work', async () => {
    const member = await buildMember({ branch: county.branchA });
    const refused = await invite(member.id, 'key-refused-001');
    expect(refused.status).toBe(403);
    expect(await ReplayModel.countDocuments({})).toBeGreaterThan(0);
    const retried = await invite(member.id, 'key-refused-001');
    expect(retried.status).toBe(403);
    expect(retried.headers['idempotent-replay']).toBeUndefined();
  });

  test('when replies are a day old, then start-up housekeeping forgets them', async () => {
    await invite(secretary.id, 'key-old-000001');
    const removed = await forgetOldReplies(new Date(Date.now() + 25 * 3600 * 1000));
    expect(removed).toBeGreaterThan(0);
    expect(await ReplayModel.countDocuments({})).toBe(0);
  });

  test('when a process died mid-request (its reply still pending), then after start-up housekeeping a retry does the work instead of 409', async () => {
    await ReplayModel.deleteMany({});
    const first = await invite(secretary.id, 'key-abandoned-1');
    await ReplayModel.updateMany({}, { $set: { state: 'pending' }, $unset: { status: 1, body: 1 } });
    expect(await forgetOldReplies()).toBe(1);
    const retried = await invite(secretary.id, 'key-abandoned-1');
    expect(retried.status).toBe(201);
    expect(retried.headers['idempotent-replay']).toBeUndefined();
    expect(retried.body.code).not.toBe(first.body.code);
  });

  test("when a stranger sends the same Idempotency-Key as someone's sign-in, then they get their own reply, never the stored session", async () => {
    const http = t.httpWith({ devLogin: true });
    const victim = await http
      .post('/api/v1/auth/dev')
      .set('idempotency-key', 'key-login-000001')
      .send({ openid: 'idem-victim' });
    expect(victim.status).toBe(200);
    const stranger = await http
      .post('/api/v1/auth/dev')
      .set('idempotency-key', 'key-login-000001')
      .send({ openid: 'idem-stranger' });
    expect(stranger.status).toBe(200);
    expect(stranger.headers['idempotent-replay']).toBeUndefined();
    expect(stranger.body.token).not.toBe(victim.body.token);
    expect(stranger.body.user.id).not.toBe(victim.body.user.id);
    // Nothing of an unauthenticated request is stored at all.
    const wechat = await http
      .post('/api/v1/auth/wechat')
      .set('idempotency-key', 'key-login-000002')
      .send({ code: 'no-such-code' });
    expect(wechat.status).toBeGreaterThanOrEqual(400);
    const stored = await ReplayModel.find({}).lean();
    expect(stored.filter((r) => JSON.stringify(r.body ?? '').includes(victim.body.token))).toEqual([]);
  });

  test('when the stored reply is older than a day (not yet swept), then a resend does the work again instead of replaying it', async () => {
    const first = await invite(secretary.id, 'key-stale-000001');
    expect(first.status).toBe(201);
    const old = new Date(Date.now() - REPLAY_TTL_MS - 60_000);
    expect(
      (await ReplayModel.updateMany({ state: 'done', 'body.code': first.body.code }, { $set: { at: old } }))
        .modifiedCount,
    ).toBe(1);
    const again = await invite(secretary.id, 'key-stale-000001');
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replay']).toBeUndefined();
    expect(again.body.code).not.toBe(first.body.code);
    // The fresh reply replaced the stale one and is replayed from now on.
    const third = await invite(secretary.id, 'key-stale-000001');
    expect(third.headers['idempotent-replay']).toBe('true');
    expect(third.body.code).toBe(again.body.code);
  });

  test('when the sweep runs, then replies past the TTL go and younger ones stay, and MongoDB gets a TTL index', async () => {
    await ReplayModel.deleteMany({});
    const old = new Date(Date.now() - REPLAY_TTL_MS - 1000);
    await ReplayModel.insertMany(
      Array.from({ length: 30 }, (_, i) => ({ _id: `old-${i}`, state: 'done', status: 200, body: null, at: old })),
    );
    await ReplayModel.insertMany(
      Array.from({ length: 5 }, (_, i) => ({
        _id: `new-${i}`,
        state: 'done',
        status: 200,
        body: null,
        at: new Date(),
      })),
    );
    expect(await sweepOldReplies()).toBe(30);
    expect((await ReplayModel.find({}).lean()).map((r) => r._id).sort()).toEqual([
      'new-0',
      'new-1',
      'new-2',
      'new-3',
      'new-4',
    ]);
    const ttl = ReplayModel.schema.indexes().find(([, options]) => options?.expireAfterSeconds !== undefined);
    expect(ttl).toBeDefined();
  });

  test('when the process has served writes for 10 minutes since the last sweep, then the next write sweeps old replies in the background', async () => {
    await ReplayModel.deleteMany({});
    const old = new Date(Date.now() - REPLAY_TTL_MS - 1000);
    await ReplayModel.insertMany(
      Array.from({ length: 3 }, (_, i) => ({ _id: `aged-${i}`, state: 'done', status: 200, body: null, at: old })),
    );
    const realNow = Date.now.bind(Date);
    const later = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + SWEEP_EVERY_MS + 1000);
    try {
      expect((await invite(secretary.id, 'key-sweeper-0001')).status).toBe(201);
    } finally {
      later.mockRestore();
    }
    for (let i = 0; i < 50 && (await ReplayModel.countDocuments({ _id: /^aged-/ })) > 0; i += 1)
      await new Promise((r) => setTimeout(r, 100));
    expect(await ReplayModel.countDocuments({ _id: /^aged-/ })).toBe(0);
    expect(await ReplayModel.countDocuments({})).toBe(1);
  });
});
