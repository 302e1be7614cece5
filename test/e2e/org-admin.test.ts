/**
 * End-to-end (issue 14, 组织架构 / 党员管理 / 邀请码) in the H5 app: the county admin of the demo county builds a
 * township, a village with a fence and a branch in it, moves the branch under the township, creates an invite for
 * it and revokes it, and makes a member of 竹林村党支部 its secretary; 青山村's secretary starts 组织关系转接 of a member
 * to 竹林村党支部 and its new secretary accepts. The API is the oracle after each step. Screenshots at 1440 and 375:
 * test/artifacts/screenshots/org-admin-*.png.
 *
 * Run: `npx jest --selectProjects e2e test/e2e/org-admin.test.ts`.
 */
import type { MemberRowPage, OrgTreeNode } from '@pioneer/shared';
import { api, byId, click, devLogin, shot, startE2E, stepper, stopE2E, until, type E2E } from './support';

jest.setTimeout(300_000);

const DESK = { width: 1440, height: 900 };
const PHONE = { width: 375, height: 812 };

let e: E2E;
let adminToken = '';
let receiver = { id: '', name: '' };
const step = stepper(() => e?.timings);

beforeAll(async () => {
  e = await startE2E({ viewport: DESK, deviceScaleFactor: 1, isMobile: false, hasTouch: false });
}, 420_000);
afterAll(() => stopE2E(e, 'org-admin'));

const modalButton = (text: string) => e.page.getByText(text, { exact: true }).filter({ visible: true });
const named = (testId: string, name: string) =>
  e.page.locator(`[data-testid="${testId}"][data-name="${name}"]`).filter({ visible: true });
const orgRow = (name: string) =>
  e.page.locator(`[data-testid="org-row"][data-name="${name}"] .otree__body`).filter({ visible: true });

async function open(url: string, size = DESK): Promise<void> {
  await e.page.setViewportSize(size);
  await e.page.goto(`${e.app.baseUrl}/#${url}`);
}

async function type(testId: string, value: string): Promise<void> {
  const box = byId(e, testId).first();
  const input = (await box.evaluate((el) => el.tagName)) === 'INPUT' ? box : box.locator('input');
  await input.fill(value);
}

function find(tree: OrgTreeNode, name: string): OrgTreeNode | undefined {
  if (tree.name === name) return tree;
  for (const c of tree.children) {
    const hit = find(c, name);
    if (hit) return hit;
  }
  return undefined;
}

async function countyTree(): Promise<OrgTreeNode> {
  const me = await api<{ adminOrg: { id: string } }>(e, 'GET', '/me', adminToken);
  return api<OrgTreeNode>(e, 'GET', `/orgs/${me.adminOrg.id}/tree`, adminToken);
}

/** A new child under the org named `parent`, through the page's 新建下级 form. */
async function createChild(parent: string, kind: string, name: string): Promise<void> {
  await click(e, `select ${parent}`, orgRow(parent));
  await click(e, `new under ${parent}`, byId(e, 'action-create'));
  await click(e, `type ${kind}`, byId(e, `type-${kind}`));
  await type('create-name', name);
  await click(e, `create ${name}`, byId(e, 'create-save'));
  await until(
    e,
    `${name} in the tree`,
    () => orgRow(name).count(),
    (n) => n === 1,
  );
}

/** Signs in as any member by openid (dev login) and puts the token where the app keeps it. */
async function signInAs(openid: string): Promise<{ token: string; user: { id: string; name: string } }> {
  const res = await fetch(`${e.app.baseUrl}/api/v1/auth/dev`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ openid }),
  });
  const body = (await res.json()) as { token: string; user: { id: string; name: string } };
  await e.page.goto(`${e.app.baseUrl}/#/pages/login/index`);
  await e.page.evaluate((t) => window.localStorage.setItem('token', JSON.stringify({ data: t })), body.token);
  return body;
}

