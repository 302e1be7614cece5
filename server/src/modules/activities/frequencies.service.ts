import {
  ACTIVITY_FREQUENCIES,
  ACTIVITY_TYPES,
  FrequencyTableSchema,
  type ActivityFrequencies,
  type FrequenciesQuery,
  type FrequencyTable,
  type PutFrequenciesBody,
} from '@pioneer/shared';
import { forbidden, invalid } from '../../http/errors';
import type { SessionUser } from '../../http/types';
import { recordAudit } from '../audit/audit.service';
import { authorize, can, defaultCountyStart } from '../../policy';
import type { OrgDoc } from '../orgs/orgs.model';
import { requireOrg } from '../orgs/orgs.service';
// The settings collection holds every county setting by key; its service belongs to the settings module, so this
// file only reads and writes its own key there, by `_id`.
import { SettingModel } from '../settings/settings.model';

/**
 * 三会一课 required frequencies per county (定频次): one document `activity-frequencies|<countyId>` holding the
 * whole table. Counties differ (some require 党课 every quarter, some 主题党日 every month), so the record book
 * counts against its county's table, and the defaults in shared/ apply until an admin saves one.
 */
const settingId = (countyId: string) => `activity-frequencies|${countyId}`;

/** The county of an org: the first of its path, or the org itself. */
export const countyIdOf = (org: Pick<OrgDoc, '_id' | 'path'>) => org.path[0] ?? org._id;

/** The county's table, or the defaults. A stored table is parsed again so a bad document never reaches a book. */
export async function frequenciesOf(countyId: string): Promise<{ table: FrequencyTable; isDefault: boolean }> {
  const doc = await SettingModel.findById(settingId(countyId)).lean<{ frequencies?: unknown }>();
  const parsed = doc?.frequencies ? FrequencyTableSchema.safeParse(doc.frequencies) : null;
  return parsed?.success
    ? { table: parsed.data, isDefault: false }
    : { table: { ...ACTIVITY_FREQUENCIES }, isDefault: true };
}

/** The county a secretary or admin means when they name no org: their own (an admin's subtree's). */
async function countyFor(actor: SessionUser, orgId: string | undefined): Promise<OrgDoc> {
  const start = orgId ?? defaultCountyStart(actor);
  if (!start) throw forbidden('只有支部书记或管理员可以查看');
  const org = await requireOrg(start);
  return org.type === 'county' ? org : requireOrg(countyIdOf(org));
}

/** Secretaries and admins of the county read it (the record book counts against it); only its admins change it. */
export async function getFrequencies(actor: SessionUser, query: FrequenciesQuery): Promise<ActivityFrequencies> {
  const county = await countyFor(actor, query.org);
  authorize(actor, 'county.view', county, '只能查看本县的三会一课频次');
  const canEdit = can(actor, 'county.manage', county);
  const { table, isDefault } = await frequenciesOf(county._id);
  return { org: { id: county._id, name: county.name }, frequencies: table, isDefault, canEdit };
}

/** Replaces the county's table; audited with what it replaced. */
export async function putFrequencies(actor: SessionUser, body: PutFrequenciesBody): Promise<ActivityFrequencies> {
  const county = await requireOrg(body.org);
  if (county.type !== 'county') throw invalid('请选择县级组织');
  authorize(actor, 'county.manage', county, '只有本县管理员可以修改三会一课频次');
  const previous = await frequenciesOf(county._id);
  // Written in the order of ACTIVITY_TYPES so the stored document reads like the form.
  const frequencies = Object.fromEntries(ACTIVITY_TYPES.map((t) => [t, body.frequencies[t]])) as FrequencyTable;
  await SettingModel.updateOne({ _id: settingId(county._id) }, { $set: { frequencies } }, { upsert: true });
  await recordAudit({
    actorId: actor.id,
    action: 'activities.frequencies',
    targetType: 'org',
    targetId: county._id,
    details: { frequencies, previous: previous.isDefault ? null : previous.table },
  });
  return { org: { id: county._id, name: county.name }, frequencies, isDefault: false, canEdit: true };
}
