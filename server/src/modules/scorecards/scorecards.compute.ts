import {
  cadreAttendance,
  CHECKIN_RULES,
  dashboardValues,
  dayKey,
  daysInForce,
  quarterLabel,
  quarterRange,
  ranksOf,
  scoreBranch,
  starsOf,
  type Quarter,
} from '@pioneer/shared';
import { invalid } from '../../http/errors';
import type { SessionUser } from '../../http/types';
import { authorize } from '../../policy';
import { recordAudit } from '../audit/audit.service';
import { DashboardCountersModel, countersId, readSlotCounters, type CountersDoc } from '../dashboard/dashboard.model';
import { withOwnCounts } from '../dashboard/leaf-counters';
import { flushCounters } from '../dashboard/counters';
import { readSubtree } from '../orgs/subtree';
import { OrgModel, type OrgDoc } from '../orgs/orgs.model';
import { placed, requireCounty } from './scorecards.service';
import {
  readCard,
  readManual,
  resultId,
  scorecardDocs,
  sortedVersions,
  versionForQuarter,
  type ResultDoc,
} from './scorecards.store';

const round1 = (n: number) => Math.round(n * 10) / 10;
/** Days after a county joins during which the tree it enters mirrors branches that existed before. */
const SET_UP_DAYS = 30;
const createdOf = (o: OrgDoc) => (o as { createdAt?: Date }).createdAt ?? null;

/**
 * The day a branch began, for sharing out targets: the day it was added to the tree, unless that was while the county
 * was being set up (its first 30 days here): those branches existed long before, and count from the quarter's start.
 */
export function foundedDay(branch: OrgDoc, setUpUntil: string): string {
  const created = createdOf(branch);
  const day = created ? dayKey(created) : '2000-01-01';
  return day <= setUpUntil ? '2000-01-01' : day;
}
type Row = ResultDoc['branches'][number];

/**
 * Scores every branch of a county for a quarter and stores the result under one key. A batch (a county admin's
 * click or a scheduled run), not a view: it reads the county's orgs with one deliberate scan of the small orgs
 * collection, then each branch's counters and manual entries by key.
 */
export async function computeQuarter(countyId: string, q: Quarter, now = new Date()): Promise<ResultDoc> {
  const county = await requireCounty(countyId);
  const range = quarterRange(q);
  const today = dayKey(now);
  if (range.first > today) throw invalid(`${quarterLabel(q)}尚未开始`);
  const version = versionForQuarter(sortedVersions(await readCard(county._id)), range.last);
  if (!version) throw invalid(`本县尚未设置${quarterLabel(q)}适用的支部评分标准`);
  const orgs = await OrgModel.find({ path: county._id, dissolvedAt: null }).lean<OrgDoc[]>();
  const countyCreated = createdOf(county);
  const setUpUntil = countyCreated ? dayKey(countyCreated.getTime() + SET_UP_DAYS * 86_400_000) : '2000-01-01';
  const byId = new Map(orgs.map((o) => [o._id, o]));
  const slot = `q${range.n}`;
  const branches = orgs.filter((o) => o.type === 'branch');
  const rows: Row[] = await Promise.all(
    branches.map(async (b) => {
      const [counters, manual] = await Promise.all([
        readSlotCounters(b._id, b.path, range.year, slot),
        readManual(b._id, q),
      ]);
      const created = foundedDay(b, setUpUntil);
      const days = daysInForce(q, created, today);
      const members = b.memberCount ?? 0;
      const scored = scoreBranch(version, {
        members,
        days,
        quarterDays: range.days,
        counters,
        manual: Object.fromEntries(Object.entries(manual?.entries ?? {}).map(([k, e]) => [k, e.value])),
      });
      const township = byId.get(b.path[1] ?? '');
      return {
        id: b._id,
        name: b.name,
        path: b.path,
        townshipId: township?._id ?? '',
        townshipName: township?.name ?? '',
        villageName: byId.get(b.path[2] ?? '')?.name ?? '',
        members,
        score: scored?.score ?? null,
        parts: scored?.parts ?? [],
        countyRank: null,
        townshipRank: null,
        stars: scored ? starsOf(scored.score, version.stars) : null,
        candidate: false,
        belowLine: scored !== null && scored.score < version.weakBelow,
        note: scored ? null : days <= 0 ? '本季度尚未成立，不参评' : '无党员，不参评',
      };
    }),
  );
  rankRows(rows, version.candidatesPerTownship);
  const townships = await townshipRows(orgs, rows, q, daysInForce(q, range.first, today), today);
  const doc: ResultDoc = {
    _id: resultId(county._id, q),
    countyId: county._id,
    countyName: county.name,
    quarter: q,
    computedAt: now,
    version,
    branches: rows.sort((a, b) => (a.countyRank ?? 1e9) - (b.countyRank ?? 1e9) || a.name.localeCompare(b.name, 'zh')),
    townships,
  };
  await scorecardDocs<ResultDoc>().replaceOne({ _id: doc._id }, doc, { upsert: true });
  return doc;
}

