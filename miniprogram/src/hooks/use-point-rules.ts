import type { PointReason, PointsRulesView } from '@pioneer/shared';
import { DEFAULT_POINT_RULES, earnsText } from '@pioneer/shared/src/points';
import { getMe, getPointsRules } from '../services/api';
import { hasSession } from '../services/session';
import { useRequest } from './use-request';

export type RuleInForce = PointsRulesView['rules'][number];

/** The table as the API shows it, for the moment before (or without) the county's answer. */
const DEFAULTS: readonly RuleInForce[] = DEFAULT_POINT_RULES.map((r) => ({
  reason: r.reason,
  label: r.label,
  earns: earnsText(r),
  points: r.value,
  cap: r.cap,
  enabled: r.enabled,
}));

/** The last rules read this session: a page opened again shows them at once instead of the defaults. */
let lastRead: readonly RuleInForce[] | null = null;

async function loadRules(): Promise<readonly RuleInForce[]> {
  const county = (await getMe()).org?.path[0]?.id;
  if (!county) return DEFAULTS;
  lastRead = (await getPointsRules(county)).rules;
  return lastRead;
}

export interface PointRules {
  rule: (reason: PointReason) => RuleInForce;
  /** What `units` of a reason pay under the rule in force (1 for a present day, hours served...). */
  pays: (reason: PointReason, units?: number) => number;
}

export function pointRulesOf(rules: readonly RuleInForce[]): PointRules {
  const rule = (reason: PointReason) =>
    rules.find((r) => r.reason === reason) ?? DEFAULTS.find((r) => r.reason === reason)!;
  return { rule, pays: (reason, units = 1) => Math.round(units * (rule(reason).points ?? 0)) };
}

/** The default table's answers (what a county that changed nothing pays). */
export const DEFAULT_RULES = pointRulesOf(DEFAULTS);

/**
 * The points rules in force today in my county (what 积分规则 shows), so a page promises what the ledger will pay
 * after a county changed a value. Until the reply arrives (or without a session) it shows the last rules read, else
 * the default table.
 */
export function usePointRules(): PointRules {
  const rules = useRequest(loadRules, [], hasSession());
  return pointRulesOf(rules.data ?? lastRead ?? DEFAULTS);
}
