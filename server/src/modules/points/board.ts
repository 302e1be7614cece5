import { LIMITS } from '@pioneer/shared';
import { isDuplicateKey } from '../../db/connect';
import { BoardModel, TotalModel } from './points.model';

/** What a board keeps per member: enough to show the row without reading the member. */
export interface BoardItem {
  u: string;
  n: string;
  a: string;
  o: string;
  p: number;
  t: Date;
}

/** Kept longer than the longest page so members hidden from public boards can be skipped and a page still fills. */
export const BOARD_CAPACITY = LIMITS.boardSize + 20;

export function boardOrder(a: BoardItem, b: BoardItem): number {
  return b.p - a.p || a.t.getTime() - b.t.getTime() || (a.u < b.u ? -1 : a.u > b.u ? 1 : 0);
}

interface Board {
  v: number;
  items: BoardItem[];
}

export async function readBoard(key: string): Promise<Board> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const pointer = await BoardModel.findById(key).lean();
    const v = pointer?.v ?? 0;
    if (v === 0) return { v: 0, items: [] };
    const doc = await BoardModel.findById(`${key}|v${v}`).lean();
    if (doc?.items) return { v, items: doc.items.map((i) => ({ u: i.u!, n: i.n ?? '', a: i.a ?? '', o: i.o ?? '', p: i.p!, t: new Date(i.t!) })) };
  }
  return { v: 0, items: [] };
}

/**
 * Writes version v+1 of a board. Inserting the version's `_id` is the compare-and-swap: a duplicate means another
 * writer got there first (the pointer is helped forward in case that writer stopped halfway) and the caller retries.
 */
async function commitBoard(key: string, v: number, items: BoardItem[]): Promise<boolean> {
  try {
    await BoardModel.create({ _id: `${key}|v${v + 1}`, v: v + 1, items });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    await BoardModel.updateOne({ _id: key }, { $max: { v: v + 1 } }, { upsert: true });
    return false;
  }
  await BoardModel.updateOne({ _id: key }, { $max: { v: v + 1 } }, { upsert: true });
  if (v > 1) await BoardModel.deleteOne({ _id: `${key}|v${v - 1}` });
  return true;
}

function sameRow(a: BoardItem, b: BoardItem): boolean {
  return a.p === b.p && a.t.getTime() === b.t.getTime() && a.n === b.n && a.o === b.o && a.a === b.a;
}

/** Puts a member's new score on the board if it belongs there; a no-op (one read) for most members. */
export async function offerToBoard(key: string, item: BoardItem): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const { v, items } = await readBoard(key);
    const index = items.findIndex((i) => i.u === item.u);
    const full = items.length >= BOARD_CAPACITY;
    const last = items[items.length - 1];
    if (index === -1 && full && last && boardOrder(item, last) > 0) return;
    if (index !== -1 && sameRow(items[index]!, item)) return;
    const next = items.filter((i) => i.u !== item.u);
    next.push(item);
    next.sort(boardOrder);
    // A member who fell to the bottom of a full board may now rank below someone off it: leave them off, and
    // the read side rebuilds the board from totals when it holds fewer rows than the scope has members.
    if (index !== -1 && full && next[next.length - 1]!.u === item.u && item.p < items[index]!.p) next.pop();
    if (await commitBoard(key, v, next.slice(0, BOARD_CAPACITY))) return;
  }
  throw new Error(`board ${key} is too contended`);
}

/**
 * Rebuilds a board from the totals. On FerretDB this scans the totals collection: a deliberate, rare repair
 * (after a member drops off a full board, or after reconciliation), never a per-request path.
 */
export async function rebuildBoard(key: string, rowFor: (userId: string) => Promise<Omit<BoardItem, 'p' | 't'>>): Promise<BoardItem[]> {
  const [periodId, scopeId] = key.split('|') as [string, string];
  const totals = await TotalModel.find({ periodId, scopeId }).sort({ points: -1, reachedAt: 1 }).limit(BOARD_CAPACITY).lean();
  const items = await Promise.all(totals.map(async (t) => ({ ...(await rowFor(t.userId)), p: t.points, t: new Date(t.reachedAt) })));
  items.sort(boardOrder);
  for (let attempt = 0; attempt < 50; attempt++) {
    const { v } = await readBoard(key);
    if (await commitBoard(key, v, items)) return items;
  }
  throw new Error(`board ${key} is too contended`);
}