/** Ranks in the county and the township (ties share a rank); 最强党支部 candidates: township rank within the top N. */
function rankRows(rows: Row[], topN: number): void {
  const rated = rows.filter((r) => r.score !== null);
  ranksOf(rated.map((r) => r.score!)).forEach((rank, i) => (rated[i]!.countyRank = rank));
  for (const townshipId of new Set(rated.map((r) => r.townshipId))) {
    const mine = rated.filter((r) => r.townshipId === townshipId);
    ranksOf(mine.map((r) => r.score!)).forEach((rank, i) => {
      mine[i]!.townshipRank = rank;
      mine[i]!.candidate = rank <= topN;
    });
  }
}

/** A quarter's three months. */
const monthsOfQuarter = (q: Quarter) => {
  const { year, n } = quarterRange(q);
  return [1, 2, 3].map((i) => `${year}-${String(n * 3 - 3 + i).padStart(2, '0')}`);
};

/**
 * A row per township: its rated branches' average and rank, five-star branches, and its cadres' present days against
 * their 应出勤 (`cadreAttendance`, as the 数据看板 counts them) from its counters and subtree documents.
 */
async function townshipRows(orgs: OrgDoc[], rows: Row[], q: Quarter, days: number, today: string) {
  const { year, n } = quarterRange(q);
  const slot = `q${n}`;
  const towns = orgs.filter((o) => o.type === 'township').sort((a, b) => a.name.localeCompare(b.name, 'zh'));
  await flushCounters(); // this process's awards counted after their replies (dashboard/counters.ts)
  const out = await Promise.all(
    towns.map(async (t) => {
      const mine = rows.filter((r) => r.townshipId === t._id);
      const rated = mine.filter((r) => r.score !== null);
      const [stored, tree] = await Promise.all([
        DashboardCountersModel.findById(countersId(t._id, year)).lean<CountersDoc>(),
        readSubtree(t._id),
      ]);
      // A township keeps its own `self` and `cad`, but may hold copies from a move (leaf-counters.ts).
      const doc = withOwnCounts(stored, t._id, null, null);
      const present = doc?.cad?.[slot] ?? {};
      const required = tree?.req ?? CHECKIN_RULES.defaultRequiredDays;
      const cadres = cadreAttendance(tree?.cadres ?? {}, (id) => present[id] ?? 0, monthsOfQuarter(q), required, today);
      const values = dashboardValues(doc?.self?.[slot] ?? {}, t.memberCount ?? 0, days, {
        branches: 0,
        idle: 0,
        cadres,
      });
      return {
        id: t._id,
        name: t.name,
        branches: mine.length,
        rated: rated.length,
        average: rated.length ? round1(rated.reduce((s, r) => s + r.score!, 0) / rated.length) : null,
        rank: null as number | null,
        fiveStars: rated.filter((r) => r.stars === 5).length,
        cadreDays: values.cadreDays,
        cadreReq: values.cadreReq,
        cadreRate: values.cadreRate,
        activeRate: values.activeRate,
      };
    }),
  );
  const ranked = out.filter((t) => t.average !== null);
  ranksOf(ranked.map((t) => t.average!)).forEach((rank, i) => (ranked[i]!.rank = rank));
  return out;
}

/** POST /scorecards/compute: the county admin scores a quarter (again); audited. */
export async function computeFor(actor: SessionUser, countyId: string, q: Quarter) {
  const county = await requireCounty(countyId);
  authorize(actor, 'scorecard.define', placed(county));
  const doc = await computeQuarter(county._id, q);
  await recordAudit({
    actorId: actor.id,
    action: 'scorecard.compute',
    targetType: 'org',
    targetId: county._id,
    details: { quarter: q, branches: doc.branches.length },
  });
  return { quarter: q, computedAt: doc.computedAt.toISOString(), branches: doc.branches.length };
}
