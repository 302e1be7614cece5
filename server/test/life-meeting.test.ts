import type { LifeMeetingView, RectifyQueueItem, TalkRegister } from '@pioneer/shared';
import { currentYear } from '../src/modules/commitments/commitments.service';
import { startCountyApp, type TestApp } from './support/harness';
import { bearer } from './support/client';
import { buildAdmin, buildMember, type County } from './support/factories';
import { binary, workbookOf } from './support/download';

/**
 * 组织生活会 (issue 21 item 1): an activity type of its own; 对照检查 before it (the secretary sees who has not
 * submitted); the 谈心谈话 register naming who had no talk; the township's list of branch items to close; overdue
 * items on the secretary's page; the lists as XLSX, read back.
 */
let t: TestApp;
let county: County;
const year = currentYear();
const auth = (id: string) => bearer(t, id);
const life = (branchId: string) => `/api/v1/life-meetings/${branchId}/${year}`;
const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
let sec: { id: string };
let m1: { id: string };
let m2: { id: string };
let m3: { id: string };
let secB: { id: string };
let townA: { id: string };
let townB: { id: string };

const xlsx = (path: string, who: string) => t.http().get(path).set(auth(who)).buffer(true).parse(binary);
async function sheetRows(body: Buffer, name: string): Promise<unknown[][]> {
  const wb = await workbookOf(body);
  const sheet = wb.getWorksheet(name)!;
  return (sheet.getSheetValues() as unknown[][]).filter(Boolean).map((r) => r.slice(1));
}

beforeAll(async () => {
  ({ t, county } = await startCountyApp());
  sec = await buildMember({ branch: county.branchA, roles: ['member', 'secretary'], name: '甲书记' });
  m1 = await buildMember({ branch: county.branchA, name: '甲党员一' });
  m2 = await buildMember({ branch: county.branchA, name: '甲党员二' });
  m3 = await buildMember({ branch: county.branchA, name: '甲党员三' });
  secB = await buildMember({ branch: county.branchB, roles: ['member', 'secretary'], name: '乙书记' });
  townA = await buildAdmin({ of: county.townA, branch: county.branchB });
  townB = await buildAdmin({ of: county.townB, branch: county.branchB });
}, 60_000);
afterAll(async () => t.close());

