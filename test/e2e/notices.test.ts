/**
 * End-to-end (issue 19): down the tree and back. The county admin publishes a notice and sends a task to two branches
 * from the desk console; the secretary of 青山村党支部 sees the 首页 badge, reads the notice (the badge goes down),
 * reports the task back with a photo on the phone; the admin returns it with a comment, the secretary reports again,
 * the admin accepts, and the 5 points appear on the secretary's 积分明细. The notice's read stats show the read.
 *
 * Run: `npx jest --selectProjects e2e test/e2e/notices.test.ts`. Screenshots: test/artifacts/screenshots/notices-*.png.
 */
import { readFileSync } from 'node:fs';
import { formatBytes, type LedgerPage, type NoticeStats, type OrgTreeNode, type TaskBoard } from '@pioneer/shared';
import { png } from '../../server/test/support/images';
import { pdf } from '../../server/test/support/office-files';
import { api, byId, click, devLogin, shot, startE2E, stepper, stopE2E, until, visibleText, type E2E } from './support';

jest.setTimeout(300_000);

const DESK = { width: 1440, height: 900 };
const PHONE = { width: 375, height: 812 };
const NOTICE = '关于开展十二月主题党日活动的通知';
const TASK = '报送十二月主题党日开展情况';
const FILE = '十二月主题党日活动方案.pdf';
const PDF = Buffer.concat([pdf(), Buffer.alloc(30 * 1024, 0x20)]);

let e: E2E;
const step = stepper(() => e?.timings);
const s = { adminToken: '', secToken: '', secBranch: '', otherBranch: '', otherName: '', noticeId: '', taskId: '' };

beforeAll(async () => {
  e = await startE2E({ viewport: DESK, deviceScaleFactor: 1, isMobile: false, hasTouch: false });
}, 420_000);
afterAll(() => stopE2E(e, 'notices'));

async function go(url: string, size: { width: number; height: number }): Promise<void> {
  await e.page.setViewportSize(size);
  await e.page.goto(`${e.app.baseUrl}/#${url}`);
  await until(
    e,
    `${url}: loaded`,
    () => e.page.getByText('正在加载…').filter({ visible: true }).count(),
    (n) => n === 0,
  );
}

const boardRow = (name: string) => byId(e, 'board-row').filter({ hasText: name });
async function openBoard(): Promise<void> {
  await go('/console/task-board/index', DESK);
  await click(e, 'board: open the task', byId(e, 'sent-task').filter({ hasText: TASK }).locator('.inbox__head'));
  await until(
    e,
    'board: rows',
    () => byId(e, 'board-row').count(),
    (n) => n === 2,
  );
}

step('the county admin publishes a notice to the county from the console', async () => {
  s.adminToken = await devLogin(e, 'demo-admin', '王组织');
  await go('/console/notice-manage/index', DESK);
  await byId(e, 'notice-title-input').locator('input').fill(NOTICE);
  await byId(e, 'notice-body-input')
    .locator('textarea')
    .fill(
      '各支部：\n请于12月20日前开展主题党日活动，主题为“学习贯彻党的二十届四中全会精神”。\n活动后在“我的任务”中上报开展情况和照片。',
    );
  await click(e, 'notice: pin', byId(e, 'pin-yes'));
  const chooser = e.page.waitForEvent('filechooser');
  await click(e, 'notice: add attachment', byId(e, 'notice-attach'));
  await (await chooser).setFiles({ name: FILE, mimeType: 'application/pdf', buffer: PDF });
  await until(
    e,
    'notice: attachment uploaded',
    () => visibleText(e, 'notice-attach-item'),
    (t) => t.includes(FILE) && t.includes(formatBytes(PDF.length)),
  );
  await shot(e, 'notices-01-publish-form');
  await click(e, 'notice: publish', byId(e, 'notice-publish'));
  await until(
    e,
    'notice: listed',
    () => byId(e, 'managed-notice').filter({ hasText: NOTICE }).count(),
    (n) => n === 1,
  );
  const managed = await api<{ items: { id: string; title: string }[] }>(e, 'GET', '/notices/managed', s.adminToken);
  s.noticeId = managed.items.find((n) => n.title === NOTICE)!.id;
  await shot(e, 'notices-02-published');
});

