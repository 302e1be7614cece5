import {
  amountFor,
  DEFAULT_POINT_RULES,
  dayKey,
  grantFromClaims,
  monthKey,
  periodId,
  periodIds,
  previousMonthKey,
  ruleFor,
  weekKey,
  yearKey,
  type AdjustmentBody,
  type CapClaim,
  type LedgerItem,
  type LedgerPage,
  type LedgerQuery,
  type PointReason,
  type PointRule,
  type PointsSummary,
  unitsAtDefault,
} from '@pioneer/shared';
import type { mongo } from 'mongoose';
import { sharedValue, WRITE_SIDE_BOUNDS } from '../../db/shared-view';
import { readOnce } from '../../db/engine-commands';
import { AppError, notFound } from '../../http/errors';
import type { SessionUser } from '../../http/types';
import { recordAudit } from '../audit/audit.service';
import { authorize } from '../../policy';
import { OrgModel } from '../orgs/orgs.model';
import { UserModel, type UserDoc } from '../users/users.model';
import { countyRulesAt } from '../settings/settings.service';
import { applyEntry, claimMemberMarks, type BoardRow } from './apply';
import { capId, feedId, scopeKey, SELF_SCOPE } from './keys';
import { CapModel, FeedModel, LedgerModel, type LedgerDoc } from './points.model';
import { ownTotals } from './held-totals';
import { feedHolds, markApplied } from './applied-marks';
import { scopeWritesLanded } from './scope-writes';
import { insertEntry } from './ledger-insert';
import { countAwardAfterReply, memberMarksOf } from '../dashboard/counters';

interface AwardBase {
  userId: string;
  reason: PointReason;
  refType: string;
  refId: string;
  /** Deterministic per effect (`quiz:daily:<user>:<day>`): the same key never pays twice. */
  idempotencyKey: string;
  /**
   * The caller pays this reason to a member under one key per such period at most (a check-in's day key): while the
   * rule's cap counts that period, this key's claim is the only one there, so no cap document is written (issue 17).
   */
  onlyKeyPer?: NonNullable<PointRule['cap']>['per'];
  note?: string;
  actorId?: string;
  at?: Date;
}

/**
 * What happened, never how much it pays: `units` in the rule's units (right answers, hours served, 1 for a present
 * day, an approval, a wish or an attendance, a rating's share); the rule in force on the event's day prices them and
 * caps may grant less. `points` is for a caller that states an amount: an adjustment's own (its rule has no value),
 * or an amount at the default value, turned into units by it.
 */
export type AwardInput = AwardBase & ({ units: number; points?: never } | { points: number; units?: never });

export interface AwardResult {
  entryId: string;
  /** What the paying entry refers to: on a duplicate, the effect that was paid first. */
  refId: string;
  awarded: number;
  /** True when this key had already been paid: nothing new was paid now. */
  duplicate: boolean;
  /** True when a cap granted less than asked. */
  capped: boolean;
}

/**
 * The rules in force for a member at a moment: their county's version in force on the Shanghai day of `at`
 * (settings `rules|<county>`, append-only), else the defaults. Pass the county when the caller already knows it.
 */
export async function rulesInForce(userId: string, at: Date, countyId?: string | null): Promise<readonly PointRule[]> {
  if (countyId === undefined) countyId = (await memberById(userId))?.orgPath?.[0] ?? null;
  return countyId ? countyRulesAt(countyId, at) : DEFAULT_POINT_RULES;
}

function capPeriodKey(per: 'day' | 'week' | 'year', at: Date): string {
  return per === 'day' ? dayKey(at) : per === 'week' ? weekKey(at) : yearKey(at);
}

/**
 * The award's own key commands go through the driver's collections: these documents are written only as stored here
 * (plain strings, numbers and dates), so a mongoose Query's casting and hooks did nothing but spend Node CPU.
 */
const caps = () => CapModel.collection as unknown as mongo.Collection<{ _id: string; claims: CapClaim[] }>;
const ledger = () => LedgerModel.collection as unknown as mongo.Collection<LedgerDoc>;

/**
 * Records the claim on the cap document and works out the grant from the claims in the order they landed.
 * A filter on `_id` only and a $push: atomic and fast on every engine, and a retry recomputes the same grant.
 */
async function grantUnderCap(rule: PointRule, input: AwardBase & { asked: number }, at: Date): Promise<number> {
  if (!rule.cap || input.asked <= 0) return input.asked;
  if (rule.cap.per === input.onlyKeyPer) return Math.min(input.asked, rule.cap.max);
  // The driver's command, not a mongoose Query: its casting cost more Node CPU than the command (issue 17, H8a).
  const doc = await caps().findOneAndUpdate(
    { _id: capId(rule.reason, capPeriodKey(rule.cap.per, at), input.userId) },
    // $addToSet: a retried or replayed award (a reconciliation run) leaves one claim, not one per run.
    { $addToSet: { claims: { key: input.idempotencyKey, asked: input.asked } } },
    { upsert: true, returnDocument: 'after' },
  );
  const claims = (doc?.claims ?? []).map((c) => ({ key: c.key, asked: c.asked }));
  return grantFromClaims(claims, input.idempotencyKey, rule.cap.max);
}

