import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { onCollectionWrite } from '../../db/engine-commands';
import { keyReads } from '../../db/key-reads';
import { sharedValue } from '../../db/shared-view';
import { readCard, type StoredCard } from './cards';

/**
 * 承诺墙 read models, each read and written by `_id` only:
 * - the wall head `${orgId}|${year}` (commitment_walls): `members.<userId>` = ms of the last progress (or the
 *   approval), `cv.<userId>` = the version of the member's card, `v` = a counter of its moves; above the branch
 *   `counts.<branchId>` = approved members per branch below (the total) and only the most recent members;
 * - the wall's pages `${orgId}|${year}|${i}` (commitment_wall_pages): PAGE_SIZE rendered cards in the wall's order,
 *   so a page of the wall is one key read (issue 17: it was a key read per card and per commitment).
 * A move updates the head with one atomic findOneAndUpdate (`$max`, so a late write never moves anything back) and
 * gets the head before it; the writer then knows exactly which pages its move changed and writes those, each as one
 * string with the head's `v` in front under `$max`: whatever order concurrent writers land in, every page ends as
 * the newest head that changed it says. `dirty.<token>` marks a move whose pages are not written yet (a crash
 * there is repaired at start-up: repairWalls).
 */
export interface WallDoc {
  _id: string;
  members?: Record<string, number>;
  cv?: Record<string, number>;
  counts?: Record<string, number>;
  v?: number;
  dirty?: Record<string, number>;
}
/** A card as a page holds it: the stored card without its org path. */
export type PageCard = Omit<StoredCard, 'orgPath'>;
interface PageDoc {
  _id: string;
  s?: string;
}
interface Page {
  /** The head's `v` this page was computed from. */
  v: number;
  /** The wall's total (approved members) and how many it shows (a branch: all; above it: WALL_RECENT). */
  t: number;
  n: number;
  c: PageCard[];
}

export const walls = () => mongoose.connection.collection<WallDoc>('commitment_walls');
export const wallPages = () => mongoose.connection.collection<PageDoc>('commitment_wall_pages');
export const indexKey = (orgId: string, year: number) => `${orgId}|${year}`;
export const pageKey = (orgId: string, year: number, i: number) => `${orgId}|${year}|${i}`;

/**
 * Above the branch a wall keeps only the most recent members (a county of 100k would otherwise be one huge document
 * read on every page): trimmed back to WALL_RECENT when it passes twice that, and shows the WALL_RECENT latest.
 */
export const WALL_RECENT = 300;
/** Cards per stored page: the wall's default page (a page of up to 50 asked for reads 3 or 4). */
export const PAGE_SIZE = 20;

const V_DIGITS = 12;
const packPage = (p: Page) => String(p.v).padStart(V_DIGITS, '0') + JSON.stringify(p);
function unpackPage(doc: PageDoc | null): Page | null {
  // Not a string: a page an account closure's scrub emptied (it held a secret); the next move writes it again.
  return typeof doc?.s === 'string' ? (JSON.parse(doc.s.slice(V_DIGITS)) as Page) : null;
}

interface Layout {
  total: number;
  n: number;
  /** Per page, its members and the card version each must show. */
  pages: { u: string; v: number }[][];
}

/** What a head says the pages hold: newest activity first (then by id), PAGE_SIZE a page. */
export function layoutOf(doc: WallDoc | null): Layout {
  const members = doc?.members ?? {};
  const counted = Object.values(doc?.counts ?? {}).reduce((sum, n) => sum + n, 0);
  const order = Object.entries(members).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const shown = doc?.counts ? order.slice(0, WALL_RECENT) : order;
  const pages: Layout['pages'] = [];
  for (let i = 0; i < shown.length; i += PAGE_SIZE)
    pages.push(shown.slice(i, i + PAGE_SIZE).map(([u]) => ({ u, v: doc?.cv?.[u] ?? 0 })));
  return { total: doc?.counts ? counted : order.length, n: shown.length, pages };
}

function changedPages(before: Layout, after: Layout): number[] {
  const all = after.pages.map((_, i) => i);
  if (before.total !== after.total || before.n !== after.n) return all;
  const same = (a: Layout['pages'][number] | undefined, b: Layout['pages'][number]) =>
    !!a && a.length === b.length && a.every((x, i) => x.u === b[i]!.u && x.v === b[i]!.v);
  return all.filter((i) => !same(before.pages[i], after.pages[i]));
}

