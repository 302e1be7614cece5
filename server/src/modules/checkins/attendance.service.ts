import {
  CHECKIN_RULES,
  dayStatus,
  daysSoFar,
  isPendingDay,
  isPresent,
  monthKey,
  type CheckinSettings,
  type FenceVillageList,
  type MyMonth,
  type OrgQuery,
  type PutCheckinSettingsBody,
} from '@pioneer/shared';
import { inPosting, requiredDaysInPosting } from '@pioneer/shared/src/holidays';
import { forbidden } from '../../http/errors';
import type { SessionUser } from '../../http/types';
import { recordAudit } from '../audit/audit.service';
import { authorize, defaultCountyStart, defaultManagedOrgId } from '../../policy';
import { OrgModel, type OrgDoc } from '../orgs/orgs.model';
import { findOrg, orgSummary, requireOrg } from '../orgs/orgs.service';
import { setCountyRequired } from '../orgs/subtree';
import { findUser } from '../users/users.service';
import { CheckinSettingsModel } from './checkins.model';
import { itemOut, readMonth, type StoredMonth } from './records';

/** The county an org belongs to: the root of its path (or itself). */
export const countyIdOf = (org: Pick<OrgDoc, '_id' | 'path'>) => org.path[0] ?? org._id;

/** Days present a cadre owes per month in a county: its setting, else the default (20). */
export async function requiredDaysIn(countyId: string | undefined): Promise<number> {
  if (!countyId) return CHECKIN_RULES.defaultRequiredDays;
  const doc = await CheckinSettingsModel.findById(countyId).lean();
  return doc?.requiredDays ?? CHECKIN_RULES.defaultRequiredDays;
}

export interface MonthCounts {
  present: number;
  pending: number;
  flagged: number;
  /** Latest check-in time of the month, ISO, or null. */
  lastAt: string | null;
}

/** Present / pending / flagged days of one stored month (a flagged day may also be present). */
export function countMonth(m: StoredMonth): MonthCounts {
  const days = Object.values(m.days);
  const times = Object.values(m.items).map((i) => new Date(i.at).toISOString());
  return {
    present: days.filter(isPresent).length,
    pending: days.filter(isPendingDay).length,
    flagged: days.filter((d) => (d.f ?? 0) > 0).length,
    lastAt: times.length ? times.reduce((a, b) => (a > b ? a : b)) : null,
  };
}

/**
 * My month as a calendar, from one key read (and my account, already read for the session). Days before my posting
 * began or after it ended owe nothing: marked `outside`, never 缺勤, and 应出勤 is shared out over the posted days.
 */
export async function myMonth(actor: SessionUser, month: string | undefined, now = new Date()): Promise<MyMonth> {
  const key = month ?? monthKey(now);
  const [stored, village, countyRequired, me] = await Promise.all([
    readMonth(actor.id, key),
    actor.postedVillageId ? findOrg(actor.postedVillageId) : null,
    requiredDaysIn(actor.orgPath[0]),
    findUser(actor.id),
  ]);
  const since = me?.postedSince ?? null;
  const until = me?.postedVillageId ? null : (me?.postedUntil ?? null);
  const counts = countMonth(stored);
  const f = village?.fence;
  return {
    month: key,
    village: village
      ? {
          ...orgSummary(village),
          fence: f && typeof f.lat === 'number' ? { lat: f.lat, lng: f.lng!, radiusM: f.radiusM! } : null,
        }
      : null,
    days: daysSoFar(key, now).map((day) => ({
      day,
      status: dayStatus(stored.days[day]),
      present: isPresent(stored.days[day]),
      ...(inPosting(day, since, until) ? {} : { outside: true }),
    })),
    presentDays: counts.present,
    pendingDays: counts.pending,
    flaggedDays: counts.flagged,
    requiredDays: requiredDaysInPosting(countyRequired, key, since, until),
    items: Object.entries(stored.items)
      .map(([id, s]) => itemOut(id, s))
      .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0)),
  };
}

/** Anyone signed in may read their county's rule; `org` names any org in the county (default: my own). */
export async function checkinSettings(actor: SessionUser, query: OrgQuery): Promise<CheckinSettings> {
  const start = query.org ?? defaultCountyStart(actor);
  if (!start) throw forbidden('尚未加入组织');
  const countyId = countyIdOf(await requireOrg(start));
  authorize(actor, 'county.view', await requireOrg(countyId));
  return { countyId, requiredDays: await requiredDaysIn(countyId) };
}

/** Only an admin over the whole county changes its rule. Audited. */
export async function putCheckinSettings(actor: SessionUser, body: PutCheckinSettingsBody): Promise<CheckinSettings> {
  const county = await requireOrg(countyIdOf(await requireOrg(body.org)));
  authorize(actor, 'county.manage', county, '只有县级管理员可以修改考勤要求');
  await CheckinSettingsModel.updateOne(
    { _id: county._id },
    { $set: { requiredDays: body.requiredDays } },
    { upsert: true },
  );
  await setCountyRequired(county._id, body.requiredDays);
  await recordAudit({
    actorId: actor.id,
    action: 'checkin.settings',
    targetType: 'org',
    targetId: county._id,
    details: { requiredDays: body.requiredDays },
  });
  return { countyId: county._id, requiredDays: body.requiredDays };
}

/** Villages and communities an admin may draw fences for. A deliberate scan of the (small) org tree. */
export async function fenceVillages(actor: SessionUser, query: OrgQuery): Promise<FenceVillageList> {
  const rootId = query.org ?? defaultManagedOrgId(actor);
  if (!rootId) throw forbidden('只有管理员可以设置打卡范围');
  const root = await requireOrg(rootId);
  authorize(actor, 'org.manage', root, '只能设置本辖区内的打卡范围');
  const below = await OrgModel.find({ path: root._id, type: { $in: ['village', 'community'] } }).lean<OrgDoc[]>();
  const villages = ['village', 'community'].includes(root.type) ? [root, ...below] : below;
  const parents = new Map<string, string>();
  for (const v of villages) {
    if (v.parentId && !parents.has(v.parentId)) parents.set(v.parentId, (await findOrg(v.parentId))?.name ?? '');
  }
  const items = villages.map((v) => ({
    ...orgSummary(v),
    parentName: v.parentId ? (parents.get(v.parentId) ?? '') : '',
    fence:
      v.fence && typeof v.fence.lat === 'number'
        ? { lat: v.fence.lat, lng: v.fence.lng!, radiusM: v.fence.radiusM! }
        : null,
  }));
  items.sort((a, b) => a.parentName.localeCompare(b.parentName, 'zh-CN') || a.name.localeCompare(b.name, 'zh-CN'));
  return { items };
}