step('the admin sends a task with points and photo evidence to two branches', async () => {
  const me = await api<{ adminOrg: { id: string } }>(e, 'GET', '/me', s.adminToken);
  const tree = await api<OrgTreeNode>(e, 'GET', `/orgs/${me.adminOrg.id}/tree`, s.adminToken);
  const branches: OrgTreeNode[] = [];
  const walk = (n: OrgTreeNode) => (n.type === 'branch' ? branches.push(n) : n.children.forEach(walk));
  walk(tree);
  const qingshan = branches.find((b) => b.name === '青山村党支部')!;
  const other = branches.find((b) => b.id !== qingshan.id && b.name.endsWith('村党支部'))!;
  s.secBranch = qingshan.id;
  s.otherBranch = other.id;
  s.otherName = other.name;

  await go('/console/task-board/index', DESK);
  await byId(e, 'task-title').locator('input').fill(TASK);
  await byId(e, 'task-body').locator('textarea').fill('上报活动开展情况（文字）和现场照片，县委组织部验收后计5分。');
  await byId(e, 'task-points').locator('input').fill('5');
  await click(e, 'task: pick 青山村党支部', byId(e, 'task-receiver').filter({ hasText: '青山村党支部' }));
  await click(e, `task: pick ${other.name}`, byId(e, 'task-receiver').filter({ hasText: other.name }));
  await shot(e, 'notices-03-task-form');
  await click(e, 'task: send', byId(e, 'task-send'));
  await until(
    e,
    'task: listed',
    () => byId(e, 'sent-task').filter({ hasText: TASK }).count(),
    (n) => n === 1,
  );
  const sent = await api<{ items: { id: string; title: string }[] }>(e, 'GET', '/tasks/sent', s.adminToken);
  s.taskId = sent.items.find((t) => t.title === TASK)!.id;
  const board = await api<TaskBoard>(e, 'GET', `/tasks/${s.taskId}/board`, s.adminToken);
  expect(board.rows.map((r) => r.receiverName).sort()).toEqual(['青山村党支部', other.name].sort());
  expect(board.counts.todo).toBe(2);
});

step('the secretary sees the 首页 badge, reads the notice, and the badge goes down', async () => {
  await e.page.setViewportSize(PHONE);
  s.secToken = await devLogin(e, 'demo-secretary', '李书记');
  const before = await api<{ unread: number }>(e, 'GET', '/notices/badge', s.secToken);
  expect(before.unread).toBeGreaterThan(0);
  await until(
    e,
    'home: badge',
    () => visibleText(e, 'home-notices-badge'),
    (t) => t === `${before.unread}条未读`,
  );
  await shot(e, 'notices-04-home-badge');
  await click(e, 'home: notices', byId(e, 'home-notices'));
  await until(
    e,
    'notices: the admin notice, unread',
    () => byId(e, 'notice-item').filter({ hasText: NOTICE }).innerText(),
    (t) => t.includes('未读') && t.includes('置顶'),
  );
  await shot(e, 'notices-05-list');
  await click(e, 'notices: open', byId(e, 'notice-item').filter({ hasText: NOTICE }));
  await until(
    e,
    'notice: body',
    () => visibleText(e, 'notice-body'),
    (t) => t.includes('学习贯彻党的二十届四中全会精神'),
  );
  await until(
    e,
    'notice: attachment with name and size',
    () => visibleText(e, 'notice-attachment'),
    (t) => t.includes(FILE) && t.includes(formatBytes(PDF.length)) && t.includes('PDF'),
  );
  await shot(e, 'notices-06-detail');
  const [file] = await Promise.all([
    e.page.waitForEvent('download'),
    click(e, 'notice: download the attachment', byId(e, 'notice-attachment')),
  ]);
  expect(file.suggestedFilename()).toBe(FILE);
  expect(Buffer.compare(readFileSync((await file.path())!), PDF)).toBe(0);
  const after = await api<{ unread: number }>(e, 'GET', '/notices/badge', s.secToken);
  expect(after.unread).toBe(before.unread - 1);
  await go('/pages/index/index', PHONE);
  await until(
    e,
    'home: badge down',
    () => visibleText(e, 'home-notices-badge'),
    (t) => t === (after.unread > 0 ? `${after.unread}条未读` : '查看'),
  );
});

async function reportOnPhone(text: string, withPhoto: boolean, name: string): Promise<void> {
  await go('/pages/tasks/index', PHONE);
  const card = byId(e, 'task-item').filter({ hasText: TASK });
  await until(
    e,
    'tasks: the task',
    () => card.count(),
    (n) => n === 1,
  );
  await card.locator('[data-testid="task-report-text"] textarea').fill(text);
  if (withPhoto) {
    const chooser = e.page.waitForEvent('filechooser');
    await click(e, 'tasks: add photo', card.locator('[data-testid="task-report-photos-add"]'));
    await (
      await chooser
    ).setFiles({ name: '主题党日.png', mimeType: 'image/png', buffer: png(240, 160, { rgb: [200, 22, 29] }) });
    await until(
      e,
      'tasks: photo uploaded',
      () => card.locator('[data-testid="task-report-photos-item"]').count(),
      (n) => n === 1,
    );
  }
  await shot(e, `notices-${name}-form`);
  await click(e, 'tasks: report', card.locator('[data-testid="task-report-submit"]'));
  await until(
    e,
    'tasks: reported',
    () => card.locator('[data-testid="task-state"]').innerText(),
    (t) => t === '已报',
  );
  await shot(e, `notices-${name}-done`);
}

