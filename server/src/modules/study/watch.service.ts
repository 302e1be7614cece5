import { randomBytes } from 'node:crypto';
import { VIDEO_RULES, type WatchResult, type WatchSession } from '@pioneer/shared';
import { AppError, notFound } from '../../http/errors';
import type { SessionUser } from '../../http/types';
import { payStudy } from './pay';
import { creditStudyTime } from './study-time';
import { ReaderModel } from './study.model';
import { readableVideo } from './videos.service';
import { VideoStatsModel, WatchModel, type WatchDoc } from './videos.model';

/**
 * 观看计时 (issue 20). The page beats every few seconds while the video plays and pauses it when paused, ended or
 * hidden. The server credits only its own clock: the time since the last accepted beat, at most maxBeatSeconds
 * (a phone locked without a visibility event stops counting there). Seeking moves the position, never the count,
 * so skipping to the end claims nothing, and a client beating faster than real time is refused. It pays
 * (`study_watch`, once per video, within the daily cap) when the count reaches 80% of the file's own duration.
 * Every read and write is by `_id`.
 */

const needMs = (seconds: number) => Math.ceil(seconds * VIDEO_RULES.watchShare * 1000);
const creditFor = (since: Date | null | undefined, now: Date) =>
  since ? Math.min(Math.max(0, now.getTime() - new Date(since).getTime()), VIDEO_RULES.maxBeatSeconds * 1000) : 0;

function view(s: WatchDoc): WatchSession {
  return {
    id: s._id,
    videoId: s.videoId,
    seconds: s.seconds,
    watchedSeconds: Math.floor(s.watchedMs / 1000),
    needSeconds: Math.ceil(needMs(s.seconds) / 1000),
    running: s.lastBeatAt !== null && s.completedAt === null,
    completed: s.completedAt !== null,
    position: s.position,
  };
}

export async function openWatch(actor: SessionUser, videoId: string, now: Date): Promise<WatchSession> {
  const video = await readableVideo(actor, videoId);
  const doc = {
    _id: randomBytes(12).toString('hex'),
    userId: actor.id,
    videoId,
    seconds: video.seconds,
    startedAt: now,
    watchedMs: 0,
    // Not running until the player's first beat says it plays.
    lastBeatAt: null,
    position: 0,
    completedAt: null,
  };
  await WatchModel.create(doc);
  await VideoStatsModel.updateOne({ _id: videoId }, { $inc: { opens: 1 } }, { upsert: true });
  return view(doc as WatchDoc);
}

async function ownWatch(actor: SessionUser, id: string): Promise<WatchDoc> {
  const s = await WatchModel.findById(id).lean<WatchDoc>();
  if (!s || s.userId !== actor.id) throw notFound('观看记录');
  return s;
}

/**
 * Moves the session's clock mark to `to` (now while playing, null when paused) in one atomic swap, then credits
 * the time since the mark it replaced: two beats racing each credit their own stretch, never the same one twice.
 */
async function swapMark(id: string, to: Date | null, position: number, now: Date): Promise<WatchDoc> {
  const before = await WatchModel.findOneAndUpdate(
    { _id: id },
    { $set: { lastBeatAt: to, position } },
    { returnDocument: 'before' },
  ).lean<WatchDoc>();
  if (!before) throw notFound('观看记录');
  const credit = creditFor(before.lastBeatAt, now);
  if (credit > 0)
    await Promise.all([
      WatchModel.updateOne({ _id: id }, { $inc: { watchedMs: credit } }),
      creditStudyTime(before.userId, 'watch', credit, now),
    ]);
  return { ...before, lastBeatAt: to, position, watchedMs: before.watchedMs + credit };
}

/** The player is playing: credits the real time since the last beat; a beat under minBeatMs after it is refused. */
export async function beatWatch(actor: SessionUser, id: string, position: number, now: Date): Promise<WatchSession> {
  const s = await ownWatch(actor, id);
  if (s.completedAt) return view(s);
  if (s.lastBeatAt && now.getTime() - new Date(s.lastBeatAt).getTime() < VIDEO_RULES.minBeatMs)
    throw new AppError('WATCH_TOO_FAST', '观看进度上报过快，本次不计时');
  return view(await swapMark(id, now, position, now));
}

/** Paused, ended or hidden: the time so far is banked and the clock stops until the next beat. */
export async function pauseWatch(actor: SessionUser, id: string, position: number, now: Date): Promise<WatchSession> {
  const s = await ownWatch(actor, id);
  if (s.completedAt || !s.lastBeatAt) return view(s);
  return view(await swapMark(id, null, position, now));
}

/** 看完: refused below 80% of the duration by the server's count; else closed once and paid once per video. */
export async function completeWatch(actor: SessionUser, id: string, now: Date): Promise<WatchResult> {
  const s = await ownWatch(actor, id);
  if (s.completedAt) return { session: view(s), awarded: 0, unpaid: 'already_paid' };
  const counted = s.watchedMs + creditFor(s.lastBeatAt, now);
  const missing = Math.ceil((needMs(s.seconds) - counted) / 1000);
  if (missing > 0)
    throw new AppError('WATCH_TOO_SHORT', `观看时间不足，还需观看 ${missing} 秒`, {
      remainingSeconds: missing,
      needSeconds: Math.ceil(needMs(s.seconds) / 1000),
    });
  const before = await WatchModel.findOneAndUpdate(
    { _id: id },
    { $set: { completedAt: now, lastBeatAt: null, watchedMs: counted } },
    { returnDocument: 'before' },
  ).lean<WatchDoc>();
  const done = { ...s, completedAt: now, lastBeatAt: null, watchedMs: counted };
  // Two completions racing: only the one that closed it counts and pays.
  if (before?.completedAt) return { session: view(done), awarded: 0, unpaid: 'already_paid' };
  await Promise.all([
    // 学习时长: the stretch since the mark this completion replaced (earlier stretches were credited by their beats).
    creditStudyTime(actor.id, 'watch', creditFor(before?.lastBeatAt, now), now),
    VideoStatsModel.updateOne({ _id: s.videoId }, { $inc: { completions: 1, completedMs: counted } }, { upsert: true }),
    ReaderModel.updateOne({ _id: actor.id }, { $addToSet: { watched: s.videoId } }, { upsert: true }),
  ]);
  return { session: view(done), ...(await payStudy('study_watch', actor.id, s.videoId, now)) };
}
