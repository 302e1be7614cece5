import {
  dayKey,
  PLAN_ITEM_LABELS,
  PLAN_STATUS_LABELS,
  quarterLabel,
  type AuditAction,
  type CreatePlanBody,
  type Plan,
  type PlanDecisionBody,
  type PlanProgressBody,
  type Quarter,
} from '@pioneer/shared';
import { CasConflict } from '../../db/cas';
import { AppError, invalid, notFound } from '../../http/errors';
import type { SessionUser } from '../../http/types';
import { authorize, type Action } from '../../policy';
import { recordAudit } from '../audit/audit.service';
import { requireOrg } from '../orgs/orgs.service';
import { UserModel } from '../users/users.model';
import { countyIdOf, placed, requireBranch } from '../scorecards/scorecards.service';
import { weakOf } from '../scorecards/scorecards.results';
import { readFlags, readResult } from '../scorecards/scorecards.store';
import { planId, planIndex, plans, planView, type PlanDoc, type PlanItemDoc } from './plans.store';

const illegal = (message: string) => new AppError('ILLEGAL_TRANSITION', message);
const nameOf = async (id: string) => (await UserModel.findById(id, { name: 1 }).lean<{ name: string }>())?.name ?? '';

/** Why the branch is weak in the quarter (computed below the line, or marked), or null when it is not. */
async function weakReason(countyId: string, branchId: string, q: Quarter): Promise<string | null> {
  const [result, flags] = await Promise.all([readResult(countyId, q), readFlags(countyId, q)]);
  const row = result?.branches.find((b) => b.id === branchId);
  if (row) return weakOf(row, flags, result!.version.weakBelow).weakReason;
  const flag = flags?.branches?.[branchId];
  return flag ? `管理员认定：${flag.reason}` : null;
}

/** Opens a weak branch's plan: an admin over the branch; the branch must be 软弱涣散 in that quarter. */
export async function createPlan(
  actor: SessionUser,
  branchId: string,
  q: Quarter,
  body: CreatePlanBody,
  now = new Date(),
) {
  const branch = await requireBranch(branchId);
  authorize(actor, 'zhengdun.manage', placed(branch));
  const today = dayKey(now);
  if (body.items.some((i) => i.deadline < today)) throw invalid('整顿期限不能早于今天');
  const countyId = countyIdOf(branch);
  const reason = await weakReason(countyId, branch._id, q);
  if (!reason) throw illegal(`${branch.name}在${quarterLabel(q)}不是软弱涣散支部，不能制定整顿方案`);
  const township = branch.path?.[1] ? await requireOrg(branch.path[1]).catch(() => null) : null;
  const by = await nameOf(actor.id);
  const items: PlanItemDoc[] = body.items.map((i, k) => ({
    ...i,
    n: k + 1,
    status: 'todo',
    progress: null,
    comment: null,
  }));
  const created = await plans.create({
    _id: planId(branch._id, q),
    branchId: branch._id,
    branchPath: branch.path ?? [],
    branchName: branch.name,
    townshipName: township?.name ?? '',
    countyId,
    quarter: q,
    reason,
    status: 'open',
    items,
    history: [{ at: now, by, action: '制定整顿方案', n: null, note: `${items.length}项` }],
    createdAt: now,
  });
  if (!created) throw new AppError('CONFLICT', `${branch.name}${quarterLabel(q)}已有整顿方案`);
  await planIndex().updateOne({ _id: countyId }, { $addToSet: { ids: planId(branch._id, q) } }, { upsert: true });
  await audit(actor, 'zhengdun.create', branch._id, { quarter: q, items: items.length });
  return planView((await plans.read(planId(branch._id, q)))!, today);
}

async function audit(actor: SessionUser, action: AuditAction, branchId: string, details: Record<string, unknown>) {
  await recordAudit({ actorId: actor.id, action, targetType: 'org', targetId: branchId, details });
}

/** Authorizes on the branch (so a stranger learns nothing of whether a plan exists), then reads the plan. */
async function loadFor(actor: SessionUser, action: Action, branchId: string, q: Quarter): Promise<PlanDoc> {
  const branch = await requireBranch(branchId);
  authorize(actor, action as 'zhengdun.view', placed(branch));
  const plan = await plans.read(planId(branch._id, q));
  if (!plan) throw notFound('整顿方案');
  return plan;
}

export async function getPlan(actor: SessionUser, branchId: string, q: Quarter, now = new Date()): Promise<Plan> {
  return planView(await loadFor(actor, 'zhengdun.view', branchId, q), dayKey(now));
}

type Decide = (p: PlanDoc) => Partial<PlanDoc>;

