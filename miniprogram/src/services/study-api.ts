/** 学习 beyond quizzes (issue 20): one typed function per endpoint; types from shared/. */
import type {
  AdminArticleRow,
  ArticleSummary,
  ArticleView,
  CreateArticleBody,
  ReadingResult,
  ReadingSession,
  StudyToday,
  StudyTopic,
  AdminVideoRow,
  CreateVideoBody,
  VideoFileReply,
  VideoSummary,
  VideoView,
  WatchResult,
  WatchSession,
} from '@pioneer/shared';
import { VIDEO_RULES } from '@pioneer/shared/src/study-video';
import { buildUrl, request } from './request';
import { upload, type UploadFile } from './upload';

const id = encodeURIComponent;

export const getStudyToday = () => request<StudyToday>({ path: '/study/today', quiet: true });
/** What the 学习 page's list asks for: a topic, a title search, only 收藏. */
export interface StudyFilter {
  topic?: StudyTopic;
  q?: string;
  fav?: boolean;
}
const filterQuery = (f: StudyFilter) => ({ topic: f.topic, q: f.q || undefined, fav: f.fav ? '1' : undefined });
export const getArticles = (filter: StudyFilter = {}) =>
  request<{ items: ArticleSummary[] }>({ path: '/study/articles', query: filterQuery(filter), quiet: true });
export const getVideos = (filter: StudyFilter = {}) =>
  request<{ items: VideoSummary[] }>({ path: '/study/videos', query: filterQuery(filter), quiet: true });
export const getVideo = (videoId: string) => request<VideoView>({ path: `/study/videos/${id(videoId)}`, quiet: true });
export const openWatch = (videoId: string) =>
  request<WatchSession>({ method: 'POST', path: `/study/videos/${id(videoId)}/watches`, body: {}, quiet: true });
export const beatWatch = (watchId: string, position: number) =>
  request<WatchSession>({
    method: 'POST',
    path: `/study/watches/${id(watchId)}/beat`,
    body: { position },
    quiet: true,
  });
export const pauseWatch = (watchId: string, position: number) =>
  request<WatchSession>({
    method: 'POST',
    path: `/study/watches/${id(watchId)}/pause`,
    body: { position },
    quiet: true,
  });
export const completeWatch = (watchId: string) =>
  request<WatchResult>({ method: 'POST', path: `/study/watches/${id(watchId)}/complete`, body: {}, quiet: true });
export const setFav = (itemId: string, fav: boolean) =>
  request<{ id: string; fav: boolean }>({
    method: fav ? 'PUT' : 'DELETE',
    path: `/study/favs/${id(itemId)}`,
    quiet: true,
  });
export const getAdminVideos = () => request<{ items: AdminVideoRow[] }>({ path: '/study/admin/videos', quiet: true });
export const uploadVideoFile = (file: UploadFile) =>
  // Up to 200 MB on a village line: the long video timeout, not the 60 s one for photos and sheets.
  upload<VideoFileReply>({
    path: '/study/admin/videos/files',
    file,
    quiet: true,
    timeoutMs: VIDEO_RULES.uploadTimeoutMs,
  });
export const publishVideo = (
  body: Partial<CreateVideoBody> & Pick<CreateVideoBody, 'org' | 'title' | 'topic' | 'file'>,
) => request<AdminVideoRow>({ method: 'POST', path: '/study/admin/videos', body, quiet: true });
/** The 学习台账's URL (services/download adds the bearer token). */
export const studyLedgerUrl = (month: string, org?: string) => buildUrl('/study/ledger', { month, org });
export const getArticle = (articleId: string) =>
  request<ArticleView>({ path: `/study/articles/${id(articleId)}`, quiet: true });
export const openReading = (articleId: string) =>
  request<ReadingSession>({ method: 'POST', path: `/study/articles/${id(articleId)}/sessions`, body: {}, quiet: true });
export const pauseReading = (sessionId: string) =>
  request<ReadingSession>({ method: 'POST', path: `/study/sessions/${id(sessionId)}/pause`, body: {}, quiet: true });
export const resumeReading = (sessionId: string) =>
  request<ReadingSession>({ method: 'POST', path: `/study/sessions/${id(sessionId)}/resume`, body: {}, quiet: true });
export const completeReading = (sessionId: string, reachedEnd: boolean) =>
  request<ReadingResult>({
    method: 'POST',
    path: `/study/sessions/${id(sessionId)}/complete`,
    body: { reachedEnd },
    quiet: true,
  });
export const getAdminArticles = () =>
  request<{ items: AdminArticleRow[] }>({ path: '/study/admin/articles', quiet: true });
export const publishArticle = (body: CreateArticleBody) =>
  request<AdminArticleRow>({ method: 'POST', path: '/study/admin/articles', body, quiet: true });
