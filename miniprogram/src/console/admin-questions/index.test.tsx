import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import Taro from '@tarojs/taro';
import type { ImportReport } from '@pioneer/shared';
import AdminQuestions from './index';
import { ImportReportView } from './import-panel';
import { chooseFile } from '../../utils/choose-file';
import { downloadFile } from '../../services/download';
import { buildMe, login, mockApi, ok } from '../../../test/api-mock';
import { question } from '../../../test/quiz-fixtures';

jest.mock('../../utils/choose-file', () => ({ chooseFile: jest.fn() }));
jest.mock('../../services/download', () => ({ downloadFile: jest.fn(() => Promise.resolve('题库导入模板.xlsx')) }));

const admin = () => buildMe({ roles: ['member', 'admin'] });
const page = (
  items = [
    question(),
    question({ id: 'qq2', stem: '入党誓词中“永不叛党”的含义？', type: 'multiple', answer: ['A', 'B'], tags: [] }),
  ],
  nextCursor: string | null = null,
  canCreate = true,
) => ok({ items, nextCursor, total: 42, canCreate });

const type = (testId: string, value: string) => fireEvent.change(screen.getByTestId(testId), { target: { value } });

// Not in the shared Taro mock: the console scrolls its form into view on a phone.
const pageScrollTo = jest.fn(() => Promise.resolve());
Object.assign(Taro, { pageScrollTo });

