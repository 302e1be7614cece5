/**
 * A session token's claims trusted by reads (issue 17, cold reads: modules/users/session-claims.ts), between two app
 * instances over one database (test/support/second-instance.ts). Tokens come from the real sign-in (POST /auth/dev).
 */
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import type supertest from 'supertest';
import { startTestApp, type TestApp } from './support/harness';
import { updateFromAnotherProcess } from './support/other-process';
import { secondInstance, within, type SecondInstance } from './support/second-instance';
import { buildAdmin, buildCounty, buildMember, buildSecretary, type County } from './support/factories';
import { setSharedViewMs } from '../src/db/shared-view';
import { tokenIssuer } from '../src/http/auth';
import { LoginModel, UserModel } from '../src/modules/users/users.model';
import { CLAIMS_HOLD_MS, markAllChanged } from '../src/db/change-marks';

const BOUND = 300;
let a: TestApp;
let b: SecondInstance;
let county: County;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const commandsOf = (res: { headers: Record<string, string> }) => Number(res.headers['x-engine-commands']);
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

beforeAll(async () => {
  a = await startTestApp({ sharedViewMs: BOUND, devLogin: true });
  b = await secondInstance(mongoose.connection.db!.databaseName, { sharedViewMs: BOUND, devLogin: true });
  county = await buildCounty();
});
afterAll(async () => {
  await b?.close();
  await a.close();
});
beforeEach(() => setSharedViewMs(BOUND));

/** Signs the member in through the app (a WeChat login linked to them), as the mini-program does. */
async function signIn(app: { http(): supertest.Agent }, userId: string): Promise<string> {
  const openid = `o${randomBytes(6).toString('hex')}`;
  await LoginModel.create({ _id: `wx:${openid}`, userId });
  const res = await app.http().post('/api/v1/auth/dev').send({ openid });
  expect(res.status).toBe(200);
  return res.body.token as string;
}

/** A write made around the app (a database shell, or one whose mark a crash lost): another process, no mark. */
const aroundTheApp = (collection: string, filter: object, update: object) =>
  updateFromAnotherProcess(mongoose.connection.db!.databaseName, collection, filter, update);

/** A secretary-only read (MANAGERS) and a write that needs the role. */
const gatedRead = (app: { http(): supertest.Agent }, token: string) =>
  app.http().get('/api/v1/transfers/branches').set(bearer(token));

