import mongoose from 'mongoose';
import {
  formatShanghai,
  itemOverdue,
  type Plan,
  type PlanItemStatus,
  type PlanStatus,
  type Quarter,
} from '@pioneer/shared';
import { casStore, type CasDoc } from '../../db/cas';

/**
 * A 整顿 plan, `_id` `<branchId>-<quarter>` (one per weak branch and quarter: opening it twice is a duplicate key).
 * Its moves go through the CAS store (each transition logged in `zhengdun_plans_log`, the lock against races); the
 * plan keeps its history in words. `zhengdun_index` holds, per county, the ids of its plans: the lists read it and
 * each plan by key.
 */
export interface PlanItemDoc {
  n: number;
  text: string;
  owner: string;
  deadline: string;
  status: PlanItemStatus;
  progress: { text: string; photoUrls: string[]; at: Date; by: string } | null;
  comment: string | null;
}
export interface PlanHistoryDoc {
  at: Date;
  by: string;
  action: string;
  n: number | null;
  note: string;
}
export interface PlanDoc extends CasDoc {
  branchId: string;
  /** The branch's ancestors, county first. */
  branchPath: string[];
  branchName: string;
  townshipName: string;
  countyId: string;
  quarter: Quarter;
  reason: string;
  status: PlanStatus;
  items: PlanItemDoc[];
  history: PlanHistoryDoc[];
  createdAt: Date;
}

export const plans = casStore<PlanDoc>('zhengdun_plans');
export const planIndex = () => mongoose.connection.collection<{ _id: string; ids: string[] }>('zhengdun_index');
export const planId = (branchId: string, q: Quarter) => `${branchId}-${q}`;

export function planView(p: PlanDoc, today: string): Plan {
  return {
    id: p._id,
    branchId: p.branchId,
    branchName: p.branchName,
    townshipName: p.townshipName,
    quarter: p.quarter,
    reason: p.reason,
    status: p.status,
    seq: p.seq,
    items: p.items.map((i) => ({
      n: i.n,
      text: i.text,
      owner: i.owner,
      deadline: i.deadline,
      status: i.status,
      progress: i.progress
        ? { text: i.progress.text, photoUrls: i.progress.photoUrls, at: new Date(i.progress.at).toISOString() }
        : null,
      comment: i.comment,
      overdue: p.status === 'open' && itemOverdue(i, today),
    })),
    history: p.history.map((h) => ({
      at: formatShanghai(h.at, 'YYYY-MM-DD HH:mm'),
      by: h.by,
      action: h.action,
      n: h.n,
      note: h.note,
    })),
  };
}
