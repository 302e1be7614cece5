import type { Dashboard, DashboardPeriod } from '@pioneer/shared';
import { request } from './request';

export interface DashboardParams {
  period: DashboardPeriod;
  /** `YYYY-MM` inside the period. */
  at: string;
  /** The org to look at; the admin's subtree when absent. */
  org?: string;
}

/** 数据看板 (issue 18): an org's indicators for a period, the period before, the trend and its children. */
export const getDashboard = (p: DashboardParams) =>
  request<Dashboard>({ path: '/dashboard', query: { period: p.period, at: p.at, org: p.org }, quiet: true });
