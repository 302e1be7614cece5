import { dayKey, shanghaiInstant, taskState, type MyTask, type TaskBoard } from '@pioneer/shared';
import { client } from './support/client';
import { startCountyApp, type TestApp } from './support/harness';
import { buildAdmin, buildMember, buildSecretary, type County } from './support/factories';
import { loadSessionUser } from '../src/modules/users/users.service';
import { taskBoard } from '../src/modules/tasks/tasks.board';
import { paidEntry } from '../src/modules/points/points.service';
import { binary, workbookOf } from './support/download';

/**
 * 任务督办 (issue 19 item 2): who may send to whom, 待办 -> 已报 -> 已验收 | 退回 -> 已报 with every illegal move refused
 * (422, in Chinese) and racing moves giving one, evidence required, 逾期 at 00:00:00 Shanghai after the deadline day
 * (23:59:59 is in time), the sender's board overdue first, the XLSX, and the points paid once on acceptance.
 */
let t: TestApp;
let county: County;
const as = (id: string) => client(t, id);
let secA: { id: string };
let secA2: { id: string };
let memberA: { id: string };
let memberB: { id: string };
let countyAdmin: { id: string };
let townB: { id: string };
const today = () => dayKey(new Date());
const photo = '/api/v1/uploads/2026-11/0123456789abcdef0123456789abcdef.jpg';

const send = (who: string, body: object) =>
  as(who).post('/tasks', { title: '报送主题党日开展情况', body: '附照片', deadline: today(), ...body });
const at = (id: string, receiver: string, what: string) => `/tasks/${id}/receivers/${receiver}/${what}`;
const report = (who: string, id: string, receiver: string, body: object = { text: '已开展', photoUrls: [photo] }) =>
  as(who).post(at(id, receiver, 'report'), body);
const accept = (who: string, id: string, receiver: string) => as(who).post(at(id, receiver, 'accept'), {});
const giveBack = (who: string, id: string, receiver: string, comment = '请补充会议照片') =>
  as(who).post(at(id, receiver, 'return'), { comment });
const sentCount = async (who: string) => ((await as(who).get('/tasks/sent')).body.items as unknown[]).length;

beforeAll(async () => {
  ({ t, county } = await startCountyApp());
  secA = await buildSecretary(county.branchA, '甲书记');
  secA2 = await buildSecretary(county.branchA2, '甲二书记');
  memberA = await buildMember({ branch: county.branchA, name: '甲党员' });
  memberB = await buildMember({ branch: county.branchB, name: '乙党员' });
  countyAdmin = await buildAdmin({ of: county.county, branch: county.branchB, name: '县组织部' });
  townB = await buildAdmin({ of: county.townB, branch: county.branchB });
}, 60_000);
afterAll(async () => t.close());

test('sending: an admin to branches of their subtree, a secretary to their members; bad input writes nothing', async () => {
  const before = await sentCount(countyAdmin.id);
  expect((await send(secA.id, { branches: [county.branchA.id] })).status).toBe(403);
  expect((await send(townB.id, { branches: [county.branchA.id] })).status).toBe(403);
  expect((await send(secA.id, { members: [memberB.id] })).status).toBe(403);
  expect((await send(secA.id, { members: [secA.id] })).status).toBe(403);
  expect((await send(memberA.id, { members: [memberA.id] })).status).toBe(403);
  const village = await send(countyAdmin.id, { branches: [county.villageA.id] });
  expect(village.status).toBe(400);
  expect(village.body.error.message).toContain('不是党支部');
  const past = await send(countyAdmin.id, { branches: [county.branchA.id], deadline: '2020-01-01' });
  expect(past.status).toBe(400);
  expect(past.body.error.message).toBe('截止日期不能早于今天');
  const both = await send(countyAdmin.id, { branches: [county.branchA.id], members: [memberA.id] });
  expect(both.status).toBe(400);
  expect(both.body.error.message).toContain('只能发给支部或党员其中一种');
  expect((await send(countyAdmin.id, {})).body.error.message).toContain('请选择接收');
  expect(await sentCount(countyAdmin.id)).toBe(before);

  const toMembers = await send(secA.id, { members: [memberA.id], title: '走访困难党员' });
  expect(toMembers.status).toBe(201);
  const mine = (await as(memberA.id).get('/tasks/mine')).body.items as MyTask[];
  expect(mine.map((m) => [m.task.title, m.state])).toEqual([['走访困难党员', 'todo']]);
});

