import type { Me, OrgType } from '@pioneer/shared';
import { orgChain } from '../../utils/format';

const SCOPE_LABELS: Partial<Record<OrgType, string>> = {
  branch: '本支部',
  village: '本村',
  community: '本社区',
  township: '本镇',
  county: '全县',
};

export interface Scope {
  id: string;
  type: OrgType;
  label: string;
  name: string;
}

/** The orgs a member can rank within, nearest first: my branch, village, township, county. */
export function scopesOf(me: Pick<Me, 'org'>): Scope[] {
  return orgChain(me).map((o) => ({ id: o.id, type: o.type, name: o.name, label: SCOPE_LABELS[o.type] ?? o.name }));
}