/** The entry an idempotency key paid, if it did: "has today's daily quiz paid yet?" is one key read. */
export async function paidEntry(idempotencyKey: string): Promise<LedgerDoc | null> {
  return ledger().findOne({ _id: idempotencyKey });
}

/** The member, read once per request (the session's own read when they are the caller). */
const memberById = (id: string) => readOnce('users', id, () => UserModel.findById(id).lean<UserDoc>());

/** An org's name by key (one not under a county): a shared view, not a read per award. */
const orgNames = sharedValue(async (orgId: string) => (await OrgModel.findById(orgId).lean())?.name ?? '');

/**
 * Org names on board rows: every org under a county in one read, held as a write-side view (60 s at the default
 * bound, db/shared-view.ts). A row keeps the name of its day anyway (a rename rewrites no row), so a new row may carry
 * the old name for that long. Issue 17: read per org, the member's org was a cold read on most awards (411 orgs at
 * the bench's scale). The one query that is not by key here: the orgs collection, once per county per hold.
 */
const countyOrgNames = sharedValue(
  async (countyId: string) =>
    new Map(
      (await OrgModel.find({ path: countyId }, { name: 1 }).lean<{ _id: string; name: string }[]>()).map((o) => [
        o._id,
        o.name,
      ]),
    ),
  1000,
  WRITE_SIDE_BOUNDS,
);

async function orgName(orgId: string, countyId: string | undefined): Promise<string> {
  const name = countyId && countyId !== orgId ? (await countyOrgNames.get(countyId)).get(orgId) : undefined;
  return name ?? orgNames.get(orgId);
}

/** A member's board row; `known` is the member already read (saves reading them again). */
export async function boardRowFor(
  userId: string,
  known?: { name: string; avatarUrl?: string | null; orgId?: string | null; orgPath?: string[] } | null,
): Promise<BoardRow> {
  const user = known ?? (await memberById(userId));
  const org = user?.orgId ? await orgName(user.orgId, user.orgPath?.[0]) : '';
  return { u: userId, n: user?.name ?? '', a: user?.avatarUrl ?? '', o: org };
}

function resultOf(entry: Pick<LedgerDoc, '_id' | 'delta' | 'asked' | 'refId'>, duplicate: boolean): AwardResult {
  return { entryId: entry._id, refId: entry.refId, awarded: entry.delta, duplicate, capped: entry.delta < entry.asked };
}

/**
 * The one door through which every feature pays points. Exactly once per idempotency key, caps from the rules in
 * force, then the ledger entry, then the derived views (reconciliation finishes the last step after a crash).
 */
export async function awardPoints(input: AwardInput): Promise<AwardResult> {
  // No read of the key first: the insert below says "paid already" (a duplicate key), and a repeated cap claim is
  // the same claim ($addToSet), so a retry costs what a first payment does and a first payment a command less.
  const user = await memberById(input.userId);
  if (!user) throw notFound('党员');
  const at = input.at ?? new Date();
  const rule = ruleFor(input.reason, await rulesInForce(input.userId, at, user.orgPath[0] ?? null));
  const asked = amountFor(rule, input.units ?? unitsAtDefault(input.reason, input.points!));
  const granted = rule.enabled ? await grantUnderCap(rule, { ...input, asked }, at) : 0;
  const entry = {
    _id: input.idempotencyKey,
    userId: input.userId,
    delta: granted,
    asked,
    reason: input.reason,
    refType: input.refType,
    refId: input.refId,
    note: input.note ?? null,
    actorId: input.actorId ?? null,
    at,
    periods: periodIds(at),
    scopes: user.orgPath,
  };
  if (!(await insertEntry(entry))) {
    const first = (await paidEntry(input.idempotencyKey))!;
    // This insert set its journal line (again): dropped when the first is finished (never journaled, or its feed
    // holds it), never while it is under way.
    if (entry.delta !== 0 && (first.delta === 0 || (await feedHolds(first)))) markApplied(first._id, first.userId);
    return resultOf(first, true);
  }
  // 数据看板 counters (issue 18), once per new entry; the member's markers ride on their totals update.
  const marks = memberMarksOf(entry);
  const won =
    granted !== 0
      ? await applyEntry(entry, () => boardRowFor(input.userId, user), marks)
      : await claimMemberMarks(input.userId, marks);
  // Written after the reply, grouped (dashboard/counters.ts): who counts once is decided above, on the totals update.
  countAwardAfterReply(entry, input.units ?? 0, won);
  return resultOf(entry, false);
}

