import ExcelJS from 'exceljs';
import type { Activity, Attendance, IdleBranches, RecordBook } from '@pioneer/shared';
import { AuditModel } from '../src/modules/audit/audit.model';
import { checkCode, qrToken, slotCode } from '../src/modules/activities/signin-token';
import { LedgerModel } from '../src/modules/points/points.model';
import { startCountyApp, type TestApp } from './support/harness';
import { buildAdmin, buildMember, buildSecretary, type County } from './support/factories';
import { bearer, client } from './support/client';
import { binary, workbookOf } from './support/download';

let t: TestApp;
let county: County;
const auth = (id: string) => bearer(t, id);
const as = (id: string) => client(t, id, '/api/v1/activities');
const api = (path: string) => `/api/v1/activities${path}`;
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

let secretaryA: { id: string };
let secretaryB: { id: string };
let countyAdmin: { id: string };
const membersA: { id: string }[] = [];

async function create(secretaryId: string, body: Record<string, unknown>): Promise<Activity> {
  const res = await as(secretaryId).post('', {
    type: 'theme_day',
    title: '主题党日',
    startsAt: minutesAgo(5),
    endsAt: minutesAgo(-60),
    ...body,
  });
  expect(res.status).toBe(201);
  return res.body as Activity;
}
async function qr(activityId: string, secretaryId = secretaryA.id): Promise<string> {
  const res = await as(secretaryId).get(`/${activityId}/qr`);
  expect(res.status).toBe(200);
  return res.body.token as string;
}
const signin = (userId: string, activityId: string, body: object) => as(userId).post(`/${activityId}/signin`, body);
const attendance = async (activityId: string): Promise<Attendance> => {
  const res = await as(secretaryA.id).get(`/${activityId}/attendance`);
  expect(res.status).toBe(200);
  return res.body as Attendance;
};
const ids = (list: { userId: string }[]) => list.map((x) => x.userId).sort();

beforeAll(async () => {
  ({ t, county } = await startCountyApp());
  secretaryA = await buildSecretary(county.branchA, '甲书记');
  secretaryB = await buildSecretary(county.branchB, '乙书记');
  countyAdmin = await buildAdmin({ of: county.county, branch: county.branchB, name: '县管理员' });
  for (let i = 0; i < 4; i += 1) membersA.push(await buildMember({ branch: county.branchA, name: `甲党员${i}` }));
});
afterAll(() => t.close());

describe('create and list', () => {
  test('a secretary creates an activity for their branch; members see it; a member may not create; another branch may not patch', async () => {
    const a = await create(secretaryA.id, {
      type: 'party_congress',
      title: '第四季度党员大会',
      startsAt: minutesAgo(-24 * 60),
      endsAt: minutesAgo(-25 * 60),
    });
    expect(a).toMatchObject({ status: 'planned', branchId: county.branchA.id, expectedCount: 5, signedInCount: 0 });
    const list = await as(membersA[0]!.id).get(`?from=${encodeURIComponent(new Date().toISOString())}`);
    expect(list.status).toBe(200);
    expect((list.body.items as Activity[]).map((x) => x.id)).toContain(a.id);
    expect(
      (
        await as(membersA[0]!.id).post('', {
          type: 'lecture',
          title: 'x',
          startsAt: minutesAgo(0),
          endsAt: minutesAgo(-10),
        })
      ).status,
    ).toBe(403);
    expect((await as(secretaryB.id).patch(`/${a.id}`, { title: '改' })).status).toBe(403);
    expect((await as(secretaryB.id).get(`/${a.id}`)).status).toBe(403);
    const opened = await as(secretaryA.id).patch(`/${a.id}`, { status: 'open' });
    expect(opened.body.status).toBe('open');
  });

  test('a planned activity refuses sign-in and has no QR', async () => {
    const a = await create(secretaryA.id, { startsAt: minutesAgo(-120), endsAt: minutesAgo(-180) });
    expect((await as(secretaryA.id).get(`/${a.id}/qr`)).body.error.code).toBe('ACTIVITY_NOT_OPEN');
    const token = qrToken(t.config.jwtSecret, a.id);
    const res = await signin(membersA[0]!.id, a.id, { token: token.token });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('ACTIVITY_NOT_OPEN');
  });
});

