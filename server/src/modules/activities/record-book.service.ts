import ExcelJS from 'exceljs';
import {
  ACTIVITY_TYPES,
  ACTIVITY_TYPE_LABELS,
  currentPeriodKey,
  expectedScopeOf,
  formatShanghai,
  monthKey,
  reportPeriod,
  requiredPerQuarter,
  EXPECTED_SCOPE_LABELS,
  type ActivityType,
  type ExpectedScope,
  type FrequencyTable,
  type IdleBranches,
  type IdleQuery,
  type RecordBook,
  type RecordBookBranch,
  type RecordBookQuery,
} from '@pioneer/shared';
import { invalid } from '../../http/errors';
import { aboutSheet, rowsSheet, xlsxBody } from '../../http/files';
import type { SessionUser } from '../../http/types';
import type { OrgDoc } from '../orgs/orgs.model';
import { branchesUnder, defaultOrgFor } from '../checkins/review.service';
import { ActivityModel, type ActivityDoc } from './activities.model';
import { activityIdsOf } from './activities.service';
import { countyIdOf, frequenciesOf } from './frequencies.service';

const count = (o: unknown) => Object.keys((o ?? {}) as object).length;
const round3 = (n: number) => Math.round(n * 1000) / 1000;

/** Attended over expected across activities; null when none was held. */
function rateOf(list: { expected: number; attended: number }[]): number | null {
  if (list.length === 0) return null;
  const expected = list.reduce((s, x) => s + x.expected, 0);
  const attended = list.reduce((s, x) => s + x.attended, 0);
  return expected ? round3(attended / expected) : 0;
}

async function branchQuarter(
  branch: OrgDoc,
  months: string[],
  frequencies: FrequencyTable,
  now: Date,
): Promise<RecordBookBranch> {
  const year = Number(months[0]!.slice(0, 4));
  const ids = await activityIdsOf(branch._id, new Date(Date.UTC(year - 1, 11, 31)), new Date(Date.UTC(year + 1, 0, 1)));
  const docs = (await Promise.all(ids.map((id) => ActivityModel.findById(id).lean<ActivityDoc>()))).filter(
    (a): a is ActivityDoc =>
      !!a && !a.cancelled && months.includes(monthKey(a.startsAt)) && new Date(a.startsAt) <= now,
  );
  const activities = docs.map((a) => {
    const signins = (a.signins ?? {}) as Record<string, unknown>;
    const leaves = (a.leaves ?? {}) as Record<string, { status: string }>;
    const scope = (a.expectedScope ?? 'members') as ExpectedScope;
    const invited = Object.keys((a.expected ?? {}) as object);
    // A 支委会 counts its committee only: a member sitting in (列席) is neither expected nor counted present.
    const expected = scope === 'committee' ? invited.length : new Set([...invited, ...Object.keys(signins)]).size;
    const attended = scope === 'committee' ? invited.filter((u) => u in signins).length : count(signins);
    const onLeave = Object.entries(leaves).filter(([u, l]) => l.status === 'approved' && !(u in signins)).length;
    return {
      id: a._id,
      type: a.type as ActivityType,
      title: a.title,
      startsAt: new Date(a.startsAt).toISOString(),
      expected,
      attended,
      onLeave,
      rate: expected ? round3(attended / expected) : 0,
      expectedScope: scope,
    };
  });
  const byType = ACTIVITY_TYPES.map((type) => {
    const ofType = activities.filter((x) => x.type === type);
    const held = ofType.length;
    const required = requiredPerQuarter(frequencies[type]);
    return { type, held, required, met: held >= required, rate: rateOf(ofType) };
  });
  return {
    branch: { id: branch._id, name: branch.name },
    byType,
    activities,
    attendanceRate: rateOf(activities) ?? 0,
  };
}

