import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { PRIVACY_VERSION, type MyData } from '@pioneer/shared/src/privacy';
import { currentYear } from '../src/modules/commitments/commitments.service';
import { EXPORT_SOURCES } from '../src/modules/privacy/export.service';
import { loadQuestions } from '../src/modules/quiz/questions.service';
import { startCountyApp, type TestApp } from './support/harness';
import { bearer } from './support/client';
import { buildAdmin, buildMember, buildSecretary, type County } from './support/factories';
import { png } from './support/images';
import { binary, workbookOf } from './support/download';
import { NEW_POST } from './support/posts-helpers';

/**
 * 我的数据 and 注销账号 (issue 24) against one member with every kind of record: the export holds each kind, and after
 * closure no collection holds their name, phone, openid, photo or coordinates, while the county's points add up.
 */
let t: TestApp;
let dataDir: string;
let county: County;
let secretary: { id: string };
let admin: { id: string };
let subject: { id: string };
const NAME = '赵守密';
const PHONE = '13600112233';
const OPENID = 'wx-open-zhao-777';
const LAT = 30.545123;
const LNG = 119.975678;
const OUT_LAT = 30.561234;
const photos: string[] = [];
const auth = (id: string) => bearer(t, id);
const ok = <T extends { status: number; text: string }>(res: T, what: string): T => {
  if (res.status >= 300) throw new Error(`${what}: ${res.status} ${res.text}`);
  return res;
};
const as = (id: string) => ({
  get: (url: string) => t.http().get(`/api/v1${url}`).set(auth(id)),
  post: (url: string, body: object = {}) => t.http().post(`/api/v1${url}`).set(auth(id)).send(body),
  put: (url: string, body: object = {}) => t.http().put(`/api/v1${url}`).set(auth(id)).send(body),
  patch: (url: string, body: object = {}) => t.http().patch(`/api/v1${url}`).set(auth(id)).send(body),
});

async function uploadPhoto(id: string): Promise<string> {
  const res = ok(
    await t
      .http()
      .post('/api/v1/uploads')
      .set(auth(id))
      .attach('file', png(4, 4, { noise: true }), { filename: 'a.png', contentType: 'image/png' }),
    'upload',
  );
  photos.push(res.body.url);
  return res.body.url as string;
}

async function dumpAll(): Promise<Record<string, unknown[]>> {
  const db = mongoose.connection.db!;
  const out: Record<string, unknown[]> = {};
  for (const c of await db.listCollections({}, { nameOnly: true }).toArray())
    out[c.name] = await db.collection(c.name).find({}).toArray();
  return out;
}

async function ledgerSum(): Promise<{ n: number; sum: number }> {
  const rows = await mongoose.connection.db!.collection('ledger').find({}).toArray();
  return { n: rows.length, sum: rows.reduce((s, r) => s + (r.delta as number), 0) };
}