describe('QR sign-in', () => {
  test('the current token signs in, on time, and pays 3 points once', async () => {
    const a = await create(secretaryA.id, {});
    const m = membersA[0]!;
    const res = await signin(m.id, a.id, { token: await qr(a.id) });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ late: false, pointsAwarded: 3 });
    const again = await signin(m.id, a.id, { token: await qr(a.id) });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ALREADY_SIGNED_IN');
    const ledger = await LedgerModel.find({ userId: m.id, reason: 'activity_attended' }).lean<{ delta: number }[]>();
    expect(ledger.map((l) => l.delta)).toEqual([3]);
    const mine = await as(m.id).get(`/${a.id}`);
    expect(mine.body.mine.signedInAt).toBe(res.body.at);
  });

  test('the previous slot still works; an older token and a token of another activity are refused (422 TOKEN_EXPIRED)', async () => {
    const a = await create(secretaryA.id, {});
    const b = await create(secretaryA.id, {});
    const old = qrToken(t.config.jwtSecret, a.id, new Date(Date.now() - 65_000));
    const r1 = await signin(membersA[1]!.id, a.id, { token: old.token });
    expect(r1.status).toBe(422);
    expect(r1.body.error.code).toBe('TOKEN_EXPIRED');
    const r2 = await signin(membersA[1]!.id, a.id, { token: await qr(b.id) });
    expect(r2.body.error.code).toBe('TOKEN_EXPIRED');
    const forged = qrToken('not-the-secret-not-the-secret-123', a.id);
    expect((await signin(membersA[1]!.id, a.id, { token: forged.token })).body.error.code).toBe('TOKEN_EXPIRED');
    const previous = qrToken(t.config.jwtSecret, a.id, new Date(Date.now() - 30_000));
    expect((await signin(membersA[1]!.id, a.id, { token: previous.token })).status).toBe(201);
  });

  test('10 concurrent scans by one member sign in once and pay once', async () => {
    const a = await create(secretaryA.id, {});
    const token = await qr(a.id);
    const m = membersA[2]!;
    const replies = await Promise.all(Array.from({ length: 10 }, () => signin(m.id, a.id, { token })));
    expect(replies.filter((r) => r.status === 201)).toHaveLength(1);
    expect(replies.filter((r) => r.status === 409)).toHaveLength(9);
    const ledger = await LedgerModel.find({ userId: m.id, reason: 'activity_attended', refId: a.id }).lean();
    expect(ledger).toHaveLength(1);
    expect(ids((await attendance(a.id)).present)).toEqual([m.id]);
  });

  test('the 6-digit code signs in too; a wrong code is 422 and ten wrong codes lock the code out', async () => {
    const a = await create(secretaryA.id, {});
    const reply = (await as(secretaryA.id).get(`/${a.id}/qr`)).body as { code: string };
    expect(reply.code).toMatch(/^\d{6}$/);
    const wrong = reply.code === '000000' ? '000001' : '000000';
    const bad = await signin(membersA[0]!.id, a.id, { code: wrong });
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('TOKEN_EXPIRED');
    expect((await signin(membersA[0]!.id, a.id, { code: reply.code })).status).toBe(201);
    for (let i = 0; i < 10; i += 1) await signin(membersA[1]!.id, a.id, { code: wrong });
    const locked = await signin(membersA[1]!.id, a.id, { code: reply.code });
    expect(locked.status).toBe(422);
    expect(locked.body.error.message).toContain('次数过多');
  });

  test('a member of another branch cannot sign in with a replayed token', async () => {
    const a = await create(secretaryA.id, {});
    expect((await signin(secretaryB.id, a.id, { token: await qr(a.id) })).status).toBe(403);
  });

  test('signing in after startsAt + 15 min is marked late', async () => {
    const a = await create(secretaryA.id, { startsAt: minutesAgo(20) });
    const res = await signin(membersA[3]!.id, a.id, { token: await qr(a.id) });
    expect(res.body.late).toBe(true);
    const att = await attendance(a.id);
    expect(ids(att.late)).toEqual([membersA[3]!.id]);
    expect(att.present).toHaveLength(0);
  });

  test('location inside the fence signs in; outside is 422 OUT_OF_FENCE', async () => {
    const a = await create(secretaryA.id, {
      place: { name: '村党群服务中心', fence: { lat: 30.5447, lng: 119.9752, radiusM: 200 } },
    });
    const out = await signin(membersA[0]!.id, a.id, { lat: 30.56, lng: 119.99, accuracy: 20, coordType: 'gcj02' });
    expect(out.status).toBe(422);
    expect(out.body.error.code).toBe('OUT_OF_FENCE');
    expect(
      (await signin(membersA[0]!.id, a.id, { lat: 30.5448, lng: 119.9753, accuracy: 20, coordType: 'gcj02' })).status,
    ).toBe(201);
  });
});

