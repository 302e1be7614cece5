/**
 * 三会一课 required frequencies per county: the defaults until an admin of the county saves a table; the record
 * book counts against it; only the county's admins change it, audited.
 */
import { ACTIVITY_FREQUENCIES, type ActivityFrequencies, type FrequencyTable, type RecordBook } from '@pioneer/shared';
import { AuditModel } from '../src/modules/audit/audit.model';
import { SettingModel } from '../src/modules/settings/settings.model';
import { startCountyApp, type TestApp } from './support/harness';
import { buildAdmin, buildMember, buildOrg, buildSecretary, type County } from './support/factories';
import { client } from './support/client';

let t: TestApp;
let county: County;
let admin: { id: string };
let townshipAdmin: { id: string };
let otherAdmin: { id: string };
let secretary: { id: string };
let member: { id: string };
let otherCounty: { id: string };
const as = (id: string) => client(t, id, '/api/v1/activities');
const quarter = '2026-Q2';

const stricter: FrequencyTable = { ...ACTIVITY_FREQUENCIES, lecture: 'monthly', theme_day: 'monthly', group: 'none' };
const put = (by: string, body: unknown) => as(by).put('/frequencies', body as object);
const book = async (by: string): Promise<RecordBook> => {
  const res = await as(by).get(`/record-book?quarter=${quarter}&org=${county.branchA.id}`);
  expect(res.status).toBe(200);
  return res.body as RecordBook;
};
const required = (b: RecordBook, type: string) => b.branches[0]!.byType.find((x) => x.type === type)!.required;

beforeAll(async () => {
  ({ t, county } = await startCountyApp());
  const other = await buildOrg('county', '邻县');
  otherCounty = other;
  const otherBranch = await buildOrg('branch', '邻县机关党支部', other);
  admin = await buildAdmin({ of: county.county, branch: county.branchB, name: '县管理员' });
  townshipAdmin = await buildAdmin({ of: county.townA, branch: county.branchA, name: '镇管理员' });
  otherAdmin = await buildAdmin({ of: other, branch: otherBranch, name: '邻县管理员' });
  secretary = await buildSecretary(county.branchA, '甲书记');
  member = await buildMember({ branch: county.branchA, name: '甲党员' });
});
afterAll(() => t.close());

describe('required frequencies per county', () => {
  test('when nothing is saved, then the county reads the defaults and the record book counts against them', async () => {
    const res = await as(secretary.id).get('/frequencies');
    expect(res.status).toBe(200);
    expect(res.body as ActivityFrequencies).toEqual({
      org: { id: county.county.id, name: '测试县' },
      frequencies: ACTIVITY_FREQUENCIES,
      isDefault: true,
      canEdit: false,
    });
    expect(((await as(admin.id).get('/frequencies')).body as ActivityFrequencies).canEdit).toBe(true);
    const b = await book(secretary.id);
    expect([required(b, 'lecture'), required(b, 'group'), required(b, 'theme_day')]).toEqual([1, 3, 0]);
  });

  test('when a member, a secretary or a township admin puts, then 403 and nothing is stored', async () => {
    for (const who of [member, secretary, townshipAdmin]) {
      const res = await put(who.id, { org: county.county.id, frequencies: stricter });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    }
    expect((await as(member.id).get('/frequencies')).status).toBe(403);
    expect(await SettingModel.findById(`activity-frequencies|${county.county.id}`).lean()).toBeNull();
  });

  test('when the admin of another county puts or reads this county, then 403', async () => {
    expect((await put(otherAdmin.id, { org: county.county.id, frequencies: stricter })).status).toBe(403);
    expect((await as(otherAdmin.id).get(`/frequencies?org=${county.county.id}`)).status).toBe(403);
    expect(await SettingModel.findById(`activity-frequencies|${county.county.id}`).lean()).toBeNull();
  });

  test.each([
    ['an unknown frequency', (o: string) => ({ org: o, frequencies: { ...ACTIVITY_FREQUENCIES, lecture: 'weekly' } })],
    ['a missing type', (o: string) => ({ org: o, frequencies: { party_congress: 'quarterly' } })],
    ['no frequencies', (o: string) => ({ org: o })],
    ['no org', () => ({ frequencies: ACTIVITY_FREQUENCIES })],
    ['an operator for the org', () => ({ org: { $ne: null }, frequencies: ACTIVITY_FREQUENCIES })],
  ])('when the body has %s, then 400 and nothing is stored', async (_what, body) => {
    const res = await put(admin.id, body(county.county.id));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(await SettingModel.findById(`activity-frequencies|${county.county.id}`).lean()).toBeNull();
  });

  test('when the org is not a county, then 400', async () => {
    const res = await put(admin.id, { org: county.townA.id, frequencies: stricter });
    expect(res.status).toBe(400);
  });

  test('when the county admin puts a table, then it is stored, audited, read back and the record book changes', async () => {
    const res = await put(admin.id, { org: county.county.id, frequencies: stricter });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      org: { id: county.county.id, name: '测试县' },
      frequencies: stricter,
      isDefault: false,
      canEdit: true,
    });
    expect(
      (await SettingModel.findById(`activity-frequencies|${county.county.id}`).lean<{ frequencies: FrequencyTable }>())!
        .frequencies,
    ).toEqual(stricter);
    const audit = await AuditModel.findOne({ action: 'activities.frequencies', targetId: county.county.id }).lean<{
      actorId: string;
      details: { frequencies: FrequencyTable; previous: unknown };
    }>();
    expect(audit).toMatchObject({ actorId: admin.id, details: { frequencies: stricter, previous: null } });

    const read = (await as(secretary.id).get('/frequencies')).body as ActivityFrequencies;
    expect(read).toMatchObject({ frequencies: stricter, isDefault: false });
    const b = await book(secretary.id);
    expect([required(b, 'lecture'), required(b, 'group'), required(b, 'theme_day')]).toEqual([3, 0, 3]);
    expect(b.branches[0]!.byType.find((x) => x.type === 'group')!.met).toBe(true);
    // The admin's book over the whole county uses the same table.
    const whole = (await as(admin.id).get(`/record-book?quarter=${quarter}`)).body as RecordBook;
    expect(whole.branches.map((br) => br.byType.find((x) => x.type === 'theme_day')!.required)).toEqual(
      whole.branches.map(() => 3),
    );
  });

  test('when another county has saved nothing, then its record book still uses the defaults', async () => {
    const res = await as(otherAdmin.id).get(`/frequencies?org=${otherCounty.id}`);
    expect(res.body).toMatchObject({ isDefault: true, frequencies: ACTIVITY_FREQUENCIES });
    const b = (await as(otherAdmin.id).get(`/record-book?quarter=${quarter}`)).body as RecordBook;
    expect(required(b, 'lecture')).toBe(1);
  });
});