step('the secretary reports back with a photo', async () => {
  await reportOnPhone('12月15日上午开展主题党日，到会党员18人，集中学习四中全会精神。', true, '07-report');
  const board = await api<TaskBoard>(e, 'GET', `/tasks/${s.taskId}/board`, s.adminToken);
  const row = board.rows.find((r) => r.receiverId === s.secBranch)!;
  expect(row).toMatchObject({ status: 'reported', reporterName: '李书记' });
  expect(row.report!.photoUrls).toHaveLength(1);
});

step('the admin returns it with a comment on the board', async () => {
  await devLogin(e, 'demo-admin', '王组织');
  await openBoard();
  const row = boardRow('青山村党支部');
  await until(
    e,
    'board: reported with photo',
    () => row.locator('[data-testid="board-photo"]').count(),
    (n) => n === 1,
  );
  await row.locator('[data-testid="board-comment"] input').fill('请补充参会党员签到表照片');
  await shot(e, 'notices-08-board-reported');
  await click(e, 'board: return', row.locator('[data-testid="board-return"]'));
  await until(
    e,
    'board: returned',
    () => row.locator('[data-testid="board-state"]').innerText(),
    (t) => t === '退回',
  );
  await shot(e, 'notices-09-board-returned');
});

step('the secretary sees the comment and reports again', async () => {
  await e.page.setViewportSize(PHONE);
  await devLogin(e, 'demo-secretary', '李书记');
  await go('/pages/tasks/index', PHONE);
  await until(
    e,
    'tasks: comment shown',
    () => visibleText(e, 'task-comment'),
    (t) => t.includes('请补充参会党员签到表照片'),
  );
  await reportOnPhone('已补充签到表照片，到会党员18人。', true, '10-report-again');
});

step('the admin accepts, and the 5 points appear on the secretary’s 积分明细', async () => {
  await devLogin(e, 'demo-admin', '王组织');
  await openBoard();
  const row = boardRow('青山村党支部');
  await click(e, 'board: accept', row.locator('[data-testid="board-accept"]'));
  await until(
    e,
    'board: accepted',
    () => row.locator('[data-testid="board-state"]').innerText(),
    (t) => t === '已验收',
  );
  expect(await boardRow(s.otherName).locator('[data-testid="board-state"]').innerText()).toBe('待办');
  await shot(e, 'notices-11-board-accepted');

  const ledger = await api<LedgerPage>(e, 'GET', '/points/ledger', s.secToken);
  const paid = ledger.items.find((i) => i.reason === 'task_accepted');
  expect(paid).toMatchObject({ delta: 5 });
  await e.page.setViewportSize(PHONE);
  await devLogin(e, 'demo-secretary', '李书记');
  await go('/pages/points-history/index', PHONE);
  await until(
    e,
    'points history: the task line',
    () => e.page.getByText('督办任务验收').filter({ visible: true }).count(),
    (n) => n >= 1,
  );
  await shot(e, 'notices-12-points');
  await go('/pages/messages/index', PHONE);
  await until(
    e,
    'messages: returned and accepted',
    () => byId(e, 'message-item').allInnerTexts(),
    (t) => t.some((x) => x.includes('任务已验收')) && t.some((x) => x.includes('任务被退回')),
  );
  await shot(e, 'notices-13-messages');
});

step('the admin sees who has read the notice, per branch', async () => {
  const stats = await api<NoticeStats>(e, 'GET', `/notices/${s.noticeId}/stats`, s.adminToken);
  expect(stats.read).toBe(1);
  await devLogin(e, 'demo-admin', '王组织');
  await go('/console/notice-manage/index', DESK);
  await click(e, 'notice: stats', byId(e, 'managed-notice').filter({ hasText: NOTICE }).locator('.inbox__head'));
  await until(
    e,
    'notice: stats shown',
    () => visibleText(e, 'notice-stats-total'),
    (t) => t === `已读 1 / ${stats.total} 人`,
  );
  await shot(e, 'notices-14-read-stats');
  expect(e.apiFailures).toEqual([]);
  expect(e.uncaught).toEqual([]);
});