describe('leave and attendance', () => {
  test('approved leave is onLeave, refused and pending stay absent, signed in is present', async () => {
    const a = await create(secretaryA.id, {});
    const [m0, m1, m2, m3] = membersA as [{ id: string }, { id: string }, { id: string }, { id: string }];
    for (const m of [m1, m2, m3])
      expect((await as(m.id).post(`/${a.id}/leave`, { reason: '外出务工' })).status).toBe(200);
    expect((await as(secretaryB.id).post(`/${a.id}/leave`, { reason: 'x' })).status).toBe(403);
    expect((await as(secretaryA.id).post(`/${a.id}/leave/${m1.id}/review`, { decision: 'approve' })).status).toBe(200);
    expect((await as(secretaryA.id).post(`/${a.id}/leave/${m2.id}/review`, { decision: 'refuse' })).status).toBe(200);
    expect((await as(secretaryB.id).post(`/${a.id}/leave/${m1.id}/review`, { decision: 'approve' })).status).toBe(403);
    expect((await signin(m0.id, a.id, { token: await qr(a.id) })).status).toBe(201);
    const att = await attendance(a.id);
    expect(ids(att.present)).toEqual([m0.id]);
    expect(ids(att.onLeave)).toEqual([m1.id]);
    expect(ids(att.absent)).toEqual([m2.id, m3.id, secretaryA.id].sort());
    expect(ids(att.pendingLeave)).toEqual([m3.id]);
    const mine = await as(m1.id).get(`/${a.id}`);
    expect(mine.body.mine.leave).toMatchObject({ status: 'approved', reason: '外出务工' });
  });
});

describe('补录 and minutes', () => {
  test('the branch secretary adds a member with a reason: audited, paid once; another branch secretary gets 403', async () => {
    const a = await create(secretaryA.id, {});
    const m = membersA[1]!;
    const other = await as(secretaryB.id).post(`/${a.id}/attendees`, { userId: m.id, reason: '手机没电' });
    expect(other.status).toBe(403);
    expect((await as(m.id).post(`/${a.id}/attendees`, { userId: m.id, reason: '手机没电' })).status).toBe(403);
    expect((await as(secretaryA.id).post(`/${a.id}/attendees`, { userId: m.id })).status).toBe(400);
    const res = await as(secretaryA.id).post(`/${a.id}/attendees`, { userId: m.id, reason: '手机没电' });
    expect(res.status).toBe(201);
    expect((res.body as Attendance).present.find((x) => x.userId === m.id)).toMatchObject({
      method: 'manual',
      reason: '手机没电',
    });
    expect(await AuditModel.findOne({ targetType: 'activity', targetId: a.id }).lean()).toMatchObject({
      actorId: secretaryA.id,
      action: 'activity.attendee_added',
    });
    expect((await as(secretaryA.id).post(`/${a.id}/attendees`, { userId: m.id, reason: '再次' })).status).toBe(409);
    expect(await LedgerModel.countDocuments({ userId: m.id, reason: 'activity_attended', refId: a.id })).toBe(1);
    expect((await as(secretaryA.id).post(`/${a.id}/attendees`, { userId: secretaryB.id, reason: 'x' })).status).toBe(
      400,
    );
  });

  test('minutes with photos are saved; a foreign photo URL is refused', async () => {
    const a = await create(secretaryA.id, {});
    const photo = '/api/v1/uploads/2026-11/0123456789abcdef0123456789abcdef.jpg';
    expect(
      (await as(secretaryA.id).put(`/${a.id}/minutes`, { text: '学习', photoUrls: ['https://evil.example/x.jpg'] }))
        .status,
    ).toBe(400);
    const res = await as(secretaryA.id).put(`/${a.id}/minutes`, {
      text: '学习党的二十届四中全会精神',
      photoUrls: [photo],
    });
    expect(res.status).toBe(200);
    expect(res.body.minutes).toMatchObject({ text: '学习党的二十届四中全会精神', photoUrls: [photo] });
    expect((await as(secretaryB.id).put(`/${a.id}/minutes`, { text: 'x' })).status).toBe(403);
  });
});

