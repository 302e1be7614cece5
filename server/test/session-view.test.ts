/**
 * The session's member as a shared view (issue 17, modules/users/session-view.ts): a read may be authorized on the
 * member as this process read them within config.sharedViewMs; a write never. "Another process" is a second
 * MongoClient writing to the same database: this process's driver never sees its writes.
 */
import jwt from 'jsonwebtoken';
import { mongo } from 'mongoose';
import mongoose from 'mongoose';
import { startCountyApp, type TestApp } from './support/harness';
import { bearer } from './support/client';
import { buildAdmin, buildMember, buildSecretary, type County } from './support/factories';
import { SHARED_VIEW_MS, setSharedViewMs } from '../src/db/shared-view';

let t: TestApp;
let county: County;
let elsewhere: mongo.MongoClient;
const auth = (id: string) => bearer(t, id);
/** Another process's write to a member: not through this process's driver, so nothing here hears of it. */
const writeElsewhere = (id: string, set: Record<string, unknown>) =>
  elsewhere
    .db(mongoose.connection.db!.databaseName)
    .collection<{ _id: string }>('users')
    .updateOne({ _id: id }, { $set: set });

/** A secretary-only read and a secretary-only write (the role gate answers before the body is looked at). */
const gatedRead = (id: string) => t.http().get('/api/v1/transfers/branches').set(auth(id));
const gatedWrite = (id: string) => t.http().post('/api/v1/transfers').set(auth(id)).send({});
const commandsOf = (res: { headers: Record<string, string> }) => Number(res.headers['x-engine-commands']);

beforeAll(async () => {
  ({ t, county } = await startCountyApp());
  elsewhere = await new mongo.MongoClient(process.env.PIONEER_TEST_MONGODB_URI!).connect();
});
afterAll(async () => {
  await elsewhere.close();
  await t.close();
});
// The deployed bound (the test config turns shared views off).
beforeEach(() => setSharedViewMs(SHARED_VIEW_MS));
afterEach(() => setSharedViewMs(0));

describe('the session member of a read', () => {
  test('a second read within the bound does not read the member again', async () => {
    const [warm, m] = [await buildMember({ branch: county.branchA }), await buildMember({ branch: county.branchA })];
    const board = (id: string) =>
      t
        .http()
        .get('/api/v1/leaderboards/members')
        .query({ scope: county.branchA.id, period: 'month', limit: 0 })
        .set(auth(id));
    await board(warm.id); // the board's shared views, read once
    // The member's reads by name (their totals may be held too: points/held-totals.ts).
    let memberReads = 0;
    const watch = (e: { commandName: string; command: Record<string, unknown> }) => {
      if (e.commandName === 'find' && e.command.find === 'users') memberReads += 1;
    };
    mongoose.connection.getClient().on('commandStarted', watch);
    const first = await board(m.id);
    const readsFirst = memberReads;
    const second = await board(m.id);
    mongoose.connection.getClient().off('commandStarted', watch);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect([readsFirst, memberReads]).toEqual([1, 1]);
    expect(commandsOf(second)).toBeLessThan(commandsOf(first));
    // A write reads the member as stored every time.
    const w1 = await gatedWrite(m.id);
    const w2 = await gatedWrite(m.id);
    expect([w1.status, w2.status]).toEqual([403, 403]);
    expect(commandsOf(w2)).toBe(1);
  });

  test('a role removed around the app: writes refused at once, reads after the next write', async () => {
    const sec = await buildSecretary(county.branchA);
    expect((await gatedRead(sec.id)).status).toBe(200);
    expect((await gatedWrite(sec.id)).status).toBe(400); // past the gate: the empty body is refused
    await writeElsewhere(sec.id, { roles: ['member'] });
    expect((await gatedWrite(sec.id)).status).toBe(403);
    // The write's fresh read refreshed this process's view too.
    expect((await gatedRead(sec.id)).status).toBe(403);
    // A change made through another instance of the app reaches this one's reads within the bound (change marks):
    // change-marks.test.ts. A write around the app (this raw client) is not marked: reads see it within
    // MARKED_HOLD_MS, or at once after the member's next write request, as here.
  });

  test('an account closed around the app: its writes stop at once, its reads after that', async () => {
    const m = await buildMember({ branch: county.branchA });
    expect((await t.http().get('/api/v1/me').set(auth(m.id))).status).toBe(200);
    await writeElsewhere(m.id, { closedAt: new Date() });
    expect((await gatedWrite(m.id)).status).toBe(401);
    // ... and its reads after that write's fresh read (another instance's close: change-marks.test.ts).
    expect((await t.http().get('/api/v1/me').set(auth(m.id))).status).toBe(401);
  });

  test('a role removed or an account closed through this process: the next read sees it at once', async () => {
    const admin = await buildAdmin({ of: county.county, branch: county.branchB });
    const sec = await buildSecretary(county.branchA);
    expect((await gatedRead(sec.id)).status).toBe(200);
    const demote = await t
      .http()
      .patch(`/api/v1/members/${sec.id}`)
      .set(auth(admin.id))
      .send({ roles: ['member'] });
    expect(demote.status).toBe(200);
    expect((await gatedRead(sec.id)).status).toBe(403);

    const m = await buildMember({ branch: county.branchA });
    expect((await t.http().get('/api/v1/me').set(auth(m.id))).status).toBe(200);
    const closed = await t.http().post('/api/v1/me/close').set(auth(m.id)).send({ confirm: '注销' });
    expect(closed.status).toBe(200);
    expect((await t.http().get('/api/v1/me').set(auth(m.id))).status).toBe(401);
  });

  test('an expired or forged token is refused even while its member is held', async () => {
    const m = await buildMember({ branch: county.branchA });
    expect((await t.http().get('/api/v1/me').set(auth(m.id))).status).toBe(200);
    const signed = (secret: string, expiresIn: number) =>
      jwt.sign({}, secret, { subject: m.id, expiresIn, algorithm: 'HS256' });
    for (const token of [signed('not-the-secret', 3600), signed(t.config.jwtSecret, -10)]) {
      const res = await t
        .http()
        .get('/api/v1/me')
        .set({ authorization: `Bearer ${token}` });
      expect(res.status).toBe(401);
    }
  });
});
