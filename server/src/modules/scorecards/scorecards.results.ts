import { quarterLabel, type BranchResult, type ResultsQuery, type ScoreResults } from '@pioneer/shared';
import { AppError } from '../../http/errors';
import type { SessionUser } from '../../http/types';
import { adminRootOf, authorize, isWithin } from '../../policy';
import { requireOrg } from '../orgs/orgs.service';
import { countyIdOf, placed } from './scorecards.service';
import { readFlags, readResult, type FlagDoc, type ResultDoc } from './scorecards.store';

/** 软弱涣散: below the card's line, or marked by an admin (whose reason wins: it says why in words). */
export function weakOf(row: ResultDoc['branches'][number], flags: FlagDoc | null, weakBelow: number) {
  const flag = flags?.branches?.[row.id];
  if (flag) return { weak: true, weakReason: `管理员认定：${flag.reason}` };
  if (row.belowLine) return { weak: true, weakReason: `得分${row.score}，低于${weakBelow}分` };
  return { weak: false, weakReason: null };
}

/**
 * A quarter's scores, stars and ranks for an org's subtree (a township admin: their township only), from the stored
 * result and the marks: the org, the result and the flags by key.
 */
export async function getResults(actor: SessionUser, query: ResultsQuery): Promise<ScoreResults> {
  const orgId = query.org ?? adminRootOf(actor);
  if (!orgId) throw new AppError('FORBIDDEN', '只有县、乡镇管理员可以查看支部评分');
  const org = await requireOrg(orgId);
  authorize(actor, 'scorecard.view', placed(org));
  const countyId = countyIdOf(org);
  const [result, flags] = await Promise.all([readResult(countyId, query.quarter), readFlags(countyId, query.quarter)]);
  const inside = (id: string, path: readonly string[]) => isWithin({ _id: id, path }, org._id);
  const weakBelow = result?.version.weakBelow ?? 0;
  const branches: BranchResult[] = (result?.branches ?? [])
    .filter((b) => inside(b.id, b.path))
    .map(({ path: _path, belowLine: _below, ...b }) => {
      const row = result!.branches.find((r) => r.id === b.id)!;
      return { ...b, ...weakOf(row, flags, weakBelow) };
    });
  const townships = (result?.townships ?? [])
    .filter((t) => inside(t.id, [countyId]) || t.id === org.path?.[1])
    // Results computed before 应出勤 was kept read as 0 (a recompute fills them).
    .map((t) => ({
      ...t,
      cadreReq: t.cadreReq ?? 0,
      cadreRate: t.cadreRate ?? 0,
      weak: branches.filter((b) => b.townshipId === t.id && b.weak).length,
    }));
  return {
    county: { id: countyId, name: result?.countyName ?? (org.type === 'county' ? org.name : '') },
    org: { id: org._id, name: org.name, type: org.type },
    quarter: query.quarter,
    label: quarterLabel(query.quarter),
    computedAt: result?.computedAt.toISOString() ?? null,
    effectiveFrom: result?.version.effectiveFrom ?? null,
    indicators: result?.version.indicators ?? [],
    stars: result?.version.stars ?? [],
    weakBelow,
    townships,
    branches,
  };
}