/** 书记/管理员 adjustments: a written reason, the policy's 'points.adjust' rule (never to oneself), an audit line; the client's key makes it once-only. */
export async function adjustPoints(
  actor: SessionUser,
  body: AdjustmentBody,
  idempotencyKey: string | undefined,
): Promise<LedgerItem> {
  const member = await UserModel.findById(body.userId).lean();
  if (!member) throw notFound('党员');
  // Never to oneself: the one who decides an award is never the one who receives it.
  authorize(actor, 'points.adjust', member);
  const key = `adjust|${actor.id}|${idempotencyKey ?? `${Date.now()}-${Math.random().toString(36).slice(2)}`}`;
  const result = await awardPoints({
    userId: member._id,
    reason: 'manual_adjustment',
    points: body.delta,
    refType: 'adjustment',
    refId: key,
    idempotencyKey: key,
    note: body.reason,
    actorId: actor.id,
  });
  if (!result.duplicate) {
    await recordAudit({
      actorId: actor.id,
      action: 'points.adjust',
      targetType: 'user',
      targetId: member._id,
      details: { delta: body.delta, reason: body.reason, entryId: key },
    });
  }
  const entry = await LedgerModel.findById(key).lean<LedgerDoc>();
  if (!entry) throw new AppError('INTERNAL');
  return ledgerItem(entry);
}

export function ledgerItem(e: {
  _id?: string;
  id?: string;
  delta: number;
  reason: string;
  at: Date;
  refType: string;
  refId: string;
  note?: string | null;
}): LedgerItem {
  return {
    id: (e._id ?? e.id)!,
    delta: e.delta,
    reason: e.reason as LedgerItem['reason'],
    at: new Date(e.at).toISOString(),
    refType: e.refType,
    refId: e.refId,
    note: e.note ?? null,
  };
}

/**
 * My points of this week, month, year and all time: my totals as held in this process (held-totals.ts: exact for its
 * writes, read again when my client has seen a newer sequence), else one key read of my totals document.
 */
export async function pointsSummary(userId: string, at = new Date()): Promise<PointsSummary> {
  const periods = (['week', 'month', 'year', 'all'] as const).map((p) => periodId(p, at));
  const { t } = await ownTotals(userId, periods);
  const [week, month, year, all] = periods.map((p) => t[scopeKey(p, SELF_SCOPE)] ?? 0) as [
    number,
    number,
    number,
    number,
  ];
  return { week, month, year, all };
}

/** Months one ledger page may read at most (a year of empty months ends the walk sooner). */
const LEDGER_MONTHS_PER_PAGE = 24;
const LEDGER_FIRST_MONTH = '2000-01';

/**
 * My points history, newest first, read month by month from the feed (key reads). The cursor is
 * `YYYY-MM:offset`; a month after this one starts at this one, a month before 2000 is the end (the cursor is
 * the client's to make up). The walk stops after a year of empty months, and reads at most 24 months per page.
 */
export async function ledgerPage(userId: string, query: LedgerQuery, now = new Date()): Promise<LedgerPage> {
  let [month, offset] = query.cursor
    ? ((query.cursor.split(':') as [string, string]).map((v, i) => (i === 0 ? v : Number(v))) as [string, number])
    : [monthKey(now), 0];
  if (month > monthKey(now) || !/-(0[1-9]|1[0-2])$/.test(month)) [month, offset] = [monthKey(now), 0];
  const items: LedgerItem[] = [];
  let emptyMonths = 0;
  for (let read = 0; items.length < query.limit && emptyMonths < 12 && month >= LEDGER_FIRST_MONTH; read += 1) {
    if (read === LEDGER_MONTHS_PER_PAGE) return { items, nextCursor: `${month}:0` };
    if (read === 0) await scopeWritesLanded(); // the feed lines of this process's awards, sent after their replies
    const feed = await FeedModel.findById(feedId(userId, month)).lean();
    const lines = (feed?.items ?? []).map((i) =>
      ledgerItem({
        id: i.id!,
        delta: i.delta!,
        reason: i.reason!,
        at: i.at!,
        refType: i.refType!,
        refId: i.refId!,
        note: i.note,
      }),
    );
    lines.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
    emptyMonths = lines.length === 0 ? emptyMonths + 1 : 0;
    const take = lines.slice(offset, offset + (query.limit - items.length));
    items.push(...take);
    if (offset + take.length < lines.length) return { items, nextCursor: `${month}:${offset + take.length}` };
    month = previousMonthKey(month);
    offset = 0;
  }
  return { items, nextCursor: items.length === query.limit && month >= LEDGER_FIRST_MONTH ? `${month}:0` : null };
}
