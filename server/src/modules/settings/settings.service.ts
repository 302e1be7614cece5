import {
  DEFAULT_POINT_RULES,
  DEFAULT_RANKING_VISIBILITY,
  dayKey,
  earnsText,
  type PointRule,
  type PointRuleEdit,
  type PointsRulesView,
  type PutPointsRulesBody,
  type RankingSettings,
  type RankingVisibility,
} from '@pioneer/shared';
import { sharedValue } from '../../db/shared-view';
import { invalid } from '../../http/errors';
import type { SessionUser } from '../../http/types';
import { recordAudit } from '../audit/audit.service';
import { authorize } from '../../policy';
import { requireOrg } from '../orgs/orgs.service';
import { describeRuleChanges } from './rules-diff';
import { SettingModel } from './settings.model';

/** The county an org belongs to: the first of its path, or itself. */
export function countyOf(org: { _id: string; path: string[] }): string {
  return org.path[0] ?? org._id;
}

async function requireCounty(orgId: string) {
  const org = await requireOrg(orgId);
  if (org.type !== 'county') throw invalid('请选择县级组织');
  return org;
}

function assertCountyAdmin(actor: SessionUser, county: { _id: string; path: string[] }): void {
  authorize(actor, 'county.manage', county);
}

function assertInCounty(actor: SessionUser, county: { _id: string; path: string[] }): void {
  authorize(actor, 'county.view', county);
}

// ---------- ranking visibility ----------

/**
 * Read by every board request: a shared view (issue 17, db/shared-view.ts), cleared at once by a change through this
 * process, seen by another within the bound.
 */
const visibilities = sharedValue(async (countyId: string) => {
  const doc = await SettingModel.findById(`ranking|${countyId}`).lean<{ visibility?: RankingVisibility }>();
  return doc?.visibility ?? DEFAULT_RANKING_VISIBILITY;
});

export async function rankingVisibility(countyId: string): Promise<RankingVisibility> {
  return visibilities.get(countyId);
}

export async function getRanking(actor: SessionUser, orgId: string): Promise<RankingSettings> {
  const county = await requireCounty(orgId);
  assertInCounty(actor, county);
  return { org: county._id, visibility: await rankingVisibility(county._id) };
}

export async function putRanking(actor: SessionUser, body: RankingSettings): Promise<RankingSettings> {
  const county = await requireCounty(body.org);
  assertCountyAdmin(actor, county);
  await SettingModel.updateOne(
    { _id: `ranking|${county._id}` },
    { $set: { visibility: body.visibility } },
    { upsert: true },
  );
  visibilities.forget(county._id);
  await recordAudit({
    actorId: actor.id,
    action: 'settings.ranking',
    targetType: 'org',
    targetId: county._id,
    details: { visibility: body.visibility },
  });
  return { org: county._id, visibility: body.visibility };
}

// ---------- ranking opt-out ----------

/** Members of the county who hid themselves from public boards: one key read. */
const hiddenViews = sharedValue(async (countyId: string) => {
  const doc = await SettingModel.findById(`hidden|${countyId}`).lean<{ users?: string[] }>();
  return doc?.users ?? [];
});

/** Members of the county who hid themselves from public boards: a shared view, like the boards (issue 17). */
export async function hiddenMembers(countyId: string): Promise<Set<string>> {
  return new Set(await hiddenViews.get(countyId));
}

export async function setHidden(countyId: string, userId: string, hidden: boolean): Promise<void> {
  await SettingModel.updateOne(
    { _id: `hidden|${countyId}` },
    hidden ? { $addToSet: { users: userId } } : { $pull: { users: userId } },
    { upsert: true },
  );
  hiddenViews.forget(countyId);
}

// ---------- versioned points rules ----------

interface RulesVersion {
  effectiveFrom: string;
  rules: PointRuleEdit[];
}

const RULES_TTL_MS = 30_000;
const rulesCache = new Map<string, { at: number; versions: Promise<RulesVersion[]> }>();

