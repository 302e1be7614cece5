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
} from '@pioneer/shared';
import { request } from './request';

const id = encodeURIComponent;

export const getStudyToday = () => request<StudyToday>({ path: '/study/today', quiet: true });
export const getArticles = (topic?: StudyTopic) =>
  request<{ items: ArticleSummary[] }>({ path: '/study/articles', query: topic ? { topic } : undefined, quiet: true });
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
