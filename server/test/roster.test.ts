import ExcelJS from 'exceljs';
import { startCountyApp, type TestApp } from './support/harness';
import { buildAdmin, buildSecretary, type County } from './support/factories';
import { confirmAndWait, csv, dryRun, HEADER } from './support/roster-helpers';
import { UserModel } from '../src/modules/users/users.model';
import { OrgModel } from '../src/modules/orgs/orgs.model';
import { RosterRowModel, rosterKey } from '../src/modules/roster/roster.model';
import { unseal } from '../src/modules/privacy/field-crypto';
import { binary, workbookOf } from './support/download';

let t: TestApp;
let c: County;
let countyAdmin: string;
let townAdmin: string;
let secretary: string;
beforeAll(async () => {
  ({ t, county: c } = await startCountyApp());
  countyAdmin = t.tokenFor((await buildAdmin({ of: c.county, branch: c.branchA })).id);
  townAdmin = t.tokenFor((await buildAdmin({ of: c.townB, branch: c.branchB })).id);
  secretary = t.tokenFor((await buildSecretary(c.branchA)).id);
});
afterAll(() => t.close());

const rowsOf = (res: { body: { rows: { row: number; status: string; reason: string | null }[] } }) =>
  res.body.rows.map((r) => [r.row, r.status, r.reason]);
const memberCount = async (id: string) => (await OrgModel.findById(id).lean())!.memberCount;
const userByPhone = async (phone: string) => {
  const row = await RosterRowModel.findById(rosterKey(c.county.id, phone)).lean();
  return row ? UserModel.findById(row.userId).lean() : null;
};