describe('record book and idle branches', () => {
  const quarter = '2026-Q2';
  let secretaryA2: { id: string };
  let a2Members: { id: string }[];

  beforeAll(async () => {
    secretaryA2 = await buildSecretary(county.branchA2, '二支书记');
    a2Members = [
      await buildMember({ branch: county.branchA2, name: '二支党员甲' }),
      await buildMember({ branch: county.branchA2, name: '二支党员乙' }),
      await buildMember({ branch: county.branchA2, name: '二支党员丙' }),
    ];
    // A hand-made quarter: 1 党员大会, 3 支委会, 2 党小组会, no 党课, 1 主题党日 (Shanghai times).
    const plan: [string, string][] = [
      ['party_congress', '2026-04-10T09:00:00+08:00'],
      ['committee', '2026-04-03T09:00:00+08:00'],
      ['committee', '2026-05-03T09:00:00+08:00'],
      ['committee', '2026-06-03T09:00:00+08:00'],
      ['group', '2026-04-20T09:00:00+08:00'],
      ['group', '2026-05-20T09:00:00+08:00'],
      ['theme_day', '2026-06-15T09:00:00+08:00'],
      // outside the quarter: 2026-07-01 08:30 Shanghai is Q3, though 2026-06-30 in UTC
      ['lecture', '2026-07-01T08:30:00+08:00'],
    ];
    for (const [type, startsAt] of plan) {
      const a = await create(secretaryA2.id, {
        type,
        title: `${type}活动`,
        startsAt,
        endsAt: new Date(new Date(startsAt).getTime() + 7_200_000).toISOString(),
      });
      // Everyone came to the 党员大会; two of four to every other one.
      const came = type === 'party_congress' ? [secretaryA2, ...a2Members] : a2Members.slice(0, 2);
      // The secretary's own attendance is recorded by the admin above (never by themself: it pays points).
      for (const m of came) {
        const by = m === secretaryA2 ? countyAdmin : secretaryA2;
        expect((await as(by.id).post(`/${a.id}/attendees`, { userId: m.id, reason: '补录纸质签到' })).status).toBe(201);
      }
    }
  });

  test('JSON: held vs required per type and attendance rates', async () => {
    const res = await as(secretaryA2.id).get(`/record-book?quarter=${quarter}`);
    expect(res.status).toBe(200);
    const book = res.body as RecordBook;
    expect(book).toMatchObject({ org: { id: county.branchA2.id }, quarter, label: '2026年第2季度' });
    const [b] = book.branches;
    expect(b!.activities).toHaveLength(7);
    const row = (type: string) => b!.byType.find((x) => x.type === type);
    expect(row('party_congress')).toMatchObject({ held: 1, required: 1, met: true });
    expect(row('committee')).toMatchObject({ held: 3, required: 3, met: true });
    expect(row('group')).toMatchObject({ held: 2, required: 3, met: false });
    expect(row('lecture')).toMatchObject({ held: 0, required: 1, met: false });
    expect(row('theme_day')).toMatchObject({ held: 1, required: 0, met: true });
    // A 支委会 expects the committee (here the secretary, who did not come; the two members sat in):
    // (4 + 3 * 0 + 3 * 2) / (4 + 3 * 1 + 3 * 4)
    expect(b!.attendanceRate).toBeCloseTo(10 / 19, 3);
    expect(b!.activities.find((x) => x.type === 'committee')).toMatchObject({ expected: 1, attended: 0 });
    expect(b!.activities.find((x) => x.type === 'party_congress')).toMatchObject({ expected: 4, attended: 4, rate: 1 });
    expect((await as(secretaryA.id).get(`/record-book?quarter=${quarter}&org=${county.branchA2.id}`)).status).toBe(403);
    expect((await as(secretaryA2.id).get(`/record-book?quarter=2026-Q5`)).status).toBe(400);
  });

  test('XLSX reads back with the same numbers', async () => {
    const res = await t
      .http()
      .get(api(`/record-book?quarter=${quarter}&format=xlsx&org=${county.townA.id}`))
      .set(auth(countyAdmin.id))
      .buffer(true)
      .parse(binary);
    expect(res.status).toBe(200);
    expect(decodeURIComponent(String(res.headers['content-disposition']).split("UTF-8''")[1])).toBe(
      '三会一课台账-甲镇-2026年第2季度.xlsx',
    );
    const wb = await workbookOf(res.body);
    const sheet = wb.getWorksheet('三会一课台账')!;
    const rows = sheet
      .getSheetValues()
      .slice(2)
      .map((r) => (r as ExcelJS.CellValue[]).slice(1, 5));
    expect(rows).toContainEqual(['甲村第二党支部', '党小组会', 3, 2]);
    expect(rows).toContainEqual(['甲村第二党支部', '支委会', 3, 3]);
    const detail = wb.getWorksheet('活动明细')!;
    const details = detail
      .getSheetValues()
      .slice(2)
      .filter((r) => (r as ExcelJS.CellValue[])[1] === '甲村第二党支部');
    expect(details).toHaveLength(7);
    expect((details[0] as ExcelJS.CellValue[]).slice(2, 4)).toEqual(['2026-04-03 09:00', '支委会']);
  });

  test('idle: branches under the county with no activity in 30 days; a secretary sees only their own', async () => {
    const res = await as(countyAdmin.id).get(`/idle?org=${county.county.id}&days=30`);
    expect(res.status).toBe(200);
    const idle = res.body as IdleBranches;
    const names = idle.branches.map((b) => b.name);
    expect(names).toContain('乙村党支部');
    expect(names).toContain('甲村第二党支部');
    expect(names).not.toContain('甲村党支部');
    expect(idle.branches.find((b) => b.name === '甲村第二党支部')!.lastActivityAt).toBe(
      new Date('2026-07-01T08:30:00+08:00').toISOString(),
    );
    expect((await as(secretaryA.id).get(`/idle?org=${county.county.id}`)).status).toBe(403);
    expect((await as(membersA[0]!.id).get('/idle')).status).toBe(403);
  });
});

