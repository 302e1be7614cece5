import {
  currentPeriodKey,
  reportPeriod,
  type Report,
  type ReportPeriod,
  type ReportPeriodKind,
  type ReportQuery,
  type ReportRow,
} from '@pioneer/shared';
import { invalid } from '../../http/errors';
import type { SessionUser } from '../../http/types';
import type { OrgDoc } from '../orgs/orgs.model';
import { findOrg, orgSummary } from '../orgs/orgs.service';
import { UserModel, type UserDoc } from '../users/users.model';
import { countMonth, countyIdOf, requiredDaysIn } from './attendance.service';
import { readMonth } from './records';
import { defaultOrgFor } from './review.service';

/** Which period a report query names; this month when it names none. */
export function periodOf(query: Pick<ReportQuery, 'month' | 'quarter' | 'half' | 'year'>, now = new Date()): ReportPeriod {
  const named = (['month', 'quarter', 'half', 'year'] as const).find((k) => query[k]);
  const kind: ReportPeriodKind = named ?? 'month';
  const period = reportPeriod(kind, named ? query[named]! : currentPeriodKey('month', now));
  if (!period) throw invalid('统计周期格式不正确');
  return period;
}

/** Orgs read by key, each once per report. */
function orgReader() {
  const cache = new Map<string, Promise<OrgDoc | null>>();
  return (id: string | null | undefined) => {
    if (!id) return Promise.resolve(null);
    if (!cache.has(id)) cache.set(id, findOrg(id));
    return cache.get(id)!;
  };
}

/**
 * Cadres reported under an org: members of its subtree, and cadres posted to a village in it.
 * A deliberate scan (reports are rare, run by secretaries and admins): every cadre of the database, filtered here.
 */
async function cadresUnder(org: OrgDoc, readOrg: ReturnType<typeof orgReader>): Promise<UserDoc[]> {
  // deliberate scan: report
  const cadres = await UserModel.find({ roles: 'cadre' }).lean<UserDoc[]>();
  const inScope = await Promise.all(
    cadres.map(async (c) => {
      if (c.orgPath.includes(org._id)) return true;
      const village = await readOrg(c.postedVillageId);
      return !!village && (village._id === org._id || village.path.includes(org._id));
    }),
  );
  return cadres.filter((_, i) => inScope[i]);
}

async function rowFor(cadre: UserDoc, period: ReportPeriod, requiredPerMonth: number, readOrg: ReturnType<typeof orgReader>): Promise<ReportRow> {
  const [months, branch, village] = await Promise.all([
    Promise.all(period.months.map((m) => readMonth(cadre._id, m))),
    readOrg(cadre.orgId),
    readOrg(cadre.postedVillageId),
  ]);
  const counts = months.map(countMonth);
  const lasts = counts.map((c) => c.lastAt).filter((t): t is string => t !== null);
  return {
    userId: cadre._id,
    name: cadre.name,
    branch: branch?.name ?? '',
    village: village?.name ?? '',
    present: counts.reduce((s, c) => s + c.present, 0),
    required: requiredPerMonth * period.months.length,
    pending: counts.reduce((s, c) => s + c.pending, 0),
    flagged: counts.reduce((s, c) => s + c.flagged, 0),
    lastCheckinAt: lasts.length ? lasts.reduce((a, b) => (a > b ? a : b)) : null,
  };
}

/** 季度通报 · 半年考核 · 年终评估: one row per cadre, each month read by key. */
export async function attendanceReport(actor: SessionUser, query: ReportQuery, now = new Date()): Promise<Report> {
  const org = await defaultOrgFor(actor, query.org);
  const period = periodOf(query, now);
  const readOrg = orgReader();
  const [cadres, requiredPerMonth] = await Promise.all([cadresUnder(org, readOrg), requiredDaysIn(countyIdOf(org))]);
  const rows: ReportRow[] = [];
  // A few cadres at a time: a year is 12 key reads per cadre.
  for (let i = 0; i < cadres.length; i += 8) {
    rows.push(...(await Promise.all(cadres.slice(i, i + 8).map((c) => rowFor(c, period, requiredPerMonth, readOrg)))));
  }
  rows.sort((a, b) => a.branch.localeCompare(b.branch, 'zh-CN') || a.name.localeCompare(b.name, 'zh-CN') || a.userId.localeCompare(b.userId));
  return { org: orgSummary(org), period, requiredPerMonth, rows, generatedAt: now.toISOString() };
}
