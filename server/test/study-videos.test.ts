/**
 * 学习视频 (issue 20): an admin's MP4/H.264 upload is streamed to disk, sniffed from its bytes and bounded at 200 MB;
 * the file is served in HTTP byte ranges to a signed address or a bearer session; watching counts only the
 * server's clock between heartbeats (a seek or a fast client claims nothing), and pays `study_watch` once per video
 * at 80% of the file's own duration, at most 6 a day. Also 收藏 and title search, and the monthly 学习台账 XLSX.
 */
import { readFile, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { dayKey, monthKey, type WatchResult, type WatchSession } from '@pioneer/shared';
import { startCountyApp, type TestApp } from './support/harness';
import { bearer } from './support/client';
import { buildAdmin, buildMember, type County } from './support/factories';
import { advanceStudyClock, resetStudyClock, studyNow } from '../src/modules/study/clock';
import { parseRange } from '../src/modules/study/video-store';
import { LedgerModel } from '../src/modules/points/points.model';
import { VideoFileModel, VideoModel } from '../src/modules/study/videos.model';
import { StudyTimeModel } from '../src/modules/study/study-time';
import { binary, workbookOf } from './support/download';

const FIXTURES = path.join(__dirname, '../../test/fixtures');
const MP4 = path.join(FIXTURES, 'study-12s.mp4');

let t: TestApp;
let county: County;
let admin: { id: string };
let townAdmin: { id: string };
let member: { id: string };
let fixture: Buffer;
const auth = (id: string) => bearer(t, id);

beforeAll(async () => {
  ({ t, county } = await startCountyApp());
  admin = await buildAdmin({ of: county.county, branch: county.branchB });
  townAdmin = await buildAdmin({ of: county.townB, branch: county.branchB });
  member = await buildMember({ branch: county.branchA, name: '甲支视频党员' });
  fixture = await readFile(MP4);
});
afterAll(async () => {
  resetStudyClock();
  await t.close();
});
afterEach(() => resetStudyClock());

const upload = (file: string | Buffer, by = admin.id, filename = 'a.mp4') =>
  t.http().post('/api/v1/study/admin/videos/files').set(auth(by)).attach('file', file, { filename });

async function publishVideo(title = '学习视频', org = county.branchA.id) {
  const file = await upload(MP4);
  expect(file.status).toBe(201);
  const res = await t
    .http()
    .post('/api/v1/study/admin/videos')
    .set(auth(admin.id))
    .send({ org, title, topic: '党史', file: file.body.file });
  expect(res.status).toBe(201);
  return res.body as { id: string; seconds: number };
}

const post = (url: string, who: string, body: object = {}) => t.http().post(url).set(auth(who)).send(body);
const publishArticle = async (title: string, org: string) =>
  (await post('/api/v1/study/admin/articles', admin.id, { org, title, topic: '党史', body: '<p>短文。</p>' })).body as {
    id: string;
  };
/** Opens the article, lets `ms` pass on the study clock and finishes it at its end: the completion's reply. */
async function readFor(articleId: string, who: string, ms: number) {
  const reading = await post(`/api/v1/study/articles/${articleId}/sessions`, who);
  advanceStudyClock(ms);
  return post(`/api/v1/study/sessions/${reading.body.id}/complete`, who, { reachedEnd: true });
}
const beat = (id: string, position = 0, who = member.id) => post(`/api/v1/study/watches/${id}/beat`, who, { position });
const complete = (id: string, who = member.id) => post(`/api/v1/study/watches/${id}/complete`, who);
async function openWatch(videoId: string, who = member.id): Promise<WatchSession> {
  const res = await post(`/api/v1/study/videos/${videoId}/watches`, who);
  expect(res.status).toBe(201);
  return res.body as WatchSession;
}

describe('upload: streamed, sniffed, bounded', () => {
  test('an H.264 MP4 is kept under a server-made name with its duration from the file itself', async () => {
    const res = await upload(MP4, admin.id, '../../evil.exe');
    expect(res.status).toBe(201);
    expect(res.body.file).toMatch(/^\d{4}-\d{2}\/[a-f0-9]{32}\.mp4$/);
    expect(res.body.seconds).toBe(12);
    expect(res.body.bytes).toBe(fixture.length);
  });

  test('an MP4 in another codec, a photo called .mp4, or a member’s upload are refused and nothing is kept', async () => {
    const before = await VideoFileModel.countDocuments();
    const mpeg4 = await upload(path.join(FIXTURES, 'not-h264.mp4'));
    expect(mpeg4.status).toBe(415);
    expect(mpeg4.body.error.message).toBe('只能上传 H.264 编码的 MP4 视频');
    const jpeg = await upload(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2000)]));
    expect(jpeg.status).toBe(415);
    // A file whose first box says MP4 but whose tables are cut off.
    expect((await upload(fixture.subarray(0, 200))).status).toBe(415);
    expect((await upload(MP4, member.id)).status).toBe(403);
    expect(await VideoFileModel.countDocuments()).toBe(before);
    const incoming = await readdir(path.join(t.config.dataDir, 'videos', 'incoming')).catch(() => []);
    expect(incoming).toEqual([]);
  });

  test('over 200 MB is cut off with 413 while streaming, never held in memory, and the partial file removed', async () => {
    const big = path.join(t.config.dataDir, 'big-upload.mp4');
    await writeFile(big, '');
    await truncate(big, 200 * 1024 * 1024 + 1); // sparse: no disk or memory spent making it
    let peak = 0;
    const base = process.memoryUsage().rss;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss - base)), 20);
    try {
      const res = await upload(big);
      expect(res.status).toBe(413);
      expect(res.body.error.message).toBe('视频不能超过 200 MB');
    } finally {
      clearInterval(timer);
      await rm(big, { force: true });
    }
    // The sender and the receiver share this process: both stream, so memory grows far less than the file.
    expect(peak).toBeLessThan(120 * 1024 * 1024);
    expect(await readdir(path.join(t.config.dataDir, 'videos', 'incoming'))).toEqual([]);
  }, 60_000);
});