describe('claims a read trusts', () => {
  test('GET /me from the claims equals GET /me as stored, on either instance', async () => {
    const m = await buildMember({ branch: county.branchA, name: '王小明', contact: '13812345678' });
    await UserModel.updateOne(
      { _id: m.id },
      { $set: { avatarUrl: '/api/v1/uploads/2026-11/0123456789abcdef0123456789abcdef.jpg', careMode: true } },
    );
    await sleep(BOUND + 50); // the marks of that write have landed
    const token = await signIn(a, m.id);
    const stored = await a
      .http()
      .get('/api/v1/me')
      .set(bearer(a.tokenFor(m.id))); // no claims: the member as stored
    for (const app of [a, b]) {
      const me = await app.http().get('/api/v1/me').set(bearer(token));
      expect(me.status).toBe(200);
      expect(me.body).toEqual(stored.body);
      expect(me.body.identity.contact).toBe('13812345678');
    }
    // The token shows no personal data: its payload is readable by whoever holds it.
    const payload = Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8');
    expect(payload).not.toMatch(/王小明|13812345678|5678/);
  });

  test('a role removed on one instance: reads refused at once there, within the bound on the other; writes at once', async () => {
    const sec = await buildSecretary(county.branchA);
    const admin = await buildAdmin({ of: county.county, branch: county.branchB });
    await sleep(BOUND + 50);
    const token = await signIn(a, sec.id);
    const adminToken = await signIn(a, admin.id);
    expect((await gatedRead(b, token)).status).toBe(200);
    expect((await gatedRead(a, token)).status).toBe(200);

    const demote = await a
      .http()
      .patch(`/api/v1/members/${sec.id}`)
      .set(bearer(adminToken))
      .send({ roles: ['member'] });
    expect(demote.status).toBe(200);
    // The instance that made the change refuses the claims signed before it at once, whatever its marks view says.
    expect((await gatedRead(a, token)).status).toBe(403);
    // The other within the bound (plus the mark's own write): its marks view shows the member's new stamp.
    await within(BOUND + 500, async () => (await gatedRead(b, token)).status === 403);
    // A write reads the member as stored, on any instance.
    expect((await b.http().post('/api/v1/transfers').set(bearer(token)).send({})).status).toBe(403);
  });

  test("a token signed before a change of branch is not trusted once it is marked (the other instance's change)", async () => {
    const m = await buildMember({ branch: county.branchA });
    const admin = await buildAdmin({ of: county.county, branch: county.branchB });
    await sleep(BOUND + 50);
    const token = await signIn(a, m.id);
    const adminToken = await signIn(b, admin.id);
    expect((await a.http().get('/api/v1/me').set(bearer(token))).body.org.id).toBe(county.branchA.id);
    const moved = await b
      .http()
      .patch(`/api/v1/members/${m.id}`)
      .set(bearer(adminToken))
      .send({ orgId: county.branchB.id });
    expect(moved.status).toBe(200);
    await within(
      BOUND + 500,
      async () => (await a.http().get('/api/v1/me').set(bearer(token))).body.org?.id === county.branchB.id,
    );
  });

  test('claims read as stored more than CLAIMS_HOLD_MS ago are not trusted (a change made around the app)', async () => {
    const sec = await buildSecretary(county.branchA);
    await sleep(BOUND + 50);
    const signed = await signIn(a, sec.id);
    const claims = JSON.parse(Buffer.from(signed.split('.')[1]!, 'base64url').toString('utf8')).s;
    const tokens = tokenIssuer(a.config.jwtSecret, 3600);
    const young = tokens.sign(sec.id, { ...claims, at: Date.now() - CLAIMS_HOLD_MS + 10_000 });
    const old = tokens.sign(sec.id, { ...claims, at: Date.now() - CLAIMS_HOLD_MS - 1 });
    const ahead = tokens.sign(sec.id, { ...claims, at: Date.now() + 2 * 3600_000 }); // a signer's clock hours ahead
    await aroundTheApp('users', { _id: sec.id }, { $set: { roles: ['member'] } });
    // The residual risk the README names: young claims are trusted until CLAIMS_HOLD_MS; old ones read the member.
    expect((await gatedRead(b, young)).status).toBe(200);
    expect((await gatedRead(b, old)).status).toBe(403);
    expect((await gatedRead(b, ahead)).status).toBe(403);
  });

  test('a tampered claim, or claims signed with another secret, are refused', async () => {
    const m = await buildMember({ branch: county.branchA });
    await sleep(BOUND + 50);
    const token = await signIn(a, m.id);
    const [head, body, signature] = token.split('.') as [string, string, string];
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    payload.s.r = ['member', 'secretary'];
    const tampered = `${head}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${signature}`;
    expect((await gatedRead(b, tampered)).status).toBe(401);
    const forged = tokenIssuer('another secret of at least thirty-two characters', 3600).sign(m.id, payload.s);
    expect((await gatedRead(b, forged)).status).toBe(401);
    expect((await gatedRead(b, token)).status).toBe(403); // the true claims: a member
  });

  test('a cold read with claims reads no member; without claims it does', async () => {
    const [m, other, warmer] = [
      await buildMember({ branch: county.branchA }),
      await buildMember({ branch: county.branchA }),
      await buildMember({ branch: county.branchA }),
    ];
    await sleep(BOUND + 50);
    const token = await signIn(a, m.id);
    await b
      .http()
      .get('/api/v1/me')
      .set(bearer(a.tokenFor(warmer.id))); // the marks, read once per bound for all
    const claimed = await b.http().get('/api/v1/me').set(bearer(token));
    const plain = await b
      .http()
      .get('/api/v1/me')
      .set(bearer(a.tokenFor(other.id)));
    expect(commandsOf(claimed)).toBe(1); // their points
    expect(commandsOf(plain)).toBe(2); // the member and their points
  });

  test('a process starting marks every member: claims from before a lost mark are read again', async () => {
    const sec = await buildSecretary(county.branchA);
    await sleep(BOUND + 50);
    const token = await signIn(a, sec.id);
    await aroundTheApp('users', { _id: sec.id }, { $set: { roles: ['member'] } }); // its mark lost to a crash
    await sleep(BOUND + 50);
    expect((await gatedRead(b, token)).status).toBe(200); // trusted: nothing says it changed
    await markAllChanged('users'); // what main.ts does when the crashed process starts again
    await within(BOUND + 500, async () => (await gatedRead(b, token)).status === 403);
  });

  test("a member's mark is kept while claims stamped before it may stand (a pruned mark would match 'no mark')", async () => {
    const sec = await buildSecretary(county.branchA);
    await sleep(BOUND + 50);
    await aroundTheApp('change_marks', { _id: 'users' }, { $unset: { [`m.${sec.id}`]: '' } }); // as once pruned
    await sleep(BOUND + 50);
    const token = await signIn(a, sec.id); // stamped: no mark for them
    // A write whose mark is dated long ago (another replica's clock behind), and that moved the role.
    expect(JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')).s.m).toBeNull();
    const stale = `${Date.now() - CLAIMS_HOLD_MS + 30_000}-${randomBytes(6).toString('hex')}`;
    await aroundTheApp('users', { _id: sec.id }, { $set: { roles: ['member'] } });
    await aroundTheApp('change_marks', { _id: 'users' }, { $set: { [`m.${sec.id}`]: stale } });
    for (let round = 0; round < 4; round++) {
      await sleep(BOUND + 50); // the marks read again (and pruned of what is old enough) each round
      expect((await gatedRead(b, token)).status).toBe(403);
    }
  });

  test('a read that read the member renews the token: same subject and expiry, trusted on the other instance', async () => {
    const m = await buildMember({ branch: county.branchA });
    const warmer = await buildMember({ branch: county.branchA });
    await sleep(BOUND + 50);
    const plain = a.tokenFor(m.id); // no claims (a token from before them)
    const first = await b.http().get('/api/v1/me').set(bearer(plain));
    const renewed = first.headers['x-session-token'] as string;
    expect(renewed).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const decode = (tok: string) => JSON.parse(Buffer.from(tok.split('.')[1]!, 'base64url').toString('utf8'));
    expect(decode(renewed)).toMatchObject({ sub: m.id, exp: decode(plain).exp });
    await a
      .http()
      .get('/api/v1/me')
      .set(bearer(a.tokenFor(warmer.id))); // a's marks read for this bound
    const cold = await a.http().get('/api/v1/me').set(bearer(renewed));
    expect(cold.body).toEqual(first.body);
    expect(commandsOf(cold)).toBe(1); // their points only
    expect(cold.headers['x-session-token']).toBeUndefined(); // trusted claims are not renewed
  });
});
