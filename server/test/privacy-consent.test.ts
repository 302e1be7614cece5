import type { AuditPage } from '@pioneer/shared';
import { PRIVACY_VERSION, type PrivacyStatus } from '@pioneer/shared/src/privacy';
import { ConsentModel } from '../src/modules/privacy/privacy.model';
import { startTestApp, type TestApp } from './support/harness';
import { buildCounty, buildMember } from './support/factories';
import { png } from './support/images';

let t: TestApp;
let county: Awaited<ReturnType<typeof buildCounty>>;
const auth = (id: string) => ({ authorization: `Bearer ${t.tokenFor(id)}` });
const status = async (id: string) => (await t.http().get('/api/v1/privacy').set(auth(id))).body as PrivacyStatus;
const consent = (id: string, decision: 'agree' | 'refuse', version = PRIVACY_VERSION) =>
  t.http().post('/api/v1/privacy/consent').set(auth(id)).send({ version, decision });
const inside = { lat: 30.5447, lng: 119.9752, accuracy: 10, coordType: 'gcj02' };
const checkIn = (id: string) => t.http().post('/api/v1/checkins').set(auth(id)).send(inside);
const upload = (id: string) =>
  t
    .http()
    .post('/api/v1/uploads')
    .set(auth(id))
    .attach('file', png(4, 4), { filename: 'a.png', contentType: 'image/png' });
const setPhone = (id: string) =>
  t
    .http()
    .patch('/api/v1/me')
    .set(auth(id))
    .send({ identity: { contact: '13812345678' } });

beforeAll(async () => {
  t = await startTestApp();
  county = await buildCounty();
});
afterAll(() => t.close());