describe('publishing', () => {
  test('a township admin cannot publish into another township; a file is published once; an unknown file is refused', async () => {
    const file = (await upload(MP4)).body.file as string;
    const outside = await t
      .http()
      .post('/api/v1/study/admin/videos')
      .set(auth(townAdmin.id))
      .send({ org: county.branchA.id, title: '越权视频', topic: '党史', file });
    expect(outside.status).toBe(403);
    const body = { org: county.branchA.id, title: '一次发布', topic: '党史', file };
    expect((await post('/api/v1/study/admin/videos', admin.id, body)).status).toBe(201);
    expect((await post('/api/v1/study/admin/videos', admin.id, body)).status).toBe(409);
    const unknown = await post('/api/v1/study/admin/videos', admin.id, {
      ...body,
      file: '2026-11/' + 'a'.repeat(32) + '.mp4',
    });
    expect(unknown.status).toBe(400);
    expect(await VideoModel.countDocuments({ title: '越权视频' })).toBe(0);
  });
});

describe('served with HTTP Range', () => {
  test('200 whole, 206 with Content-Range, suffix ranges, 416 past the end; a signed address or a session', async () => {
    const video = await publishVideo('范围请求');
    const view = await t.http().get(`/api/v1/study/videos/${video.id}`).set(auth(member.id));
    expect(view.status).toBe(200);
    const src = view.body.src as string;
    expect(src).toMatch(new RegExp(`^/api/v1/study/videos/${video.id}/stream\\?t=`));
    const size = fixture.length;
    const get = (range?: string) => {
      const req = t.http().get(src).buffer(true).parse(binary);
      return range ? req.set('Range', range) : req;
    };

    const whole = await get();
    expect(whole.status).toBe(200);
    expect(whole.headers['accept-ranges']).toBe('bytes');
    expect(whole.headers['content-type']).toBe('video/mp4');
    expect(Buffer.compare(whole.body as Buffer, fixture)).toBe(0);

    const part = await get('bytes=100-1099');
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 100-1099/${size}`);
    expect(part.headers['content-length']).toBe('1000');
    expect(Buffer.compare(part.body as Buffer, fixture.subarray(100, 1100))).toBe(0);

    const open = await get(`bytes=${size - 10}-`);
    expect(open.status).toBe(206);
    expect(open.headers['content-range']).toBe(`bytes ${size - 10}-${size - 1}/${size}`);
    const suffix = await get('bytes=-500');
    expect(suffix.headers['content-range']).toBe(`bytes ${size - 500}-${size - 1}/${size}`);
    expect(Buffer.compare(suffix.body as Buffer, fixture.subarray(size - 500))).toBe(0);
    // Past the end: longer than the file is clipped to it, starting past it is unsatisfiable.
    expect((await get(`bytes=0-${size * 2}`)).headers['content-range']).toBe(`bytes 0-${size - 1}/${size}`);
    const bad = await get(`bytes=${size}-`);
    expect(bad.status).toBe(416);
    expect(bad.headers['content-range']).toBe(`bytes */${size}`);

    // No token, a forged one, or one signed for another video: a session is needed, and only a reader's.
    const bare = `/api/v1/study/videos/${video.id}/stream`;
    expect((await t.http().get(bare)).status).toBe(401);
    expect((await t.http().get(`${src.slice(0, -4)}AAAA`)).status).toBe(401);
    const other = await publishVideo('另一个');
    expect((await t.http().get(`/api/v1/study/videos/${other.id}/stream?${src.split('?')[1]}`)).status).toBe(401);
    expect((await t.http().get(bare).set(auth(member.id)).set('Range', 'bytes=0-9')).status).toBe(206);
    expect((await t.http().get(bare).set(auth(townAdmin.id))).status).toBe(403);
  });

  test('range parsing', () => {
    expect(parseRange('bytes=0-0', 10)).toEqual({ start: 0, end: 0 });
    expect(parseRange('bytes=5-2', 10)).toBe('unsatisfiable');
    expect(parseRange('bytes=-0', 10)).toBe('unsatisfiable');
    expect(parseRange('bytes=0-1,3-4', 10)).toBeNull();
    expect(parseRange('items=0-1', 10)).toBeNull();
  });
});

describe('watching that counts', () => {
  test('only the server’s time between beats counts: a seek, a fast client, a long gap or a hidden page claim nothing', async () => {
    const video = await publishVideo('计时');
    const s = await openWatch(video.id);
    expect(s).toMatchObject({ seconds: 12, needSeconds: 10, watchedSeconds: 0, running: false });
    expect((await beat(s.id)).status).toBe(200); // playing from now
    advanceStudyClock(4000);
    expect((await beat(s.id, 4)).body.watchedSeconds).toBe(4);
    // Faster than real time: refused, nothing counted.
    const fast = await beat(s.id, 5);
    expect(fast.status).toBe(429);
    expect(fast.body.error.code).toBe('WATCH_TOO_FAST');
    // Seeking to the end moves the position, not the count.
    advanceStudyClock(1000);
    expect((await beat(s.id, 11.9)).body).toMatchObject({ watchedSeconds: 5, position: 11.9 });
    const early = await complete(s.id);
    expect(early.status).toBe(422);
    expect(early.body.error.message).toBe('观看时间不足，还需观看 5 秒');
    // Hidden for ten minutes: paused, and the beat that resumes counts nothing of it.
    advanceStudyClock(1000);
    expect((await post(`/api/v1/study/watches/${s.id}/pause`, member.id, { position: 6 })).body).toMatchObject({
      watchedSeconds: 6,
      running: false,
    });
    advanceStudyClock(600_000);
    expect((await beat(s.id, 6)).body.watchedSeconds).toBe(6);
    // A phone locked without a visibility event: the next beat counts at most 15 s, not the minute.
    advanceStudyClock(60_000);
    expect((await beat(s.id, 8)).body.watchedSeconds).toBe(21);
    expect(await LedgerModel.countDocuments({ userId: member.id, reason: 'study_watch', refId: video.id })).toBe(0);

    const done = await complete(s.id);
    expect(done.status).toBe(200);
    expect(done.body as WatchResult).toMatchObject({ awarded: 1, unpaid: null, session: { completed: true } });
    // Once per video: again, or in a new watching, pays nothing more.
    expect((await complete(s.id)).body).toMatchObject({ awarded: 0, unpaid: 'already_paid' });
    const again = await openWatch(video.id);
    await beat(again.id);
    advanceStudyClock(10_000);
    expect((await complete(again.id)).body).toMatchObject({ awarded: 0, unpaid: 'already_paid' });
    const paid = await LedgerModel.find({ userId: member.id, reason: 'study_watch', refId: video.id }).lean();
    expect(paid.map((e) => e.delta)).toEqual([1]);
    // Someone else's watching is not found for them.
    const other = await buildMember({ branch: county.branchA });
    expect((await beat(again.id, 1, other.id)).status).toBe(404);
  });

  test('at most 6 a day: the 7th pays nothing; the daily card’s watch count equals the ledger', async () => {
    const watcher = await buildMember({ branch: county.branchA, name: '看满六个' });
    const videos = [];
    for (let i = 0; i < 7; i++) videos.push(await publishVideo(`上限${i}`));
    const results: WatchResult[] = [];
    for (const v of videos) {
      const s = await openWatch(v.id, watcher.id);
      await beat(s.id, 0, watcher.id);
      advanceStudyClock(10_000);
      results.push((await complete(s.id, watcher.id)).body as WatchResult);
    }
    expect(results.map((r) => r.awarded)).toEqual([1, 1, 1, 1, 1, 1, 0]);
    expect(results[6]!.unpaid).toBe('daily_cap');
    const today = await t.http().get('/api/v1/study/today').set(auth(watcher.id));
    const ledger = await LedgerModel.find({ userId: watcher.id, reason: 'study_watch' }).lean();
    const todays = ledger.filter((e) => dayKey(e.at) === dayKey(studyNow()) && e.delta > 0);
    expect(today.body.watch).toEqual({ count: todays.length, cap: 6, points: 6 });
    expect(today.body.total).toBe(6);
  });
});

describe('收藏 and search', () => {
  test('a member keeps an article and a video, lists only them, finds by title, and takes one out', async () => {
    const article = await post('/api/v1/study/admin/articles', admin.id, {
      org: county.branchA.id,
      title: '收藏的文章：红旗渠',
      topic: '党史',
      body: '<p>修渠的故事。</p>',
    });
    const video = await publishVideo('收藏的视频：红旗渠');
    const fan = await buildMember({ branch: county.branchA });
    expect((await t.http().put(`/api/v1/study/favs/${article.body.id}`).set(auth(fan.id))).status).toBe(200);
    expect((await t.http().put(`/api/v1/study/favs/${video.id}`).set(auth(fan.id))).status).toBe(200);
    const favArticles = await t.http().get('/api/v1/study/articles?fav=1').set(auth(fan.id));
    expect(favArticles.body.items.map((a: { id: string }) => a.id)).toEqual([article.body.id]);
    const favVideos = await t.http().get('/api/v1/study/videos?fav=1').set(auth(fan.id));
    expect(favVideos.body.items.map((a: { id: string; fav: boolean }) => [a.id, a.fav])).toEqual([[video.id, true]]);
    const found = await t
      .http()
      .get(`/api/v1/study/videos?q=${encodeURIComponent('红旗渠')}`)
      .set(auth(fan.id));
    expect(found.body.items.map((a: { title: string }) => a.title)).toEqual(['收藏的视频：红旗渠']);
    const none = await t
      .http()
      .get(`/api/v1/study/articles?q=${encodeURIComponent('没有这个标题')}`)
      .set(auth(fan.id));
    expect(none.body.items).toEqual([]);
    await t.http().delete(`/api/v1/study/favs/${article.body.id}`).set(auth(fan.id));
    expect((await t.http().get('/api/v1/study/articles?fav=1').set(auth(fan.id))).body.items).toEqual([]);
    // What the member may not read cannot be kept, and an unknown id is not found.
    const outsider = await buildMember({ branch: county.branchB });
    expect((await t.http().put(`/api/v1/study/favs/${video.id}`).set(auth(outsider.id))).status).toBe(403);
    expect((await t.http().put('/api/v1/study/favs/nosuchthing').set(auth(fan.id))).status).toBe(404);
  });
});

describe('学习台账', () => {
  test('the secretary’s XLSX has one row per member of the branch with the month’s articles, videos, quizzes and points', async () => {
    const secretary = await buildMember({ branch: county.branchA2, roles: ['member', 'secretary'], name: '二支书记' });
    const learner = await buildMember({ branch: county.branchA2, name: '二支学员' });
    const idle = await buildMember({ branch: county.branchA2, name: '二支未学' });
    const article = await publishArticle('台账文章', county.branchA2.id);
    expect((await readFor(article.id, learner.id, 31_000)).body.awarded).toBe(1);
    const video = await publishVideo('台账视频', county.branchA2.id);
    const s = await openWatch(video.id, learner.id);
    await beat(s.id, 0, learner.id);
    advanceStudyClock(10_000);
    expect((await complete(s.id, learner.id)).body.awarded).toBe(1);

    const month = monthKey(studyNow());
    const res = await t
      .http()
      .get(`/api/v1/study/ledger?org=${county.branchA2.id}&month=${month}`)
      .set(auth(secretary.id))
      .buffer(true)
      .parse(binary);
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toContain(`study-${month}.xlsx`);
    const book = await workbookOf(res.body);
    const sheet = book.getWorksheet('学习台账')!;
    const rows = sheet
      .getSheetValues()
      .slice(1)
      .map((r) => (r as unknown[]).slice(1));
    expect(rows[0]).toEqual([
      '姓名',
      '所在支部',
      '阅读文章(篇)',
      '观看视频(个)',
      '答题(次)',
      '学习积分',
      '学习时长（分钟）',
      '阅读时长（分钟）',
      '观看时长（分钟）',
    ]);
    const byName = Object.fromEntries(rows.slice(1).map((r) => [r[0], r.slice(1)]));
    // 31 s of reading + 10 s of watching by the server's clock: 0.5 + 0.2 minutes (0.7 in all).
    expect(byName['二支学员']).toEqual(['甲村第二党支部', 1, 1, 0, 2, 0.7, 0.5, 0.2]);
    expect(byName['二支未学']).toEqual(['甲村第二党支部', 0, 0, 0, 0, 0, 0, 0]);
    expect(byName['二支书记']).toEqual(['甲村第二党支部', 0, 0, 0, 0, 0, 0, 0]);
    expect(Object.keys(byName)).toHaveLength(3);
    void idle;
    // Another branch's secretary, and a member, cannot take it.
    const otherSec = await buildMember({ branch: county.branchA, roles: ['member', 'secretary'] });
    expect(
      (await t.http().get(`/api/v1/study/ledger?org=${county.branchA2.id}&month=${month}`).set(auth(otherSec.id)))
        .status,
    ).toBe(403);
    expect((await t.http().get(`/api/v1/study/ledger?month=${month}`).set(auth(learner.id))).status).toBe(403);
    expect((await t.http().get(`/api/v1/study/ledger?month=2026-13`).set(auth(secretary.id))).status).toBe(400);
  });
});

describe('学习时长', () => {
  // A test here moves the study clock by over an hour and reads the month's counter: within 3 hours of a Shanghai
  // month's end it would read the next month's document (it failed at 15:52 UTC on 30 November). Start past it.
  beforeEach(() => {
    while (monthKey(new Date(studyNow().getTime() + 3 * 3_600_000)) !== monthKey(studyNow()))
      advanceStudyClock(3_600_000);
  });
  const key = (id: string) => `${id}|${monthKey(studyNow())}`;
  const counter = async (id: string) => {
    const doc = await StudyTimeModel.findById(key(id)).lean();
    return { readMs: doc?.readMs ?? 0, watchMs: doc?.watchMs ?? 0 };
  };
  // The fake clock moves on top of real time: a request's own few milliseconds count too.
  const near = (ms: number, want: number) => {
    expect(ms).toBeGreaterThanOrEqual(want);
    expect(ms).toBeLessThan(want + 2_000);
  };

  test('credits the server’s time only: a completed reading (bounded), accepted beats; a refused or early beat adds nothing', async () => {
    const reader = await buildMember({ branch: county.branchA, name: '计时学员' });
    const article = await publishArticle('计时文章', county.branchA.id);
    // A reading left before its minimum is refused and credits nothing.
    expect((await readFor(article.id, reader.id, 5_000)).status).toBe(422);
    expect(await counter(reader.id)).toEqual({ readMs: 0, watchMs: 0 });

    expect((await readFor(article.id, reader.id, 40_000)).body.awarded).toBe(1);
    const read1 = (await counter(reader.id)).readMs;
    near(read1, 40_000);

    // The same article again, paid already: still time studied; a page left in front for an hour counts 4 × 30 s.
    expect((await readFor(article.id, reader.id, 3_600_000)).body.awarded).toBe(0);
    expect(await counter(reader.id)).toEqual({ readMs: read1 + 120_000, watchMs: 0 });

    const video = await publishVideo('计时视频');
    const s = await openWatch(video.id, reader.id);
    expect((await beat(s.id, 0, reader.id)).status).toBe(200);
    advanceStudyClock(5_000);
    expect((await beat(s.id, 5, reader.id)).status).toBe(200);
    const watch1 = (await counter(reader.id)).watchMs;
    near(watch1, 5_000);
    advanceStudyClock(300);
    expect((await beat(s.id, 5, reader.id)).status).toBe(429);
    expect((await counter(reader.id)).watchMs).toBe(watch1);
    advanceStudyClock(4_700);
    expect((await beat(s.id, 10, reader.id)).status).toBe(200);
    // A minute without a beat (a locked phone) credits 15 s, as the session does.
    advanceStudyClock(60_000);
    expect((await beat(s.id, 12, reader.id)).status).toBe(200);
    const watch2 = (await counter(reader.id)).watchMs;
    near(watch2, 10_000 + 15_000);
    advanceStudyClock(2_000);
    expect((await complete(s.id, reader.id)).body.awarded).toBe(1);
    near((await counter(reader.id)).watchMs, watch2 + 2_000);
    expect((await counter(reader.id)).readMs).toBe(read1 + 120_000);

    const res = await t
      .http()
      .get(`/api/v1/study/ledger?org=${county.branchA.id}&month=${monthKey(studyNow())}`)
      .set(auth(admin.id))
      .buffer(true)
      .parse(binary);
    expect(res.status).toBe(200);
    const book = await workbookOf(res.body);
    const rows = book
      .getWorksheet('学习台账')!
      .getSheetValues()
      .slice(1)
      .map((r) => (r as unknown[]).slice(1));
    const mine = rows.find((r) => r[0] === '计时学员')!;
    // 160 s reading (2.7 min) + 27 s watching (0.5 min) = 187 s (3.1 min).
    expect(mine.slice(6)).toEqual([3.1, 2.7, 0.5]);
  });
});