describe('题库管理', () => {
  beforeEach(() => login());
  afterEach(() => {
    delete (global as { fetch?: unknown }).fetch;
  });

  it('when I am not an admin, then the console is closed and no questions are asked for', async () => {
    const sent = mockApi({ 'GET /me': ok(buildMe()) });
    render(<AdminQuestions />);
    expect(await screen.findByText('题库管理仅对管理员开放')).toBeTruthy();
    expect(sent.some((r) => r.path === '/quiz/questions')).toBe(false);
  });

  it('when I search and filter, then the list is asked again with those filters, and 加载更多 follows the cursor', async () => {
    const sent = mockApi({
      'GET /me': ok(admin()),
      'GET /quiz/questions': (req) =>
        req.query.cursor ? page([question({ id: 'qq3', stem: '第三题的题干' })]) : page(undefined, '20'),
    });
    render(<AdminQuestions />);

    expect(await screen.findAllByTestId('aq-row')).toHaveLength(2);
    expect(screen.getByTestId('aq-total').textContent).toBe('共 42 题');
    expect(screen.getAllByTestId('aq-row')[1].textContent).toContain('答案 AB');

    fireEvent.click(screen.getByTestId('aq-load-more'));
    await waitFor(() => expect(screen.getAllByTestId('aq-row')).toHaveLength(3));
    expect(sent.at(-1)?.query).toMatchObject({ cursor: '20' });

    type('aq-search-input', '誓词');
    type('aq-tag-input', '党章');
    fireEvent.click(screen.getByTestId('aq-search'));
    fireEvent.click(screen.getByTestId('aq-type-multiple'));
    fireEvent.click(screen.getByTestId('aq-active-false'));
    await waitFor(() =>
      expect(sent.at(-1)?.query).toEqual({ q: '誓词', tag: '党章', type: 'multiple', active: 'false' }),
    );
  });

  it('when I edit a question and save, then the whole question is PATCHed and the row shows the change', async () => {
    const sent = mockApi({
      'GET /me': ok(admin()),
      'GET /quiz/questions': page(),
      'PATCH /quiz/questions/qq1': (req) => ok({ ...question(), ...(req.data as object) }),
    });
    render(<AdminQuestions />);

    fireEvent.click((await screen.findAllByTestId('aq-row'))[0]);
    const form = screen.getByTestId('aq-form');
    expect(pageScrollTo).toHaveBeenCalledWith({ selector: '.aq__body', duration: 200 });
    expect((screen.getByTestId('aq-stem') as HTMLTextAreaElement).value).toBe(
      '党的基层组织是党在社会基层组织中的什么？',
    );
    expect(screen.getByTestId('aq-answer-A').getAttribute('aria-checked')).toBe('true');

    type('aq-option-C', '服务中心');
    fireEvent.click(screen.getByTestId('aq-answer-B'));
    type('aq-tags', '党章，基层组织');
    fireEvent.click(within(form).getByText('停用'));
    fireEvent.click(screen.getByTestId('aq-save'));

    await waitFor(() => expect(sent.some((r) => r.method === 'PATCH')).toBe(true));
    expect(sent.find((r) => r.method === 'PATCH')?.data).toEqual({
      type: 'single',
      stem: '党的基层组织是党在社会基层组织中的什么？',
      options: ['战斗堡垒', '指挥中心', '服务中心'],
      answer: ['B'],
      explanation: '党章第五章。',
      tags: ['党章', '基层组织'],
      difficulty: 1,
      active: false,
    });
    await waitFor(() => expect(screen.queryByTestId('aq-form')).toBeNull());
    expect(screen.getAllByTestId('aq-row')[0].textContent).toContain('已停用');
  });

  it('when I create a judge question without an answer, then it says so; with one, it is created', async () => {
    const sent = mockApi({
      'GET /me': ok(admin()),
      'GET /quiz/questions': page(),
      'POST /quiz/questions': (req) => ok({ ...question({ id: 'new1' }), ...(req.data as object) }),
    });
    render(<AdminQuestions />);
    await screen.findAllByTestId('aq-row');

    fireEvent.click(screen.getByTestId('aq-create'));
    fireEvent.click(screen.getByTestId('aq-edit-type-judge'));
    type('aq-stem', '党员可以不参加组织生活。');
    fireEvent.click(screen.getByTestId('aq-save'));
    expect(screen.getByTestId('aq-problem').textContent).toBe('请点选项前的字母设置正确答案');

    fireEvent.click(screen.getByTestId('aq-answer-B'));
    fireEvent.click(screen.getByTestId('aq-save'));
    await waitFor(() => expect(sent.some((r) => r.method === 'POST')).toBe(true));
    expect(sent.find((r) => r.method === 'POST')?.data).toMatchObject({
      type: 'judge',
      options: ['正确', '错误'],
      answer: ['B'],
      tags: [],
      active: true,
    });
  });

  it('when the server refuses a save, then its message shows beside the form', async () => {
    mockApi({
      'GET /me': ok(admin()),
      'GET /quiz/questions': page(),
      'PATCH /quiz/questions/qq1': {
        statusCode: 400,
        data: { error: { code: 'VALIDATION_FAILED', message: '选项重复（body.answer）' } },
      },
    });
    render(<AdminQuestions />);
    fireEvent.click((await screen.findAllByTestId('aq-row'))[0]);
    fireEvent.click(screen.getByTestId('aq-save'));
    expect((await screen.findByTestId('aq-problem')).textContent).toBe('选项重复（body.answer）');
  });

  it('when I import a sheet, then the file is posted and the report lists imported, skipped and each bad row', async () => {
    mockApi({ 'GET /me': ok(admin()), 'GET /quiz/questions': page() });
    (chooseFile as jest.Mock).mockResolvedValueOnce({ kind: 'blob', blob: new Blob(['x']), name: '11月题库.xlsx' });
    const report: ImportReport = {
      imported: 18,
      skipped: 2,
      errors: [
        { row: 5, message: '单选题只能有一个答案' },
        { row: 9, message: '题干重复' },
      ],
    };
    const fetchMock = jest.fn(async () => ({ status: 200, text: async () => JSON.stringify(report) }));
    global.fetch = fetchMock as unknown as typeof fetch;
    render(<AdminQuestions />);
    await screen.findAllByTestId('aq-row');

    fireEvent.click(screen.getByTestId('aq-import'));

    const shown = await screen.findByTestId('import-report');
    expect(chooseFile).toHaveBeenCalledWith(['csv', 'xlsx']);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(shown.textContent).toContain('11月题库.xlsx');
    expect(screen.getByTestId('import-imported').textContent).toBe('导入 18 题');
    expect(screen.getByTestId('import-skipped').textContent).toBe('跳过 2 题');
    expect(screen.getAllByTestId('import-error').map((e) => e.textContent)).toEqual([
      '第5行：单选题只能有一个答案',
      '第9行：题干重复',
    ]);
  });

  it('when I tap 下载导入模板, then the template the importer reads is downloaded, and the hint names 难度 in words', async () => {
    mockApi({ 'GET /me': ok(admin()), 'GET /quiz/questions': page() });
    render(<AdminQuestions />);
    await screen.findAllByTestId('aq-row');
    expect(screen.getByText(/难度（易\/中\/难）/)).toBeTruthy();
    fireEvent.click(screen.getByTestId('aq-template'));
    await waitFor(() => expect(downloadFile).toHaveBeenCalled());
    expect((downloadFile as jest.Mock).mock.calls[0][0]).toMatch(/\/quiz\/questions\/import-template$/);
  });

  it("when a question is the platform bank's, then it is labelled 平台题库 and opens no form; without the right to add, 新建 and 导入 are gone", async () => {
    const platform = question({ id: 'qp1', owner: 'platform', editable: false });
    const sent = mockApi({ 'GET /me': ok(admin()), 'GET /quiz/questions': page([platform, question()], null, false) });
    render(<AdminQuestions />);
    const rows = await screen.findAllByTestId('aq-row');
    expect(within(rows[0]).getByTestId('aq-platform').textContent).toBe('平台题库');
    expect(within(rows[1]).queryByTestId('aq-platform')).toBeNull();
    fireEvent.click(rows[0]);
    expect(screen.queryByTestId('aq-form')).toBeNull();
    expect(screen.queryByTestId('aq-create')).toBeNull();
    expect(screen.queryByTestId('aq-import')).toBeNull();
    expect(screen.getByTestId('aq-readonly').textContent).toContain('平台题库只读');
    fireEvent.click(rows[1]);
    expect(screen.getByTestId('aq-form')).toBeTruthy();
    expect(sent.some((r) => r.method === 'PATCH')).toBe(false);
  });

  it('when a report has no errors, then it says so', () => {
    render(<ImportReportView report={{ imported: 3, skipped: 0, errors: [] }} />);
    expect(screen.getByTestId('import-report').textContent).toContain('没有出错的行');
    expect(screen.queryAllByTestId('import-error')).toHaveLength(0);
  });
});