describe('隐私保护指引 and consent (issue 24)', () => {
  test('the guide names the county as controller, the retention and the request contact; it asks until answered', async () => {
    const m = await buildMember({ branch: county.branchA });
    const s = await status(m.id);
    expect(s).toMatchObject({ version: PRIVACY_VERSION, consent: null, needsConsent: true, disabled: [] });
    expect(s.facts).toMatchObject({ controller: '测试县（县委组织部）', retentionDays: 90 });
    const text = s.sections.flatMap((x) => [x.title, ...x.body]).join('\n');
    for (const words of ['测试县', '90 天', '138****5678', '操作记录', '注销', '我的数据'])
      expect(text).toContain(words);

    const agreed = (await consent(m.id, 'agree')).body as PrivacyStatus;
    expect(agreed).toMatchObject({
      needsConsent: false,
      disabled: [],
      consent: { version: PRIVACY_VERSION, decision: 'agree' },
    });
    expect(Date.now() - new Date(agreed.consent!.at).getTime()).toBeLessThan(60_000);
  });

  test('a refusal switches off location check-in, photo upload and the phone number, and says which; agreeing turns them on', async () => {
    const cadre = await buildMember({ branch: county.branchA, roles: ['member', 'cadre'], postedTo: county.villageA });
    expect((await consent(cadre.id, 'refuse')).body).toMatchObject({
      needsConsent: false,
      disabled: ['location', 'photos', 'phone'],
    });
    const refusedCheckin = await checkIn(cadre.id);
    expect(refusedCheckin.status).toBe(403);
    expect(refusedCheckin.body.error.message).toContain('驻村打卡');
    expect(refusedCheckin.body.error.message).toContain('隐私保护指引');
    expect((await upload(cadre.id)).status).toBe(403);
    expect((await setPhone(cadre.id)).status).toBe(403);
    // The rest of the app keeps working: the member's own page, and their name without a phone number.
    expect((await t.http().get('/api/v1/me').set(auth(cadre.id))).status).toBe(200);
    expect((await t.http().patch('/api/v1/me').set(auth(cadre.id)).send({ careMode: true })).status).toBe(200);

    expect((await consent(cadre.id, 'agree')).status).toBe(200);
    expect((await checkIn(cadre.id)).status).toBeLessThan(300);
    expect((await upload(cadre.id)).status).toBe(201);
    expect((await setPhone(cadre.id)).status).toBe(200);
    const doc = await ConsentModel.findById(cadre.id).lean();
    expect(doc!.history.map((h) => h.decision)).toEqual(['refuse']);
  });

  test('activity location sign-in is behind the same gate; QR sign-in stays open to a member who refused', async () => {
    const secretary = await buildMember({ branch: county.branchA, roles: ['member', 'secretary'] });
    const m = await buildMember({ branch: county.branchA });
    const soon = (min: number) => new Date(Date.now() + min * 60_000).toISOString();
    const created = await t
      .http()
      .post('/api/v1/activities')
      .set(auth(secretary.id))
      .send({
        type: 'theme_day',
        title: '主题党日',
        startsAt: soon(-5),
        endsAt: soon(60),
        place: { name: '村党群服务中心', fence: { lat: 30.5447, lng: 119.9752, radiusM: 200 } },
      });
    expect(created.status).toBe(201);
    const signin = () =>
      t
        .http()
        .post(`/api/v1/activities/${created.body.id}/signin`)
        .set(auth(m.id))
        .send({ lat: 30.5448, lng: 119.9753, accuracy: 20, coordType: 'gcj02' });
    expect((await consent(m.id, 'refuse')).status).toBe(200);
    const refused = await signin();
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain('活动定位签到');
    expect(refused.body.error.message).toContain('隐私保护指引');
    const attendance = await t.http().get(`/api/v1/activities/${created.body.id}/attendance`).set(auth(secretary.id));
    expect(JSON.stringify(attendance.body.present)).not.toContain(m.id);
    // QR sign-in reads no location: still open.
    const qr = await t.http().get(`/api/v1/activities/${created.body.id}/qr`).set(auth(secretary.id));
    expect(
      (
        await t
          .http()
          .post(`/api/v1/activities/${created.body.id}/signin`)
          .set(auth(m.id))
          .send({ token: qr.body.token })
      ).status,
    ).toBe(201);
    const other = await buildMember({ branch: county.branchA });
    expect((await consent(other.id, 'agree')).status).toBe(200);
    expect(
      (
        await t
          .http()
          .post(`/api/v1/activities/${created.body.id}/signin`)
          .set(auth(other.id))
          .send({ lat: 30.5448, lng: 119.9753, accuracy: 20, coordType: 'gcj02' })
      ).status,
    ).toBe(201);
  });

  test('a new version of the guide asks again and gates the features until the member agrees to it', async () => {
    const cadre = await buildMember({ branch: county.branchA, roles: ['member', 'cadre'], postedTo: county.villageA });
    // The member agreed to an earlier text.
    await ConsentModel.create({
      _id: cadre.id,
      version: '2025-01-01.1',
      decision: 'agree',
      at: new Date('2025-01-02'),
    });
    expect(await status(cadre.id)).toMatchObject({ needsConsent: true, disabled: ['location', 'photos', 'phone'] });
    expect((await checkIn(cadre.id)).status).toBe(403);
    // Answering the old version (a page left open across a release) is refused and writes nothing.
    expect((await consent(cadre.id, 'agree', '2025-01-01.1')).status).toBe(409);
    expect((await ConsentModel.findById(cadre.id).lean())!.version).toBe('2025-01-01.1');
    expect((await consent(cadre.id, 'agree')).body).toMatchObject({ needsConsent: false, disabled: [] });
    expect((await checkIn(cadre.id)).status).toBeLessThan(300);
  });

  test('bad answers are refused in Chinese and write nothing', async () => {
    const m = await buildMember({ branch: county.branchA });
    const res = await t
      .http()
      .post('/api/v1/privacy/consent')
      .set(auth(m.id))
      .send({ version: PRIVACY_VERSION, decision: 'maybe' });
    expect(res.status).toBe(400);
    expect(await ConsentModel.findById(m.id).lean()).toBeNull();
  });

  test('a county admin sets the retention and the contact; the guide shows them; members cannot', async () => {
    const admin = await buildMember({ branch: county.branchA, roles: ['member', 'admin'], adminOf: county.county });
    const m = await buildMember({ branch: county.branchA });
    const body = { org: county.county.id, retentionDays: 60, contact: '县委组织部 0571-12345678' };
    expect((await t.http().put('/api/v1/privacy/settings').set(auth(m.id)).send(body)).status).toBe(403);
    const tooShort = await t
      .http()
      .put('/api/v1/privacy/settings')
      .set(auth(admin.id))
      .send({ ...body, retentionDays: 3 });
    expect(tooShort.status).toBe(400);
    expect(JSON.stringify(tooShort.body)).toContain('不能少于 30 天');
    expect((await t.http().put('/api/v1/privacy/settings').set(auth(admin.id)).send(body)).status).toBe(200);
    const s = await status(m.id);
    expect(s.facts).toMatchObject({ retentionDays: 60, contact: '县委组织部 0571-12345678' });
    expect(s.sections.flatMap((x) => x.body).join('')).toContain('保存 60 天');
    // Back to the default for the other tests.
    await t
      .http()
      .put('/api/v1/privacy/settings')
      .set(auth(admin.id))
      .send({ ...body, retentionDays: 90 });
  });
});