/** Every kind of record a member leaves, made through the API as the pages make them. */
async function seedEverything(): Promise<void> {
  const me = as(subject.id);
  const sec = as(secretary.id);
  ok(await me.post('/privacy/consent', { version: PRIVACY_VERSION, decision: 'agree' }), 'consent');
  const photo = await uploadPhoto(subject.id);
  ok(
    await me.patch('/me', {
      identity: { contact: PHONE, photoUrl: photo, dutyTitle: '驻村第一书记', partySince: 2001 },
    }),
    'identity',
  );
  ok(await me.post('/checkins', { lat: LAT, lng: LNG, accuracy: 9, coordType: 'gcj02' }), 'check-in');
  const out = ok(
    await me.post('/checkins', { lat: OUT_LAT, lng: LNG, accuracy: 9, coordType: 'gcj02', reason: '去镇上开会' }),
    'out check-in',
  );
  ok(await sec.post(`/checkins/${out.body.id}/review`, { decision: 'approve' }), 'review');

  const post = ok(await sec.post('/posts', { ...NEW_POST, capacity: 5, orgId: county.branchA.id }), 'post');
  const claim = ok(await me.post(`/posts/${post.body.id}/claims`), 'claim');
  const record = ok(
    await me.post(`/claims/${claim.body.id}/records`, {
      hours: 1,
      note: '引导车辆',
      photoUrls: [await uploadPhoto(subject.id)],
    }),
    'record',
  );
  ok(await sec.post(`/records/${record.body.id}/confirm`), 'confirm record');

  const wish = ok(
    await sec.post('/wishes', {
      title: '买药',
      residentName: '李奶奶',
      residentContact: '13911112222',
      orgId: county.branchA.id,
    }),
    'wish',
  );
  ok(await me.post(`/wishes/${wish.body.id}/claim`), 'wish claim');
  ok(
    await me.post(`/wishes/${wish.body.id}/fulfil`, { note: '已送到', photoUrls: [await uploadPhoto(subject.id)] }),
    'fulfil',
  );
  ok(await sec.post(`/wishes/${wish.body.id}/confirm`), 'wish confirm');

  const year = currentYear();
  const cid = encodeURIComponent(`${subject.id}|${year}`);
  ok(await me.put('/commitments/mine', { year, items: [{ text: '带头参加支部活动' }] }), 'commitment');
  ok(await me.post(`/commitments/${cid}/submit`), 'submit');
  ok(await sec.post(`/commitments/${cid}/review`, { decision: 'approve' }), 'approve');
  ok(
    await me.post(`/commitments/${cid}/progress`, {
      text: '参加了主题党日',
      photoUrls: [await uploadPhoto(subject.id)],
    }),
    'progress',
  );

  const hour = 3_600_000;
  const activity = ok(
    await sec.post('/activities', {
      type: 'group',
      title: '党小组会',
      startsAt: new Date(Date.now() - 2 * hour).toISOString(),
      endsAt: new Date(Date.now() - hour).toISOString(),
      org: county.branchA.id,
    }),
    'activity',
  );
  ok(await sec.post(`/activities/${activity.body.id}/attendees`, { userId: subject.id, reason: '纸质签到' }), '补录');

  const attempt = ok(await me.post('/quiz/attempts', { kind: 'daily' }), 'quiz');
  ok(await me.post(`/quiz/attempts/${attempt.body.id}/submit`, { answers: [] }), 'quiz submit');
  ok(await as(admin.id).post('/points/adjustments', { userId: subject.id, delta: 3, reason: '协助换届' }), 'adjust');
  ok(await sec.get(`/members/${subject.id}/contact`), 'contact view');
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'pioneer-privacy-'));
  ({ t, county } = await startCountyApp({ dataDir }));
  await loadQuestions(
    Array.from({ length: 6 }, (_, i) => ({
      type: 'judge' as const,
      stem: `隐私测试题${i}：这句话是对的。`,
      options: ['正确', '错误'],
      answer: ['A' as const],
      explanation: '',
      tags: [],
      difficulty: 1,
      active: true,
    })),
  );
  admin = await buildAdmin({ of: county.county, branch: county.branchB, name: '县管理员' });
  secretary = await buildSecretary(county.branchA, '甲书记');
  subject = await buildMember({
    branch: county.branchA,
    roles: ['member', 'cadre'],
    postedTo: county.villageA,
    name: NAME,
    openid: OPENID,
  });
  await seedEverything();
});
afterAll(() => t.close());

