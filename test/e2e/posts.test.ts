/**
 * End-to-end: 认领公益岗位 in the H5 app (Chromium). The demo secretary publishes a post with 2 seats, the demo
 * member claims it, logs 2 hours of service with a photo, the secretary confirms, and the member's points on 我的
 * rise by what the confirmation paid (2 per hour, within the daily cap of 8). Every step is read from the page and
 * checked against the API at the same moment.
 *
 * Run: `npx jest --selectProjects e2e -- posts`. Screenshots: test/artifacts/screenshots/posts-*.png.
 */
import {
  dayKey,
  type Me,
  type MyClaimList,
  type Post,
  type PostPage,
  type RecordPage,
  type LedgerPage,
} from '@pioneer/shared';
import { png } from '../../server/test/support/images';
import { api, byId, click, devLogin, shot, startE2E, stepper, stopE2E, until, visibleText, type E2E } from './support';

jest.setTimeout(240_000);

const TITLE = '端午义诊现场引导岗';
const NOTE = '在义诊现场引导老人排队、测血压';

let e: E2E;
const step = stepper(() => e?.timings);
const s: { post?: Post; member?: string; secretary?: string; before?: Me; expected?: number } = {};

beforeAll(async () => {
  e = await startE2E();
}, 420_000);
afterAll(() => stopE2E(e, 'posts'));

const open = (route: string) => e.page.goto(`${e.app.baseUrl}/#/pages/${route}`);
const cardTitled = (title: string) => byId(e, 'post-card').filter({ hasText: title });

/** What confirming 2 hours can pay today: 4, unless today's earlier service already used the cap of 8. */
async function payableToday(token: string, asked: number): Promise<number> {
  const ledger = await api<LedgerPage>(e, 'GET', '/points/ledger?limit=100', token);
  const today = dayKey(new Date());
  const used = ledger.items
    .filter((i) => i.reason === 'post_service' && dayKey(i.at) === today)
    .reduce((sum, i) => sum + i.delta, 0);
  return Math.max(0, Math.min(asked, 8 - used));
}