/** 三会一课台账: per branch and quarter, held vs required and attendance rates; key reads per branch. */
export async function recordBook(actor: SessionUser, query: RecordBookQuery, now = new Date()): Promise<RecordBook> {
  const org = await defaultOrgFor(actor, query.org);
  const period = reportPeriod('quarter', query.quarter ?? currentPeriodKey('quarter', now));
  if (!period) throw invalid('季度格式应为 YYYY-Qn');
  const newest = Number(currentPeriodKey('year', now)) + 1;
  if (Number(period.key.slice(0, 4)) < 2000 || Number(period.key.slice(0, 4)) > newest)
    throw invalid(`统计年份应在2000年至${newest}年之间`);
  // deliberate scan (small org tree) when the org is above a branch
  const branches = await branchesUnder(org);
  // Counted against the county's own table (today's: a changed requirement applies to past quarters too).
  const { table } = await frequenciesOf(countyIdOf(org));
  const rows: RecordBookBranch[] = [];
  for (let i = 0; i < branches.length; i += 8)
    rows.push(...(await Promise.all(branches.slice(i, i + 8).map((b) => branchQuarter(b, period.months, table, now)))));
  rows.sort((x, y) => x.branch.name.localeCompare(y.branch.name, 'zh-CN'));
  return {
    org: { id: org._id, name: org.name },
    quarter: period.key,
    label: period.label,
    branches: rows,
    generatedAt: now.toISOString(),
  };
}

const RATE = { width: 12, numFmt: '0.0%' };

export async function recordBookXlsx(book: RecordBook): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '先锋';
  wb.created = new Date(book.generatedAt);
  const kinds = book.branches.flatMap((b) => b.byType.filter((t) => t.required || t.held).map((t) => ({ b, t })));
  rowsSheet(
    wb,
    '三会一课台账',
    { 支部: 22, 活动类型: 14, 应开次数: 10, 已开次数: 10, 是否达标: 10, 平均出勤率: RATE, 应到范围: 12 },
    kinds.map(({ b, t }) => [
      b.branch.name,
      ACTIVITY_TYPE_LABELS[t.type],
      t.required,
      t.held,
      t.required ? (t.met ? '达标' : '未达标') : '不要求',
      t.rate ?? '—',
      EXPECTED_SCOPE_LABELS[expectedScopeOf(t.type)],
    ]),
    { frozen: true },
  );
  const held = book.branches.flatMap((b) => b.activities.map((a) => ({ b, a })));
  rowsSheet(
    wb,
    '活动明细',
    {
      支部: 22,
      时间: 18,
      活动类型: 14,
      标题: 30,
      应到范围: 12,
      应到: 8,
      实到: 8,
      请假: 8,
      出勤率: { ...RATE, width: 10 },
    },
    held.map(({ b, a }) => [
      b.branch.name,
      formatShanghai(a.startsAt, 'YYYY-MM-DD HH:mm'),
      ACTIVITY_TYPE_LABELS[a.type],
      a.title,
      EXPECTED_SCOPE_LABELS[a.expectedScope],
      a.expected,
      a.attended,
      a.onLeave,
      a.rate,
    ]),
    { frozen: true },
  );
  aboutSheet(wb, [
    ['组织', book.org.name],
    ['统计周期', book.label],
    ['生成时间', formatShanghai(book.generatedAt, 'YYYY-MM-DD HH:mm')],
  ]);
  return xlsxBody(wb);
}

/** Branches under an org with no activity started in the last `days` days: key reads of two yearly indexes each. */
export async function idleBranches(actor: SessionUser, query: IdleQuery, now = new Date()): Promise<IdleBranches> {
  const org = await defaultOrgFor(actor, query.org);
  const branches = await branchesUnder(org);
  const since = new Date(now.getTime() - query.days * 86_400_000);
  const rows = await Promise.all(
    branches.map(async (b) => {
      const ids = await activityIdsOf(b._id, new Date(now.getTime() - 400 * 86_400_000), now);
      const last = ids.length ? await ActivityModel.findById(ids[ids.length - 1]).lean<ActivityDoc>() : null;
      const lastAt = last ? new Date(last.startsAt) : null;
      return {
        id: b._id,
        name: b.name,
        lastActivityAt: lastAt ? lastAt.toISOString() : null,
        idle: !lastAt || lastAt < since,
      };
    }),
  );
  return {
    days: query.days,
    branches: rows
      .filter((r) => r.idle)
      .map(({ id, name, lastActivityAt }) => ({ id, name, lastActivityAt }))
      .sort((x, y) => x.name.localeCompare(y.name, 'zh-CN')),
  };
}
