import { startTestApp, type TestApp } from './support/harness';
import { bearer } from './support/client';
import { buildAdmin, buildCounty, buildMember } from './support/factories';
import { QuestionModel } from '../src/modules/quiz/quiz.model';
import { binary, workbookOf } from './support/download';

/** Issue 15: the import speaks Chinese per row, takes 难度 as words, and hands out a template it reads back. */
let t: TestApp;
let admin: { id: string };
const auth = (id: string) => bearer(t, id);
const ENGLISH = /[A-Za-z]{4,}/;

beforeAll(async () => {
  t = await startTestApp();
  const county = await buildCounty();
  admin = await buildAdmin({ of: county.county, branch: county.branchA });
});
afterAll(() => t.close());

const send = (buffer: Buffer, name: string) =>
  t.http().post('/api/v1/quiz/questions/import').set(auth(admin.id)).attach('file', buffer, name);

describe('question import in words (issue 15)', () => {
  test('when rows are wrong in each field, then every row gets its own Chinese message and none is written', async () => {
    const csv = [
      '题干,类型,选项A,选项B,选项C,选项D,答案,解析,标签,难度',
      '词题一：单选答案不在选项里,单选,甲,乙,丙,丁,E,,,1',
      '词题二：难度写错,单选,甲,乙,丙,丁,A,,,很难',
      '词题三：难度不是数字,单选,甲,乙,丙,丁,A,,,abc',
      '短,单选,甲,乙,丙,丁,A,,,1',
      '词题五：判断题答案乱写,判断,,,,,也许,,,1',
      '词题六：只有一个选项,单选,甲,,,,A,,,1',
      '词题七：多选含非法字母,多选,甲,乙,丙,,AZ,,,2',
      '词题八：标签太多,单选,甲,乙,,,A,,"一,二,三,四,五,六",1',
    ].join('\n');
    const res = await send(Buffer.from(csv), 'bad.csv');
    expect(res.status).toBe(200);
    expect(res.body.imported).toBe(0);
    expect(res.body.errors).toEqual([
      { row: 2, message: '答案必须是 A–D 之一' },
      { row: 3, message: '难度“很难”无法识别，应为 易、中、难（或 1、2、3）' },
      { row: 4, message: '难度“abc”无法识别，应为 易、中、难（或 1、2、3）' },
      { row: 5, message: '题干太短，至少 4 个字' },
      { row: 6, message: '判断题的答案必须是 正确 或 错误' },
      { row: 7, message: '至少需要 2 个选项（选项A、选项B…）' },
      { row: 8, message: '答案只能由 A–C 组成，如 AC' },
      { row: 9, message: '标签最多 5 个' },
    ]);
    for (const e of res.body.errors) expect(e.message).not.toMatch(ENGLISH);
    expect(await QuestionModel.countDocuments({ stem: /^词题/ })).toBe(0);
  });

  test('when 难度 is written 易/中/难 or 容易/中等/较难, then it is stored as 1/2/3', async () => {
    const csv = [
      '题干,类型,选项A,选项B,答案,难度',
      '难度题一：写作易,单选,甲,乙,A,易',
      '难度题二：写作中,单选,甲,乙,B,中',
      '难度题三：写作较难,单选,甲,乙,A,较难',
      '难度题四：写作数字,单选,甲,乙,A,2',
      '难度题五：不填,单选,甲,乙,A,',
    ].join('\n');
    const res = await send(Buffer.from(csv), 'words.csv');
    expect(res.body).toMatchObject({ imported: 5, errors: [] });
    const stored = await QuestionModel.find({ stem: /^难度题/ }).lean();
    const byStem = Object.fromEntries(stored.map((q) => [q.stem.slice(0, 4), q.difficulty]));
    expect(byStem).toEqual({ 难度题一: 1, 难度题二: 2, 难度题三: 3, 难度题四: 2, 难度题五: 1 });
  });

  test('when the admin downloads the template, then it is an XLSX with the header the importer reads and its examples import', async () => {
    const res = await t
      .http()
      .get('/api/v1/quiz/questions/import-template')
      .set(auth(admin.id))
      .buffer(true)
      .parse(binary);
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toContain(encodeURIComponent('题库导入模板.xlsx'));
    const workbook = await workbookOf(res.body);
    const header = (workbook.worksheets[0]!.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(['题干', '类型', '选项A', '选项B', '选项C', '选项D', '答案', '解析', '标签', '难度']);
    const back = await send(res.body as Buffer, '题库导入模板.xlsx');
    expect(back.body).toMatchObject({ imported: 3, errors: [] });
    const member = await buildMember({ branch: (await buildCounty()).branchA });
    expect((await t.http().get('/api/v1/quiz/questions/import-template').set(auth(member.id))).status).toBe(403);
  });
});