describe('a county admin builds the tree, issues an invite; secretaries transfer a member', () => {
  step('组织架构: a township, a village with a fence and a branch; the branch moves under the township', async () => {
    adminToken = await devLogin(e, 'demo-admin', '王组织');
    await open('/console/org-tree/index');
    await until(
      e,
      'tree',
      () => orgRow('青山县').count(),
      (n) => n === 1,
    );
    await createChild('青山县', 'township', '新建镇');
    await createChild('新建镇', 'village', '新建村');
    await click(e, 'select 新建村', orgRow('新建村'));
    await click(e, 'fence', byId(e, 'action-fence'));
    await type('fence-lat', '30.52');
    await type('fence-lng', '119.99');
    await type('fence-radius', '700');
    await click(e, 'save fence', byId(e, 'fence-save'));
    await until(
      e,
      'fence shown',
      async () => (await named('org-row', '新建村').innerText()).replace(/\s+/g, ''),
      (t) => t.includes('打卡范围700米'),
    );
    await createChild('新建村', 'branch', '新建村党支部');
    let tree = await countyTree();
    expect(find(tree, '新建村')?.fence).toEqual({ lat: 30.52, lng: 119.99, radiusM: 700 });
    expect(find(tree, '新建村')?.children.map((c) => c.name)).toEqual(['新建村党支部']);

    await click(e, 'select branch', orgRow('新建村党支部'));
    await click(e, 'move', byId(e, 'action-move'));
    await click(e, 'to 新建镇', named('move-target', '新建镇'));
    await click(e, 'confirm move', byId(e, 'move-save'));
    await until(
      e,
      'moved',
      async () =>
        find(await countyTree(), '新建镇')
          ?.children.map((c) => c.name)
          .sort()
          .join(','),
      (t) => t === '新建村,新建村党支部',
    );
    tree = await countyTree();
    expect(find(tree, '新建村')?.children).toEqual([]);
    await click(e, 'select branch again', orgRow('新建村党支部'));
    await shot(e, 'org-admin-tree-1440');
    await open('/console/org-tree/index', PHONE);
    await until(
      e,
      'tree @375',
      () => orgRow('新建镇').count(),
      (n) => n === 1,
    );
    await shot(e, 'org-admin-tree-375');
  });

  step('邀请码: the admin creates one for the new branch, sees its uses left, and revokes it', async () => {
    await open('/console/invites/index');
    await click(e, 'pick branch', named('invite-branch', '新建村党支部'));
    await click(e, 'create invite', byId(e, 'invite-create'));
    await click(e, 'close the new code', modalButton('确定'));
    await until(
      e,
      'invite row',
      () => byId(e, 'invites-table-row').count(),
      (n) => n === 1,
    );
    const branchId = find(await countyTree(), '新建村党支部')!.id;
    const [made] = (
      await api<{ items: Array<{ code: string; usesLeft: number }> }>(e, 'GET', `/orgs/${branchId}/invites`, adminToken)
    ).items;
    expect(made!.usesLeft).toBe(50);
    expect(await byId(e, 'invites-table-row').first().innerText()).toContain(made!.code);
    await shot(e, 'org-admin-invites-1440');
    await click(e, 'revoke', byId(e, 'invite-revoke'));
    await click(e, 'confirm revoke', modalButton('确定'));
    await until(
      e,
      'revoked',
      () => byId(e, 'invites-table-row').first().innerText(),
      (t) => t.includes('已作废'),
    );
    const after = (await api<{ items: Array<{ revoked: boolean }> }>(e, 'GET', `/orgs/${branchId}/invites`, adminToken))
      .items;
    expect(after[0]!.revoked).toBe(true);
    await open('/console/invites/index', PHONE);
    await click(e, 'pick branch @375', named('invite-branch', '新建村党支部'));
    await until(
      e,
      'invite card @375',
      () => byId(e, 'invite-row').count(),
      (n) => n === 1,
    );
    await shot(e, 'org-admin-invites-375');
  });

  step('党员管理: the admin makes a member of 竹林村党支部 its secretary', async () => {
    // demo-m01 is one of 竹林村党支部's demo members (the demo county deals members to its six branches in turn).
    receiver = (await signInAs('demo-m01')).user;
    const branch = find(await countyTree(), '竹林村党支部')!;
    await devLogin(e, 'demo-admin', '王组织');
    await open('/console/members/index');
    await type('member-search', receiver.name);
    await click(e, 'search', byId(e, 'member-search-go'));
    await until(
      e,
      'one row',
      () => byId(e, 'members-table-row').count(),
      (n) => n === 1,
    );
    expect(await byId(e, 'members-table-row').first().innerText()).toContain('竹林村党支部');
    await click(e, 'open member', byId(e, 'member-open'));
    await click(e, 'roles', byId(e, 'member-roles'));
    await click(e, 'secretary', byId(e, 'role-secretary'));
    await click(e, 'save roles', byId(e, 'roles-save'));
    await until(
      e,
      'secretary now',
      async () =>
        (await api<MemberRowPage>(e, 'GET', `/orgs/${branch.id}/members?role=secretary`, adminToken)).items.map(
          (m) => m.id,
        ),
      (ids) => ids.includes(receiver.id),
    );
    await shot(e, 'org-admin-members-admin-1440');
  });

  step('组织关系转接: 青山村党支部的书记 sends 陈党员 to 竹林村党支部 and its new secretary accepts', async () => {
    const token = await devLogin(e, 'demo-secretary', '李书记');
    await open('/console/members/index');
    await type('member-search', '陈党员');
    await click(e, 'search', byId(e, 'member-search-go'));
    await until(
      e,
      'one row',
      () => byId(e, 'members-table-row').count(),
      (n) => n === 1,
    );
    await click(e, 'open', byId(e, 'member-open'));
    await click(e, 'transfer', byId(e, 'member-transfer'));
    await type('transfer-filter', '竹林');
    await click(e, 'to 竹林村党支部', named('transfer-target', '竹林村党支部'));
    await type('transfer-reason', '搬迁到竹林村居住');
    await click(e, 'start', byId(e, 'transfer-save'));
    await until(
      e,
      'outgoing shown',
      () => byId(e, 'transfer-out').count(),
      (n) => n === 1,
    );
    await shot(e, 'org-admin-members-secretary-1440');
    await open('/console/members/index', PHONE);
    await until(
      e,
      'outgoing @375',
      () => byId(e, 'transfer-out').count(),
      (n) => n === 1,
    );
    await shot(e, 'org-admin-members-secretary-375');

    await signInAs('demo-m01');
    await open('/console/members/index');
    await until(
      e,
      'incoming shown',
      () => named('transfer-in', '陈党员').count(),
      (n) => n === 1,
    );
    await shot(e, 'org-admin-members-receiver-1440');
    await click(e, 'accept', byId(e, 'transfer-accept'));
    await click(e, 'confirm accept', modalButton('确定'));
    await until(
      e,
      'incoming gone',
      () => byId(e, 'transfer-in').count(),
      (n) => n === 0,
    );
    const zhulin = find(await countyTree(), '竹林村党支部')!;
    const moved = await api<MemberRowPage>(
      e,
      'GET',
      `/orgs/${zhulin.id}/members?q=${encodeURIComponent('陈党员')}`,
      adminToken,
    );
    expect(moved.items.map((m) => m.org?.name)).toEqual(['竹林村党支部']);
    const left = await api<MemberRowPage>(
      e,
      'GET',
      `/orgs/${find(await countyTree(), '青山村党支部')!.id}/members?q=${encodeURIComponent('陈党员')}`,
      token,
    ).catch(() => ({ items: [] }));
    expect(left.items).toEqual([]);
    const problems = [...e.uncaught, ...e.apiFailures];
    expect(problems).toEqual([]);
  });
});
