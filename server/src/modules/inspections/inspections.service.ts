import {
  CHECKIN_RULES,
  checkFence,
  dayKey,
  halfLabel,
  halfOf,
  toGcj02,
  type Inspection,
  type InspectionBody,
  type InspectionList,
  type InspectionQuery,
} from '@pioneer/shared';
import { newId } from '../../db/ids';
import { AppError, invalid } from '../../http/errors';
import type { SessionUser } from '../../http/types';
import { adminRootOf, authorize } from '../../policy';
import { OrgModel, type OrgDoc } from '../orgs/orgs.model';
import { requireOrg } from '../orgs/orgs.service';
import { UserModel } from '../users/users.model';
import { countInspection } from '../dashboard/inspection-counters';
import { InspectionIndexModel, InspectionModel, inspectionIndexId } from './inspections.model';

/** On site when the fix is inside the fence of the branch (or its village): the check-ins' rule. */
function verify(body: InspectionBody, fenced: OrgDoc | null): { onSite: boolean; distanceM: number | null } {
  const fix = body.location;
  if (!fix) return { onSite: false, distanceM: null };
  if (fix.accuracy > CHECKIN_RULES.maxAccuracyM)
    throw new AppError(
      'LOCATION_INACCURATE',
      `定位精度约${Math.round(fix.accuracy)}米，需在${CHECKIN_RULES.maxAccuracyM}米以内，请到开阔处重新定位`,
    );
  const f = fenced?.fence;
  if (!f || f.lat == null || f.lng == null || f.radiusM == null) return { onSite: false, distanceM: null };
  const { distanceM, within } = checkFence(toGcj02(fix, fix.coordType), { lat: f.lat, lng: f.lng, radiusM: f.radiusM });
  return { onSite: within, distanceM: Math.round(distanceM) };
}

/** Records a visit: the document, the list of each org of the chain, the board's coverage counters. */
export async function recordInspection(
  actor: SessionUser,
  body: InspectionBody,
  now = new Date(),
): Promise<Inspection> {
  const branch = await requireOrg(body.org);
  if (branch.type !== 'branch') throw invalid('请选择要巡查的支部');
  authorize(actor, 'inspection.record', branch);
  const village = branch.parentId ? await OrgModel.findById(branch.parentId).lean<OrgDoc>() : null;
  const { onSite, distanceM } = verify(body, branch.fence?.lat != null ? branch : village);
  const inspector = await UserModel.findById(actor.id, { name: 1 }).lean<{ name?: string }>();
  const item: Inspection = {
    id: newId(),
    branch: { id: branch._id, name: branch.name },
    villageName: village?.type === 'village' ? village.name : null,
    date: body.date,
    findings: body.findings,
    photoUrls: body.photoUrls,
    inspector: { id: actor.id, name: inspector?.name ?? '' },
    onSite,
    distanceM,
    createdAt: now.toISOString(),
  };
  const half = halfOf(body.date);
  const chain = [...branch.path, branch._id];
  await InspectionModel.create({ _id: item.id, branchId: branch._id, path: chain, half, item });
  await InspectionIndexModel.bulkWrite(
    chain.map((orgId) => ({
      updateOne: { filter: { _id: inspectionIndexId(orgId, half) }, update: { $push: { items: item } }, upsert: true },
    })) as never,
    { ordered: false },
  );
  await countInspection(chain, body.date);
  return item;
}

/** The visits under an org in a half-year (this one by default), newest first: one key read after the org. */
export async function listInspections(
  actor: SessionUser,
  query: InspectionQuery,
  now = new Date(),
): Promise<InspectionList> {
  const orgId = query.org ?? adminRootOf(actor);
  if (!orgId) throw new AppError('FORBIDDEN', '只有县、乡镇管理员可以查看巡查记录');
  const org = await requireOrg(orgId);
  authorize(actor, 'inspection.view', org);
  const half = query.half ?? halfOf(dayKey(now));
  const doc = await InspectionIndexModel.findById(inspectionIndexId(org._id, half)).lean<{ items?: Inspection[] }>();
  const items = [...(doc?.items ?? [])].sort(
    (a, b) => b.date.localeCompare(a.date) || b.createdAt.localeCompare(a.createdAt),
  );
  return { org: { id: org._id, name: org.name, type: org.type }, half, label: halfLabel(half), items };
}
