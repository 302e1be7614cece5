import type {
  ManualEntriesView,
  ManualEntryBody,
  Plan,
  ScoreResults,
  ScorecardVersionBody,
  ScorecardView,
} from '@pioneer/shared';
import { buildUrl, request } from './request';

/** 支部评分 · 星级评定, 整顿 and the 季度通报 (issue 18). */
export const getScorecard = (org: string, at?: string) =>
  request<ScorecardView>({ path: '/scorecards/card', query: { org, at }, quiet: true });
export const putScorecard = (body: ScorecardVersionBody) =>
  request<ScorecardView>({ method: 'PUT', path: '/scorecards/card', body, quiet: true });
/** 手工指标: what a branch has for a quarter, and a township admin's entry (a second entry corrects the first). */
export const getManual = (branch: string, quarter: string) =>
  request<ManualEntriesView>({ path: '/scorecards/manual', query: { branch, quarter }, quiet: true });
export const putManual = (body: ManualEntryBody) =>
  request({ method: 'PUT', path: '/scorecards/manual', body, quiet: true });
export const computeQuarter = (org: string, quarter: string) =>
  request<{ branches: number }>({ method: 'POST', path: '/scorecards/compute', body: { org, quarter }, quiet: true });
export const getScoreResults = (quarter: string, org?: string) =>
  request<ScoreResults>({ path: '/scorecards/results', query: { quarter, org }, quiet: true });
export const flagBranch = (branch: string, quarter: string, flagged: boolean, reason: string) =>
  request({ method: 'PUT', path: '/scorecards/flags', body: { branch, quarter, flagged, reason }, quiet: true });
export const getBulletin = (quarter: string, org?: string) =>
  request<{ results: ScoreResults; plans: Plan[]; generatedAt: string }>({
    path: '/scorecards/bulletin',
    query: { quarter, org },
    quiet: true,
  });
export const bulletinXlsxUrl = (quarter: string, org?: string) =>
  buildUrl('/scorecards/bulletin.xlsx', { quarter, org });

export interface OverdueItem {
  planId: string;
  branchName: string;
  townshipName: string;
  n: number;
  text: string;
  owner: string;
  deadline: string;
}
export const getPlans = (org?: string) =>
  request<{ org: { id: string; name: string }; plans: Plan[]; overdue: OverdueItem[] }>({
    path: '/rectification-plans',
    query: { org },
    quiet: true,
  });
const planPath = (branchId: string, quarter: string, tail = '') => `/rectification-plans/${branchId}/${quarter}${tail}`;
export const createPlan = (
  branchId: string,
  quarter: string,
  items: { text: string; owner: string; deadline: string }[],
) => request<Plan>({ method: 'POST', path: planPath(branchId, quarter), body: { items }, quiet: true });
export const planMove = (p: Plan, tail: string, body: object = {}) =>
  request<Plan>({ method: 'POST', path: planPath(p.branchId, p.quarter, tail), body, quiet: true });

/** The Shanghai quarter of a moment, and the one before / after. */
export function quarterOf(at: number): string {
  const d = new Date(at + 8 * 3_600_000);
  return `${d.getUTCFullYear()}Q${Math.floor(d.getUTCMonth() / 3) + 1}`;
}
export function shiftQuarter(q: string, by: number): string {
  const i = Number(q.slice(0, 4)) * 4 + Number(q.slice(5)) - 1 + by;
  return `${Math.floor(i / 4)}Q${(i % 4) + 1}`;
}
