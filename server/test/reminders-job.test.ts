import { spawn } from 'node:child_process';
import path from 'node:path';
import mongoose from 'mongoose';
import { dayKey, shanghaiInstant, type MemberMessage } from '@pioneer/shared';
import { startCountyApp, type TestApp } from './support/harness';
import { bearer } from './support/client';
import { remindersVia, startFakeWechat, type FakeWechat } from './support/fake-wechat';
import { buildAdmin, buildMember, type County } from './support/factories';
import { newId } from '../src/db/ids';
import { ActivityModel } from '../src/modules/activities/activities.model';
import { RoundModel, VotedModel } from '../src/modules/reviews/reviews.model';
import { runReminders, type ReminderRun } from '../src/modules/notify/reminders.job';

/**
 * The scheduled reminders of issue 19 (notify/reminders.job.ts) against the fake WeChat: a task due tomorrow and
 * not reported, an activity starting within the hour, a 民主评议 round opened and closing within the day. Each event
 * is told once — to 我的 -> 消息 and, where the member consented, to WeChat — when the job runs in two processes at
 * once and again after; consent is respected; a claim a stopped process left is taken over after 10 minutes, not
 * before; what no longer applies (reported, on leave, voted, before 08:00) is not told.
 */
let t: TestApp;
let wx: FakeWechat;
let county: County;
let admin: { id: string };
let sec: { id: string };
let member: { id: string };
let quiet: { id: string };
let onLeave: { id: string };
const auth = (id: string) => bearer(t, id);
const overrides = () => remindersVia(wx, { task: 'T-TASK', deadline: 'T-DUE', activity: 'T-ACT', review: 'T-REV' });
// 20:00 Shanghai today: reminders of tomorrow's deadlines are due; the fixtures below are placed around it.
const today = dayKey(new Date());
const jobNow = shanghaiInstant(today, '20:00:00');
const tomorrow = dayKey(jobNow.getTime() + 86_400_000);

const messages = async (id: string) =>
  (await t.http().get('/api/v1/me/messages').set(auth(id))).body.items as MemberMessage[];
const kinds = async (id: string) => (await messages(id)).map((m) => m.kind).sort();

/** One run in a process of its own, over the same database. */
function runInChild(now: Date): Promise<ReminderRun> {
  const env = {
    ...process.env,
    REMINDERS_CHILD: JSON.stringify({
      uri: process.env.PIONEER_TEST_MONGODB_URI,
      db: mongoose.connection.name,
      now: now.toISOString(),
      overrides: overrides(),
    }),
  };
  const root = path.resolve(__dirname, '..', '..');
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/test/support/reminders-child.ts'], {
    cwd: root,
    env,
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as ReminderRun) : reject(new Error(err)))),
  );
}

async function consentTo(id: string, openidTail: string, accepted: string[]) {
  const r = await t
    .http()
    .post('/api/v1/me/subscriptions')
    .set(auth(id))
    .send({ code: `good-${openidTail}`, accepted });
  expect([r.status, r.body]).toEqual([200, expect.anything()]);
}

beforeAll(async () => {
  wx = await startFakeWechat('wx-rem-app', 'rem-secret');
  ({ t, county } = await startCountyApp(overrides()));
  admin = await buildAdmin({ of: county.county, branch: county.branchB });
  sec = await buildMember({ branch: county.branchA, roles: ['member', 'secretary'], name: '甲书记', openid: 'wx-rs' });
  member = await buildMember({ branch: county.branchA, name: '甲党员', openid: 'wx-rm' });
  quiet = await buildMember({ branch: county.branchA, name: '未订阅', openid: 'wx-rq' });
  onLeave = await buildMember({ branch: county.branchA, name: '请假党员', openid: 'wx-rl' });
  await consentTo(sec.id, 'rs', ['deadline', 'activity', 'review', 'review']);
  await consentTo(member.id, 'rm', ['activity', 'review', 'review']);
  await consentTo(onLeave.id, 'rl', ['activity']);
}, 60_000);
afterAll(async () => {
  await t.close();
  await wx.close();
});

