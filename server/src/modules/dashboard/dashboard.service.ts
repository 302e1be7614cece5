import {
  dashboardValues,
  elapsedDays,
  periodLabel,
  periodRefAt,
  previousPeriodRef,
  shanghaiInstant,
  type Dashboard,
  type DashboardPeriodRef,
  type DashboardQuery,
  type DashboardValues,
} from '@pioneer/shared';
import { AppError, notFound } from '../../http/errors';
import type { SessionUser } from '../../http/types';
import { adminRootOf, authorize } from '../../policy';
import { OrgModel, type OrgDoc } from '../orgs/orgs.model';
import { DashboardCountersModel, countersId, type CountersDoc } from './dashboard.model';

type Slots = Record<string, Record<string, number>>;

/**
 * The org and its children in one command. A deliberate scan of the small orgs collection (the tree keeps no
 * children list by key: a parent is found by `parentId`); with the counters read by key and the caller's session,
 * a dashboard costs three engine commands whatever the size of the subtree.
 */
async function orgAndChildren(orgId: string): Promise<{ org: OrgDoc; children: OrgDoc[] }> {
  const docs = await OrgModel.find({ $or: [{ _id: orgId }, { parentId: orgId }], dissolvedAt: null }).lean<OrgDoc[]>();
  const org = docs.find((d) => d._id === orgId);
  if (!org) throw notFound('组织');
  const children = docs.filter((d) => d._id !== orgId).sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
  return { org, children };
}

function atOf(at: string | undefined, now: Date): Date {
  if (!at) return now;
  return shanghaiInstant(at.length === 7 ? `${at}-01` : at, '12:00:00');
}

/** The slots of the trend line: this year's periods up to the chosen one, after the one before it. */
function trendRefs(ref: DashboardPeriodRef): DashboardPeriodRef[] {
  const refs: DashboardPeriodRef[] = [ref];
  const max = ref.period === 'year' ? 1 : Number(ref.slot.slice(1));
  for (let i = 0; i < max; i += 1) refs.unshift(previousPeriodRef(refs[0]!));
  return refs;
}

/** A period's counters from this year's document: its own slots, or last year's carried ones (`prev`). */
function countersOf(doc: CountersDoc | null, year: number, ref: DashboardPeriodRef): Record<string, number> {
  const slots: Slots | undefined = ref.year === year ? doc?.self : ref.year === year - 1 ? doc?.prev : undefined;
  return slots?.[ref.slot] ?? {};
}

export async function getDashboard(actor: SessionUser, query: DashboardQuery, now = new Date()): Promise<Dashboard> {
  const orgId = query.org ?? adminRootOf(actor);
  if (!orgId) throw new AppError('FORBIDDEN', '只有县、乡镇管理员可以查看数据看板');
  const { org, children } = await orgAndChildren(orgId);
  authorize(actor, 'dashboard.view', org);
  const ref = periodRefAt(query.period, atOf(query.at, now));
  const doc = await DashboardCountersModel.findById(countersId(org._id, ref.year)).lean<CountersDoc>();
  const members = org.memberCount ?? 0;
  const valuesAt = (r: DashboardPeriodRef, counters: Record<string, number>, n = members): DashboardValues =>
    dashboardValues(counters, n, elapsedDays(r, now));
  const previousRef = previousPeriodRef(ref);
  return {
    org: { id: org._id, name: org.name, type: org.type, memberCount: members, parentId: org.parentId ?? null },
    period: query.period,
    label: periodLabel(ref),
    previousLabel: periodLabel(previousRef),
    values: valuesAt(ref, countersOf(doc, ref.year, ref)),
    previous: valuesAt(previousRef, countersOf(doc, ref.year, previousRef)),
    trend: trendRefs(ref).map((r) => ({ label: periodLabel(r), values: valuesAt(r, countersOf(doc, ref.year, r)) })),
    children: children.map((c) => ({
      id: c._id,
      name: c.name,
      type: c.type,
      memberCount: c.memberCount ?? 0,
      values: valuesAt(ref, doc?.kids?.[c._id]?.[ref.slot] ?? {}, c.memberCount ?? 0),
    })),
  };
}
