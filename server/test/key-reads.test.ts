/**
 * Key reads gathered into one command while one is in flight (issue 17, cold reads: db/key-reads.ts): a member's
 * totals (points/held-totals.ts) and the session's member (users.service.ts findUser). Under load each cold read is
 * another member; one `find {_id: {$in}}` (fetched by the `_id` index, engine-id-in-pushdown.test.ts) serves them.
 */
import mongoose from 'mongoose';
import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import { startCountyApp, type TestApp } from './support/harness';
import { bearer } from './support/client';
import { buildAdmin, buildMember, buildOrg, type BuiltOrg, type County } from './support/factories';
import { keyReads, MAX_KEYS } from '../src/db/key-reads';
import { withCommandCount } from '../src/db/engine-commands';
import { awardPoints } from '../src/modules/points/points.service';
import { setSharedViewMs } from '../src/db/shared-view';
import { currentYear } from '../src/modules/commitments/commitments.service';

let t: TestApp;
let county: County;
beforeAll(async () => ({ t, county } = await startCountyApp()));
afterAll(() => t.close());

type Probe = { _id: string; n: number; other?: string };
const probe = () => mongoose.connection.db!.collection<Probe>('key_reads_probe');
type Reply = { status: number; headers: IncomingHttpHeaders; body: Record<string, unknown> & { me?: unknown } };
const commands = (res: Reply) => Number(res.headers['x-engine-commands']);

describe('batched key reads', () => {
  beforeAll(async () => {
    await probe().insertMany(Array.from({ length: 250 }, (_, i) => ({ _id: `k${i}`, n: i, other: 'x' })));
  });

  test('reads asked while one is in flight go as one command each MAX_KEYS, every caller its own document', async () => {
    const reads = keyReads(probe, { n: 1 });
    const ids = [...Array.from({ length: 150 }, (_, i) => `k${i}`), 'missing', 'k3', 'k120'];
    const { result, commands: sent } = await withCommandCount(async () => {
      const held = reads.hold();
      const asked = ids.map((id) => reads.read(id));
      expect(held.gathered()).toBe(ids.length);
      held.release();
      return Promise.all(asked);
    });
    // k0..k99; k100..k149, missing and k3; k120 again (already in the batch gathering): the next one.
    expect(sent).toBe(3);
    expect(MAX_KEYS).toBe(100);
    ids.forEach((id, i) => expect(result[i]).toEqual(id === 'missing' ? null : { _id: id, n: Number(id.slice(1)) }));
    expect(result[151]).not.toBe(result[3]); // the same member asked twice: two documents, not one shared object
    expect(result[152]).not.toBe(result[120]);
  });

  test('a read alone goes at once as one key read; a read waiting for its batch sees the writes made meanwhile', async () => {
    const reads = keyReads(probe);
    const alone = await withCommandCount(() => reads.read('k7'));
    expect(alone).toEqual({ result: { _id: 'k7', n: 7, other: 'x' }, commands: 1 });
    const held = reads.hold();
    const waiting = reads.read('k8');
    await probe().updateOne({ _id: 'k8' }, { $set: { n: -8 } });
    held.release();
    expect(await waiting).toMatchObject({ n: -8 }); // sent after it was asked, never before
  });
});

describe('cold reads under load', () => {
  const N = 40;
  let members: { id: string }[];
  const branches: BuiltOrg[] = [];
  let admin: { id: string };
  beforeAll(async () => {
    // Built before any view of the org tree is held: the first read holds them all (markedValue's loadAll).
    for (let i = 0; i < N / 2; i++) branches.push(await buildOrg('branch', `墙${i}党支部`, county.villageB));
    admin = await buildAdmin({ of: county.county, branch: county.branchB });
    members = await Promise.all(Array.from({ length: 2 * N + 1 }, () => buildMember({ branch: county.branchA })));
    for (const [i, m] of members.entries())
      await awardPoints({
        userId: m.id,
        reason: 'manual_adjustment',
        points: i + 1,
        refType: 'test',
        refId: `kr${i}`,
        idempotencyKey: `kr${i}|${m.id}`,
      });
  });
  // Shared views on: the county's orgs, board and marks are held (read once here), members and totals are not.
  beforeEach(() => setSharedViewMs(2000));
  afterEach(() => setSharedViewMs(0));
  const auth = (id: string) => bearer(t, id);
  // Connections kept open, as a load's clients keep them: requests sent together arrive together.
  const agent = new Agent({ keepAlive: true, maxSockets: 2 * N });
  afterAll(() => agent.destroy());
  const get = (path: string, id: string) =>
    new Promise<Reply>((resolve, reject) => {
      const req = request(`${t.baseUrl}${path}`, { agent, headers: auth(id) }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: JSON.parse(body) }));
      });
      req.on('error', reject);
      req.end();
    });
  const me = (id: string) => get('/api/v1/me', id);
  const myRank = (id: string) =>
    get(`/api/v1/leaderboards/members?scope=${county.branchA.id}&period=month&limit=0`, id);
  /** Opens the connections (a read nobody's totals are in). */
  const connect = () => Promise.all(Array.from({ length: 2 * N }, () => get('/healthz', members[0]!.id)));

  test('members read at once: each their own totals, the member and totals reads gathered into a few commands', async () => {
    await me(members[2 * N]!.id); // the shared views
    await connect();
    const alone = await me(members[0]!.id);
    expect(commands(alone)).toBe(2); // the member (a token without claims) and their totals
    const group = members.slice(1, N);
    const replies = await Promise.all(group.map((m) => me(m.id)));
    replies.forEach((res, i) => {
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: group[i]!.id, points: { month: i + 2, all: i + 2 } });
    });
    const sent = replies.reduce((sum, res) => sum + commands(res), 0);
    expect(sent).toBeLessThanOrEqual((2 * group.length) / 4); // one at a time: 2 each
  });

  test('my rank read at once by every member: each their own points, a few commands', async () => {
    await myRank(members[2 * N]!.id); // the shared views
    await connect();
    const group = members.slice(N, 2 * N);
    const replies = await Promise.all(group.map((m) => myRank(m.id)));
    replies.forEach((res, i) => expect(res.body.me).toMatchObject({ points: N + i + 1 }));
    const sent = replies.reduce((sum, res) => sum + commands(res), 0);
    expect(sent).toBeLessThanOrEqual((2 * group.length) / 4);
  });

  test('the 承诺墙 of many branches read at once: their first pages gathered into a few commands', async () => {
    const wall = (orgId: string) => get(`/api/v1/commitments/wall?org=${orgId}&year=${currentYear()}`, admin.id);
    expect((await wall(county.branchB.id)).status).toBe(200); // the shared views (orgs, the admin)
    await connect();
    const replies = await Promise.all(branches.map((b) => wall(b.id)));
    replies.forEach((res) => expect(res).toMatchObject({ status: 200, body: { total: 0 } }));
    const sent = replies.reduce((sum, res) => sum + commands(res), 0);
    expect(sent).toBeLessThanOrEqual(branches.length / 4); // one page each, one at a time
  });
});