test('each event is told once when two processes run the job together and it runs again; consent respected', async () => {
  const send = (title: string) =>
    t
      .http()
      .post('/api/v1/tasks')
      .set(auth(admin.id))
      .send({ title, deadline: tomorrow, branches: [county.branchA.id, county.branchA2.id] });
  const due = await send('报送组织生活会材料');
  const done = await send('已经报送的任务');
  expect(due.status).toBe(201);
  await t
    .http()
    .post(`/api/v1/tasks/${done.body.id}/receivers/${county.branchA.id}/report`)
    .set(auth(sec.id))
    .send({ text: '已报送', photoUrls: [] });
  const names = { [sec.id]: '甲书记', [member.id]: '甲党员', [quiet.id]: '未订阅', [onLeave.id]: '请假党员' };
  await ActivityModel.create({
    _id: newId(),
    branchId: county.branchA.id,
    branchName: '甲村党支部',
    type: 'party_congress',
    title: '主题党日',
    startsAt: new Date(jobNow.getTime() + 40 * 60_000),
    endsAt: new Date(jobNow.getTime() + 160 * 60_000),
    expected: names,
    leaves: { [onLeave.id]: { reason: '外出', status: 'approved', at: jobNow.toISOString() } },
    createdBy: sec.id,
    createdAt: jobNow,
  });
  await ActivityModel.create({
    _id: newId(),
    branchId: county.branchA.id,
    branchName: '甲村党支部',
    type: 'party_congress',
    title: '明天的党课',
    startsAt: new Date(jobNow.getTime() + 20 * 3_600_000),
    endsAt: new Date(jobNow.getTime() + 22 * 3_600_000),
    expected: names,
    createdBy: sec.id,
    createdAt: jobNow,
  });
  const roundId = `${county.branchA.id}|2026`;
  await RoundModel.create({
    _id: roundId,
    branchId: county.branchA.id,
    branchName: '甲村党支部',
    branchPath: [],
    year: 2026,
    // Opened three days ago (too long ago to announce), closing in 10 hours: who has not voted is reminded.
    openedAt: new Date(jobNow.getTime() - 3 * 86_400_000),
    closesAt: new Date(jobNow.getTime() + 10 * 3_600_000),
    members: Object.entries(names).map(([id, name]) => ({ id, name })),
    openedBy: sec.id,
  });
  await VotedModel.create({ _id: `${roundId}|${quiet.id}` });

  // Before 08:00 a deadline is not announced (activities and rounds are: their own clocks).
  // (The round closing at 06:00 tomorrow is within the day already: its reminder goes out in this run.)
  const early = await runReminders(shanghaiInstant(today, '07:59:59'));
  expect(early).toMatchObject({ deadlines: 0, reviewsClosing: 1 });
  const runs = await Promise.all([runInChild(jobNow), runInChild(jobNow), runReminders(jobNow)]);
  const again = await runReminders(new Date(jobNow.getTime() + 60_000));
  expect(again).toEqual({ deadlines: 0, activities: 0, reviewsOpened: 0, reviewsClosing: 0 });
  const total = (k: keyof ReminderRun) => [early, ...runs].reduce((s, r) => s + r[k], 0);
  // Branch A's deadline (A2 has no secretary: no one to tell, no claim), the activity within the hour, the round.
  expect([total('deadlines'), total('activities'), total('reviewsClosing')]).toEqual([1, 1, 1]);

  expect(await kinds(sec.id)).toEqual(['activity_soon', 'review_closing', 'task', 'task', 'task_deadline']);
  expect(await kinds(member.id)).toEqual(['activity_soon', 'review_closing']);
  expect(await kinds(quiet.id)).toEqual(['activity_soon']); // voted already: no closing reminder
  expect(await kinds(onLeave.id)).toEqual(['review_closing']); // leave approved: no activity reminder
  const deadline = (await messages(sec.id)).find((m) => m.kind === 'task_deadline')!;
  expect(deadline).toMatchObject({ title: '任务明天截止：报送组织生活会材料', ref: `task:${due.body.id}` });

  // WeChat: one send per event and consenting member (`quiet` never consented; `onLeave` only to activities).
  const sent = wx.sent.map((x) => `${x.touser} ${x.template_id} ${x.page?.split('?')[0]}`).sort();
  expect(sent).toEqual([
    'wx-rm T-ACT pages/activity/index',
    'wx-rm T-REV pages/review-vote/index',
    'wx-rs T-ACT pages/activity/index',
    'wx-rs T-DUE pages/tasks/index',
    'wx-rs T-REV pages/review-vote/index',
  ]);
});

test('a claim a stopped process left is taken over after 10 minutes, not before; told again it shows once', async () => {
  const events = mongoose.connection.collection('reminder_events');
  const at = new Date(jobNow.getTime() + 3 * 86_400_000);
  const roundId = `${county.branchA2.id}|2026`;
  await RoundModel.create({
    _id: roundId,
    branchId: county.branchA2.id,
    branchName: '甲二村党支部',
    branchPath: [],
    year: 2026,
    openedAt: new Date(at.getTime() - 3_600_000),
    closesAt: new Date(at.getTime() + 5 * 86_400_000),
    members: [{ id: sec.id, name: '甲书记' }],
    openedBy: sec.id,
  });
  const key = `review_open|${roundId}`;
  // Another process claimed it 5 minutes ago and is (for all we know) telling it now.
  await events.insertOne({ _id: key as never, state: 'pending', claimedAt: new Date(at.getTime() - 5 * 60_000) });
  expect((await runReminders(at)).reviewsOpened).toBe(0);
  // 11 minutes after its claim it is taken to have stopped: two runs at once, one takes it over.
  const later = new Date(at.getTime() + 6 * 60_000);
  const [a, b] = await Promise.all([runReminders(later), runReminders(later)]);
  expect(a.reviewsOpened + b.reviewsOpened).toBe(1);
  expect((await events.findOne({ _id: key as never }))?.state).toBe('done');
  // A process that told it and stopped before marking it done: told again under the same id, shown once, and
  // WeChat (keyed by id and member) is not asked twice.
  await events.updateOne({ _id: key as never }, { $set: { state: 'pending', claimedAt: at } });
  const sends = wx.sent.length;
  expect((await runReminders(new Date(at.getTime() + 30 * 60_000))).reviewsOpened).toBe(1);
  expect((await kinds(sec.id)).filter((k) => k === 'review_open')).toEqual(['review_open']);
  expect(wx.sent.length).toBe(sends);
});
