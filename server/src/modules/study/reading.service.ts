import { randomBytes } from 'node:crypto';
import type { ReadingResult, ReadingSession } from '@pioneer/shared';
import { AppError, notFound } from '../../http/errors';
import type { SessionUser } from '../../http/types';
import { minSecondsOf, readableArticle } from './articles.service';
import { payStudy } from './pay';
import { creditStudyTime, readCreditMs } from './study-time';
import { ArticleStatsModel, ReaderModel, ReadingSessionModel, type SessionDoc } from './study.model';

/**
 * 阅读计分 (issue 20): opening an article starts a session on the server; time counts by the server's clock while
 * the page is in front (the page pauses it when hidden); completing pays 1 point through the rules table only when
 * the counted time reaches the article's minimum and the page saw the end. Every read and write is by `_id`.
 */

const countedMs = (s: Pick<SessionDoc, 'activeMs' | 'runningSince'>, now: Date) =>
  s.activeMs + (s.runningSince ? Math.max(0, now.getTime() - new Date(s.runningSince).getTime()) : 0);

function view(s: SessionDoc, now: Date): ReadingSession {
  return {
    id: s._id,
    articleId: s.articleId,
    minSeconds: s.minSeconds,
    activeSeconds: Math.floor(countedMs(s, now) / 1000),
    running: s.runningSince !== null && s.completedAt === null,
    completed: s.completedAt !== null,
  };
}

export async function openReading(actor: SessionUser, articleId: string, now: Date): Promise<ReadingSession> {
  const article = await readableArticle(actor, articleId);
  const doc = {
    _id: randomBytes(12).toString('hex'),
    userId: actor.id,
    articleId,
    minSeconds: minSecondsOf(article),
    startedAt: now,
    activeMs: 0,
    runningSince: now,
    completedAt: null,
  };
  await ReadingSessionModel.create(doc);
  await ArticleStatsModel.updateOne({ _id: articleId }, { $inc: { opens: 1 } }, { upsert: true });
  return view(doc as SessionDoc, now);
}

/** The member's own session; anyone else's is "not found" (its id says nothing about whose it is). */
async function ownSession(actor: SessionUser, id: string): Promise<SessionDoc> {
  const s = await ReadingSessionModel.findById(id).lean<SessionDoc>();
  if (!s || s.userId !== actor.id) throw notFound('阅读记录');
  return s;
}

/** The page went to the background: the time so far is banked and the clock stops. */
export async function pauseReading(actor: SessionUser, id: string, now: Date): Promise<ReadingSession> {
  const s = await ownSession(actor, id);
  if (s.completedAt || !s.runningSince) return view(s, now);
  const next = { ...s, activeMs: countedMs(s, now), runningSince: null };
  await ReadingSessionModel.updateOne({ _id: id }, { $set: { activeMs: next.activeMs, runningSince: null } });
  return view(next, now);
}

/** The page is in front again: the clock runs from now. */
export async function resumeReading(actor: SessionUser, id: string, now: Date): Promise<ReadingSession> {
  const s = await ownSession(actor, id);
  if (s.completedAt || s.runningSince) return view(s, now);
  await ReadingSessionModel.updateOne({ _id: id }, { $set: { runningSince: now } });
  return view({ ...s, runningSince: now }, now);
}

/**
 * 读完: refused (nothing paid, the session still open) before the minimum by the server's clock or without the end
 * reached; else the session is closed once and the article's point paid once per member, within the day's cap.
 */
export async function completeReading(
  actor: SessionUser,
  id: string,
  reachedEnd: boolean,
  now: Date,
): Promise<ReadingResult> {
  const s = await ownSession(actor, id);
  if (s.completedAt) return { session: view(s, now), awarded: 0, unpaid: 'already_paid' };
  if (!reachedEnd) throw new AppError('READ_NOT_FINISHED', '请读到文章末尾再点“读完了”');
  const counted = countedMs(s, now);
  const missing = Math.ceil((s.minSeconds * 1000 - counted) / 1000);
  if (missing > 0)
    throw new AppError('READ_TOO_SHORT', `阅读时间不足，还需阅读 ${missing} 秒`, {
      remainingSeconds: missing,
      minSeconds: s.minSeconds,
    });
  const before = await ReadingSessionModel.findOneAndUpdate(
    { _id: id },
    { $set: { completedAt: now, activeMs: counted, runningSince: null } },
    { returnDocument: 'before' },
  ).lean<SessionDoc>();
  const done = { ...s, completedAt: now, activeMs: counted, runningSince: null };
  // Two completions of one session racing: only the one that closed it counts and pays.
  if (before?.completedAt) return { session: view(done, now), awarded: 0, unpaid: 'already_paid' };
  await Promise.all([
    ArticleStatsModel.updateOne(
      { _id: s.articleId },
      { $inc: { completions: 1, completedMs: counted } },
      { upsert: true },
    ),
    ReaderModel.updateOne({ _id: actor.id }, { $addToSet: { read: s.articleId } }, { upsert: true }),
    // 学习时长: the closed session's server time (bounded), whether or not the point is paid.
    creditStudyTime(actor.id, 'read', readCreditMs(counted, s.minSeconds), now),
  ]);
  return { session: view(done, now), ...(await payStudy('study_read', actor.id, s.articleId, now)) };
}
