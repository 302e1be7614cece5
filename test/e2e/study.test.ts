/**
 * End-to-end (issue 20): a member reads a study article in the H5 app (Chromium). Pressing 读完了 too early is
 * refused and pays nothing; time while the page is hidden does not count; after the article's minimum by the
 * server's clock (moved forward through the study module's clock hook instead of waited for: the app runs
 * in-process) the reading pays +1, and the 学习 tab's daily card shows what the ledger says.
 */
import path from 'node:path';
import type { AdminArticleRow, AdminVideoRow, ArticleSummary, Me, StudyToday } from '@pioneer/shared';
import { advanceStudyClock, resetStudyClock } from '../../server/src/modules/study/clock';
import { api, byId, click, devLogin, shot, startE2E, stepper, stopE2E, until, visibleText, type E2E } from './support';

jest.setTimeout(240_000);

let e: E2E;
let token: string;
let before: Me;
let article: ArticleSummary;
const step = stepper(() => e?.timings);

beforeAll(async () => {
  e = await startE2E();
  // Refusals the journey provokes on purpose: too early for the article and for the video (and a beat the player
  // may send within a second of the last when it is paused and played again at once).
  e.expectedFailures.push('READ_TOO_SHORT', 'WATCH_TOO_SHORT', 'WATCH_TOO_FAST');
}, 420_000);
afterAll(async () => {
  resetStudyClock();
  await stopE2E(e, 'study');
});

const today = () => api<StudyToday>(e, 'GET', '/study/today', token);

const VIDEO_TITLE = '红旗渠精神（测试视频）';
let videoId: string;
/** Taro's H5 <Video> renders a <video> inside its own element: Playwright's locators reach into it. */
const player = () => e.page.locator('video').filter({ visible: true }).first();
const waitFor = (action: '/beat' | '/pause') =>
  e.page.waitForResponse((r) => r.url().includes('/api/v1/study/watches/') && r.url().endsWith(action) && r.ok());

/** Plays from `at` seconds (muted: Chromium plays muted media without a gesture) and waits for the server's beat. */
async function play(at: number): Promise<void> {
  const beat = waitFor('/beat');
  await player().evaluate(async (v: HTMLVideoElement, from: number) => {
    v.muted = true;
    v.currentTime = from;
    await v.play();
  }, at);
  await beat;
}

/** Opens the article from the 学习 tab and waits for the server's reading session (the button counts down). */
async function openArticle(): Promise<void> {
  await e.page.goto(`${e.app.baseUrl}/#/pages/study/index`);
  await click(e, 'open article', byId(e, `study-article-${article.id}`));
  await until(
    e,
    'article: session open',
    () => visibleText(e, 'article-finish'),
    (t) => t.includes('还需约'),
  );
}

