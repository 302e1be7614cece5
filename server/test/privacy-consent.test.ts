import type { AuditPage } from '@pioneer/shared';
import { PRIVACY_VERSION, type PrivacyStatus } from '@pioneer/shared/src/privacy';
import { ConsentModel } from '../src/modules/privacy/privacy.model';
import { copyConsentsToUsers } from '../src/modules/privacy/consent-copy';
import { saveConsent } from '../src/modules/privacy/consent.service';
import { SettingModel } from '../src/modules/settings/settings.model';
import { UserModel } from '../src/modules/users/users.model';
import { startCountyApp, type TestApp } from './support/harness';
import { buildAdmin, buildMember, buildSecretary, type County } from './support/factories';
import { png } from './support/images';
import { bearer, client } from './support/client';

let t: TestApp;
let county: County;
const auth = (id: string) => bearer(t, id);
const as = (id: string) => client(t, id);
const status = async (id: string) => (await as(id).get('/privacy')).body as PrivacyStatus;
const consent = (id: string, decision: 'agree' | 'refuse', version = PRIVACY_VERSION) =>
  as(id).post('/privacy/consent', { version, decision });
const inside = { lat: 30.5447, lng: 119.9752, accuracy: 10, coordType: 'gcj02' };
const checkIn = (id: string) => as(id).post('/checkins', inside);
const upload = (id: string) =>
  t
    .http()
    .post('/api/v1/uploads')
    .set(auth(id))
    .attach('file', png(4, 4), { filename: 'a.png', contentType: 'image/png' });
const setPhone = (id: string) => as(id).patch('/me', { identity: { contact: '13812345678' } });

