import {
  DEFAULT_FIX_RETENTION_DAYS,
  PRIVACY_FEATURES,
  PRIVACY_VERSION,
  privacySections,
  type ConsentBody,
  type PrivacyFacts,
  type PrivacyFeature,
  type PrivacySettingsBody,
  type PrivacyStatus,
} from '@pioneer/shared/src/privacy';
import { AppError, invalid } from '../../http/errors';
import type { SessionUser } from '../../http/types';
import { authorize } from '../../policy';
import { recordAudit } from '../audit/audit.service';
import { findOrg, requireOrg } from '../orgs/orgs.service';
import { SettingModel } from '../settings/settings.model';
import { UserModel } from '../users/users.model';
import { findUser } from '../users/users.service';
import { ConsentModel } from './privacy.model';

const settingKey = (countyId: string) => `privacy|${countyId}`;
const GENERIC_CONTROLLER = '本县党委组织部';
const GENERIC_CONTACT = '所在支部书记或县委组织部';

/** The county's privacy settings (retention days, request contact), by key; defaults when never set. */
export async function countyPrivacy(countyId: string | null): Promise<PrivacyFacts> {
  if (!countyId)
    return { controller: GENERIC_CONTROLLER, contact: GENERIC_CONTACT, retentionDays: DEFAULT_FIX_RETENTION_DAYS };
  const [county, setting] = await Promise.all([
    findOrg(countyId),
    SettingModel.findById(settingKey(countyId)).lean<{ retentionDays?: number; contact?: string }>(),
  ]);
  return {
    controller: county ? `${county.name}（县委组织部）` : GENERIC_CONTROLLER,
    contact: setting?.contact ?? GENERIC_CONTACT,
    retentionDays: setting?.retentionDays ?? DEFAULT_FIX_RETENTION_DAYS,
  };
}

const agreedNow = (c: { version: string; decision: string } | null) =>
  c?.version === PRIVACY_VERSION && c.decision === 'agree';

/**
 * Which features are off for this answer. No answer at all (members from before the guide existed, test fixtures)
 * leaves them on: the app asks on first open, and in the weapp WeChat's own privacy check blocks the APIs until then.
 * A refusal, or an answer to an older version, switches them off until the member agrees to this one.
 */
function disabledFor(c: { version: string; decision: string } | null): PrivacyFeature[] {
  if (c === null || agreedNow(c)) return [];
  return Object.keys(PRIVACY_FEATURES) as PrivacyFeature[];
}

export async function privacyStatus(actor: SessionUser): Promise<PrivacyStatus> {
  const [facts, consent] = await Promise.all([
    countyPrivacy(actor.orgPath[0] ?? null),
    ConsentModel.findById(actor.id).lean(),
  ]);
  return {
    version: PRIVACY_VERSION,
    facts,
    sections: privacySections(facts),
    consent: consent
      ? { version: consent.version, decision: consent.decision as 'agree' | 'refuse', at: consent.at.toISOString() }
      : null,
    needsConsent: consent?.version !== PRIVACY_VERSION,
    disabled: disabledFor(consent),
  };
}

/** Records the member's answer to the version they read; answering an old version is refused (they read old text). */
export async function recordConsent(actor: SessionUser, body: ConsentBody): Promise<PrivacyStatus> {
  if (body.version !== PRIVACY_VERSION) throw new AppError('CONFLICT', '隐私保护指引已更新，请阅读新版本后再确认');
  await saveConsent(actor.id, body.version, body.decision, new Date());
  return privacyStatus(actor);
}

/** What the gates go by: the version answered and the decision. */
export interface ConsentAnswer {
  version: string;
  decision: 'agree' | 'refuse';
}

/**
 * Records an answer: first its copy on the member (what the gates read), then the record with its history. A stop
 * between the two leaves the gate on the newer answer and the guide showing the older one; the member answering
 * again writes both. Each write is by key.
 */
export async function saveConsent(
  userId: string,
  version: string,
  decision: ConsentAnswer['decision'],
  at: Date,
): Promise<void> {
  const answer: ConsentAnswer = { version, decision };
  await UserModel.updateOne({ _id: userId }, { $set: { privacyConsent: answer } });
  const prev = await ConsentModel.findById(userId).lean();
  const history = prev
    ? [...prev.history, { version: prev.version, decision: prev.decision, at: prev.at }].slice(-20)
    : [];
  await ConsentModel.updateOne({ _id: userId }, { $set: { version, decision, at, history } }, { upsert: true });
}

/**
 * The member's answer as the gates see it: the copy on the member document, which a write request's session has
 * already read (db/engine-commands.ts readOnce: no command of its own, issue 17); the record only for a member from
 * before the copy existed (no `privacyConsent` field until the start-up copy, consent-copy.ts, has run).
 */
export async function consentAnswer(userId: string): Promise<ConsentAnswer | null> {
  const copy = (await findUser(userId))?.privacyConsent as ConsentAnswer | null | undefined;
  if (copy !== undefined) return copy;
  const record = await ConsentModel.findById(userId).lean();
  return record ? { version: record.version, decision: record.decision as ConsentAnswer['decision'] } : null;
}

/** The gate of a feature that needs personal data: no read past the session's member; 403 saying what to do. */
export async function requireConsent(userId: string, feature: PrivacyFeature): Promise<void> {
  const consent = await consentAnswer(userId);
  if (disabledFor(consent).includes(feature)) {
    throw new AppError(
      'FORBIDDEN',
      `您尚未同意最新的隐私保护指引，暂不能使用${PRIVACY_FEATURES[feature]}。可在“我的 → 隐私保护指引”中阅读并同意`,
      { feature },
    );
  }
}

/** County admins set how long raw fixes are kept and whom members contact; audited. */
export async function putPrivacySettings(actor: SessionUser, body: PrivacySettingsBody): Promise<PrivacyFacts> {
  const county = await requireOrg(body.org);
  if (county.type !== 'county') throw invalid('请选择县级组织');
  authorize(actor, 'county.manage', county);
  await SettingModel.updateOne(
    { _id: settingKey(county._id) },
    { $set: { retentionDays: body.retentionDays, contact: body.contact } },
    { upsert: true },
  );
  await recordAudit({
    actorId: actor.id,
    action: 'settings.privacy',
    targetType: 'org',
    targetId: county._id,
    details: { retentionDays: body.retentionDays },
  });
  return countyPrivacy(county._id);
}