/** The cards the pages need, newest known first: the ones held, the pages as stored, else the member's card doc. */
async function cardsFor(
  orgId: string,
  year: number,
  layout: Layout,
  indexes: number[],
  held: Map<string, PageCard>,
): Promise<void> {
  const keep = (c: PageCard) => {
    const had = held.get(c.u);
    if (!had || had.v < c.v) held.set(c.u, c);
  };
  const entries = indexes.flatMap((i) => layout.pages[i]!);
  const lacking = () => entries.filter((e) => (held.get(e.u)?.v ?? -1) < e.v);
  if (lacking().length === 0) return;
  const stored = await Promise.all(indexes.map((i) => wallPages().findOne({ _id: pageKey(orgId, year, i) })));
  for (const page of stored) for (const c of unpackPage(page)?.c ?? []) keep(c);
  const stale = lacking();
  const fetched = await Promise.all(stale.map((e) => readCard(e.u, year)));
  for (const c of fetched) if (c) keep(pageCard(c));
}

export const pageCard = ({ orgPath: _path, ...card }: StoredCard): PageCard => card;

/** Writes the given pages as `head` lays them out, in one bulk write. */
type PageOp = { updateOne: { filter: { _id: string }; update: { $max: { s: string } }; upsert: true } };

/** The writes of the given pages as `head` lays them out (the cards gathered first). */
export async function pageOps(
  orgId: string,
  year: number,
  head: WallDoc,
  indexes: number[],
  held: Map<string, PageCard>,
): Promise<PageOp[]> {
  if (indexes.length === 0) return [];
  const layout = layoutOf(head);
  await cardsFor(orgId, year, layout, indexes, held);
  return indexes.map((i) => {
    const c = layout.pages[i]!.map((e) => held.get(e.u)).filter((card): card is PageCard => !!card);
    const s = packPage({ v: head.v ?? 0, t: layout.total, n: layout.n, c });
    return { updateOne: { filter: { _id: pageKey(orgId, year, i) }, update: { $max: { s } }, upsert: true } };
  });
}

/** Writes the given pages as `head` lays them out, in one bulk write. */
export async function writePages(
  orgId: string,
  year: number,
  head: WallDoc,
  indexes: number[],
  held = new Map<string, PageCard>(),
): Promise<void> {
  const ops = await pageOps(orgId, year, head, indexes, held);
  if (ops.length > 0) await wallPages().bulkWrite(ops, { ordered: false });
}

/** The head as a `$max` of `fields` and `$inc v` left it, from the head before (null: it was created). */
function applied(before: WallDoc | null, fields: Record<string, number>, id: string): WallDoc {
  const after: WallDoc = {
    _id: id,
    members: { ...before?.members },
    cv: { ...before?.cv },
    ...(before?.counts || Object.keys(fields).some((f) => f.startsWith('counts.'))
      ? { counts: { ...before?.counts } }
      : {}),
    v: (before?.v ?? 0) + 1,
  };
  for (const [path, value] of Object.entries(fields)) {
    const [map, key] = path.split('.') as ['members' | 'cv' | 'counts', string];
    const into = after[map]!;
    into[key] = Math.max(into[key] ?? value, value);
  }
  return after;
}

/** One wall's head moved by `fields` and marked dirty by `token`: the head before and after. */
async function moveHead(orgId: string, year: number, fields: Record<string, number>, token: string) {
  const _id = indexKey(orgId, year);
  const before = await walls().findOneAndUpdate(
    { _id },
    { $max: fields, $inc: { v: 1 }, $set: { [`dirty.${token}`]: Date.now() } },
    { upsert: true, returnDocument: 'before' },
  );
  return { orgId, before, after: applied(before, fields, _id) };
}

/** Above the branch, past twice WALL_RECENT: back to the WALL_RECENT latest (past the shown ones: no page changes). */
async function trim(orgId: string, year: number, head: WallDoc): Promise<void> {
  const entries = Object.entries(head.members ?? {});
  if (entries.length <= 2 * WALL_RECENT) return;
  entries.sort((a, b) => b[1] - a[1]);
  const cut = entries.slice(WALL_RECENT).flatMap(([u]) => [`members.${u}`, `cv.${u}`]);
  await walls().updateOne({ _id: indexKey(orgId, year) }, { $unset: Object.fromEntries(cut.map((f) => [f, ''])) });
}

/**
 * A member's approved card changed (a move of the commitment, a new 亮身份): it goes on the wall of every org on the
 * commitment's path, newest activity first. A branch wall holds all its members; above it the counts per branch
 * make the total and the head is trimmed back to WALL_RECENT once it passes twice that. The heads move one by one
 * (the branch's count goes up to the others); the pages they changed go in one bulk write, the dirty marks off in
 * another.
 */
