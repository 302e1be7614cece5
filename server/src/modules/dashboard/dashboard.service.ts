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
} from '@pioneer/shared';
import { AppError, notFound } from '../../http/errors';
import type { SessionUser } from '../../http/types';
import { adminRootOf, authorize } from '../../policy';
import { OrgModel, type OrgDoc } from '../orgs/orgs.model';
import { DashboardCountersModel, countersId, type CountersDoc } from './dashboard.model';
import { idleCount } from './idle';
import { inspectionCoverage } from './inspection-counters';

/** The half-year a period ends in (a year: its second half). */
const halfOfRef = (ref: DashboardPeriodRef) =>
  `${ref.year}H${ref.period === 'year' || Number(ref.slot.slice(1)) > (ref.period === 'month' ? 6 : 2) ? 2 : 1}`;

type Slots = Record<string, Record<string, number>>;

interface Tree {
  org: OrgDoc;
  children: OrgDoc[];
  /** The subtree's branches (the org itself when it is one) and, for each, the child it lies under. */
  branches: { id: string; under: string | null; path: string[] }[];
  villages: string[];
}

/**
 * The org, its children and its subtree's branches in one command. A deliberate scan of the small orgs collection
 * (the tree keeps no children list by key: a parent is found by `parentId`); with the counters read by key and the
 * caller's session, a dashboard costs three engine commands whatever the size of the subtree.
 */
async function orgTree(orgId: string): Promise<Tree> {
  const docs = await OrgModel.find({
    $or: [{ _id: orgId }, { parentId: orgId }, { path: orgId, type: { $in: ['branch', 'village'] } }],
    dissolvedAt: null,
  }).lean<OrgDoc[]>();
  const org = docs.find((d) => d._id === orgId);
  if (!org) throw notFound('组织');
  const children = docs.filter((d) => d.parentId === orgId).sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
  const childIds = new Set(children.map((c) => c._id));
  const branches = docs
    .filter((d) => d.type === 'branch')
    .map((d) => ({
      id: d._id,
      under: childIds.has(d._id) ? d._id : (d.path.find((p) => childIds.has(p)) ?? null),
      path: d.path,
    }));
  const villages = docs.filter((d) => d.type === 'village').map((d) => d._id);
  return { org, children, branches, villages };
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
  const { org, children, branches, villages } = await orgTree(orgId);
  authorize(actor, 'dashboard.view', org);
  const ref = periodRefAt(query.period, atOf(query.at, now));
  const doc = await DashboardCountersModel.findById(countersId(org._id, ref.year)).lean<CountersDoc>();
  const members = org.memberCount ?? 0;
  const branchesOf = (childId?: string) =>
    branches.filter((b) => childId === undefined || b.under === childId).map((b) => b.id);
  const valuesAt = (r: DashboardPeriodRef, counters: Record<string, number>, n = members, childId?: string) => {
    const ids = branchesOf(childId);
    const facts = { branches: ids.length, idle: idleCount(doc, ref.year, r, ids, now) };
    return dashboardValues(counters, n, elapsedDays(r, now), facts);
  };
  const previousRef = previousPeriodRef(ref);
  return {
    org: {
      id: org._id,
      name: org.name,
      type: org.type,
      memberCount: members,
      branches: branchesOf().length,
      parentId: org.parentId ?? null,
    },
    period: query.period,
    label: periodLabel(ref),
    previousLabel: periodLabel(previousRef),
    values: valuesAt(ref, countersOf(doc, ref.year, ref)),
    previous: valuesAt(previousRef, countersOf(doc, ref.year, previousRef)),
    inspections: inspectionCoverage(doc, halfOfRef(ref), branches, villages),
    trend: trendRefs(ref).map((r) => ({ label: periodLabel(r), values: valuesAt(r, countersOf(doc, ref.year, r)) })),
    children: children.map((c) => ({
      id: c._id,
      name: c.name,
      type: c.type,
      memberCount: c.memberCount ?? 0,
      branches: branchesOf(c._id).length,
      values: valuesAt(ref, doc?.kids?.[c._id]?.[ref.slot] ?? {}, c.memberCount ?? 0, c._id),
    })),
  };
}