describe('组织生活会 and 对照检查', () => {
  test('it is an activity type of its own', async () => {
    const startsAt = new Date(Date.now() + 3 * 86_400_000);
    const res = await t
      .http()
      .post('/api/v1/activities')
      .set(auth(sec.id))
      .send({
        type: 'life_meeting',
        title: `${year}年度组织生活会`,
        startsAt: startsAt.toISOString(),
        endsAt: new Date(startsAt.getTime() + 3 * 3_600_000).toISOString(),
      });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ type: 'life_meeting' });
  });

  test('the secretary opens it with the year topics; bad input and others are refused, writing nothing', async () => {
    const open = (who: string, body: object) =>
      t
        .http()
        .post('/api/v1/life-meetings')
        .set(auth(who))
        .send({ org: county.branchA.id, year, ...body });
    const empty = await open(sec.id, { topics: [] });
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toContain('主题');
    expect((await open(m1.id, { topics: ['学习贯彻'] })).status).toBe(403);
    expect((await open(secB.id, { topics: ['学习贯彻'] })).status).toBe(403);
    expect((await t.http().get(life(county.branchA.id)).set(auth(sec.id))).status).toBe(404);
    const res = await open(sec.id, { topics: ['理想信念', '担当作为'] });
    expect(res.status).toBe(201);
    const view = res.body as LifeMeetingView;
    expect(view.topics).toEqual(['理想信念', '担当作为']);
    expect(view.members.map((m) => m.name).sort()).toEqual(['甲书记', '甲党员一', '甲党员三', '甲党员二'].sort());
    expect(view.missingChecks).toBe(4);
    expect(view.meeting).toMatchObject({ title: `${year}年度组织生活会`, held: false });
  });

  test('members submit 对照检查; the secretary sees who has not; a member sees only their own', async () => {
    const submit = (who: string, text: string) =>
      t
        .http()
        .put(`${life(county.branchA.id)}/check`)
        .set(auth(who))
        .send({ text });
    expect((await submit(m1.id, '  ')).status).toBe(400);
    expect((await submit(secB.id, '对照检查')).status).toBe(403);
    expect((await submit(m1.id, '对照理想信念，学习不够深入')).status).toBe(200);
    expect((await submit(m2.id, '对照担当作为，服务群众不够主动')).status).toBe(200);
    const bySec = (await t.http().get(life(county.branchA.id)).set(auth(sec.id))).body as LifeMeetingView;
    expect(bySec.missingChecks).toBe(2);
    const missing = bySec.checks.filter((c) => !c.submittedAt).map((c) => c.member.name);
    expect(missing.sort()).toEqual(['甲书记', '甲党员三'].sort());
    const byMember = (await t.http().get(life(county.branchA.id)).set(auth(m1.id))).body as LifeMeetingView;
    expect(byMember.checks.map((c) => c.member.id)).toEqual([m1.id]);
    expect(byMember.mine).toMatchObject({ text: '对照理想信念，学习不够深入' });
    expect(byMember.canManage).toBe(false);
    const read = await t
      .http()
      .get(`${life(county.branchA.id)}/checks/${m2.id}`)
      .set(auth(sec.id));
    expect(read.body).toMatchObject({ text: '对照担当作为，服务群众不够主动' });
    expect(
      (
        await t
          .http()
          .get(`${life(county.branchA.id)}/checks/${m2.id}`)
          .set(auth(m1.id))
      ).status,
    ).toBe(403);
    expect((await t.http().get(life(county.branchA.id)).set(auth(townB.id))).status).toBe(403);
  });

  test('after the meeting has been held no 对照检查 is taken', async () => {
    const startsAt = new Date(Date.now() - 5 * 3_600_000);
    await t
      .http()
      .post('/api/v1/activities')
      .set(auth(secB.id))
      .send({
        type: 'life_meeting',
        title: '乙村组织生活会',
        startsAt: startsAt.toISOString(),
        endsAt: new Date(startsAt.getTime() + 2 * 3_600_000).toISOString(),
      })
      .expect(201);
    await t
      .http()
      .post('/api/v1/life-meetings')
      .set(auth(secB.id))
      .send({ year, topics: ['理想信念'] })
      .expect(201);
    const late = await t
      .http()
      .put(`${life(county.branchB.id)}/check`)
      .set(auth(secB.id))
      .send({ text: '迟交' });
    expect(late.status).toBe(422);
    expect(late.body.error.message).toContain('已经召开');
  });
});

describe('谈心谈话 register', () => {
  const talk = (who: string, body: object) =>
    t
      .http()
      .post(`${life(county.branchA.id)}/talks`)
      .set(auth(who))
      .send({ date: today(), summary: '交流思想，提醒按时参加组织生活', ...body });

  test('the secretary records talks; the register names who had none; bad input writes nothing', async () => {
    expect((await talk(m1.id, { talkerId: sec.id, talkeeId: m1.id })).status).toBe(403);
    expect((await talk(secB.id, { talkerId: sec.id, talkeeId: m1.id })).status).toBe(403);
    expect((await talk(sec.id, { talkerId: m1.id, talkeeId: m1.id })).status).toBe(400);
    expect((await talk(sec.id, { talkerId: sec.id, talkeeId: secB.id })).status).toBe(400);
    expect((await talk(sec.id, { talkerId: sec.id, talkeeId: m1.id, date: `${year + 1}-01-02` })).status).toBe(400);
    const first = await talk(sec.id, { talkerId: sec.id, talkeeId: m1.id });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ n: 1, talker: { name: '甲书记' }, talkee: { name: '甲党员一' } });
    // The township's admin talking with the secretary is recorded with themselves as the talker.
    await talk(townA.id, { talkerId: townA.id, talkeeId: m2.id }).expect(201);
    const reg = (
      await t
        .http()
        .get(`${life(county.branchA.id)}/talks`)
        .set(auth(sec.id))
    ).body as TalkRegister;
    expect(reg.talks.map((x) => [x.n, x.talkee.name])).toEqual([
      [1, '甲党员一'],
      [2, '甲党员二'],
    ]);
    expect(reg.missing.map((m) => m.name)).toEqual(['甲党员三']);
    expect(
      (
        await t
          .http()
          .get(`${life(county.branchA.id)}/talks`)
          .set(auth(m1.id))
      ).status,
    ).toBe(403);
  });

  test('the register exports as XLSX with who is missing', async () => {
    const res = await xlsx(`${life(county.branchA.id)}/talks/export`, sec.id);
    expect(res.status).toBe(200);
    const rows = await sheetRows(res.body as Buffer, '谈心谈话记录');
    expect(rows[0]).toEqual(['序号', '日期', '谈话人', '谈话对象', '谈话要点']);
    expect(rows.slice(1).map((r) => [r[0], r[2], r[3]])).toEqual([
      [1, '甲书记', '甲党员一'],
      [2, expect.any(String), '甲党员二'],
    ]);
    expect(await sheetRows(res.body as Buffer, '尚未谈话')).toEqual([['姓名'], ['甲党员三']]);
    expect((await xlsx(`${life(county.branchA.id)}/talks/export`, townB.id)).status).toBe(403);
  });
});

