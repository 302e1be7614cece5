import {
  cadreAttendance,
  CHECKIN_RULES,
  dashboardValues,
  dayKey,
  elapsedDays,
  monthsOfRef,
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
import { onCollectionWrite } from '../../db/engine-commands';
import { sharedValue } from '../../db/shared-view';
import { readSubtree } from '../orgs/subtree';
import { SubtreeModel, type CadrePosting, type SubtreeDoc } from '../orgs/subtree.model';
import { DashboardCountersModel, counterDocOf, readCountersYears, type CountersYears } from './dashboard.model';
import { flushCounters } from './counters';
import { idleCount } from './idle';
import { inspectionCoverage } from './inspection-counters';

/** The half-year a period ends in (a year: its second half). */
const halfOfRef = (ref: DashboardPeriodRef) =>
  `${ref.year}H${ref.period === 'year' || Number(ref.slot.slice(1)) > (ref.period === 'month' ? 6 : 2) ? 2 : 1}`;

/** A drill-down row: a child org, or the 县直机关 group of a county's children that are not townships. */
interface Row {
  id: string;
  name: string;
  type: string;
  members: number;
  /** The child orgs whose counters make up the row (one, or the group's). */
  kids: string[];
}

/** A county's agencies, enterprises, schools and branches placed directly under it: one row, 县直机关. */
export const directGroupId = (countyId: string) => `${countyId}:direct`;

function rowsOf(doc: SubtreeDoc): Row[] {
  const kids = Object.entries(doc.kids).map(([id, k]) => ({
    id,
    name: k.name,
    type: k.type,
    members: k.m,
    kids: [id],
  }));
  kids.sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
  if (doc.self.type !== 'county') return kids;
  const direct = kids.filter((k) => k.type !== 'township');
  if (direct.length === 0) return kids;
  const group = {
    id: directGroupId(doc._id),
    name: '县直机关',
    type: 'group',
    members: direct.reduce((s, k) => s + k.members, 0),
    kids: direct.map((k) => k.id),
  };
  return [...kids.filter((k) => k.type === 'township'), group];
}

/** The child of `orgId` (at depth `depth`) a branch lies under: the next org on its path, or the branch itself. */
const childOf = (branchId: string, path: readonly string[], depth: number) => path[depth + 1] ?? branchId;

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

/** A period's slot of `self` or `cad`, from this year's document or (December, Q4, the year before) last year's. */
function slotOf(years: CountersYears, field: 'self' | 'cad', ref: DashboardPeriodRef): Record<string, number> {
  return counterDocOf(years, ref.year)?.[field]?.[ref.slot] ?? {};
}

/** Counters summed over rows' child orgs (a group row adds its members' counters). */
function sumOf(all: Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of all) for (const [k, n] of Object.entries(c)) out[k] = (out[k] ?? 0) + n;
  return out;
}

/** A board as worked out for every admin allowed to see the org: `path` authorizes each caller; null: no such org. */
interface HeldBoard {
  path: readonly string[];
  reply: Dashboard;
}

/**
 * Issue 17: the whole reply per org, period and day asked, worked out at most once per shared-view bound in a process
 * (it reads two large documents and walks every cadre and branch for each row and trend point, ~15 ms of CPU at a
 * county of 200 villages) and said `asOf`. A write this process sends to the counters or the subtree documents drops
 * every held board at once; another process's writes show within the bound. With shared views off (the tests'
 * default) every read works it out.
 */
const heldBoards = sharedValue(async (key: string): Promise<HeldBoard | null> => {
  const [orgId, period, at] = key.split('|') as [string, DashboardQuery['period'], string];
  return workOut(orgId, { period, at: at || undefined }, new Date());
}, 200);
for (const collection of [DashboardCountersModel.collection.name, SubtreeModel.collection.name])
  onCollectionWrite(collection, () => heldBoards.clear());

