import { dayKey, type Plan } from '@pioneer/shared';
import { AppError } from '../../http/errors';
import type { SessionUser } from '../../http/types';
import { authorize, defaultManagedOrgId, isWithin } from '../../policy';
import { requireOrg } from '../orgs/orgs.service';
import { countyIdOf, placed } from '../scorecards/scorecards.service';
import { planIndex, plans, planView, type PlanDoc } from './plans.store';

export interface OverdueItem {
  planId: string;
  branchId: string;
  branchName: string;
  townshipName: string;
  quarter: string;
  n: number;
  text: string;
  owner: string;
  deadline: string;
}

/** The plans of a county that lie in an org's subtree: the county's index and each plan by key. */
export async function plansWithin(countyId: string, orgId: string): Promise<PlanDoc[]> {
  const index = await planIndex().findOne({ _id: countyId });
  const docs = await Promise.all((index?.ids ?? []).map((id) => plans.peek(id)));
  return docs
    .filter((p): p is PlanDoc => p !== null && isWithin({ _id: p.branchId, path: p.branchPath }, orgId))
    .sort((a, b) => b.quarter.localeCompare(a.quarter) || a.branchName.localeCompare(b.branchName, 'zh'));
}

export function overdueOf(list: Plan[]): OverdueItem[] {
  return list.flatMap((p) =>
    p.items
      .filter((i) => i.overdue)
      .map((i) => ({
        planId: p.id,
        branchId: p.branchId,
        branchName: p.branchName,
        townshipName: p.townshipName,
        quarter: p.quarter,
        n: i.n,
        text: i.text,
        owner: i.owner,
        deadline: i.deadline,
      })),
  );
}

/** GET /rectification-plans: every plan in what the caller runs, and the overdue items among them, oldest first. */
export async function listPlans(actor: SessionUser, orgId: string | undefined, now = new Date()) {
  const id = orgId ?? defaultManagedOrgId(actor);
  if (!id) throw new AppError('FORBIDDEN', '只有支部书记和管理员可以查看整顿方案');
  const org = await requireOrg(id);
  authorize(actor, 'zhengdun.view', placed(org));
  const today = dayKey(now);
  const list = (await plansWithin(countyIdOf(org), org._id)).map((p) => planView(p, today));
  const overdue = overdueOf(list).sort((a, b) => a.deadline.localeCompare(b.deadline));
  return { org: { id: org._id, name: org.name }, plans: list, overdue };
}
