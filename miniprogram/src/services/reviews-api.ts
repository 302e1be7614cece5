/** 民主评议 (issue 21): one typed function per endpoint; types from the shared schemas. */
import type {
  BallotBody,
  ConfirmGradeBody,
  RectifyItem,
  ReviewGradeView,
  ReviewHistoryItem,
  ReviewPendingItem,
  ReviewResults,
  ReviewRound,
  SetGradeBody,
} from '@pioneer/shared';
import { buildUrl, request } from './request';

const base = (branchId: string, year: number) => `/reviews/${encodeURIComponent(branchId)}/${year}`;

export const getCurrentReview = () => request<{ round: ReviewRound | null }>({ path: '/reviews/current', quiet: true });
export const getReview = (branchId: string, year: number) =>
  request<ReviewRound>({ path: base(branchId, year), quiet: true });
export const openReview = (body: { org?: string; year: number; closesAt: string }) =>
  request<ReviewRound>({ method: 'POST', path: '/reviews', body, quiet: true });
export const castBallot = (branchId: string, year: number, body: BallotBody) =>
  request<{ voted: true }>({ method: 'POST', path: `${base(branchId, year)}/ballot`, body, quiet: true });
export const closeReview = (branchId: string, year: number) =>
  request<ReviewRound>({ method: 'POST', path: `${base(branchId, year)}/close`, body: {}, quiet: true });
export const getReviewResults = (branchId: string, year: number) =>
  request<ReviewResults>({ path: `${base(branchId, year)}/results`, quiet: true });
export const setReviewGrade = (branchId: string, year: number, userId: string, body: SetGradeBody) =>
  request<ReviewGradeView>({
    method: 'PUT',
    path: `${base(branchId, year)}/grades/${encodeURIComponent(userId)}`,
    body,
    quiet: true,
  });
export const confirmReviewGrade = (branchId: string, year: number, userId: string, body: ConfirmGradeBody) =>
  request<{ grade: ReviewGradeView | null }>({
    method: 'POST',
    path: `${base(branchId, year)}/grades/${encodeURIComponent(userId)}/confirm`,
    body,
    quiet: true,
  });
export const getPendingGrades = () =>
  request<{ items: ReviewPendingItem[] }>({ path: '/reviews/pending', quiet: true });
export const getReviewHistory = (userId: string) =>
  request<{ items: ReviewHistoryItem[] }>({ path: `/reviews/history/${encodeURIComponent(userId)}`, quiet: true });
/** The export's URL (services/download adds the bearer token). */
export const reviewXlsxUrl = (branchId: string, year: number) => buildUrl(`${base(branchId, year)}/export`);

// 问题清单 / 整改清单
const rectifyBase = (branchId: string, year: number) => `/rectify/${encodeURIComponent(branchId)}/${year}`;
export const getRectifyItems = (branchId: string, year: number) =>
  request<{ items: RectifyItem[] }>({ path: rectifyBase(branchId, year), quiet: true });
export const createRectifyItem = (body: {
  year: number;
  text: string;
  level: 'member' | 'branch';
  ownerId?: string;
  deadline: string;
}) => request<RectifyItem>({ method: 'POST', path: '/rectify', body, quiet: true });
export const reportRectifyDone = (branchId: string, year: number, n: number, evidence: string) =>
  request<RectifyItem>({
    method: 'POST',
    path: `${rectifyBase(branchId, year)}/${n}/done`,
    body: { evidence },
    quiet: true,
  });
export const closeRectifyItem = (branchId: string, year: number, n: number) =>
  request<RectifyItem>({ method: 'POST', path: `${rectifyBase(branchId, year)}/${n}/close`, body: {}, quiet: true });