describe('roster import', () => {
  const file = csv(
    '王一,13800000001,甲镇/甲村/甲村党支部,正式党员,2001-07-01,村委委员,党员,',
    '王二,13800000002,甲村党支部,预备党员,2024/6/30,,支部书记,',
    '王三,13800000003,甲村第二党支部,正式党员,1999年10月1日,,驻村干部,甲村',
  );

  test('a dry run reports every row and writes no member; confirm writes them with their roles and counts', async () => {
    const before = await memberCount(c.branchA.id);
    const dry = await dryRun(t.http(), countyAdmin, file);
    expect(dry.status).toBe(201);
    expect(rowsOf(dry)).toEqual([
      [2, 'created', null],
      [3, 'created', null],
      [4, 'created', null],
    ]);
    expect(await userByPhone('13800000001')).toBeNull();
    const done = await confirmAndWait(t.http(), countyAdmin, dry.body.key);
    expect(done).toMatchObject({ state: 'done', counts: { created: 3, updated: 0, unchanged: 0, error: 0 } });
    const one = await userByPhone('13800000001');
    expect(one).toMatchObject({
      name: '王一',
      roles: ['member'],
      orgId: c.branchA.id,
      identity: { contactTail: '0001', dutyTitle: '村委委员', partySince: 2001 },
    });
    // Sealed at rest (issue 24).
    expect(unseal((await userByPhone('13800000001'))!.identity!.contact)).toBe('13800000001');
    expect((await userByPhone('13800000002'))!.roles).toEqual(['member', 'secretary']);
    expect(await userByPhone('13800000003')).toMatchObject({
      roles: ['member', 'cadre'],
      postedVillageId: c.villageA.id,
      orgId: c.branchA2.id,
    });
    expect(await memberCount(c.branchA.id)).toBe(before + 2);
  });

  test('re-importing the same file changes nothing', async () => {
    const users = await UserModel.find({ 'identity.contactTail': /^000\d$/ }).lean();
    const dry = await dryRun(t.http(), countyAdmin, file);
    expect(rowsOf(dry).map((r) => r[1])).toEqual(['unchanged', 'unchanged', 'unchanged']);
    const done = await confirmAndWait(t.http(), countyAdmin, dry.body.key);
    expect(done.counts).toEqual({ created: 0, updated: 0, unchanged: 3, error: 0 });
    const after = await UserModel.find({ 'identity.contactTail': /^000\d$/ }).lean();
    expect(after.map((u) => [u._id, u.updatedAt?.getTime()])).toEqual(
      users.map((u) => [u._id, u.updatedAt?.getTime()]),
    );
  });

  test('an edited file updates the same members in place (key: the phone within the county), counts follow a move', async () => {
    const id = (await userByPhone('13800000002'))!._id;
    const [a, b] = [await memberCount(c.branchA.id), await memberCount(c.branchB.id)];
    const edited = csv('王二改,13800000002,乙村党支部,正式党员,2024-06-30,,党员,');
    const dry = await dryRun(t.http(), countyAdmin, edited);
    expect(rowsOf(dry)).toEqual([[2, 'updated', null]]);
    await confirmAndWait(t.http(), countyAdmin, dry.body.key);
    expect(await userByPhone('13800000002')).toMatchObject({
      _id: id,
      name: '王二改',
      orgId: c.branchB.id,
      roles: ['member'],
    });
    expect([await memberCount(c.branchA.id), await memberCount(c.branchB.id)]).toEqual([a - 1, b + 1]);
  });

  test('bad rows are errors with their reason and are never written; the good rows go in', async () => {
    const dry = await dryRun(
      t.http(),
      countyAdmin,
      csv(
        '赵一,13900000001,不存在支部,正式党员,,,党员,',
        '赵二,1390000,甲村党支部,正式党员,,,党员,',
        '赵三,13900000003,甲村党支部,正式党员,2001-13-01,,党员,',
        '赵四,13900000004,甲村党支部,正式党员,,,党员,',
        '赵五,13900000004,甲村党支部,正式党员,,,党员,',
        '赵六,13900000006,甲村党支部,正式党员,,,驻村干部,',
        '赵七,13900000007,甲村党支部,群众,,,党员,',
        '赵八,13900000008,甲村党支部,正式党员,,,队长,',
        '赵九,13900000009,甲村党支部,正式党员,,,党员,',
      ),
    );
    const reasons = Object.fromEntries(dry.body.rows.map((r: { row: number; reason: string }) => [r.row, r.reason]));
    expect(reasons[2]).toMatch(/不存在/);
    expect(reasons[3]).toMatch(/手机号/);
    expect(reasons[4]).toMatch(/入党时间/);
    expect(reasons[5]).toMatch(/出现了 2 次/);
    expect(reasons[6]).toMatch(/出现了 2 次/);
    expect(reasons[7]).toMatch(/驻村/);
    expect(reasons[8]).toMatch(/人员类别/);
    expect(reasons[9]).toMatch(/角色/);
    expect(reasons[10]).toBeNull();
    const done = await confirmAndWait(t.http(), countyAdmin, dry.body.key);
    expect(done.counts).toEqual({ created: 1, updated: 0, unchanged: 0, error: 8 });
    for (const phone of ['13900000001', '13900000003', '13900000004', '13900000006'])
      expect(await userByPhone(phone)).toBeNull();
    expect(await userByPhone('13900000009')).toMatchObject({ name: '赵九' });
  });

  test("rows outside the admin's subtree are errors; a township admin imports into their own", async () => {
    const dry = await dryRun(
      t.http(),
      townAdmin,
      csv('孙一,13700000001,甲村党支部,正式党员,,,党员,', '孙二,13700000002,乙村党支部,正式党员,,,党员,'),
    );
    expect(dry.status).toBe(201);
    expect(rowsOf(dry)).toEqual([
      [2, 'error', '所在支部或驻村不在您的管辖范围内'],
      [3, 'created', null],
    ]);
    // A member the county admin placed in 甲镇 cannot be moved by the 乙乡 admin through a row naming their phone.
    const steal = await dryRun(t.http(), townAdmin, csv('王一,13800000001,乙村党支部,正式党员,,,党员,'));
    expect(rowsOf(steal)).toEqual([[2, 'error', '该手机号的党员不在您的管辖范围内']]);
  });

  test('confirm re-validates: a row that became unchanged in between is not written twice; a second confirm starts nothing', async () => {
    const f = csv('钱一,13600000001,甲村党支部,正式党员,,,党员,');
    const first = await dryRun(t.http(), countyAdmin, f);
    const second = await dryRun(t.http(), countyAdmin, f);
    await confirmAndWait(t.http(), countyAdmin, first.body.key);
    const again = await confirmAndWait(t.http(), countyAdmin, second.body.key);
    expect(again.counts).toEqual({ created: 0, updated: 0, unchanged: 1, error: 0 });
    const repeat = await t
      .http()
      .post(`/api/v1/roster/imports/${first.body.key}/confirm`)
      .set('authorization', `Bearer ${countyAdmin}`);
    expect(repeat.body.state).toBe('done');
    // Phones are sealed (issue 24): the row is found by its key; one row of that name exists.
    expect(await RosterRowModel.findById(rosterKey(c.county.id, '13600000001')).lean()).toMatchObject({ name: '钱一' });
    expect(await RosterRowModel.countDocuments({ name: '钱一' })).toBe(1);
  });

  test("someone else's import key is not found; non-admins are refused on every import route", async () => {
    const dry = await dryRun(t.http(), countyAdmin, csv('周一,13500000001,甲村党支部,正式党员,,,党员,'));
    const other = await t
      .http()
      .get(`/api/v1/roster/imports/${dry.body.key}`)
      .set('authorization', `Bearer ${townAdmin}`);
    expect(other.status).toBe(404);
    for (const res of [
      await dryRun(t.http(), secretary, csv('周二,13500000002,甲村党支部,正式党员,,,党员,')),
      await t.http().post(`/api/v1/roster/imports/${dry.body.key}/confirm`).set('authorization', `Bearer ${secretary}`),
      await t.http().get('/api/v1/roster/template').set('authorization', `Bearer ${secretary}`),
    ])
      expect(res.status).toBe(403);
  });
});