export async function getDashboard(actor: SessionUser, query: DashboardQuery, now?: Date): Promise<Dashboard> {
  const orgId = query.org ?? adminRootOf(actor);
  if (!orgId) throw new AppError('FORBIDDEN', '只有县、乡镇管理员可以查看数据看板');
  // This process's awards counted after their replies are written first: its own writes are in its own reads.
  await flushCounters();
  // A board for another instant than now (a test's clock) is worked out afresh; now's is shared.
  const held = now
    ? await workOut(orgId, query, now)
    : await heldBoards.get(`${orgId}|${query.period}|${query.at ?? ''}|${dayKey(new Date())}`);
  if (!held) throw notFound('组织');
  authorize(actor, 'dashboard.view', { _id: orgId, path: held.path });
  return held.reply;
}

async function workOut(orgId: string, query: Omit<DashboardQuery, 'org'>, now: Date): Promise<HeldBoard | null> {
  const ref = periodRefAt(query.period, atOf(query.at, now));
  // What the reply is as of: just before its documents are read.
  const asOf = new Date().toISOString();
  // The org's subtree document, then its counters of the year and the year before (with its parent's, which hold its
  // own counts when it is 2 deep or more: leaf-counters.ts), by key in one command (the session is the third).
  const tree = await readSubtree(orgId);
  if (!tree) return null;
  const years = await readCountersYears(orgId, tree.self.path, ref.year);
  const doc = years.doc;
  const self = tree.self;
  const depth = self.path.length;
  const branchPaths = Object.entries(tree.branches);
  const branches = [
    ...(self.type === 'branch' ? [{ id: orgId, path: self.path, under: null as string | null }] : []),
    ...branchPaths.map(([id, path]) => ({ id, path, under: childOf(id, path, depth) })),
  ];
  const villages = [...(self.type === 'village' ? [orgId] : []), ...Object.keys(tree.villages)];
  const cadreUnder = (c: CadrePosting) => (c.b && tree.branches[c.b] ? childOf(c.b, tree.branches[c.b]!, depth) : null);
  // Where each cadre sits, once per read: the board asks for the whole subtree ~15 times (trend) and each row once.
  const cadreRows = Object.entries(tree.cadres).map(([id, c]) => ({ id, c, under: cadreUnder(c) }));
  const branchIds = branches.map((b) => b.id);
  const required = tree.req ?? CHECKIN_RULES.defaultRequiredDays;
  const today = dayKey(now);

  const valuesAt = (r: DashboardPeriodRef, kids: string[] | null, members: number) => {
    const inRow = (under: string | null) => kids === null || (under !== null && kids.includes(under));
    const ids = kids === null ? branchIds : branches.filter((b) => inRow(b.under)).map((b) => b.id);
    const cadres =
      kids === null
        ? tree.cadres
        : Object.fromEntries(cadreRows.filter((r) => inRow(r.under)).map((r) => [r.id, r.c] as const));
    const present = slotOf(years, 'cad', r);
    const counters =
      kids === null
        ? slotOf(years, 'self', r)
        : sumOf(kids.map((k) => (r.year === ref.year ? (doc?.kids?.[k]?.[r.slot] ?? {}) : {})));
    const facts = {
      branches: ids.length,
      idle: idleCount(years, r, ids, now),
      cadres: cadreAttendance(cadres, (id) => present[id] ?? 0, monthsOfRef(r), required, today),
    };
    return dashboardValues(counters, members, elapsedDays(r, now), facts);
  };
  const previousRef = previousPeriodRef(ref);
  const reply: Dashboard = {
    asOf,
    org: {
      id: orgId,
      name: self.name,
      type: self.type,
      memberCount: self.m,
      branches: branches.length,
      parentId: self.parentId ?? null,
    },
    period: query.period,
    label: periodLabel(ref),
    previousLabel: periodLabel(previousRef),
    values: valuesAt(ref, null, self.m),
    previous: valuesAt(previousRef, null, self.m),
    inspections: inspectionCoverage(doc, halfOfRef(ref), branches, villages),
    trend: trendRefs(ref).map((r) => ({ label: periodLabel(r), values: valuesAt(r, null, self.m) })),
    children: rowsOf(tree).map((row) => ({
      id: row.id,
      name: row.name,
      type: row.type,
      memberCount: row.members,
      branches: branches.filter((b) => b.under !== null && row.kids.includes(b.under)).length,
      values: valuesAt(ref, row.kids, row.members),
    })),
  };
  return { path: self.path, reply };
}
