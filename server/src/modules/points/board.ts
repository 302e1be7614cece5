import { LIMITS } from '@pioneer/shared';
import { parseScopeKey, totalId } from './keys';
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

/**
 * A row as stored: one JSON string `[points, reachedAt ms, name, org name, avatar]`. FerretDB converts every field
 * of a document on each read and write; a 240-row board of objects cost 15 ms to read and 12 ms to update, of
 * strings 4 ms and 7 ms (measured on this machine). Rows written before this change are objects; both are read.
 */
type StoredRow = string;
type LegacyRow = Omit<BoardItem, 'u'>;

function parseRow(u: string, r: StoredRow | LegacyRow): BoardItem {
  if (typeof r !== 'string') return { u, n: r.n ?? '', a: r.a ?? '', o: r.o ?? '', p: r.p, t: new Date(r.t) };
  const [p, t, n, o, a] = JSON.parse(r) as [number, number, string, string, string];
  return { u, n, a, o, p, t: new Date(t) };
}

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
  const rows = (doc?.m ?? {}) as Record<string, StoredRow | LegacyRow>;
  const items = Object.entries(rows).map(([u, r]) => parseRow(u, r));
  items.sort(boardOrder);
  return { items, floor: typeof doc?.floor === 'number' ? doc.floor : null };
}

function storedRow(item: BoardItem): StoredRow {
  return JSON.stringify([item.p, new Date(item.t).getTime(), item.n, item.o, item.a]);
}

/**
 * Puts a member's new score on the board if it belongs there. `rank` (1 + members of the scope above the new score,
 * from the histogram the award just moved) lets most members skip the board entirely: below BOARD_CAPACITY they
 * cannot be on it, and a row of theirs left from a lower score sorts below every row shown. Otherwise one key read,
 * and one key write when the row belongs.
 */
export async function offerToBoard(key: string, item: BoardItem, rank?: number): Promise<void> {
  if (rank !== undefined && rank > BOARD_CAPACITY) return;
  const { items } = await readBoard(key);
  const present = items.some((i) => i.u === item.u);
  const last = items[items.length - 1];
  if (!present && items.length >= BOARD_MAX && last && boardOrder(item, last) > 0) return;
  await BoardModel.updateOne({ _id: key }, { $set: { [`m.${item.u}`]: storedRow(item) } }, { upsert: true });
  if (!present && items.length + 1 > BOARD_MAX) await trimBoard(key);
}

/** A member's new score offered to a board, with the scope's members in the period from the histogram just moved. */
export interface BoardOffer {
  key: string;
  item: BoardItem;
  rank?: number;
  members: number;
}

/**
 * offerToBoard for one award's boards. A board holds rows of counted members only, so on a board whose scope counts
 * no more than BOARD_MAX members (this one included) every row belongs and none is ever trimmed: those rows are
 * written without reading the boards, all in one engine command (a statement per board, each atomic on its
 * document). The other boards go through offerToBoard.
 */
export async function offerToBoards(offers: BoardOffer[]): Promise<void> {
  const reachable = offers.filter((o) => o.rank === undefined || o.rank <= BOARD_CAPACITY);
  const small = reachable.filter((o) => o.members <= BOARD_MAX);
  const writes = small.map((o) => ({
    updateOne: { filter: { _id: o.key }, update: { $set: { [`m.${o.item.u}`]: storedRow(o.item) } }, upsert: true },
  }));
  await Promise.all([
    writes.length > 0 ? BoardModel.bulkWrite(writes) : undefined,
    ...reachable.filter((o) => o.members > BOARD_MAX).map((o) => offerToBoard(o.key, o.item, o.rank)),
  ]);
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
  const { periodId, scopeId } = parseScopeKey(key);
  const kept = items[BOARD_CAPACITY - 1]!;
  for (const item of cut) {
    const total = await TotalModel.findById(totalId(periodId, scopeId, item.u)).lean();
    if (total && total.points > kept.p)
      await BoardModel.updateOne(
        { _id: key },
        { $set: { [`m.${item.u}`]: storedRow({ ...item, p: total.points, t: total.reachedAt }) } },
      );
  }
}

/**
 * Rebuilds a board from the totals. On FerretDB this scans the totals collection: a deliberate, rare repair
 * (when a board holds fewer rows above its floor than a page needs), never a per-request path.
 */
export async function rebuildBoard(
  key: string,
  rowFor: (userId: string) => Promise<Omit<BoardItem, 'p' | 't'>>,
): Promise<Board> {
  const { periodId, scopeId } = parseScopeKey(key);
  const found = await TotalModel.find({ periodId, scopeId })
    .sort({ points: -1, reachedAt: 1 })
    .limit(BOARD_CAPACITY + 1)
    .lean();
  const totals = found.slice(0, BOARD_CAPACITY);
  const floor = found.length > BOARD_CAPACITY ? found[BOARD_CAPACITY]!.points : null;
  const items = await Promise.all(
    totals.map(async (t) => ({ ...(await rowFor(t.userId)), p: t.points, t: new Date(t.reachedAt) })),
  );
  items.sort(boardOrder);
  const m = Object.fromEntries(items.map((i) => [i.u, storedRow(i)]));
  await BoardModel.updateOne({ _id: key }, { $set: { m, floor } }, { upsert: true });
  return { items, floor };
}

export { storedRow };