// Last in the file: the guesser joins 甲村党支部, which the attendance lists above count.
describe('the 6-digit code under concurrent guesses', () => {
  test('when 30 wrong codes arrive at once, then at most 10 are evaluated and the right code after them is refused', async () => {
    const a = await create(secretaryA.id, {});
    const reply = (await as(secretaryA.id).get(`/${a.id}/qr`)).body as { code: string };
    const guesser = await buildMember({ branch: county.branchA, name: '猜码者' });
    const guesses = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        signin(guesser.id, a.id, { code: String((Number(reply.code) + 1 + i) % 1_000_000).padStart(6, '0') }),
      ),
    );
    expect(guesses.every((r) => r.status === 422)).toBe(true);
    const evaluated = guesses.filter((r) => !String(r.body.error.message).includes('次数过多'));
    expect(evaluated.length).toBeLessThanOrEqual(10);
    const right = await signin(guesser.id, a.id, { code: reply.code });
    expect(right.status).toBe(422);
    expect(right.body.error.message).toContain('次数过多');
    expect(ids((await attendance(a.id)).present)).not.toContain(guesser.id);
    // The same race without the HTTP stack in between: 30 guesses reach the counter together.
    const secret = 'any-secret-for-counting-tries';
    const now = new Date();
    const current = slotCode(secret, 'race-activity', Math.floor(now.getTime() / 30_000));
    const wrongCode = current === '000000' ? '000001' : '000000';
    const outcomes = await Promise.allSettled(
      Array.from({ length: 30 }, () => checkCode(secret, wrongCode, 'race-activity', guesser.id, now)),
    );
    const judged = outcomes.filter(
      (o) => o.status === 'rejected' && !String((o.reason as Error).message).includes('次数过多'),
    );
    expect(judged.length).toBeLessThanOrEqual(10);
    await expect(checkCode(secret, current, 'race-activity', guesser.id, now)).rejects.toThrow('次数过多');
  });
});
