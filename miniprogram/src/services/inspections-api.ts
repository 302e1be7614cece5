import type { Inspection, InspectionBody, InspectionList } from '@pioneer/shared';
import { request } from './request';

/** 巡查 (issue 18): the visits under the admin's subtree (or an org inside it) in a half-year. */
export const listInspections = (half: string, org?: string) =>
  request<InspectionList>({ path: '/inspections', query: { half, org }, quiet: true });

export const recordInspection = (body: InspectionBody) =>
  request<Inspection>({ method: 'POST', path: '/inspections', body, quiet: true });