describe('我的数据 (issue 24)', () => {
  test('the export holds every kind of record of the member, and every collection naming them is exported or derived', async () => {
    const res = await as(subject.id).get('/me/data');
    expect(res.status).toBe(200);
    const data = res.body as MyData;
    const count = (key: string) => data.sections.find((s) => s.key === key)?.rows.length ?? 0;
    for (const key of [
      'users',
      'privacy_consents',
      'logins',
      'ledger',
      'checkins',
      'checkin_months',
      'quiz_attempts',
      'commitments',
      'post_claims',
      'post_records',
      'wishes',
      'activity_signins',
      'uploads',
      'audits',
    ]) {
      expect([key, count(key)]).toEqual([key, expect.any(Number)]);
      expect([key, count(key) > 0]).toEqual([key, true]);
    }
    const text = JSON.stringify(data);
    for (const s of [NAME, PHONE, OPENID, String(LAT)]) expect(text).toContain(s);
    // The wish's resident is not the member's data.
    expect(text).not.toContain('13911112222');

    // Collections whose documents name the member but are derived from the exported ones (totals, boards, feeds,
    // queues, walls, indexes), or are counters and locks holding nothing but ids and numbers (数据看板 counters and
    // its count-once markers `active|<year>|<slot>|<userId>`; an org's subtree document, whose cadres are ids with
    // their posting dates, derived from the exported account; change_marks: a member's id and a stamp of their last
    // write for other processes' views and session claims, pruned once eleven minutes old, db/change-marks.ts).
    const DERIVED =
      /^(points_|audit_|checkin_last_fix|checkin_coords|checkin_review_queue|checkin_reviews|post_member_claims|commitment_|activity_|activities|posts|quiz_|upload_quota|settings|idempotent_replies|cas_|dashboard_|org_subtrees|change_marks)/;
    const exported = new Set(EXPORT_SOURCES.map((s) => s.collection));
    const dump = await dumpAll();
    const naming = Object.entries(dump)
      .filter(([, docs]) => docs.some((d) => JSON.stringify(d).includes(subject.id)))
      .map(([name]) => name);
    expect(naming.filter((name) => !exported.has(name) && !DERIVED.test(name))).toEqual([]);
  });

  test('the XLSX download has a sheet per kind with the member in it', async () => {
    const res = await as(subject.id).get('/me/data?format=xlsx').buffer(true).parse(binary);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = await workbookOf(res.body);
    expect(wb.worksheets.map((w) => w.name)).toEqual(
      expect.arrayContaining(['个人资料', '驻村打卡', '积分明细', '服务记录']),
    );
    const profile = JSON.stringify(wb.getWorksheet('个人资料')!.getSheetValues());
    expect(profile).toContain(NAME);
    expect(profile).toContain(PHONE);
  });

  test('a member corrects their name and contact; a bad number is refused in Chinese and writes nothing', async () => {
    const bad = await as(subject.id).patch('/me', { identity: { contact: '12345' } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('11位手机号');
    expect((await as(subject.id).get('/me')).body.identity.contact).toBe(PHONE);
  });
});

describe('注销账号 (issue 24)', () => {
  test('closure needs the typed word; afterwards nothing personal survives in any collection, the county still adds up, and the secretary sees 已注销党员', async () => {
    const before = await ledgerSum();
    expect((await as(subject.id).post('/me/close', { confirm: '好的' })).status).toBe(400);
    expect((await as(subject.id).get('/me')).status).toBe(200);

    expect(ok(await as(subject.id).post('/me/close', { confirm: '注销' }), 'close').body).toEqual({ closed: true });
    // The session is gone, and WeChat sign-in with the same openid makes a new, empty member.
    expect((await as(subject.id).get('/me')).status).toBe(401);

    const dump = await dumpAll();
    const secrets = [
      NAME,
      PHONE,
      OPENID,
      String(LAT),
      String(OUT_LAT),
      String(LNG),
      ...photos,
      ...photos.map((u) => u.split('/').pop()!),
    ];
    const survivors: string[] = [];
    for (const [name, docs] of Object.entries(dump)) {
      for (const d of docs) {
        const text = JSON.stringify(d);
        for (const s of secrets) if (text.includes(s)) survivors.push(`${name}: ${s} in ${text.slice(0, 200)}`);
      }
    }
    expect(survivors).toEqual([]);
    for (const url of photos) expect(existsSync(path.join(dataDir, 'uploads', url.split('/uploads/')[1]!))).toBe(false);

    expect(await ledgerSum()).toEqual(before);
    const list = await as(secretary.id).get(`/orgs/${county.branchA.id}/members`);
    const names = JSON.stringify(list.body);
    expect(names).toContain('已注销党员');
    expect(names).not.toContain(NAME);
  });
});