describe('claiming a public-welfare post in the H5 app', () => {
  step('the demo secretary publishes a post with 2 seats from 书记工作台', async () => {
    s.secretary = await devLogin(e, 'demo-secretary', '李书记');
    await open('service/index');
    await click(e, 'service: 工作台 link', byId(e, 'service-admin-link'));
    // The demo county leaves a record and a wish waiting for the secretary.
    await until(
      e,
      'admin: review queue',
      () => byId(e, 'record-card').count(),
      (n) => n >= 1,
    );
    await shot(e, 'posts-01-admin-review');

    await click(e, 'admin: posts tab', byId(e, 'sa-tab-posts'));
    await click(e, 'admin: new post', byId(e, 'sa-new-post'));
    await until(
      e,
      'post form',
      () => byId(e, 'pe-form').count(),
      (n) => n === 1,
    );
    await byId(e, 'pe-title').locator('input').fill(TITLE);
    await click(e, 'post form: category', byId(e, 'pe-cat-医务救助'));
    await byId(e, 'pe-description').locator('textarea').fill('协助镇卫生院义诊，引导群众有序就诊');
    await byId(e, 'pe-skills').locator('input').fill('耐心，会说方言');
    await byId(e, 'pe-capacity').locator('input').fill('2');
    await shot(e, 'posts-02-new-post-form');
    await click(e, 'post form: save', byId(e, 'pe-save'));

    await until(
      e,
      'admin: the new post listed',
      () => cardTitled(TITLE).count(),
      (n) => n === 1,
    );
    const mine = await api<PostPage>(e, 'GET', '/posts?managed=true', s.secretary);
    s.post = mine.items.find((p) => p.title === TITLE);
    expect(s.post).toMatchObject({
      capacity: 2,
      seatsLeft: 2,
      category: '医务救助',
      skills: ['耐心', '会说方言'],
      status: 'open',
    });
    expect(await visibleText(e, 'sa-post-seats')).toContain('认领人员（0）');
    await shot(e, 'posts-03-admin-posts');
  });

  step('the demo member finds it on 服务 with 2 seats left and claims it', async () => {
    s.member = await devLogin(e, 'demo-member', '陈党员');
    s.before = await api<Me>(e, 'GET', '/me', s.member);
    await open('service/index');
    // 微心愿 first: residents' names masked, contacts nowhere on the page.
    await click(e, 'service: 微心愿', byId(e, 'service-tab-wishes'));
    await until(
      e,
      'wishes: listed',
      () => byId(e, 'wish-card').count(),
      (n) => n >= 3,
    );
    const wishes = await byId(e, 'wishes-tab').innerText();
    expect(wishes).toContain('群众：张*兰');
    expect(wishes).not.toMatch(/张桂兰|139\d{8}/);
    await shot(e, 'posts-04-wishes');
    await click(e, 'service: 公益岗位', byId(e, 'service-tab-posts'));
    const card = cardTitled(TITLE);
    await until(
      e,
      'service: the post listed',
      () => card.count(),
      (n) => n === 1,
    );
    expect((await card.first().locator('[data-testid="post-seats-left"]').innerText()).trim()).toBe('2');
    await shot(e, 'posts-05-service-list');

    await click(e, 'service: open the post', card.locator('[data-testid="post-card-title"]'));
    await until(
      e,
      'detail: title',
      () => visibleText(e, 'post-title'),
      (t) => t === TITLE,
    );
    expect(await visibleText(e, 'post-detail-seats')).toBe('2');
    await shot(e, 'posts-06-detail');
    await click(e, 'detail: claim', byId(e, 'post-claim'));
    await until(
      e,
      'detail: held',
      () => byId(e, 'post-held').count(),
      (n) => n === 1,
    );
    await until(
      e,
      'detail: one seat left',
      () => visibleText(e, 'post-detail-seats'),
      (t) => t === '1',
    );
    const after = await api<Post>(e, 'GET', `/posts/${s.post!.id}`, s.member);
    expect(after).toMatchObject({ taken: 1, seatsLeft: 1, myClaim: { status: 'active' } });
    await shot(e, 'posts-07-claimed');
  });

  step('they log 2 hours of service with a photo, and 我的认领 shows it waiting for review', async () => {
    await click(e, 'detail: log service', byId(e, 'post-log-service'));
    await until(
      e,
      'log: form',
      () => visibleText(e, 'slog-title'),
      (t) => t === TITLE,
    );
    await click(e, 'log: +0.5 h', byId(e, 'slog-hours-plus'));
    await click(e, 'log: +0.5 h', byId(e, 'slog-hours-plus'));
    expect(await visibleText(e, 'slog-hours-value')).toBe('2');
    await click(e, 'log: +1 solved', byId(e, 'slog-resolved-plus'));
    await byId(e, 'slog-note').locator('textarea').fill(NOTE);

    const chooser = e.page.waitForEvent('filechooser');
    await click(e, 'log: add photo', byId(e, 'slog-photos-add'));
    await (
      await chooser
    ).setFiles({ name: '现场.png', mimeType: 'image/png', buffer: png(240, 160, { rgb: [200, 22, 29] }) });
    await until(
      e,
      'log: photo uploaded',
      () => byId(e, 'slog-photos-item').count(),
      (n) => n === 1,
    );
    // The thumbnail really loads from GET /uploads (no session needed, CSP allows it).
    await until(
      e,
      'log: photo shown',
      () =>
        byId(e, 'slog-photos-item')
          .locator('img')
          .evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
      (w) => w === 240,
    );
    await shot(e, 'posts-08-log-form');
    await click(e, 'log: submit', byId(e, 'slog-submit'));

    await until(
      e,
      'back on the post',
      () => byId(e, 'post-held').count(),
      (n) => n === 1,
    );
    await open('service/index');
    await click(e, 'service: 我的认领', byId(e, 'service-tab-mine'));
    const claim = byId(e, 'my-claim').filter({ hasText: TITLE });
    await until(
      e,
      'mine: the claim',
      () => claim.count(),
      (n) => n === 1,
    );
    await until(
      e,
      'mine: record pending',
      () => claim.locator('[data-testid="record-status"]').first().innerText(),
      (t) => t.trim() === '待确认',
    );
    const mine = await api<MyClaimList>(e, 'GET', '/claims/mine', s.member);
    const record = mine.items.find((c) => c.postId === s.post!.id)!.records[0]!;
    expect(record).toMatchObject({ hours: 2, resolved: 1, note: NOTE, status: 'pending' });
    expect(record.photoUrls).toHaveLength(1);
    s.expected = await payableToday(s.member!, 4);
    await shot(e, 'posts-09-my-claims');
  });

  step('the secretary confirms it in 书记工作台', async () => {
    s.secretary = await devLogin(e, 'demo-secretary', '李书记');
    await e.page.goto(`${e.app.baseUrl}/#/console/service-admin/index`);
    const card = byId(e, 'record-card').filter({ hasText: `陈党员 · ${TITLE}` });
    await until(
      e,
      'admin: the record waits',
      () => card.count(),
      (n) => n === 1,
    );
    expect(await card.first().locator('img').count()).toBe(1);
    await shot(e, 'posts-10-admin-pending');
    await click(e, 'admin: confirm', card.locator('[data-testid="review-record-confirm"]'));
    await until(
      e,
      'admin: record gone from the queue',
      () => card.count(),
      (n) => n === 0,
    );
    const confirmed = await api<RecordPage>(e, 'GET', '/records?status=confirmed', s.secretary);
    const done = confirmed.items.find((r) => r.postTitle === TITLE)!;
    expect(done).toMatchObject({ status: 'confirmed', hours: 2, pointsAwarded: s.expected });
    expect(await api<Post>(e, 'GET', `/posts/${s.post!.id}`, s.secretary)).toMatchObject({
      serviceHours: 2,
      resolved: 1,
    });
    await shot(e, 'posts-11-admin-confirmed');
  });

  step('the member sees the points on 我的 (+4 for 2 hours when the day’s cap allows)', async () => {
    s.member = await devLogin(e, 'demo-member', '陈党员');
    const me = await api<Me>(e, 'GET', '/me', s.member);
    const gain = s.expected!;
    expect(me.points.all - s.before!.points.all).toBe(gain);
    if (gain !== 4)
      process.stderr.write(`[e2e posts] today's earlier service left room for ${gain} of 4 points (daily cap 8)\n`);
    await open('mine/index');
    for (const [p, label] of [
      ['week', '本周'],
      ['month', '本月'],
      ['all', '累计'],
    ] as const) {
      await until(
        e,
        `mine: ${p} points`,
        () => visibleText(e, `mine-points-${p}`),
        (t) => t === `${s.before!.points[p] + gain} ${label}`,
      );
    }
    await shot(e, 'posts-12-mine-points');
    await open('service/index');
    await click(e, 'service: 我的认领', byId(e, 'service-tab-mine'));
    const claim = byId(e, 'my-claim').filter({ hasText: TITLE });
    await until(
      e,
      'mine: record confirmed',
      () => claim.locator('[data-testid="record-status"]').first().innerText(),
      (t) => t.trim() === `已确认 +${gain}分`,
    );
    await shot(e, 'posts-13-my-claims-confirmed');
  });
});

// Not a step: it reports even when the journey stopped early.
test('the journey hit no API errors, blocked scripts or uncaught exceptions', () => {
  expect(e.apiFailures).toEqual([]);
  expect(e.blockedByCsp).toEqual([]);
  expect(e.uncaught).toEqual([]);
});
