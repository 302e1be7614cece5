import { LIMITS } from '@pioneer/shared';
import { sharedValue } from '../../db/shared-view';
import { BoardModel, MemberTotalsModel } from './points.model';

/** What a board keeps per member: enough to show the row without reading the member. */
export interface BoardItem {
  u: string;
  n: string;
  a: string;
  o: string;
  p: number;
  t: Date;
  /** The member's award sequence when the row was made (`v` of their totals document): the newest row wins. */
  s: number;
}

/**
 * A row as stored: the member's award sequence in 12 digits, then one JSON string `[points, reachedAt ms, name,
 * org name, avatar]`. Every write of a row is a `$max`, so of two awards to one member whose board writes land out
 * of order the later award's row stays (a lowered score too: its sequence is higher). FerretDB converts every field
 * of a document on each read and write; a 240-row board of objects cost 15 ms to read and 12 ms to update, of
 * strings 4 ms and 7 ms (measured on this machine). Boards stored before issue 17 are rewritten by the
 * `points:rebuild` its storage change needs.
 */
type StoredRow = string;
const SEQ_DIGITS = 12;

function parseRow(u: string, r: StoredRow): BoardItem {
  const [p, t, n, o, a] = JSON.parse(r.slice(SEQ_DIGITS)) as [number, number, string, string, string];
  return { u, n, a, o, p, t: new Date(t), s: Number(r.slice(0, SEQ_DIGITS)) };
}

/** The update that puts a row on a board unless a newer one of the member's is there. */
export function rowUpdate(item: BoardItem) {
  return { $max: { [`m.${item.u}`]: storedRow(item) } };
}

/** Served at most: the longest page, and a margin. */
export const BOARD_CAPACITY = LIMITS.boardSize + 20;
/**
 * A scope of at most this many members has every member's row on its boards, written without a read and never
 * trimmed (a board holds counted members only).
 */
const SMALL_SCOPE = BOARD_CAPACITY * 2;
/**
 * A larger scope's board is trimmed back to BOARD_CAPACITY rows once it holds TRIM_STEP more, and one trim cuts at
 * most MAX_CUT rows (a board that outgrew SMALL_SCOPE is cut down over a few awards). Each cut row costs a key read
 * (trimBoard), so this bounds an award's commands: a step of 24 costs what one of 120 did per row, never 120 at once
 * (issue 17: 1 award in ~240 sent ~405 commands).
 */
const TRIM_STEP = 24;
const TRIM_AT = BOARD_CAPACITY + TRIM_STEP;
const MAX_CUT = TRIM_STEP;

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
  const items = Object.entries(rows).map(([u, r]) => parseRow(u, r));
  items.sort(boardOrder);
  return { items, floor: typeof doc?.floor === 'number' ? doc.floor : null };
}

/**
 * Boards as this process last read them, for the leaderboards' reads (a shared view: at most the bound old, and the
 * reply says `asOf`). A row this process writes is put on the view it holds at once (`onHeldView`), so its own
 * awards are never missing from its boards; another process's land within the bound.
 */
const boardViews = sharedValue(readBoard);

/** A rebuild rewrote every board: read them again. */
export function forgetBoardViews(): void {
  boardViews.clear();
}

/** A board for reading, from the view held here, and when it was read. */
export function boardView(key: string): Promise<{ value: Board; asOf: Date }> {
  return boardViews.read(key);
}

/** A row just written to a board, put on the view this process holds of it (the same rule as the `$max`). */
function onHeldView(item: BoardItem, key: string): void {
  void boardViews.held(key)?.then((board) => {
    const at = board.items.findIndex((i) => i.u === item.u);
    if (at >= 0 && board.items[at]!.s >= item.s) return;
    if (at >= 0) board.items.splice(at, 1);
    board.items.push(item);
    board.items.sort(boardOrder);
  });
}

function storedRow(item: BoardItem): StoredRow {
  const seq = String(item.s).padStart(SEQ_DIGITS, '0');
  return seq + JSON.stringify([item.p, new Date(item.t).getTime(), item.n, item.o, item.a]);
}

/**
 * Puts a member's new score on the board if it belongs there. `rank` (1 + members of the scope above the new score,
 * from the histogram the award just moved) lets most members skip the board entirely: below BOARD_CAPACITY they
 * cannot be on it, and a row of theirs left from a lower score sorts below every row shown. Otherwise one key read,
 * and one key write when the row belongs.
 */
