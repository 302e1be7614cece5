import { halfOf, type InspectionCoverage, halfLabel, INSPECTION_RULES } from '@pioneer/shared';
import { applyIncrements } from './counters';
import { countersId, type CountersDoc } from './dashboard.model';

/**
 * 巡查 coverage on the board (issue 18 item 5): each visit `$inc`s `insp.h<n>.<branchId>` in the year's counters
 * document of the branch and every ancestor, so the board reads which branches were visited in a half-year from the
 * one document it reads anyway. `dashboard:rebuild` recomputes them from the visits.
 */
export function inspectionIncrements(chain: readonly string[], date: string): Map<string, Record<string, number>> {
  const half = halfOf(date);
  const path = `insp.h${half.slice(-1)}.${chain.at(-1)}`;
  return new Map(chain.map((orgId) => [countersId(orgId, Number(half.slice(0, 4))), { [path]: 1 }]));
}

export async function countInspection(chain: readonly string[], date: string): Promise<void> {
  await applyIncrements(inspectionIncrements(chain, date));
}

/** The half-year's coverage of a subtree: villages with a visited branch, visited branches, against the rule. */
export function inspectionCoverage(
  doc: CountersDoc | null,
  half: string,
  branches: readonly { id: string; path: readonly string[] }[],
  villageIds: readonly string[],
): InspectionCoverage {
  const visited = doc?.insp?.[`h${half.slice(-1)}`] ?? {};
  const covered = branches.filter((b) => (visited[b.id] ?? 0) > 0);
  const villages = new Set(villageIds);
  const coveredVillages = new Set(covered.flatMap((b) => b.path.filter((p) => villages.has(p))));
  const v = { covered: coveredVillages.size, total: villages.size };
  const b = { covered: covered.length, total: branches.length };
  return {
    half,
    label: halfLabel(half),
    villages: v,
    branches: b,
    met: v.covered >= v.total * INSPECTION_RULES.villageShare && b.covered >= b.total * INSPECTION_RULES.branchShare,
  };
}