beforeAll(async () => ({ t, county } = await startCountyApp()));
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
    expect((await as(cadre.id).get('/me')).status).toBe(200);
    expect((await as(cadre.id).patch('/me', { careMode: true })).status).toBe(200);

    expect((await consent(cadre.id, 'agree')).status).toBe(200);
    expect((await checkIn(cadre.id)).status).toBeLessThan(300);
    expect((await upload(cadre.id)).status).toBe(201);
    expect((await setPhone(cadre.id)).status).toBe(200);
    const doc = await ConsentModel.findById(cadre.id).lean();
    expect(doc!.history.map((h) => h.decision)).toEqual(['refuse']);
  });

  test('activity location sign-in is behind the same gate; QR sign-in stays open to a member who refused', async () => {
    const secretary = await buildSecretary(county.branchA);
    const m = await buildMember({ branch: county.branchA });
    const soon = (min: number) => new Date(Date.now() + min * 60_000).toISOString();
    const created = await as(secretary.id).post('/activities', {
      type: 'theme_day',
      title: '主题党日',
      startsAt: soon(-5),
      endsAt: soon(60),
      place: { name: '村党群服务中心', fence: { lat: 30.5447, lng: 119.9752, radiusM: 200 } },
    });
    expect(created.status).toBe(201);
    const signin = () =>
      as(m.id).post(`/activities/${created.body.id}/signin`, {
        lat: 30.5448,
        lng: 119.9753,
        accuracy: 20,
        coordType: 'gcj02',
      });
    expect((await consent(m.id, 'refuse')).status).toBe(200);
    const refused = await signin();
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain('活动定位签到');
    expect(refused.body.error.message).toContain('隐私保护指引');
    const attendance = await as(secretary.id).get(`/activities/${created.body.id}/attendance`);
    expect(JSON.stringify(attendance.body.present)).not.toContain(m.id);
    // QR sign-in reads no location: still open.
    const qr = await as(secretary.id).get(`/activities/${created.body.id}/qr`);
    expect((await as(m.id).post(`/activities/${created.body.id}/signin`, { token: qr.body.token })).status).toBe(201);
    const other = await buildMember({ branch: county.branchA });
    expect((await consent(other.id, 'agree')).status).toBe(200);
    expect(
      (
        await as(other.id).post(`/activities/${created.body.id}/signin`, {
          lat: 30.5448,
          lng: 119.9753,
          accuracy: 20,
          coordType: 'gcj02',
        })
      ).status,
    ).toBe(201);
  });

  test('a new version of the guide asks again and gates the features until the member agrees to it', async () => {
    const cadre = await buildMember({ branch: county.branchA, roles: ['member', 'cadre'], postedTo: county.villageA });
    // The member agreed to an earlier text (the API takes only the version in force).
    await saveConsent(cadre.id, '2025-01-01.1', 'agree', new Date('2025-01-02'));
    expect(await status(cadre.id)).toMatchObject({ needsConsent: true, disabled: ['location', 'photos', 'phone'] });
    expect((await checkIn(cadre.id)).status).toBe(403);
    // Answering the old version (a page left open across a release) is refused and writes nothing.
    expect((await consent(cadre.id, 'agree', '2025-01-01.1')).status).toBe(409);
    expect((await ConsentModel.findById(cadre.id).lean())!.version).toBe('2025-01-01.1');
    expect((await consent(cadre.id, 'agree')).body).toMatchObject({ needsConsent: false, disabled: [] });
    expect((await checkIn(cadre.id)).status).toBeLessThan(300);
  });

  test('members from before the copy on the member document: the gate reads their record until the start-up copy', async () => {
    const legacy = async (answer?: { version: string; decision: 'agree' | 'refuse' }) => {
      const cadre = await buildMember({
        branch: county.branchA,
        roles: ['member', 'cadre'],
        postedTo: county.villageA,
      });
      await UserModel.updateOne({ _id: cadre.id }, { $unset: { privacyConsent: '' } });
      if (answer) await ConsentModel.create({ _id: cadre.id, ...answer, at: new Date('2025-01-02') });
      return cadre.id;
    };
    const refused = await legacy({ version: PRIVACY_VERSION, decision: 'refuse' });
    const oldText = await legacy({ version: '2025-01-01.1', decision: 'agree' });
    const agreed = await legacy({ version: PRIVACY_VERSION, decision: 'agree' });
    const never = await legacy();
    // No copy yet: the record decides (a refusal, or an answer to an older text, keeps location off).
    expect((await checkIn(refused)).status).toBe(403);
    expect((await checkIn(oldText)).status).toBe(403);
    expect((await checkIn(agreed)).status).toBeLessThan(300);
    // An answer given before the walk reaches the member is kept, not overwritten by the record.
    const answeredMeanwhile = await legacy({ version: PRIVACY_VERSION, decision: 'refuse' });
    expect((await consent(answeredMeanwhile, 'agree')).status).toBe(200);

    await SettingModel.deleteOne({ _id: 'migrated|consent-on-users' });
    const copied = await copyConsentsToUsers(2);
    expect(copied.skipped).toBe(false);
    expect(copied.users).toBeGreaterThanOrEqual(4);
    const copyOf = async (id: string) => (await UserModel.findById(id).lean())!.privacyConsent;
    expect(await copyOf(refused)).toEqual({ version: PRIVACY_VERSION, decision: 'refuse' });
    expect(await copyOf(oldText)).toEqual({ version: '2025-01-01.1', decision: 'agree' });
    expect(await copyOf(never)).toBeNull();
    expect(await copyOf(answeredMeanwhile)).toEqual({ version: PRIVACY_VERSION, decision: 'agree' });
    // The copy now decides: the record is no longer read (deleting it changes nothing).
    await ConsentModel.deleteMany({ _id: { $in: [refused, oldText] } });
    expect((await checkIn(refused)).status).toBe(403);
    expect((await checkIn(oldText)).status).toBe(403);
    expect((await checkIn(never)).status).toBeLessThan(300);
    // Once finished, start-up skips the walk.
    expect(await copyConsentsToUsers()).toEqual({ skipped: true, users: 0 });
  });

  test('bad answers are refused in Chinese and write nothing', async () => {
    const m = await buildMember({ branch: county.branchA });
    const res = await as(m.id).post('/privacy/consent', { version: PRIVACY_VERSION, decision: 'maybe' });
    expect(res.status).toBe(400);
    expect(await ConsentModel.findById(m.id).lean()).toBeNull();
  });

  test('a county admin sets the retention and the contact; the guide shows them; members cannot', async () => {
    const admin = await buildAdmin({ of: county.county, branch: county.branchA });
    const m = await buildMember({ branch: county.branchA });
    const body = { org: county.county.id, retentionDays: 60, contact: '县委组织部 0571-12345678' };
    expect((await as(m.id).put('/privacy/settings', body)).status).toBe(403);
    const tooShort = await as(admin.id).put('/privacy/settings', { ...body, retentionDays: 3 });
    expect(tooShort.status).toBe(400);
    expect(JSON.stringify(tooShort.body)).toContain('不能少于 30 天');
    expect((await as(admin.id).put('/privacy/settings', body)).status).toBe(200);
    const s = await status(m.id);
    expect(s.facts).toMatchObject({ retentionDays: 60, contact: '县委组织部 0571-12345678' });
    expect(s.sections.flatMap((x) => x.body).join('')).toContain('保存 60 天');
    // Back to the default for the other tests.
    await as(admin.id).put('/privacy/settings', { ...body, retentionDays: 90 });
  });
});

describe('access to personal data is audited (issue 24)', () => {
  test('an unmasked phone, a resident contact and a report export are each a line (who, whose, when) in the county log', async () => {
    const admin = await buildAdmin({ of: county.county, branch: county.branchB, name: '县管理员' });
    const secretary = await buildSecretary(county.branchA, '甲书记');
    const member = await buildMember({ branch: county.branchA, name: '李党员', contact: '13912345678' });
    const other = await buildMember({ branch: county.branchB, name: '乙党员', contact: '13700001111' });

    const seen = await as(secretary.id).get(`/members/${member.id}/contact`);
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ name: '李党员', contact: '13912345678' });
    // Not their branch: refused, and no line.
    expect((await as(secretary.id).get(`/members/${other.id}/contact`)).status).toBe(403);

    const wish = await as(secretary.id).post('/wishes', {
      title: '修水管',
      residentName: '张大爷',
      residentContact: '13900001111',
      orgId: county.branchA.id,
    });
    const contact = await as(secretary.id).get(`/wishes/${wish.body.id}/contact`);
    expect(contact.body).toMatchObject({ residentName: '张大爷', residentContact: '13900001111' });
    const plainMember = await buildMember({ branch: county.branchA });
    expect((await as(plainMember.id).get(`/wishes/${wish.body.id}/contact`)).status).toBe(403);

    const file = await as(secretary.id).get('/checkins/report').query({ org: county.branchA.id, format: 'xlsx' });
    expect(file.status).toBe(200);

    const log = (await as(admin.id).get('/audit').query({ org: county.county.id, action: 'privacy' }))
      .body as AuditPage;
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
