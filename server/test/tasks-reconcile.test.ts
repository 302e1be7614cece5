import { dayKey } from '@pioneer/shared';
import { client } from './support/client';
import { startCountyApp, type TestApp } from './support/harness';
import { buildAdmin, buildSecretary, type County } from './support/factories';
import { loadSessionUser } from '../src/modules/users/users.service';
import { recordAcceptance, requireTask } from '../src/modules/tasks/tasks.service';
import { reconcileTaskPayments } from '../src/modules/tasks/tasks.pay';
import { LedgerModel } from '../src/modules/points/points.model';

/**
 * 任务督办's points after a crash (issue 19): an acceptance stored (已验收) whose payment never ran is paid by the
 * start-up repair exactly once, whether the repair runs twice in a row or twice at the same time; an acceptance
 * whose payment did land is only cleared.
 */
let t: TestApp;
let county: County;
let admin: { id: string };
let secretary: { id: string };
const as = (id: string) => client(t, id);
const photo = '/api/v1/uploads/2026-11/0123456789abcdef0123456789abcdef.jpg';

beforeAll(async () => {
  ({ t, county } = await startCountyApp());
  admin = await buildAdmin({ of: county.county, branch: county.branchB });
  secretary = await buildSecretary(county.branchA, '崩溃书记');
}, 60_000);
afterAll(async () => t.close());

/** A task sent to branch A and reported by its secretary: ready to be accepted. */
async function reportedTask(points: number): Promise<string> {
  const sent = await as(admin.id).post('/tasks', {
    title: `报送材料${points}`,
    deadline: dayKey(new Date()),
    branches: [county.branchA.id],
    points,
  });
  expect(sent.status).toBe(201);
  const id = sent.body.id as string;
  const reported = await as(secretary.id).post(`/tasks/${id}/receivers/${county.branchA.id}/report`, {
    text: '已报送',
    photoUrls: [photo],
  });
  expect(reported.status).toBe(200);
  return id;
}

const entries = (taskId: string) =>
  LedgerModel.find({ userId: secretary.id, reason: 'task_accepted', refId: taskId }).lean<{ delta: number }[]>();
const myPoints = async () => (await as(secretary.id).get('/me')).body.points.all as number;

test('an acceptance stored but not paid is paid once by the repair, run twice and run concurrently', async () => {
  const first = await reportedTask(4);
  const second = await reportedTask(6);
  const before = await myPoints();
  const actor = (await loadSessionUser(admin.id))!;
  // What a stop right after the move leaves: 已验收 stored, nothing paid.
  await recordAcceptance(actor, await requireTask(first), county.branchA.id, new Date());
  await recordAcceptance(actor, await requireTask(second), county.branchA.id, new Date());
  const board = await as(admin.id).get(`/tasks/${first}/board`);
  expect(board.body.rows[0].state).toBe('accepted');
  expect(await entries(first)).toEqual([]);
  expect(await myPoints()).toBe(before);

  // Two repairs at once (two processes starting on the same database), then one more.
  const [a, b] = await Promise.all([reconcileTaskPayments(), reconcileTaskPayments()]);
  expect(a.points + b.points).toBe(10);
  expect(await reconcileTaskPayments()).toEqual({ found: 0, points: 0, failed: [] });
  expect((await entries(first)).map((e) => e.delta)).toEqual([4]);
  expect((await entries(second)).map((e) => e.delta)).toEqual([6]);
  expect(await myPoints()).toBe(before + 10);
});

test('an acceptance that paid is not paid again; a refused acceptance owes nothing', async () => {
  const id = await reportedTask(3);
  const at = (what: string) => `/tasks/${id}/receivers/${county.branchA.id}/${what}`;
  expect((await as(admin.id).post(at('accept'), {})).status).toBe(200);
  expect((await as(admin.id).post(at('accept'), {})).status).toBe(422);
  const before = await myPoints();
  expect(await reconcileTaskPayments()).toEqual({ found: 0, points: 0, failed: [] });
  expect((await entries(id)).map((e) => e.delta)).toEqual([3]);
  expect(await myPoints()).toBe(before);
});