/** One move: authorize, then decide on the current plan under CAS (a lost race decides again on the new state). */
async function move(
  actor: SessionUser,
  action: Action,
  branchId: string,
  q: Quarter,
  audited: { action: AuditAction; words: string; n: number | null; note: string },
  decide: Decide,
  now: Date,
): Promise<Plan> {
  const plan = await loadFor(actor, action, branchId, q);
  const by = await nameOf(actor.id);
  try {
    const { after } = await plans.transition(plan._id, (p) => {
      if (!p) throw notFound('整顿方案');
      const set = decide(p);
      const entry = { at: now, by, action: audited.words, n: audited.n, note: audited.note };
      return { ...set, history: [...p.history, entry] };
    });
    await audit(actor, audited.action, branchId, { quarter: q, n: audited.n, note: audited.note, seq: after.seq });
    return planView(after, dayKey(now));
  } catch (err) {
    if (err instanceof CasConflict) throw new AppError('CONFLICT', '该整顿方案刚被他人处理，请刷新后重试');
    throw err;
  }
}

function openPlan(p: PlanDoc): void {
  if (p.status !== 'open') throw illegal(`该整顿方案${PLAN_STATUS_LABELS[p.status]}，不能再操作事项`);
}

function withItem(p: PlanDoc, n: number, change: (i: PlanItemDoc) => PlanItemDoc): PlanItemDoc[] {
  if (!p.items.some((i) => i.n === n)) throw notFound('整顿事项');
  return p.items.map((i) => (i.n === n ? change(i) : i));
}

/** The branch secretary reports progress on an item (not yet accepted, not waiting for acceptance). */
export function reportItem(
  a: SessionUser,
  branchId: string,
  q: Quarter,
  n: number,
  body: PlanProgressBody,
  now = new Date(),
) {
  const words = { action: 'zhengdun.report' as const, words: '报告整顿进展', n, note: body.text.slice(0, 100) };
  return move(
    a,
    'zhengdun.report',
    branchId,
    q,
    words,
    (p) => {
      openPlan(p);
      const items = withItem(p, n, (i) => {
        if (i.status !== 'todo' && i.status !== 'returned')
          throw illegal(`该事项${PLAN_ITEM_LABELS[i.status]}，不能再报告进展`);
        return { ...i, status: 'reported', progress: { ...body, at: now, by: a.id }, comment: null };
      });
      return { items };
    },
    now,
  );
}

/** An admin over the branch accepts or returns a reported item (a return needs a comment). */
export function decideItem(
  a: SessionUser,
  branchId: string,
  q: Quarter,
  n: number,
  accept: boolean,
  body: PlanDecisionBody,
  now = new Date(),
) {
  if (!accept && body.comment.length < 2) throw invalid('退回时请写明原因');
  const words = accept ? '验收事项' : '退回事项';
  return move(
    a,
    'zhengdun.manage',
    branchId,
    q,
    { action: accept ? 'zhengdun.item_accept' : 'zhengdun.item_return', words, n, note: body.comment },
    (p) => {
      openPlan(p);
      const items = withItem(p, n, (i) => {
        if (i.status !== 'reported')
          throw illegal(`该事项${PLAN_ITEM_LABELS[i.status]}，只有待验收的事项可以${accept ? '验收' : '退回'}`);
        return { ...i, status: accept ? 'accepted' : 'returned', comment: body.comment || null };
      });
      return { items };
    },
    now,
  );
}

/** The township accepts the whole plan once every item is accepted. */
export function acceptPlan(a: SessionUser, branchId: string, q: Quarter, body: PlanDecisionBody, now = new Date()) {
  return move(
    a,
    'zhengdun.manage',
    branchId,
    q,
    { action: 'zhengdun.accept', words: '整顿验收', n: null, note: body.comment },
    (p) => {
      openPlan(p);
      const left = p.items.filter((i) => i.status !== 'accepted').length;
      if (left > 0) throw illegal(`还有${left}项整顿事项未验收，不能验收整顿方案`);
      return { status: 'accepted' };
    },
    now,
  );
}

/** The county lifts (摘帽) an accepted plan. */
export function liftPlan(a: SessionUser, branchId: string, q: Quarter, body: PlanDecisionBody, now = new Date()) {
  return move(
    a,
    'zhengdun.lift',
    branchId,
    q,
    { action: 'zhengdun.lift', words: '摘帽', n: null, note: body.comment },
    (p) => {
      if (p.status !== 'accepted') throw illegal(`该整顿方案${PLAN_STATUS_LABELS[p.status]}，乡镇验收后才能摘帽`);
      return { status: 'lifted' };
    },
    now,
  );
}
