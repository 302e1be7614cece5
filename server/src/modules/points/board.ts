import { LIMITS } from '@pioneer/shared';
import { sharedValue } from '../../db/shared-view';
import { forgetFloors, raiseFloor, setFloor } from './board-floors';
import { boardOrder, parseRow, storedRow, type Board, type BoardItem, type StoredRow } from './board-rows';
import {
  pathsIn,
  readStoredBoard,
  rowBlock,
  rowsIn,
  rowUpdate,
  wholeBoardStatements,
  type BoardDoc,
  type StoredBoard,
} from './board-blocks';
import { boardRowStatements, type BoardOffer } from './board-statements';
export type { BoardOffer } from './board-statements';
import { BoardModel, MemberTotalsModel } from './points.model';
import { scopeWritesLanded } from './scope-writes';

// A board's rows (board-rows.ts) and the counties' floors (board-floors.ts) are their own files; what the rest of
// points imported from here still comes from here.
export { boardOrder, storedRow, type Board, type BoardItem } from './board-rows';
export { rowUpdate } from './board-blocks';
export { boardFloors, reachesBoard, writeFloors } from './board-floors';

/** Served at most: the longest page, and a margin. */
export const BOARD_CAPACITY = LIMITS.boardSize + 20;
/**
 * A board is trimmed back to BOARD_CAPACITY rows once it holds up to TRIM_STEP more, and one trim cuts at most
 * MAX_CUT rows (a board far past it is cut down over a few awards). A trim is a read of the board and a write to each
 * block it cuts from (trimBoard), whatever the rows it cuts: with blocks a longer step costs little per row written
 * (a block holds an eighth of the board), and a trim and its read come a third as often as at 24 (session 9).
 */
const TRIM_STEP = 72;
export const TRIM_AT = BOARD_CAPACITY + TRIM_STEP;
const MAX_CUT = TRIM_STEP;

/**
 * A board is a few block documents per (period, scope) (board-blocks.ts): `m.<userId>` -> row. Each member's row is
 * written with a `$max` on its block's `_id` (atomic on every engine, no compare-and-swap to contend on), sorted on
 * read.
 */
export async function readBoard(key: string): Promise<Board> {
  return boardOf(await readStoredBoard(key));
}

function boardOf({ rows, floor }: StoredBoard): Board {
  const items = [...rows].map(([u, r]) => parseRow(u, r.row));
  items.sort(boardOrder);
  return { items, floor };
}

/**
 * Boards as this process last read them, for the leaderboards' reads (a shared view: at most the bound old, and the
 * reply says `asOf`). A row this process writes is put on the view it holds at once (`onHeldView`), so its own
 * awards are never missing from its boards; another process's land within the bound.
 */
const boardViews = sharedValue(async (key: string) => {
  await scopeWritesLanded(); // its awards' rows are on the view held now: the one read in its place must hold them
  return readBoard(key);
});

