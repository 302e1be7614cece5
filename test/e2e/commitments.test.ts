/**
 * End-to-end: 亮承诺 in the H5 app (Chromium). A member writes and submits this year's commitments on 亮身份, the
 * branch secretary approves them on 承诺审核, and the branch wall shows them with the member's identity card
 * (contact masked) — checked against the API at each step.
 */
import type { Me, MyCommitment, WallPage } from '@pioneer/shared';
import { api, byId, click, devLogin, shot, startE2E, stepper, stopE2E, until, visibleText, type E2E } from './support';

jest.setTimeout(240_000);

let e: E2E;
let member: Me;
const step = stepper(() => e?.timings);
const ITEMS = ['每月走访两户困难群众，帮助解决实际困难', '带头做好村里的垃圾分类和环境整治'];

beforeAll(async () => {
  e = await startE2E();
}, 420_000);
afterAll(() => stopE2E(e, 'commitments'));

const fill = async (id: string, value: string) => {
  await byId(e, id).first().locator('textarea').fill(value);
};

describe('亮承诺 in the H5 app', () => {
  step('a member fills in the identity card and writes two commitments, then submits them', async () => {
    const token = await devLogin(e, 'demo-member', '陈党员');
    await api(e, 'PATCH', '/me', token, { identity: { dutyTitle: '网格员', contact: '13812345678' } });
    member = await api<Me>(e, 'GET', '/me', token);
    await e.page.goto(`${e.app.baseUrl}/#/pages/identity/index`);
    await until(
      e,
      'identity: my card',
      () => visibleText(e, 'my-card'),
      (t) => t.includes('陈党员') && t.includes('网格员'),
    );
    await until(
      e,
      'identity: editor',
      () => byId(e, 'commit-input-0').count(),
      (n) => n > 0,
    );
    await fill('commit-input-0', ITEMS[0]!);
    await click(e, 'add item', byId(e, 'commit-add-item'));
    await fill('commit-input-1', ITEMS[1]!);
    await shot(e, 'commit-01-write');
    await click(e, 'submit', byId(e, 'commit-submit'));
    await until(
      e,
      'identity: submitted',
      () => visibleText(e, 'commit-status'),
      (t) => t === '待审核',
    );
    const mine = await api<MyCommitment>(e, 'GET', '/commitments/mine', token);
    expect(mine.commitment).toMatchObject({ status: 'submitted', items: ITEMS.map((text) => ({ text })) });
    await byId(e, 'my-commitment').first().scrollIntoViewIfNeeded();
    await shot(e, 'commit-02-submitted');
  });

  step('the branch secretary sees it in the queue with the masked card and approves it', async () => {
    await devLogin(e, 'demo-secretary', '李书记');
    await e.page.goto(`${e.app.baseUrl}/#/pages/identity/index`);
    await click(e, 'open review', byId(e, 'open-commit-review'));
    const item = e.page
      .locator(`[data-testid="queue-item"][data-id="${member.id}|${new Date().getFullYear()}"]`)
      .filter({ visible: true });
    await until(
      e,
      'queue: the member',
      () => item.count(),
      (n) => n === 1,
    );
    const text = await item.innerText();
    expect(text).toContain('陈党员');
    expect(text).toContain('138****5678');
    expect(text).not.toContain('13812345678');
    await shot(e, 'commit-03-queue');
    await click(e, 'approve', item.locator('[data-testid="queue-approve"]'));
    await until(
      e,
      'queue: gone',
      () => item.count(),
      (n) => n === 0,
    );
  });

  step('the wall of the branch shows the commitments with the member’s card', async () => {
    const token = await devLogin(e, 'demo-member', '陈党员');
    const wall = await api<WallPage>(e, 'GET', `/commitments/wall?org=${member.org!.id}`, token);
    expect(wall.items.map((i) => i.card.name)).toContain('陈党员');
    await e.page.goto(`${e.app.baseUrl}/#/pages/identity/index`);
    await until(
      e,
      'identity: approved',
      () => visibleText(e, 'commit-status'),
      (t) => t === '已通过',
    );
    const entry = e.page.locator('[data-testid="wall-entry"]').filter({ visible: true }).filter({ hasText: '陈党员' });
    await until(
      e,
      'wall: my entry',
      () => entry.count(),
      (n) => n === 1,
    );
    const text = await entry.innerText();
    expect(text).toContain(ITEMS[0]);
    expect(text).toContain('网格员');
    expect(text).toContain('138****5678');
    await entry.scrollIntoViewIfNeeded();
    await shot(e, 'commit-04-wall');
  });

  step('the browser saw no unexpected API error, CSP block or exception', async () => {
    expect(e.apiFailures).toEqual([]);
    expect(e.blockedByCsp).toEqual([]);
    expect(e.uncaught).toEqual([]);
  });
});
