import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  STUDY_RULES,
  type AdminVideoRow,
  type CreateVideoBody,
  type StudyTopic,
  type VideoFileReply,
  type VideoSummary,
  type VideoView,
} from '@pioneer/shared';
import { newId } from '../../db/ids';
import { AppError, notFound } from '../../http/errors';
import type { SessionUser } from '../../http/types';
import { authorize, defaultCountyStart } from '../../policy';
import { OrgModel } from '../orgs/orgs.model';
import { payKey } from '../points/keys';
import { paidEntry } from '../points/points.service';
import {
  adminLines,
  lineOf,
  linesOf,
  placedItem,
  placedOrg,
  putLine,
  statsColumns,
  summaryOf,
  visibleItems,
} from './catalogue';
import { ReaderModel } from './study.model';
import type { VideoStore } from './video-store';
import {
  VideoCatalogModel,
  VideoFileModel,
  VideoModel,
  VideoStatsModel,
  type VideoDoc,
  type VideoItem,
} from './videos.model';

/** 学习视频 (issue 20): admins upload and publish to their subtree; members in the chain watch. Key reads only. */

const READ_REFUSAL = '该视频不在您所在组织的范围内';
const PUBLISH_REFUSAL = '只有管理员可以向本辖区发布学习视频';
/** How long a player's stream address works: a long film with pauses, not a link to pass around for days. */
const STREAM_TTL_MS = 6 * 3600 * 1000;

/** The upload: streamed to disk, probed, kept under a server-made name and recorded for publishing. */
export async function receiveVideo(
  store: VideoStore,
  actor: SessionUser,
  tmpPath: string,
  now: Date,
): Promise<VideoFileReply> {
  const kept = await store.keep(tmpPath, now);
  const seconds = Math.round(kept.info.seconds * 10) / 10;
  await VideoFileModel.create({ _id: kept.file, userId: actor.id, bytes: kept.bytes, seconds, at: now });
  return { file: kept.file, seconds, bytes: kept.bytes };
}

function itemOf(v: VideoDoc, orgName: string): VideoItem {
  return { ...lineOf(v, orgName, v.publishedAt), poster: v.poster ?? null, seconds: v.seconds };
}

function summary(i: VideoItem, marks: { watched?: boolean; fav?: boolean } = {}): VideoSummary {
  return { ...summaryOf(i), poster: i.poster ?? null, seconds: i.seconds!, ...marks };
}

const videosOf = (countyId: string) => linesOf<VideoItem>(VideoCatalogModel, countyId);

/** 发布: an uploaded file becomes a video at an org of the admin's subtree; a file is published once. */
export async function publishVideo(actor: SessionUser, input: CreateVideoBody, now: Date): Promise<AdminVideoRow> {
  const org = await placedOrg(input.org);
  authorize(actor, 'study.publish', org, PUBLISH_REFUSAL);
  const countyId = org.path[0] ?? org._id;
  if ((await videosOf(countyId)).length >= STUDY_RULES.catalogMax)
    throw new AppError('CONFLICT', `本县学习视频已达${STUDY_RULES.catalogMax}个上限`);
  const id = newId();
  const file = await VideoFileModel.findOneAndUpdate(
    { _id: input.file },
    { $set: { videoId: id } },
    { returnDocument: 'before' },
  ).lean();
  if (!file) throw new AppError('VALIDATION_FAILED', '视频文件不存在，请重新上传');
  if (file.videoId) {
    await VideoFileModel.updateOne({ _id: input.file }, { $set: { videoId: file.videoId } });
    throw new AppError('CONFLICT', '这个视频文件已经发布过了');
  }
  const doc = {
    _id: id,
    title: input.title,
    topic: input.topic,
    poster: input.poster,
    source: input.source,
    file: input.file,
    bytes: file.bytes,
    seconds: file.seconds,
    orgId: org._id,
    orgPath: org.path,
    countyId,
    createdBy: actor.id,
    publishedAt: now,
  } as VideoDoc;
  await VideoModel.create(doc);
  const item = itemOf(doc, org.name);
  await putLine(VideoCatalogModel, countyId, item);
  return withStats(item, null);
}

/** The member's videos (their county's catalogue, those placed in their chain), newest first. */
export async function listVideos(
  actor: SessionUser,
  filter: { topic?: StudyTopic; q?: string; fav?: '1' },
): Promise<VideoSummary[]> {
  const county = defaultCountyStart(actor);
  if (!county) return [];
  const [items, reader] = await Promise.all([videosOf(county), ReaderModel.findById(actor.id).lean()]);
  const watched = new Set(reader?.watched ?? []);
  const favs = new Set(reader?.favs ?? []);
  return visibleItems(actor, items, filter, favs).map((i) =>
    summary(i, { watched: watched.has(i.id!), fav: favs.has(i.id!) }),
  );
}

export async function readableVideo(actor: SessionUser, id: string): Promise<VideoDoc> {
  const video = await VideoModel.findById(id).lean<VideoDoc>();
  if (!video) throw notFound('视频');
  authorize(actor, 'study.read', placedItem(video), READ_REFUSAL);
  return video;
}

/** Signs the player's stream address for one member and one video, valid STREAM_TTL_MS. */
export function streamSigner(secret: string) {
  // A key of its own, so a stream token can never pass as a session token or the other way round.
  const key = createHmac('sha256', secret).update('study-video-stream').digest();
  const mac = (videoId: string, userId: string, exp: number) =>
    createHmac('sha256', key).update(`${videoId}|${userId}|${exp}`).digest('base64url');
  return {
    sign: (videoId: string, userId: string, now: Date) => {
      const exp = now.getTime() + STREAM_TTL_MS;
      return `${userId}.${exp}.${mac(videoId, userId, exp)}`;
    },
    /** True when `token` was signed for this video and has not expired. */
    verify: (videoId: string, token: string, now: Date): boolean => {
      const m = /^([\w-]{1,64})\.(\d{1,15})\.([\w-]{43})$/.exec(token);
      if (!m || Number(m[2]) < now.getTime()) return false;
      const want = Buffer.from(mac(videoId, m[1]!, Number(m[2])));
      const got = Buffer.from(m[3]!);
      return want.length === got.length && timingSafeEqual(want, got);
    },
  };
}
export type StreamSigner = ReturnType<typeof streamSigner>;

export async function getVideo(actor: SessionUser, id: string, signer: StreamSigner, now: Date): Promise<VideoView> {
  const video = await readableVideo(actor, id);
  const [org, reader, paid] = await Promise.all([
    OrgModel.findById(video.orgId).lean(),
    ReaderModel.findById(actor.id).lean(),
    paidEntry(payKey('study_watch', actor.id, id)),
  ]);
  const marks = { watched: (reader?.watched ?? []).includes(id), fav: (reader?.favs ?? []).includes(id) };
  const token = encodeURIComponent(signer.sign(id, actor.id, now));
  return {
    ...summary(itemOf(video, (org?.name as string) ?? ''), marks),
    src: `/api/v1/study/videos/${id}/stream?t=${token}`,
    paid: paid !== null && paid.delta > 0,
  };
}

function withStats(item: VideoItem, stats: Parameters<typeof statsColumns>[0]): AdminVideoRow {
  return { ...summary(item), ...statsColumns(stats) };
}

/** The console's list of videos in the admin's subtree, with opens, completion rate and average watched time. */
export const adminVideos = (actor: SessionUser): Promise<AdminVideoRow[]> =>
  adminLines(actor, VideoCatalogModel, VideoStatsModel, withStats);