export async function touchWall(card: StoredCard): Promise<void> {
  const year = card.commitment.year;
  const branchId = card.orgPath[card.orgPath.length - 1]!;
  const mine = { [`members.${card.u}`]: card.at, [`cv.${card.u}`]: card.v };
  const token = randomBytes(6).toString('hex');
  const branch = await moveHead(branchId, year, mine, token);
  const approved = Object.keys(branch.after.members ?? {}).length;
  const above = await Promise.all(
    card.orgPath
      .slice(0, -1)
      .map((orgId) => moveHead(orgId, year, { ...mine, [`counts.${branchId}`]: approved }, token)),
  );
  const moved = [branch, ...above];
  const onPage = pageCard(card);
  const ops = await Promise.all(
    moved.map((m) =>
      pageOps(m.orgId, year, m.after, changedPages(layoutOf(m.before), layoutOf(m.after)), new Map([[card.u, onPage]])),
    ),
  );
  if (ops.flat().length > 0) await wallPages().bulkWrite(ops.flat(), { ordered: false });
  const clean = { $unset: { [`dirty.${token}`]: '' as const } };
  await walls().bulkWrite(
    moved.map((m) => ({ updateOne: { filter: { _id: indexKey(m.orgId, year) }, update: clean } })),
    { ordered: false },
  );
  await Promise.all(above.map((m) => trim(m.orgId, year, m.after)));
}

/** A wall's members (all of a branch's; the most recent above it) and how many have an approved commitment. */
export async function readWall(
  orgId: string,
  year: number,
): Promise<{ members: Record<string, number>; total: number }> {
  const doc = await walls().findOne({ _id: indexKey(orgId, year) });
  return { members: doc?.members ?? {}, total: layoutOf(doc).total };
}

/**
 * Pages as read, held for the shared-view bound (a wall is a shared view, like the boards: issue 17): a burst of
 * readers of one wall reads each page once per bound. Any write this process sends to the pages, whatever sent it
 * (touchWall, a closure's scrub, a rebuild), drops the pages it names when it is sent and again when it is answered,
 * so a member sees their own move at once here; another process's within the bound. Parsed once when read; never
 * changed by a reader. At most HELD_PAGES pages (20 cards each) are held.
 */
const HELD_PAGES = 2_000;
/** Under load the pages of many walls are first read at once: gathered into one command (db/key-reads.ts). */
const pageReads = keyReads(wallPages);
const heldPages = sharedValue(async (key: string) => unpackPage(await pageReads.read(key)), HELD_PAGES);
onCollectionWrite('commitment_wall_pages', (ids) =>
  Array.isArray(ids) ? ids.forEach((id) => heldPages.forget(id)) : heldPages.clear(),
);

/**
 * The cards at [offset, offset + limit) of a wall: one page when the slice is a stored page (the default page), one
 * per stored page it spans otherwise, each from memory within the bound. `asOf`: when the oldest of them was read.
 * Pages read at one moment may come from two heads a move apart: a member seen twice is shown once.
 */
export async function readSlice(orgId: string, year: number, offset: number, limit: number) {
  const first = Math.floor(offset / PAGE_SIZE);
  const last = Math.floor((offset + limit - 1) / PAGE_SIZE);
  const indexes = Array.from({ length: last - first + 1 }, (_, k) => first + k);
  const read = await Promise.all(indexes.map((i) => heldPages.read(pageKey(orgId, year, i))));
  // Beyond the last page: the total is on page 0.
  const head = read.some((r) => r.value) || first === 0 ? [] : [await heldPages.read(pageKey(orgId, year, 0))];
  const pages = read.map((r) => r.value);
  const newest = [...pages, ...head.map((r) => r.value)].reduce<Page | null>(
    (a, p) => (p && (!a || p.v > a.v) ? p : a),
    null,
  );
  const seen = new Set<string>();
  const cards: PageCard[] = [];
  pages.forEach((page, k) =>
    page?.c.forEach((c, j) => {
      const at = (first + k) * PAGE_SIZE + j;
      if (at < offset || at >= offset + limit || seen.has(c.u)) return;
      seen.add(c.u);
      cards.push(c);
    }),
  );
  const asOf = new Date(Math.min(...[...read, ...head].map((r) => r.asOf.getTime())));
  return { total: newest?.t ?? 0, n: newest?.n ?? 0, cards, asOf };
}