export async function offerToBoard(
  key: string,
  item: BoardItem,
  rank?: number,
  budget: { trims: number } = { trims: 1 },
): Promise<void> {
  if (rank !== undefined && rank > BOARD_CAPACITY) return;
  // The board as this process holds it (its own rows on it at once, another's within the bound), else read now
  // and held: a board's rows are only ever added or raised (the $max) and trims read the board fresh, so deciding
  // on a held view at worst writes a row a later trim cuts, or leaves one out past the served rows.
  const { items } = await (boardViews.held(key) ?? boardViews.get(key));
  const present = items.some((i) => i.u === item.u);
  const size = items.length;
  const last = items[size - 1];
  if (!present && size >= TRIM_AT && last && boardOrder(item, last) > 0) return;
  await BoardModel.updateOne({ _id: key }, rowUpdate(item), { upsert: true });
  onHeldView(item, key);
  // One trim per award (its boards share the budget): an award reaching 16 big boards at once trims one, the
  // others on the awards after it (a board a little past TRIM_AT meanwhile).
  if (!present && size + 1 > TRIM_AT && budget.trims > 0) {
    budget.trims -= 1;
    await trimBoard(key);
  }
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
 * no more than SMALL_SCOPE members (this one included) every row belongs and none is ever trimmed: those rows are
 * written without reading the boards, all in one engine command (a statement per board, each atomic on its
 * document). The other boards go through offerToBoard.
 */
export async function offerToBoards(offers: BoardOffer[]): Promise<void> {
  const reachable = offers.filter((o) => o.rank === undefined || o.rank <= BOARD_CAPACITY);
  const small = reachable.filter((o) => o.members <= SMALL_SCOPE);
  const budget = { trims: 1 };
  const writes = small.map((o) => ({
    updateOne: { filter: { _id: o.key }, update: rowUpdate(o.item), upsert: true },
  }));
  await Promise.all([
    writes.length > 0
      ? BoardModel.bulkWrite(writes).then(() => small.forEach((o) => onHeldView(o.item, o.key)))
      : undefined,
    ...reachable.filter((o) => o.members > SMALL_SCOPE).map((o) => offerToBoard(o.key, o.item, o.rank, budget)),
  ]);
}

/**
 * Cuts a board back toward BOARD_CAPACITY rows, its lowest MAX_CUT at most. A member trimmed while their score rose
 * is put back from their total (a key read each, in parallel), so a concurrent award never drops someone who belongs
 * on the board.
 */
async function trimBoard(key: string): Promise<void> {
  const { items } = await readBoard(key);
  const cut = items.slice(Math.max(BOARD_CAPACITY, items.length - MAX_CUT));
  if (cut.length === 0) return;
  const unset = Object.fromEntries(cut.map((i) => [`m.${i.u}`, 1]));
  await BoardModel.updateOne({ _id: key }, { $unset: unset, $max: { floor: cut[0]!.p } });
  boardViews.forget(key);
  const kept = items[items.length - cut.length - 1]!;
  await Promise.all(
    cut.map(async (item) => {
      const total = await memberTotal(item.u, key);
      if (total && total.points > kept.p)
        await BoardModel.updateOne(
          { _id: key },
          rowUpdate({ ...item, p: total.points, t: total.reachedAt, s: total.seq }),
        );
    }),
  );
}

/** A member's total in `${periodId}|${scopeId}` (a key read of their document), or null when they have none. */
export async function memberTotal(
  userId: string,
  key: string,
): Promise<{ points: number; reachedAt: Date; seq: number } | null> {
  const doc = await MemberTotalsModel.findById(userId, { [`t.${key}`]: 1, [`r.${key}`]: 1, v: 1 }).lean<{
    t?: Record<string, number>;
    r?: Record<string, number>;
    v?: number;
  }>();
  const points = doc?.t?.[key];
  return points === undefined ? null : { points, reachedAt: new Date(doc?.r?.[key] ?? 0), seq: doc?.v ?? 0 };
}

/**
 * Rebuilds a board from the members' totals. On FerretDB this scans every member's totals document: a deliberate, rare repair
 * (when a board holds fewer rows above its floor than a page needs), never a per-request path.
 */
export async function rebuildBoard(
  key: string,
  rowFor: (userId: string) => Promise<Omit<BoardItem, 'p' | 't' | 's'>>,
): Promise<Board> {
  const found = (
    await MemberTotalsModel.find({ [`t.${key}`]: { $exists: true } }, { [`t.${key}`]: 1, [`r.${key}`]: 1, v: 1 }).lean<
      { _id: string; t: Record<string, number>; r?: Record<string, number>; v?: number }[]
    >()
  )
    .map((d) => ({ userId: d._id, points: d.t[key]!, reachedAt: d.r?.[key] ?? 0, seq: d.v ?? 0 }))
    .sort((a, b) => b.points - a.points || a.reachedAt - b.reachedAt || (a.userId < b.userId ? -1 : 1));
  const totals = found.slice(0, BOARD_CAPACITY);
  const floor = found.length > BOARD_CAPACITY ? found[BOARD_CAPACITY]!.points : null;
  const items = await Promise.all(
    totals.map(async (t) => ({ ...(await rowFor(t.userId)), p: t.points, t: new Date(t.reachedAt), s: t.seq })),
  );
  items.sort(boardOrder);
  const m = Object.fromEntries(items.map((i) => [i.u, storedRow(i)]));
  await BoardModel.updateOne({ _id: key }, { $set: { m, floor } }, { upsert: true });
  boardViews.forget(key);
  return { items, floor };
}

export { storedRow };
