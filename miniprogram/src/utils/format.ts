import type { Me, OrgSummary, PointReason, Role } from '@pioneer/shared';
// Runtime values come from the shared modules directly (not the package index), so the app bundle does not
// pull in every zod schema that the index re-exports.
import { ROLE_LABELS } from '@pioneer/shared/src/orgs';
import { POINT_REASON_LABELS } from '@pioneer/shared/src/points';
import { formatShanghai } from '@pioneer/shared/src/time';

export { PERIOD_LABELS, PERIODS } from '@pioneer/shared/src/time';

export function formatDelta(delta: number): string {
  return delta > 0 ? `+${delta}` : String(delta);
}

/** `11月25日 09:30`, always in Asia/Shanghai whatever the phone's zone. */
export function formatTime(iso: string): string {
  return formatShanghai(iso);
}

export function reasonLabel(reason: PointReason | string): string {
  return (POINT_REASON_LABELS as Record<string, string>)[reason] ?? '积分变动';
}

export function roleLabels(roles: readonly Role[]): string[] {
  return roles.map((r) => ROLE_LABELS[r] ?? r);
}

/** The member's orgs from their own branch up to the county, without duplicates. */
export function orgChain(me: Pick<Me, 'org'>): OrgSummary[] {
  if (!me.org) return [];
  const { path, ...self } = me.org;
  const seen = new Set<string>();
  const chain: OrgSummary[] = [];
  for (const o of [...path, { id: self.id, name: self.name, type: self.type }]) {
    if (seen.has(o.id)) continue;
    seen.add(o.id);
    chain.push({ id: o.id, name: o.name, type: o.type });
  }
  return chain.reverse();
}

/** `某某县 / 某某镇 / 某某村党支部`, county first. */
export function orgPathText(me: Pick<Me, 'org'>): string {
  return orgChain(me)
    .reverse()
    .map((o) => o.name)
    .join(' / ');
}

/** Greeting by Shanghai hour. */
export function greeting(now: Date = new Date()): string {
  const h = Number(formatShanghai(now, 'H'));
  if (h < 5) return '夜深了';
  if (h < 11) return '早上好';
  if (h < 13) return '中午好';
  if (h < 18) return '下午好';
  return '晚上好';
}
