import {
  currentPeriodKey,
  REPORT_LIMITS,
  reportPeriod,
  type Report,
  type ReportPeriod,
  type ReportPeriodKind,
  type ReportQuery,
  type ReportRow,
} from '@pioneer/shared';
import { invalid } from '../../http/errors';
import type { SessionUser } from '../../http/types';
import { OrgModel, type OrgDoc } from '../orgs/orgs.model';
import { findOrg, orgSummary } from '../orgs/orgs.service';
import { UserModel, type UserDoc } from '../users/users.model';
import { requiredDaysInPosting } from '@pioneer/shared/src/holidays';
import { countMonth, countyIdOf, requiredDaysIn } from './attendance.service';
import { readMonth } from './records';
import { defaultOrgFor } from './review.service';

/** Which period a report query names; this month when it names none. */
export function periodOf(
  query: Pick<ReportQuery, 'month' | 'quarter' | 'half' | 'year'>,
  now = new Date(),
): ReportPeriod {
  const named = (['month', 'quarter', 'half', 'year'] as const).find((k) => query[k]);
  const kind: ReportPeriodKind = named ?? 'month';
  const period = reportPeriod(kind, named ? query[named]! : currentPeriodKey('month', now));
  if (!period) throw invalid('统计周期格式不正确');
  const year = Number(period.key.slice(0, 4));
  const newest = Number(currentPeriodKey('year', now).slice(0, 4)) + 1;
  if (year < REPORT_LIMITS.yearMin || year > newest)
    throw invalid(`统计年份应在${REPORT_LIMITS.yearMin}年至${newest}年之间`);
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
 * Cadres reported under an org: members of its subtree, and cadres posted to a village in it. Asked of the
 * database in that scope (the villages come from the small orgs collection), not every cadre of every county
 * filtered here; a scan on FerretDB all the same (reports are rare, run by secretaries and admins).
 */
async function cadresUnder(org: OrgDoc): Promise<UserDoc[]> {
  const villages = await OrgModel.find(
    { $or: [{ _id: org._id }, { path: org._id }], type: 'village' },
    { _id: 1 },
  ).lean<{ _id: string }[]>();
  const placed: Record<string, unknown>[] = [{ orgPath: org._id }];
  if (villages.length > 0) placed.push({ postedVillageId: { $in: villages.map((v) => v._id) } });
  return UserModel.find({ roles: 'cadre', $or: placed })
    .limit(REPORT_LIMITS.fileMax + 1)
    .lean<UserDoc[]>();
}

/** The report's order (branch, name, id), from the cadres and their branches' names: no month is read yet. */
async function inReportOrder(cadres: UserDoc[], readOrg: ReturnType<typeof orgReader>): Promise<UserDoc[]> {
  const branches = await Promise.all(cadres.map((c) => readOrg(c.orgId)));
  const keyed = cadres.map((c, i) => ({ c, branch: branches[i]?.name ?? '' }));
  keyed.sort(
    (a, b) =>
      a.branch.localeCompare(b.branch, 'zh-CN') ||
      a.c.name.localeCompare(b.c.name, 'zh-CN') ||
      a.c._id.localeCompare(b.c._id),
  );
  return keyed.map((k) => k.c);
}

const postingEnd = (c: UserDoc) => (c.postedVillageId ? null : (c.postedUntil ?? null));

async function rowFor(
  cadre: UserDoc,
  period: ReportPeriod,
  requiredPerMonth: number,
  readOrg: ReturnType<typeof orgReader>,
): Promise<ReportRow> {
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
    // Each month's 应出勤: the county's number, capped by the month's working days (法定节假日 and 调休), shared out
    // over the days of the posting in a month it began or ended (as the cadre's own calendar says).
    required: period.months.reduce(
      (sum, m) => sum + requiredDaysInPosting(requiredPerMonth, m, cadre.postedSince ?? null, postingEnd(cadre)),
      0,
    ),
    pending: counts.reduce((s, c) => s + c.pending, 0),
    flagged: counts.reduce((s, c) => s + c.flagged, 0),
    lastCheckinAt: lasts.length ? lasts.reduce((a, b) => (a > b ? a : b)) : null,
  };
}

/**
 * 季度通报 · 半年考核 · 年终评估: one row per cadre, each month read by key. JSON pages by `limit`/`cursor` (months
 * are read only for the page's cadres); a CSV/XLSX file holds every row, up to REPORT_LIMITS.fileMax.
 */
export async function attendanceReport(actor: SessionUser, query: ReportQuery, now = new Date()): Promise<Report> {
  const org = await defaultOrgFor(actor, query.org);
  const period = periodOf(query, now);
  const readOrg = orgReader();
  const [found, requiredPerMonth] = await Promise.all([cadresUnder(org), requiredDaysIn(countyIdOf(org))]);
  if (found.length > REPORT_LIMITS.fileMax) throw invalid(`驻村干部超过${REPORT_LIMITS.fileMax}人，请按乡镇分别统计`);
  const cadres = await inReportOrder(found, readOrg);
  const offset = query.format === 'json' && query.cursor ? Number(query.cursor) : 0;
  const page = query.format === 'json' ? cadres.slice(offset, offset + query.limit) : cadres;
  const rows: ReportRow[] = [];
  // A few cadres at a time: a year is 12 key reads per cadre.
  for (let i = 0; i < page.length; i += 8) {
    rows.push(...(await Promise.all(page.slice(i, i + 8).map((c) => rowFor(c, period, requiredPerMonth, readOrg)))));
  }
  const end = offset + page.length;
  return {
    org: orgSummary(org),
    period,
    requiredPerMonth,
    rows,
    total: cadres.length,
    nextCursor: end < cadres.length ? String(end) : null,
    generatedAt: now.toISOString(),
  };
}