/**
 * The county's rule versions, oldest first; cached per process for a short while, one key read on a miss (shared
 * by concurrent callers, so a burst of awards reads it once). An edit through this process clears it at once.
 */
function ruleVersions(countyId: string): Promise<RulesVersion[]> {
  const hit = rulesCache.get(countyId);
  if (hit && Date.now() - hit.at < RULES_TTL_MS) return hit.versions;
  const versions = SettingModel.findById(`rules|${countyId}`)
    .lean<{ versions?: RulesVersion[] }>()
    .then((doc) =>
      [...(doc?.versions ?? [])].sort((a, b) =>
        a.effectiveFrom < b.effectiveFrom ? -1 : a.effectiveFrom > b.effectiveFrom ? 1 : 0,
      ),
    );
  rulesCache.set(countyId, { at: Date.now(), versions });
  versions.catch(() => rulesCache.delete(countyId));
  return versions;
}

/** The version in force on a Shanghai day: the latest that started on or before it (a later one on the same day wins). */
function versionOn(versions: RulesVersion[], day: string): RulesVersion | null {
  let found: RulesVersion | null = null;
  for (const v of versions) if (v.effectiveFrom <= day) found = v;
  return found;
}

/** The defaults with a version's edits over them; an edited value (`points`) is the rule's value in force. */
function merged(version: RulesVersion | null): PointRule[] {
  return DEFAULT_POINT_RULES.map((rule) => {
    const edit = version?.rules.find((r) => r.reason === rule.reason);
    if (!edit) return rule;
    const value = rule.value === null ? null : (edit.points ?? rule.value);
    return { ...rule, cap: edit.cap === undefined ? rule.cap : edit.cap, enabled: edit.enabled, value };
  });
}

/** The rules in force in a county on the Shanghai day of `at`. */
export async function countyRulesAt(countyId: string | null | undefined, at: Date): Promise<readonly PointRule[]> {
  if (!countyId) return DEFAULT_POINT_RULES;
  const versions = await ruleVersions(countyId);
  if (versions.length === 0) return DEFAULT_POINT_RULES;
  return merged(versionOn(versions, dayKey(at)));
}

export async function getPointsRules(
  actor: SessionUser,
  orgId: string,
  at: string | undefined,
): Promise<PointsRulesView> {
  const county = await requireCounty(orgId);
  assertInCounty(actor, county);
  const day = at ?? dayKey(new Date());
  const versions = await ruleVersions(county._id);
  const version = versionOn(versions, day);
  return {
    org: county._id,
    at: day,
    effectiveFrom: version?.effectiveFrom ?? null,
    versions: versions.map((v) => v.effectiveFrom),
    rules: merged(version).map((r) => ({
      reason: r.reason,
      label: r.label,
      earns: earnsText(r),
      points: r.value,
      cap: r.cap,
      enabled: r.enabled,
    })),
  };
}

/** Appends a version starting today or later; past days keep the rules they were paid under. */
export async function putPointsRules(
  actor: SessionUser,
  body: PutPointsRulesBody,
  now = new Date(),
): Promise<PointsRulesView> {
  const county = await requireCounty(body.org);
  assertCountyAdmin(actor, county);
  if (body.effectiveFrom < dayKey(now)) throw invalid('生效日期不能早于今天（历史积分不会被改写）');
  const reasons = new Set(body.rules.map((r) => r.reason));
  if (reasons.size !== body.rules.length) throw invalid('同一积分项目只能出现一次');
  const version: RulesVersion = { effectiveFrom: body.effectiveFrom, rules: body.rules };
  const before = merged(versionOn(await ruleVersions(county._id), body.effectiveFrom));
  const changes = describeRuleChanges(before, merged(version));
  await SettingModel.updateOne({ _id: `rules|${county._id}` }, { $push: { versions: version } }, { upsert: true });
  rulesCache.delete(county._id);
  await recordAudit({
    actorId: actor.id,
    action: 'settings.points_rules',
    targetType: 'org',
    targetId: county._id,
    details: { ...version, changes },
  });
  return getPointsRules(actor, county._id, body.effectiveFrom);
}
