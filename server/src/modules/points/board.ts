import { LIMITS, periodIds } from '@pioneer/shared';
import { sharedValue, WRITE_SIDE_BOUNDS } from '../../db/shared-view';
import { OrgModel } from '../orgs/orgs.model';
import { floorsId, parseScopeKey } from './keys';
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
 * A board is trimmed back to BOARD_CAPACITY rows once it holds up to TRIM_STEP more, and one trim cuts at most
 * MAX_CUT rows (a board far past it is cut down over a few awards). Each cut row costs a key read
 * (trimBoard), so this bounds an award's commands: a step of 24 costs what one of 120 did per row, never 120 at once
 * (issue 17: 1 award in ~240 sent ~405 commands).
 */
const TRIM_STEP = 24;
export const TRIM_AT = BOARD_CAPACITY + TRIM_STEP;
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

/** A rebuild rewrote every board: read them again (and their floors, and count their rows from a read). */
export function forgetBoardViews(): void {
  boardViews.clear();
  countyFloors.clear();
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

function storedRow(item: BoardItem): StoredRow {
  const seq = String(item.s).padStart(SEQ_DIGITS, '0');
  return seq + JSON.stringify([item.p, new Date(item.t).getTime(), item.n, item.o, item.a]);
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
  await BoardModel.updateOne({ _id: key }, rowUpdate(item), { upsert: true });
  onHeldView(item, key);
  if (!present && size + 1 > TRIM_AT) await trimBoard(key);
}

/** A member's new row offered to the board `key` by an award. */
export interface BoardOffer {
  key: string;
  item: BoardItem;
}

/**
 * `f.<periodId>.<scopeId>` -> that board's floor, for every trimmed board of a county, in one document by key
 * (`floors|<countyId>`): what an award needs to know which boards it reaches, without a read per scope (issue 17: a
 * scope's histogram, read cold, cost a command per scope of the chain). A trim raises a floor ($max), points:rebuild
 * writes them with the boards, rebuildBoard sets its own. Held as a write-side view (db/shared-view.ts): a floor only
 * rises, so a stale one lets through a row a trim cuts later and never keeps out one that belongs.
 */
type Floors = Record<string, Record<string, number>>;
const countyFloors = sharedValue(
  async (countyId: string) =>
    (await BoardModel.collection.findOne<{ f?: Floors }>({ _id: floorsId(countyId) as never }))?.f ?? {},
  10_000,
  WRITE_SIDE_BOUNDS,
);

/** The county's board floors as held here. */
export const boardFloors = (countyId: string): Promise<Floors> => countyFloors.get(countyId);

/**
 * Whether a score reaches a board: a board without a floor holds every member who has points (not trimmed yet), one
 * with a floor every score above it. Rows at the floor may be a subset of a tie (readBoard's Board): a member who
 * only reaches the floor ties with rows trimmed off, and skipping them saves a row a trim would cut again (at the
 * bench's scale most of a week's scores tie at the floor). A lowered score always reaches it, so a row never shows
 * more than the total.
 */
export function reachesBoard(floors: Floors, key: string, points: number, lowered: boolean): boolean {
  if (lowered) return true;
  const { periodId, scopeId } = parseScopeKey(key);
  const floor = floors[periodId]?.[scopeId];
  return floor === undefined || points > floor;
}

/** A board's floor raised on its county's document (and on the view held here), its periods gone by dropped. */
async function raiseFloor(countyId: string, key: string, floor: number): Promise<void> {
  const { periodId, scopeId } = parseScopeKey(key);
  const held = await countyFloors.held(countyId);
  if ((held?.[periodId]?.[scopeId] ?? -Infinity) >= floor) return;
  const keep = new Set([...periodIds(new Date()), periodId]);
  const gone = held ? Object.keys(held).filter((p) => !keep.has(p)) : [];
  await BoardModel.collection.updateOne(
    { _id: floorsId(countyId) as never },
    {
      $max: { [`f.${periodId}.${scopeId}`]: floor },
      ...(gone.length > 0 ? { $unset: Object.fromEntries(gone.map((p) => [`f.${p}`, 1])) } : {}),
    },
    { upsert: true },
  );
  if (held) {
    for (const p of gone) delete held[p];
    const period = (held[periodId] ??= {});
    period[scopeId] = Math.max(period[scopeId] ?? -Infinity, floor);
  }
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
 * share the scopes' collection: apply.ts moveInScopes), none read first.
 */
export const boardStatements = (offers: BoardOffer[]) =>
  offers.map((o) => ({ updateOne: { filter: { _id: o.key }, update: rowUpdate(o.item), upsert: true } }));

/**
 * After an award's rows are written: they go on the views held here, and at most one board whose room is spent is
 * read, trimmed back to BOARD_CAPACITY if it holds more, and its floor raised on the county's document (the others on
 * the awards after it): a board grows by at most TRIM_STEP rows per process between trims.
 */
export async function boardsWritten(countyId: string | undefined, offers: BoardOffer[]): Promise<void> {
  offers.forEach((o) => onHeldView(o.item, o.key));
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
 * Cuts a board back toward BOARD_CAPACITY rows, its lowest MAX_CUT at most, in one `findOneAndUpdate` whose
 * before-image shows each cut row as it was when cut: a member whose row a concurrent award raised between the read
 * and the cut (a higher sequence) is put back with that row when it is above the new floor, in one more
 * update. Two or three commands a trim (before: a key read of each cut member's total, 24 a trim). Returns the rows
 * it keeps and its floor.
 */
export async function trimBoard(
  key: string,
  /** Tests only: work done between the read and the cut (a concurrent award's row). */
  between?: () => Promise<void>,
): Promise<{ size: number; floor: number | null }> {
  const { items, floor } = await readBoard(key);
  await between?.();
  const cut = items.slice(Math.max(BOARD_CAPACITY, items.length - MAX_CUT));
  if (cut.length === 0) return { size: items.length, floor };
  const unset = Object.fromEntries(cut.map((i) => [`m.${i.u}`, 1]));
  const before = await BoardModel.findOneAndUpdate(
    { _id: key },
    { $unset: unset, $max: { floor: cut[0]!.p } },
    { returnDocument: 'before' },
  ).lean<{ m?: Record<string, StoredRow> }>();
  boardViews.forget(key);
  const raised = cut
    .map((item) => ({ item, row: before?.m?.[item.u] }))
    .filter(({ item, row }) => row !== undefined && parseRow(item.u, row).s > item.s)
    .filter(({ item, row }) => parseRow(item.u, row!).p > cut[0]!.p); // above the floor: every row is there
  if (raised.length > 0)
    await BoardModel.updateOne({ _id: key }, { $max: Object.fromEntries(raised.map((r) => [`m.${r.item.u}`, r.row])) });
  return { size: items.length - cut.length + raised.length, floor: Math.max(floor ?? -Infinity, cut[0]!.p) };
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
  await setFloor(key, floor);
  return { items, floor };
}

/** A rebuilt board's floor on its county's document, as it is now (a rebuild may lower it). */
async function setFloor(key: string, floor: number | null): Promise<void> {
  const { periodId, scopeId } = parseScopeKey(key);
  const org = await OrgModel.findById(scopeId, { path: 1 }).lean<{ _id: string; path?: string[] }>();
  if (!org) return;
  const countyId = org.path?.[0] ?? org._id;
  const path = `f.${periodId}.${scopeId}`;
  await BoardModel.collection.updateOne(
    { _id: floorsId(countyId) as never },
    floor === null ? { $unset: { [path]: 1 } } : { $set: { [path]: floor } },
    { upsert: true },
  );
  countyFloors.forget(countyId);
}

/**
 * Writes the counties' floors documents for boards written whole (points:rebuild, after it emptied the collection):
 * every board of a current period with a floor, under its scope's county (the orgs, read once).
 */
export async function writeFloors(boards: { _id: string; floor: number | null }[], now = new Date()): Promise<void> {
  const current = new Set(periodIds(now));
  const floored = boards.filter((b) => b.floor !== null && current.has(parseScopeKey(b._id).periodId));
  if (floored.length === 0) return;
  const orgs = await OrgModel.find({}, { path: 1 }).lean<{ _id: string; path?: string[] }[]>();
  const countyOf = new Map(orgs.map((o) => [o._id, o.path?.[0] ?? o._id]));
  const byCounty = new Map<string, Floors>();
  for (const { _id, floor } of floored) {
    const { periodId, scopeId } = parseScopeKey(_id);
    const countyId = countyOf.get(scopeId);
    if (!countyId) continue;
    const f = byCounty.get(countyId) ?? byCounty.set(countyId, {}).get(countyId)!;
    (f[periodId] ??= {})[scopeId] = floor!;
  }
  const docs = [...byCounty].map(([countyId, f]) => ({ _id: floorsId(countyId), f }));
  if (docs.length > 0) await BoardModel.collection.insertMany(docs as never[], { ordered: false });
  countyFloors.clear();
}

export { storedRow };