/** A rebuild rewrote every board: read them again (and their floors, and count their rows from a read). */
export function forgetBoardViews(): void {
  boardViews.clear();
  forgetFloors();
  room.clear();
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

/**
 * Puts a member's new score on one board if it belongs there (the crash repair's way, row by row): one key read
 * (or the view held here), and one key write when the row belongs.
 */
export async function offerToBoard(key: string, item: BoardItem): Promise<void> {
  // The board as this process holds it (its own rows on it at once, another's within the bound), else read now
  // and held: a board's rows are only ever added or raised (the $max) and trims read the board fresh, so deciding
  // on a held view at worst writes a row a later trim cuts, or leaves one out past the served rows.
  const { items } = await (boardViews.held(key) ?? boardViews.get(key));
  const present = items.some((i) => i.u === item.u);
  const size = items.length;
  const last = items[size - 1];
  if (!present && size >= TRIM_AT && last && boardOrder(item, last) > 0) return;
  await BoardModel.collection.updateOne({ _id: rowBlock(key, item.u) as never }, rowUpdate(key, item), {
    upsert: true,
  });
  onHeldView(item, key);
  if (!present && size + 1 > TRIM_AT) await trimBoard(key);
}

/**
 * Rows this process may still write to a board before it reads the board again to trim it: it writes without
 * reading, so it counts. Unknown (not read yet): TRIM_STEP. Bounded like a shared view (the oldest key is dropped).
 */
const room = new Map<string, number>();
const ROOM_KEYS = 20_000;

/** One row more on the board; true when its room is spent (time to read and trim it). */
function spend(key: string): boolean {
  const left = (room.get(key) ?? TRIM_STEP) - 1;
  room.delete(key);
  if (room.size >= ROOM_KEYS) room.delete(room.keys().next().value as string);
  room.set(key, left);
  return left <= 0;
}

/**
 * An award's rows on the boards it reaches (see reachesBoard), as statements of the award's one bulk write (boards
 * share the scopes' collection: apply.ts moveInScopes), none read first: one per scope reached (board-statements.ts).
 */
export const boardStatements = (offers: BoardOffer[]) => boardRowStatements(offers);

/** An award's rows put on the views held here at once, before their write lands (this process's boards show them). */
export function rowsOnHeldBoards(offers: BoardOffer[]): void {
  offers.forEach((o) => onHeldView(o.item, o.key));
}

/**
 * After an award's rows are written: at most one board whose room is spent is read, trimmed back to BOARD_CAPACITY if
 * it holds more, and its floor raised on the county's document (the others on the awards after it): a board grows by
 * at most TRIM_STEP rows per process between trims.
 */
export async function boardsWritten(countyId: string | undefined, offers: BoardOffer[]): Promise<void> {
  // The most overdue first: an award's boards fill together, and each is read in turn.
  const due = offers.filter((o) => spend(o.key)).sort((a, b) => room.get(a.key)! - room.get(b.key)!)[0];
  if (!due) return;
  room.set(due.key, TRIM_STEP); // taken: concurrent awards read the others meanwhile (a failed read: again later)
  await checkBoard(due.key, countyId);
}

/** Reads a board whose room is spent: trims it if it holds more than BOARD_CAPACITY rows, and records its floor. */
async function checkBoard(key: string, countyId: string | undefined): Promise<void> {
  const { size, floor } = await trimBoard(key);
  room.set(key, Math.max(1, TRIM_AT - size));
  if (countyId && floor !== null) await raiseFloor(countyId, key, floor);
}

/**
 * Cuts a board back toward BOARD_CAPACITY rows, its lowest MAX_CUT at most, with a `findOneAndUpdate` on each
 * document holding a cut row (a block, or the board's document of the layout before blocks), whose before-image shows
 * each cut row as it was when cut: a member whose row a concurrent award raised between the read and the cut (a
 * higher sequence) is put back with that row when it is above the new floor, in one more write. The floor goes on
 * each document cut from (a read takes the highest). Returns the rows it keeps and its floor.
 */
export async function trimBoard(
  key: string,
  /** Tests only: work done between the read and the cut (a concurrent award's row). */
  between?: () => Promise<void>,
): Promise<{ size: number; floor: number | null }> {
  const stored = await readStoredBoard(key);
  const { items, floor } = boardOf(stored);
  await between?.();
  const cut = items.slice(Math.max(BOARD_CAPACITY, items.length - MAX_CUT));
  if (cut.length === 0) return { size: items.length, floor };
  const newFloor = cut[0]!.p;
  const befores = await cutRows(key, stored, cut, newFloor);
  boardViews.forget(key);
  const rowsCut = (u: string) =>
    befores.flatMap((b) => {
      const row = rowsIn(b, key)[u];
      return row === undefined ? [] : [parseRow(u, row)];
    });
  const raised = cut
    .map((item) => ({ item, now: rowsCut(item.u).sort((x, y) => y.s - x.s)[0] }))
    .filter(({ item, now }) => now !== undefined && now.s > item.s && now.p > newFloor); // above the floor: every row is there
  if (raised.length > 0)
    await BoardModel.collection.bulkWrite(
      raised.map(({ now }) => ({
        updateOne: { filter: { _id: rowBlock(key, now!.u) as never }, update: rowUpdate(key, now!), upsert: true },
      })),
      { ordered: false },
    );
  return { size: items.length - cut.length + raised.length, floor: Math.max(floor ?? -Infinity, newFloor) };
}

/**
 * The cut rows removed from each document holding one (`$unset` of their paths in its layout, the floor raised there),
 * returning each document as it was when cut.
 */
function cutRows(key: string, stored: StoredBoard, cut: BoardItem[], floor: number): Promise<(BoardDoc | null)[]> {
  const byDoc = new Map<string, string[]>();
  for (const { u } of cut)
    for (const doc of stored.rows.get(u)!.docs) (byDoc.get(doc) ?? byDoc.set(doc, []).get(doc)!).push(u);
  return Promise.all(
    [...byDoc].map(([doc, us]) => {
      const at = pathsIn(doc, key);
      return BoardModel.collection.findOneAndUpdate(
        { _id: doc as never },
        { $unset: Object.fromEntries(us.map((u) => [`${at.rows}.${u}`, 1])), $max: { [at.floor]: floor } },
        { returnDocument: 'before' }, // the whole document: the engine's findAndModify takes no projection
      ) as Promise<BoardDoc | null>;
    }),
  );
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
  const rows = items.map((i): [string, StoredRow] => [i.u, storedRow(i)]);
  await BoardModel.collection.bulkWrite(wholeBoardStatements(key, rows, floor) as never[], { ordered: true });
  boardViews.forget(key);
  await setFloor(key, floor);
  return { items, floor };
}
