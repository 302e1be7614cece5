import type {
  CreateRectifyBody,
  RectifyDoneBody,
  RectifyItem,
  RectifyLevel,
  RectifyQueueItem,
  RectifyStatus,
} from '@pioneer/shared';
import { casStore, CasConflict, type CasDoc } from '../../db/cas';
import { AppError, forbidden, invalid, notFound } from '../../http/errors';
import type { SessionUser } from '../../http/types';
import { authorize, runsOrg, secretaryBranchOf } from '../../policy';
import { UserModel, type UserDoc } from '../users/users.model';
import { currentYear } from '../commitments/commitments.service';
import { ReviewDocModel } from './reviews.model';
import { branchPlaced } from './reviews.service';
import { dequeueClosed, enqueueForClosing, trackOpen, untrackOpen } from './rectify-queue';

/**
 * 问题清单 -> 整改清单 (issue 21 item 1). An item is `${branchId}|${year}|${n}` (n from one `$inc` on the list doc
 * `rectify|${branchId}|${year}`, which also lists the items); its moves 待整改 -> 已整改 -> 已销号 go through the
 * compare-and-swap store, so two racing moves give one and every other move is refused.
 */
interface ItemDoc extends CasDoc {
  branchId: string;
  year: number;
  n: number;
  text: string;
  level: RectifyLevel;
  owner: { id: string; name: string } | null;
  deadline: Date;
  status: RectifyStatus;
  evidence: string | null;
  doneAt: Date | null;
  closedBy: string | null;
  closedAt: Date | null;
  createdBy: string;
}
const items = casStore<ItemDoc>('rectify_items');
const itemKey = (branchId: string, year: number, n: number) => `${branchId}|${year}|${n}`;
const listKey = (branchId: string, year: number) => `rectify|${branchId}|${year}`;
const illegal = (message: string) => new AppError('ILLEGAL_TRANSITION', message);

function view(d: ItemDoc, now = new Date()): RectifyItem {
  return {
    n: d.n,
    text: d.text,
    level: d.level,
    owner: d.owner,
    deadline: new Date(d.deadline).toISOString(),
    status: d.status,
    overdue: d.status === 'open' && new Date(d.deadline).getTime() < now.getTime(),
    evidence: d.evidence,
  };
}

/** Who may read a branch's list: its members and who runs it. */
function canRead(actor: SessionUser, branch: { _id: string; path: readonly string[] }): boolean {
  return actor.orgId === branch._id || runsOrg(actor, branch);
}

export async function createItem(actor: SessionUser, body: CreateRectifyBody, now = new Date()): Promise<RectifyItem> {
  const branchId = body.org ?? secretaryBranchOf(actor);
  if (!branchId) throw invalid('请选择支部');
  const branch = await branchPlaced(branchId);
  authorize(actor, 'review.manage', branch);
  let owner: { id: string; name: string } | null = null;
  if (body.level === 'member') {
    const user = await UserModel.findById(body.ownerId).lean<UserDoc>();
    if (!user || user.orgId !== branchId) throw invalid('责任人必须是本支部党员');
    owner = { id: user._id, name: user.name };
  }
  const list = await ReviewDocModel.findOneAndUpdate(
    { _id: listKey(branchId, body.year) },
    { $inc: { value: 1 } },
    { returnDocument: 'after', upsert: true },
  ).lean<{ value: number }>();
  const n = list!.value;
  const doc = {
    _id: itemKey(branchId, body.year, n),
    branchId,
    year: body.year,
    n,
    text: body.text,
    level: body.level,
    owner,
    deadline: body.deadline,
    status: 'open' as const,
    evidence: null,
    doneAt: null,
    closedBy: null,
    closedAt: null,
    createdBy: actor.id,
  };
  await items.create(doc);
  const created = view({ ...doc, seq: 0 }, now);
  await trackOpen(branch, body.year, created);
  return created;
}

export async function listItems(
  actor: SessionUser,
  branchId: string,
  year: number,
  now = new Date(),
): Promise<{ items: RectifyItem[] }> {
  const branch = await branchPlaced(branchId);
  if (!canRead(actor, branch)) throw forbidden('只能查看本支部的整改清单');
  const list = await ReviewDocModel.findById(listKey(branchId, year)).lean<{ value?: number | null }>();
  const count = Math.min(list?.value ?? 0, 500);
  const docs = await Promise.all(Array.from({ length: count }, (_, i) => items.read(itemKey(branchId, year, i + 1))));
  return { items: docs.filter((d): d is ItemDoc => d !== null).map((d) => view(d, now)) };
}

/** One move under the CAS store: `decide` sees the current item and refuses illegal moves. */
async function move(id: string, decide: (d: ItemDoc) => Partial<ItemDoc>): Promise<RectifyItem> {
  try {
    const { after } = await items.transition(id, (d) => {
      if (!d) throw notFound('整改事项');
      return decide(d);
    });
    return view(after);
  } catch (err) {
    if (err instanceof CasConflict) throw new AppError('CONFLICT', '该事项刚被他人处理，请刷新');
    throw err;
  }
}

export async function reportDone(
  actor: SessionUser,
  branchId: string,
  year: number,
  n: number,
  body: RectifyDoneBody,
  now = new Date(),
): Promise<RectifyItem> {
  const branch = await branchPlaced(branchId);
  if (!canRead(actor, branch)) throw forbidden('只能处理本支部的整改事项');
  const item = await move(itemKey(branchId, year, n), (d) => {
    authorize(actor, 'rectify.report', { branch, level: d.level, ownerId: d.owner?.id ?? null });
    if (d.status !== 'open') throw illegal(`该事项${d.status === 'done' ? '已提交整改情况' : '已销号'}，不能再提交`);
    return { status: 'done', evidence: body.evidence, doneAt: now };
  });
  // No longer open (off the overdue lists above); a branch's own item now waits for the township's 销号.
  await untrackOpen(branch, year, n);
  if (item.level === 'branch') await enqueueForClosing(branch, year, item);
  return item;
}

export async function closeItem(
  actor: SessionUser,
  branchId: string,
  year: number,
  n: number,
  now = new Date(),
): Promise<RectifyItem> {
  const branch = await branchPlaced(branchId);
  if (!runsOrg(actor, branch)) throw forbidden('只有支部书记或上级党组织可以销号');
  const item = await move(itemKey(branchId, year, n), (d) => {
    authorize(actor, 'rectify.close', { branch, level: d.level, ownerId: d.owner?.id ?? null });
    if (d.status === 'open') throw illegal('尚未提交整改情况，不能销号');
    if (d.status === 'closed') throw illegal('该事项已销号');
    return { status: 'closed', closedBy: actor.id, closedAt: now };
  });
  if (item.level === 'branch') await dequeueClosed(branch, year, n);
  return item;
}

/** The secretary's page: open items past their deadline, this year's and last year's (key reads). */
export async function overdueItems(
  actor: SessionUser,
  org: string | undefined,
  now = new Date(),
): Promise<RectifyQueueItem[]> {
  const branchId = org ?? secretaryBranchOf(actor);
  if (!branchId) throw invalid('请选择支部');
  const branch = await branchPlaced(branchId);
  authorize(actor, 'review.manage', branch);
  const year = currentYear(now);
  const out: RectifyQueueItem[] = [];
  for (const y of [year - 1, year]) {
    const { items: list } = await listItems(actor, branchId, y, now);
    for (const item of list) if (item.overdue) out.push({ branchId, branchName: branch.name, year: y, item });
  }
  return out;
}
