import { LIMITS } from '@pioneer/shared';
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

type StoredRow = Omit<BoardItem, 'u'>;

/** Served at most: the longest page. The board keeps twice as many members, then trims back to this. */
export const BOARD_CAPACITY = LIMITS.boardSize + 20;
const BOARD_MAX = BOARD_CAPACITY * 2;

export function boardOrder(a: BoardItem, b: BoardItem): number {
  return b.p - a.p || a.t.getTime() - b.t.getTime() || (a.u < b.u ? -1 : a.u > b.u ? 1 : 0);
}

export interface Board {
  items: BoardItem[];
  /** The best score trimmed off the board; rows at or below it may be missing members. */
  floor: number | null;
}

/**
 * A board is one document per (period, scope): `m.<userId>` -> row. Each member's row is written with a `$set`
 * on the board's `_id` (atomic on every engine, no compare-and-swap to contend on), sorted on read.
 */
export async function readBoard(key: string): Promise<Board> {
  const doc = await BoardModel.findById(key).lean();
  const rows = (doc?.m ?? {}) as Record<string, StoredRow>;
  const items = Object.entries(rows).map(([u, r]) => ({ u, n: r.n ?? '', a: r.a ?? '', o: r.o ?? '', p: r.p, t: new Date(r.t) }));
  items.sort(boardOrder);
  return { items, floor: typeof doc?.floor === 'number' ? doc.floor : null };
}

function storedRow(item: BoardItem): StoredRow {
  return { n: item.n, a: item.a, o: item.o, p: item.p, t: item.t };
}

/** Puts a member's new score on the board if it belongs there: one key read for most members, one key write else. */
export async function offerToBoard(key: string, item: BoardItem): Promise<void> {
  const { items } = await readBoard(key);
  const present = items.some((i) => i.u === item.u);
  const last = items[items.length - 1];
  if (!present && items.length >= BOARD_MAX && last && boardOrder(item, last) > 0) return;
  await BoardModel.updateOne({ _id: key }, { $set: { [`m.${item.u}`]: storedRow(item) } }, { upsert: true });
  if (!present && items.length + 1 > BOARD_MAX) await trimBoard(key);
}

/**
 * Cuts a board back to BOARD_CAPACITY rows. A member trimmed while their score rose is put back from their total
 * (a key read each), so a concurrent award never drops someone who belongs on the board.
 */
async function trimBoard(key: string): Promise<void> {
  const { items } = await readBoard(key);
  const cut = items.slice(BOARD_CAPACITY);
  if (cut.length === 0) return;
  const unset = Object.fromEntries(cut.map((i) => [`m.${i.u}`, 1]));
  await BoardModel.updateOne({ _id: key }, { $unset: unset, $max: { floor: cut[0]!.p } });
  const [periodId, scopeId] = key.split('|') as [string, string];
  const kept = items[BOARD_CAPACITY - 1]!;
  for (const item of cut) {
    const total = await TotalModel.findById(`${periodId}|${scopeId}|${item.u}`).lean();
    if (total && total.points > kept.p) await BoardModel.updateOne({ _id: key }, { $set: { [`m.${item.u}`]: storedRow({ ...item, p: total.points, t: total.reachedAt }) } });
  }
}

/**
 * Rebuilds a board from the totals. On FerretDB this scans the totals collection: a deliberate, rare repair
 * (when a board holds fewer rows above its floor than a page needs), never a per-request path.
 */
export async function rebuildBoard(key: string, rowFor: (userId: string) => Promise<Omit<BoardItem, 'p' | 't'>>): Promise<Board> {
  const [periodId, scopeId] = key.split('|') as [string, string];
  const found = await TotalModel.find({ periodId, scopeId }).sort({ points: -1, reachedAt: 1 }).limit(BOARD_CAPACITY + 1).lean();
  const totals = found.slice(0, BOARD_CAPACITY);
  const floor = found.length > BOARD_CAPACITY ? found[BOARD_CAPACITY]!.points : null;
  const items = await Promise.all(totals.map(async (t) => ({ ...(await rowFor(t.userId)), p: t.points, t: new Date(t.reachedAt) })));
  items.sort(boardOrder);
  const m = Object.fromEntries(items.map((i) => [i.u, storedRow(i)]));
  await BoardModel.updateOne({ _id: key }, { $set: { m, floor } }, { upsert: true });
  return { items, floor };
}

export { storedRow };
