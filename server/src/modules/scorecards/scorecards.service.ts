import {
  dayKey,
  quarterRange,
  type FlagBody,
  type ManualEntryBody,
  type ScorecardVersion,
  type ScorecardVersionBody,
  type ScorecardView,
} from '@pioneer/shared';
import { invalid } from '../../http/errors';
import type { SessionUser } from '../../http/types';
import { authorize, type Placed } from '../../policy';
import { recordAudit } from '../audit/audit.service';
import { requireOrg } from '../orgs/orgs.service';
import type { OrgDoc } from '../orgs/orgs.model';
import {
  cardId,
  flagsId,
  manualId,
  readCard,
  scorecardDocs,
  sortedVersions,
  versionForQuarter,
  versionOn,
  type CardDoc,
  type FlagDoc,
  type ManualDoc,
} from './scorecards.store';

export const placed = (org: Pick<OrgDoc, '_id' | 'path'>): Placed => ({ _id: org._id, path: org.path ?? [] });
export const countyIdOf = (org: Pick<OrgDoc, '_id' | 'path'>) => org.path?.[0] ?? org._id;

export async function requireCounty(orgId: string): Promise<OrgDoc> {
  const org = await requireOrg(orgId);
  if (org.type !== 'county') throw invalid('请选择县级组织');
  return org;
}

export async function requireBranch(orgId: string): Promise<OrgDoc> {
  const org = await requireOrg(orgId);
  if (org.type !== 'branch') throw invalid('请选择党支部');
  return org;
}

export async function getScorecard(actor: SessionUser, orgId: string, at?: string): Promise<ScorecardView> {
  const county = await requireCounty(orgId);
  authorize(actor, 'scorecard.view', placed(county));
  const day = at ?? dayKey(new Date());
  const versions = sortedVersions(await readCard(county._id));
  return {
    org: county._id,
    at: day,
    versions: versions.map((v) => v.effectiveFrom),
    version: versionOn(versions, day),
  };
}

/** Appends a version starting today or later: quarters already scored keep the card they were scored by. */
export async function putScorecard(actor: SessionUser, body: ScorecardVersionBody, now = new Date()) {
  const county = await requireCounty(body.org);
  authorize(actor, 'scorecard.define', placed(county));
  if (body.effectiveFrom < dayKey(now)) throw invalid('生效日期不能早于今天（已评定的季度不会被改写）');
  const { org: _org, ...version } = body;
  const clean: ScorecardVersion = {
    ...version,
    indicators: version.indicators.map((i) => (i.kind === 'manual' ? { ...i, source: undefined } : i)),
  };
  await scorecardDocs<CardDoc>().updateOne(
    { _id: cardId(county._id) },
    { $push: { versions: clean } },
    { upsert: true },
  );
  await recordAudit({
    actorId: actor.id,
    action: 'scorecard.define',
    targetType: 'org',
    targetId: county._id,
    details: { effectiveFrom: clean.effectiveFrom, weights: clean.indicators.map((i) => `${i.label}:${i.weight}`) },
  });
  return getScorecard(actor, county._id, clean.effectiveFrom);
}

/** A township admin's manual value: the indicator must be a manual one of the quarter's card, within its maximum. */
export async function enterManual(actor: SessionUser, body: ManualEntryBody, now = new Date()) {
  const branch = await requireBranch(body.branch);
  authorize(actor, 'scorecard.enter', placed(branch));
  const version = versionForQuarter(
    sortedVersions(await readCard(countyIdOf(branch))),
    quarterRange(body.quarter).last,
  );
  const indicator = version?.indicators.find((i) => i.key === body.key && i.kind === 'manual');
  if (!indicator) throw invalid('该季度的评分标准中没有这个手工指标');
  if (body.value > indicator.target) throw invalid(`${indicator.label}最高${indicator.target}`);
  const entry = { value: body.value, note: body.note, photoUrls: body.photoUrls, by: actor.id, at: now };
  await scorecardDocs<ManualDoc>().updateOne(
    { _id: manualId(branch._id, body.quarter) },
    { $set: { [`entries.${body.key}`]: entry } },
    { upsert: true },
  );
  await recordAudit({
    actorId: actor.id,
    action: 'scorecard.manual',
    targetType: 'org',
    targetId: branch._id,
    details: { quarter: body.quarter, key: body.key, value: body.value, photos: body.photoUrls.length },
  });
  return { branch: branch._id, quarter: body.quarter, key: body.key, value: body.value };
}

/** Marks (or clears) a branch as 软弱涣散 for a quarter, with the reason the 通报 prints. */
export async function flagBranch(actor: SessionUser, body: FlagBody, now = new Date()) {
  const branch = await requireBranch(body.branch);
  authorize(actor, 'scorecard.enter', placed(branch));
  if (body.flagged && body.reason.length < 2) throw invalid('请写明认定为软弱涣散的原因');
  const path = `branches.${branch._id}`;
  await scorecardDocs<FlagDoc>().updateOne(
    { _id: flagsId(countyIdOf(branch), body.quarter) },
    body.flagged ? { $set: { [path]: { reason: body.reason, by: actor.id, at: now } } } : { $unset: { [path]: '' } },
    { upsert: true },
  );
  await recordAudit({
    actorId: actor.id,
    action: body.flagged ? 'scorecard.flag' : 'scorecard.unflag',
    targetType: 'org',
    targetId: branch._id,
    details: { quarter: body.quarter, reason: body.reason },
  });
  return { branch: branch._id, quarter: body.quarter, flagged: body.flagged };
}