describe('access to personal data is audited (issue 24)', () => {
  test('an unmasked phone, a resident contact and a report export are each a line (who, whose, when) in the county log', async () => {
    const admin = await buildMember({
      branch: county.branchB,
      roles: ['member', 'admin'],
      adminOf: county.county,
      name: '县管理员',
    });
    const secretary = await buildMember({ branch: county.branchA, roles: ['member', 'secretary'], name: '甲书记' });
    const member = await buildMember({ branch: county.branchA, name: '李党员', contact: '13912345678' });
    const other = await buildMember({ branch: county.branchB, name: '乙党员', contact: '13700001111' });

    const seen = await t.http().get(`/api/v1/members/${member.id}/contact`).set(auth(secretary.id));
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ name: '李党员', contact: '13912345678' });
    // Not their branch: refused, and no line.
    expect((await t.http().get(`/api/v1/members/${other.id}/contact`).set(auth(secretary.id))).status).toBe(403);

    const wish = await t
      .http()
      .post('/api/v1/wishes')
      .set(auth(secretary.id))
      .send({ title: '修水管', residentName: '张大爷', residentContact: '13900001111', orgId: county.branchA.id });
    const contact = await t.http().get(`/api/v1/wishes/${wish.body.id}/contact`).set(auth(secretary.id));
    expect(contact.body).toMatchObject({ residentName: '张大爷', residentContact: '13900001111' });
    const plainMember = await buildMember({ branch: county.branchA });
    expect((await t.http().get(`/api/v1/wishes/${wish.body.id}/contact`).set(auth(plainMember.id))).status).toBe(403);

    const file = await t
      .http()
      .get('/api/v1/checkins/report')
      .query({ org: county.branchA.id, format: 'xlsx' })
      .set(auth(secretary.id));
    expect(file.status).toBe(200);

    const log = (
      await t.http().get('/api/v1/audit').query({ org: county.county.id, action: 'privacy' }).set(auth(admin.id))
    ).body as AuditPage;
    expect(log.items.map((i) => i.action)).toEqual([
      'privacy.export',
      'privacy.resident_contact_view',
      'privacy.contact_view',
    ]);
    expect(log.items[2]).toMatchObject({
      actor: { id: secretary.id, name: '甲书记' },
      actionLabel: '查看党员完整手机号',
      target: { id: member.id, label: '李党员' },
    });
    expect(log.items[1]).toMatchObject({ actionLabel: '查看群众联系方式', target: { id: wish.body.id } });
    expect(log.items[0]).toMatchObject({ actionLabel: '导出名单或报表', target: { id: county.branchA.id } });
    expect(log.items[0]!.summary).toContain('XLSX');
    for (const i of log.items) expect(Date.now() - new Date(i.at).getTime()).toBeLessThan(120_000);
  });
});