/** Hides or shows the page and waits until the server has answered the pause or resume it causes. */
async function setVisibility(state: 'hidden' | 'visible'): Promise<void> {
  const action = state === 'hidden' ? '/pause' : '/resume';
  const answered = e.page.waitForResponse(
    (r) => r.url().includes('/api/v1/study/sessions/') && r.url().endsWith(action) && r.ok(),
  );
  await e.page.evaluate((s) => {
    Object.defineProperty(document, 'visibilityState', { value: s, configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  }, state);
  await answered;
}

describe('reading a study article in the H5 app', () => {
  step('a member opens 学习: the daily card and the county’s study notes', async () => {
    token = await devLogin(e, 'demo-member', '陈党员');
    before = await api<Me>(e, 'GET', '/me', token);
    const list = await api<{ items: ArticleSummary[] }>(e, 'GET', '/study/articles', token);
    expect(list.items.length).toBeGreaterThanOrEqual(5);
    article = list.items[0]!;
    await e.page.goto(`${e.app.baseUrl}/#/pages/study/index`);
    await until(
      e,
      'study: daily card',
      () => visibleText(e, 'today-read'),
      (t) => t.includes('0/6'),
    );
    await until(
      e,
      'study: articles',
      () => byId(e, `study-article-${article.id}`).count(),
      (n) => n === 1,
    );
    await shot(e, 'study-01-card');
    await byId(e, 'study-articles').first().scrollIntoViewIfNeeded();
    await shot(e, 'study-02-articles');
  });

  step('读完了 pressed too early is refused, and leaving pays nothing', async () => {
    await openArticle();
    expect(await visibleText(e, 'article-title')).toBe(article.title);
    expect(await visibleText(e, 'article-body')).toContain('支部党员大会');
    await shot(e, 'study-03-article');
    await click(e, 'finish too early', byId(e, 'article-finish'));
    const refused = await until(
      e,
      'article: refusal',
      () => visibleText(e, 'article-refused'),
      (t) => t.length > 0,
    );
    expect(refused).toMatch(/^阅读时间不足，还需阅读 \d+ 秒$/);
    await shot(e, 'study-04-too-early');
    await e.page.goBack();
    expect((await today()).read).toMatchObject({ count: 0, points: 0 });
    expect((await api<Me>(e, 'GET', '/me', token)).points.month).toBe(before.points.month);
  });

  step('time while the page is hidden does not count', async () => {
    await openArticle();
    await setVisibility('hidden');
    await until(
      e,
      'article: paused',
      () => visibleText(e, 'article-clock'),
      (t) => t === '已暂停计时',
    );
    // setVisibility waited for the server's pause: only now may its clock move (a fixed 500 ms wait lost that race in CI).
    advanceStudyClock((article.minSeconds + 60) * 1000);
    await setVisibility('visible');
    await click(e, 'finish after a hidden hour', byId(e, 'article-finish'));
    await until(
      e,
      'article: still refused',
      () => visibleText(e, 'article-refused'),
      (t) => t.startsWith('阅读时间不足'),
    );
    expect((await today()).read.count).toBe(0);
  });

  step('after the minimum in front of the reader, 读完了 pays +1 once', async () => {
    advanceStudyClock(article.minSeconds * 1000);
    await click(e, 'finish', byId(e, 'article-finish'));
    const result = await until(
      e,
      'article: paid',
      () => visibleText(e, 'article-result'),
      (t) => t.length > 0,
    );
    expect(result).toBe('读完了，+1 积分，已计入今日学习');
    expect(await visibleText(e, 'article-clock')).toMatch(/^本次计时 \d+ 秒$/);
    await shot(e, 'study-05-paid');
    const after = await api<Me>(e, 'GET', '/me', token);
    expect(after.points.month - before.points.month).toBe(1);
  });

  step('the daily card shows 1/6 and +1, as the ledger says, and the article is marked 已学', async () => {
    const card = await today();
    expect(card.read).toMatchObject({ count: 1, cap: 6, points: 1 });
    await e.page.goto(`${e.app.baseUrl}/#/pages/study/index`);
    await until(
      e,
      'study: read 1/6',
      () => visibleText(e, 'today-read'),
      (t) => t.includes('1/6') && t.includes('+1分'),
    );
    expect(await visibleText(e, 'today-total')).toBe(`今日学习得分 ${card.total}`);
    expect(await visibleText(e, `study-article-${article.id}`)).toContain('已学');
    await shot(e, 'study-06-articles-after');
    await byId(e, 'study-today').first().scrollIntoViewIfNeeded();
    await shot(e, 'study-07-card-after');
  });

  step('the county admin’s console lists the article with its reads, completion rate and average time', async () => {
    const adminToken = await devLogin(e, 'demo-admin', '王组织');
    const rows = await api<{ items: AdminArticleRow[] }>(e, 'GET', '/study/admin/articles', adminToken);
    const row = rows.items.find((r) => r.id === article.id)!;
    expect(row).toMatchObject({ opens: 2, completions: 1 }); // the too-early visit and the one that paid
    await e.page.setViewportSize({ width: 1280, height: 900 });
    await e.page.goto(`${e.app.baseUrl}/#/console/study-articles/index`);
    const shown = await until(
      e,
      'console: article row',
      () => visibleText(e, `sa-row-${article.id}`),
      (t) => t.includes('完成率'),
    );
    expect(shown).toContain(`阅读 ${row.opens} 次`);
    expect(shown).toContain(`完成率 ${Math.round(row.completionRate * 100)}%`);
    expect(shown).toContain(`平均 ${row.averageSeconds} 秒`);
    await shot(e, 'study-08-console');
  });

  step('the county admin uploads an MP4 in the console and publishes it', async () => {
    const chooser = e.page.waitForEvent('filechooser');
    await click(e, 'console: choose video', byId(e, 'sv-file'));
    await (await chooser).setFiles(path.join(__dirname, '../fixtures/study-12s.mp4'));
    await until(
      e,
      'console: video uploaded',
      () => visibleText(e, 'sv-file-info'),
      (t) => t.includes('时长 12 秒'),
    );
    await byId(e, 'sv-title').locator('input').fill(VIDEO_TITLE);
    await click(e, 'console: topic', byId(e, 'sv-topic-党史'));
    await byId(e, 'study-video-publish').first().scrollIntoViewIfNeeded();
    await shot(e, 'study-09-console-video-form');
    await click(e, 'console: publish video', byId(e, 'sv-submit'));
    const adminToken = await devLogin(e, 'demo-admin', '王组织');
    const rows = await until(
      e,
      'console: video published',
      () => api<{ items: AdminVideoRow[] }>(e, 'GET', '/study/admin/videos', adminToken),
      (r) => r.items.some((v) => v.title === VIDEO_TITLE),
    );
    videoId = rows.items.find((v) => v.title === VIDEO_TITLE)!.id;
  });

  step('a member finds it by title, plays it and skips to the end: 看完了 is refused', async () => {
    await e.page.setViewportSize({ width: 375, height: 812 });
    token = await devLogin(e, 'demo-member', '陈党员');
    await e.page.goto(`${e.app.baseUrl}/#/pages/study/index`);
    await click(e, 'study: videos tab', byId(e, 'study-kind-videos'));
    await byId(e, 'study-search').locator('input').fill('红旗渠');
    await click(e, 'study: search', byId(e, 'study-search-go'));
    await until(
      e,
      'study: video found',
      () => visibleText(e, `study-video-${videoId}`),
      (t) => t.includes(VIDEO_TITLE) && t.includes('12秒'),
    );
    await byId(e, 'study-articles').first().scrollIntoViewIfNeeded();
    await shot(e, 'study-10-videos-search');
    await click(e, 'open video', byId(e, `study-video-${videoId}`));
    await until(
      e,
      'video: watching open',
      () => visibleText(e, 'video-finish'),
      (t) => t.includes('还需约 10 秒'),
    );
    await play(0);
    // Skipped to the end: the player ends, the page pauses the watching, and the count is the real seconds only.
    const paused = waitFor('/pause');
    await player().evaluate((v: HTMLVideoElement) => void (v.currentTime = 11.5));
    await paused;
    await click(e, 'finish too early', byId(e, 'video-finish'));
    const refused = await until(
      e,
      'video: refusal',
      () => visibleText(e, 'video-refused'),
      (t) => t.length > 0,
    );
    expect(refused).toMatch(/^观看时间不足，还需观看 \d+ 秒$/);
    await shot(e, 'study-11-video-refused');
    expect((await today()).watch).toMatchObject({ count: 0, points: 0 });
  });

  step('watched in front for 80% of its length by the server’s clock, 看完了 pays +1 once; 收藏 lists it', async () => {
    const before = await api<Me>(e, 'GET', '/me', token);
    await play(0);
    // The clock moves only between two beats the server has answered: the next beat counts the 10 s, no more.
    advanceStudyClock(10_000);
    await waitFor('/beat');
    await click(e, 'finish', byId(e, 'video-finish'));
    const result = await until(
      e,
      'video: paid',
      () => visibleText(e, 'video-result'),
      (t) => t.length > 0,
    );
    expect(result).toBe('看完了，+1 积分，已计入今日学习');
    await click(e, 'video: 收藏', byId(e, 'study-fav'));
    await until(
      e,
      'video: 已收藏',
      () => visibleText(e, 'study-fav'),
      (t) => t.includes('已收藏'),
    );
    await shot(e, 'study-12-video-paid');
    expect((await api<Me>(e, 'GET', '/me', token)).points.month - before.points.month).toBe(1);
    const card = await today();
    expect(card.watch).toMatchObject({ count: 1, cap: 6, points: 1 });

    await e.page.goto(`${e.app.baseUrl}/#/pages/study/index`);
    await until(
      e,
      'study: watch 1/6',
      () => visibleText(e, 'today-watch'),
      (t) => t.includes('1/6') && t.includes('+1分'),
    );
    expect(await visibleText(e, 'today-total')).toBe(`今日学习得分 ${card.total}`);
    await click(e, 'study: videos tab', byId(e, 'study-kind-videos'));
    await click(e, 'study: 收藏', byId(e, 'study-fav-filter'));
    const row = await until(
      e,
      'study: 收藏 list',
      () => visibleText(e, `study-video-${videoId}`),
      (t) => t.includes('★') && t.includes('已学'),
    );
    expect(row).toContain(VIDEO_TITLE);
    await byId(e, 'study-articles').first().scrollIntoViewIfNeeded();
    await shot(e, 'study-13-favs');
  });

  step('the browser saw no unexpected API error, CSP block or exception', async () => {
    expect(e.apiFailures).toEqual([]);
    expect(e.blockedByCsp).toEqual([]);
    expect(e.uncaught).toEqual([]);
  });
});