describe('bad files get a clear Chinese error and write nothing', () => {
  const rosterCount = () => RosterRowModel.countDocuments({});

  async function expectRefused(file: Buffer, name: string, status: number, message: RegExp) {
    const before = await rosterCount();
    const res = await dryRun(t.http(), countyAdmin, file, name);
    expect(res.status).toBe(status);
    expect(res.body.error.message).toMatch(message);
    expect(await rosterCount()).toBe(before);
  }

  test('not a sheet', () =>
    expectRefused(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]), 'photo.xlsx', 422, /无法读取文件/));
  test('a picture named .csv', () =>
    expectRefused(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]), 'photo.csv', 422, /无法读取文件/));
  test('a Word file', () => expectRefused(Buffer.from('hello'), 'a.docx', 415, /只支持/));
  test('10 MB', () => expectRefused(Buffer.alloc(10 * 1024 * 1024, 0x41), 'big.csv', 413, /不能超过 4 MB/));
  test('50,000 rows', () => {
    const rows = Array.from(
      { length: 50_000 },
      (_, i) => `人${i},1${String(3e9 + i).padStart(10, '0')},甲村党支部,正式党员,,,党员,`,
    );
    return expectRefused(csv(...rows), 'many.csv', 422, /超过 10000 行/);
  });
  test('no header', () => expectRefused(Buffer.from('a,b,c\n1,2,3'), 'x.csv', 422, /表头缺少 姓名、手机号、所在支部/));
  test('a formula cell', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('名册');
    ws.addRow(HEADER.split(','));
    ws.addRow(['吴一', '13400000001', '甲村党支部', '正式党员', '', '', '党员', '']);
    ws.getCell('A3').value = { formula: 'A2&"二"', result: '吴一二' } as ExcelJS.CellFormulaValue;
    ws.getCell('B3').value = '13400000002';
    ws.getCell('C3').value = '甲村党支部';
    await expectRefused(Buffer.from(await wb.xlsx.writeBuffer()), 'f.xlsx', 422, /第 3 行 A3 是公式/);
  });
});

describe('template', () => {
  test('an XLSX with the headers and an example row that itself passes the dry run format checks', async () => {
    const res = await t
      .http()
      .get('/api/v1/roster/template')
      .set('authorization', `Bearer ${countyAdmin}`)
      .buffer(true)
      .parse(binary);
    expect(res.status).toBe(200);
    const wb = await workbookOf(res.body);
    const ws = wb.worksheets[0]!;
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(HEADER.split(','));
    expect(ws.getRow(2).getCell(1).value).toBe('张三');
  });
});