test('待办 -> 已报 -> 退回 -> 已报 -> 已验收, every illegal move refused in Chinese, points paid once', async () => {
  const sent = await send(countyAdmin.id, {
    branches: [county.branchA.id, county.branchA2.id],
    evidence: ['text', 'photo'],
    points: 5,
  });
  expect(sent.status).toBe(201);
  const id = sent.body.id as string;
  const a = county.branchA.id;
  const mine = (await as(secA.id).get('/tasks/mine')).body.items as MyTask[];
  expect(mine.find((m) => m.taskId === id)).toMatchObject({ state: 'todo', receiverName: '甲村党支部' });

  // Only the branch's secretary reports; the evidence asked for is required.
  expect((await report(memberA.id, id, a)).status).toBe(403);
  expect((await report(secA2.id, id, a)).status).toBe(403);
  const noPhoto = await report(secA.id, id, a, { text: '已开展' });
  expect(noPhoto.status).toBe(400);
  expect(noPhoto.body.error.message).toBe('该任务要求上传照片');

  const early = await accept(countyAdmin.id, id, a);
  expect(early.status).toBe(422);
  expect(early.body.error.message).toBe('该任务尚未上报，不能验收');
  expect((await giveBack(countyAdmin.id, id, a)).body.error.message).toBe('该任务尚未上报，不能退回');

  expect((await report(secA.id, id, a)).body).toMatchObject({ status: 'reported', state: 'reported' });
  const twice = await report(secA.id, id, a);
  expect(twice.status).toBe(422);
  expect(twice.body.error.message).toBe('该任务已上报，等待验收，不能再上报');
  // Only the sender (or who runs the sending org) decides.
  expect((await accept(secA.id, id, a)).status).toBe(403);
  expect((await accept(townB.id, id, a)).status).toBe(403);
  expect((await as(countyAdmin.id).post(at(id, a, 'return'), { comment: ' ' })).status).toBe(400);

  const returned = await giveBack(countyAdmin.id, id, a);
  expect(returned.body).toMatchObject({ status: 'returned', comment: '请补充会议照片' });
  const told = (await as(secA.id).get('/me/messages')).body.items as { kind: string }[];
  expect(told.map((m) => m.kind)).toEqual(expect.arrayContaining(['task', 'task_returned']));
  expect((await accept(countyAdmin.id, id, a)).body.error.message).toBe('该任务已退回，不能验收');

  expect((await report(secA.id, id, a, { text: '补充照片', photoUrls: [photo, photo] })).body.status).toBe('reported');
  // Ten racing acceptances: one wins, the rest are refused; the points are paid once.
  const racing = await Promise.all(Array.from({ length: 10 }, () => accept(countyAdmin.id, id, a)));
  expect(racing.filter((r) => r.status === 200)).toHaveLength(1);
  expect(racing.filter((r) => r.status !== 200).every((r) => [409, 422].includes(r.status))).toBe(true);
  const paid = await paidEntry(`task|${id}|${a}`);
  expect(paid).toMatchObject({ userId: secA.id, delta: 5, reason: 'task_accepted' });
  const ledger = await as(secA.id).get('/points/ledger');
  expect(JSON.stringify(ledger.body)).toContain('task_accepted');

  for (const res of [await report(secA.id, id, a), await giveBack(countyAdmin.id, id, a)]) {
    expect(res.status).toBe(422);
    expect(res.body.error.message).toContain('已验收');
  }
});

test('逾期: due by 23:59:59 Shanghai on the deadline day, overdue at 00:00:00; reported is never overdue', () => {
  const day = '2026-12-31';
  expect(taskState('todo', day, shanghaiInstant(day, '23:59:59'))).toBe('todo');
  expect(taskState('todo', day, shanghaiInstant('2027-01-01', '00:00:00'))).toBe('overdue');
  expect(taskState('returned', day, shanghaiInstant('2027-01-01', '00:00:00'))).toBe('overdue');
  expect(taskState('reported', day, shanghaiInstant('2027-01-01', '00:00:00'))).toBe('reported');
});

test('the board puts overdue receivers first; the XLSX has a row per receiver in Chinese', async () => {
  const sent = await send(countyAdmin.id, { branches: [county.branchA.id, county.branchA2.id, county.branchB.id] });
  const id = sent.body.id as string;
  await report(secA.id, id, county.branchA.id);
  const admin = (await loadSessionUser(countyAdmin.id))!;
  const inTime = await taskBoard(admin, id, shanghaiInstant(today(), '23:59:59'));
  expect(inTime.counts).toMatchObject({ todo: 2, reported: 1, overdue: 0 });
  const late = await taskBoard(admin, id, new Date(shanghaiInstant(today(), '23:59:59').getTime() + 1000));
  expect(late.rows.map((r) => r.state)).toEqual(['overdue', 'overdue', 'reported']);
  expect(late.counts).toMatchObject({ overdue: 2, reported: 1 });

  const board = await as(countyAdmin.id).get(`/tasks/${id}/board`);
  expect((board.body as TaskBoard).rows).toHaveLength(3);
  expect((await as(secA.id).get(`/tasks/${id}/board`)).status).toBe(403);

  const xlsx = await as(countyAdmin.id).get(`/tasks/${id}/export`).buffer(true).parse(binary);
  expect(xlsx.status).toBe(200);
  const wb = await workbookOf(xlsx.body);
  const sheet = wb.getWorksheet('督办情况')!;
  expect(sheet.getRow(1).getCell(1).value).toBe('接收单位/人');
  expect(sheet.rowCount).toBe(4);
  const names = [2, 3, 4].map((r) => sheet.getRow(r).getCell(1).value);
  expect(names).toEqual(expect.arrayContaining(['甲村党支部', '甲村第二党支部', '乙村党支部']));
});