describe('整改: the township closes branch items, overdue items on the secretary page, XLSX', () => {
  const create = (body: object) =>
    t
      .http()
      .post('/api/v1/rectify')
      .set(auth(sec.id))
      .send({ org: county.branchA.id, year, deadline: new Date(Date.now() + 86_400_000).toISOString(), ...body });
  const rect = () => `/api/v1/rectify/${county.branchA.id}/${year}`;

  test('a branch item reported done waits on the township list until it is closed', async () => {
    await create({ text: '组织生活不经常', level: 'branch' }).expect(201);
    await create({
      text: '党费收缴不及时',
      level: 'member',
      ownerId: m3.id,
      deadline: new Date(Date.now() - 86_400_000).toISOString(),
    }).expect(201);
    const toClose = async (who: string) =>
      (await t.http().get('/api/v1/rectify/to-close').set(auth(who))).body.items as RectifyQueueItem[];
    expect(await toClose(townA.id)).toEqual([]);
    await t.http().post(`${rect()}/1/done`).set(auth(sec.id)).send({ evidence: '已建立台账' }).expect(200);
    const listed = await toClose(townA.id);
    expect(listed.map((i) => [i.branchName, i.year, i.item.n, i.item.status, i.item.evidence])).toEqual([
      ['甲村党支部', year, 1, 'done', '已建立台账'],
    ]);
    expect(await toClose(townB.id)).toEqual([]);
    expect((await t.http().get('/api/v1/rectify/to-close').set(auth(sec.id))).status).toBe(403);
    await t.http().post(`${rect()}/1/close`).set(auth(townA.id)).send({}).expect(200);
    expect(await toClose(townA.id)).toEqual([]);
  });

  test('overdue open items are listed for the secretary', async () => {
    const res = await t.http().get('/api/v1/rectify/overdue').set(auth(sec.id));
    expect(res.status).toBe(200);
    expect((res.body.items as RectifyQueueItem[]).map((i) => [i.item.n, i.item.text, i.item.overdue])).toEqual([
      [2, '党费收缴不及时', true],
    ]);
    expect((await t.http().get('/api/v1/rectify/overdue').set(auth(secB.id))).body.items).toEqual([]);
    const other = await t.http().get('/api/v1/rectify/overdue').query({ org: county.branchA.id }).set(auth(secB.id));
    expect(other.status).toBe(403);
    // Across the township: the open overdue item is listed for its admins, not for another township's.
    const across = async (who: string) =>
      (await t.http().get('/api/v1/rectify/overdue-all').set(auth(who))).body.items as RectifyQueueItem[];
    expect((await across(townA.id)).map((i) => [i.branchName, i.item.n, i.item.overdue])).toEqual([
      ['甲村党支部', 2, true],
    ]);
    expect(await across(townB.id)).toEqual([]);
    expect((await t.http().get('/api/v1/rectify/overdue-all').set(auth(sec.id))).status).toBe(403);
  });

  test('the 问题/整改 list exports as XLSX', async () => {
    const res = await xlsx(`${rect()}/export`, sec.id);
    expect(res.status).toBe(200);
    const rows = await sheetRows(res.body as Buffer, '问题整改清单');
    expect(rows[0]).toEqual(['序号', '问题', '类别', '责任人', '整改期限', '状态', '是否逾期', '整改情况']);
    expect(rows.slice(1).map((r) => [r[0], r[1], r[2], r[3], r[5], r[6], r[7]])).toEqual([
      [1, '组织生活不经常', '支部问题', '支部', '已销号', '', '已建立台账'],
      [2, '党费收缴不及时', '党员问题', '甲党员三', '待整改', '逾期', ''],
    ]);
    expect((await xlsx(`${rect()}/export`, m1.id)).status).toBe(403);
  });
});
