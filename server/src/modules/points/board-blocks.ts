import type { mongo } from 'mongoose';
import { parseScopeKey } from './keys';
import { BoardModel } from './points.model';
import { storedRow, type BoardItem, type StoredRow } from './board-rows';

/**
 * Where a board's rows are stored: a member's rows on every period's board of one scope share ONE block document of
 * that scope, `${scopeId}#${i}` (i by a hash of the member's id), rows at `r.<periodId>.<userId>`, each period's floor
 * at `f.<periodId>`. An award's rows on a scope's boards (up to 4 periods) are then one statement, not one per period
 * (issue 17, session 11: a paying check-in wrote up to 12 row statements; the engine's cost per statement is mostly
 * fixed on these small documents). Session 9 spread each board over 8 blocks, `${periodId}|${scopeId}#${i}`, rows at
 * `m.<userId>`; before that a board was one document under its key. Both older layouts are still read and merged, so
 * a county keeps its boards across the upgrade; a trim cuts from them, and a board written whole (rebuildBoard, a
 * repair, points:rebuild) removes them.
 */
export const SCOPE_BLOCKS = 16;
/** Blocks per board of the session 9 layout (read, never written). */
const PERIOD_BLOCKS = 8;

/**
 * Block `i` of a scope's boards. A scope's own document is its bare id, a board key, a feed id and a floors id hold
 * a `|`, and none holds a `#`: it names nothing else in points_scopes.
 */
export const blockId = (scopeId: string, i: number) => `${scopeId}#${i}`;

/** A block of the older layouts (a board key, or a session 9 per-period block): it holds a `|`, a scope block never. */
const isScopeBlock = (id: string) => !id.includes('|');

/** FNV-1a of the member's id: the same block in every process and release (it is the storage layout). */
function hashOf(u: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < u.length; i += 1) h = Math.imul(h ^ u.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const blockIndex = (u: string) => hashOf(u) % SCOPE_BLOCKS;

/** The block document holding the member's rows on the boards of the board `key`'s scope. */
export const rowBlock = (key: string, u: string) => blockId(parseScopeKey(key).scopeId, blockIndex(u));

/** The update putting a row on the board `key` unless a newer one of the member's is there (the `$max`). */
export const rowUpdate = (key: string, item: BoardItem) => ({
  $max: { [`r.${parseScopeKey(key).periodId}.${item.u}`]: storedRow(item) },
});

/** Every document a board's rows may be in: its scope's blocks, and its documents of the older layouts. */
export function boardDocIds(key: string): string[] {
  const { scopeId } = parseScopeKey(key);
  return [
    ...Array.from({ length: SCOPE_BLOCKS }, (_, i) => blockId(scopeId, i)),
    key,
    ...Array.from({ length: PERIOD_BLOCKS }, (_, i) => `${key}#${i}`),
  ];
}

export type BoardDoc = {
  _id: string;
  r?: Record<string, Record<string, StoredRow>>;
  f?: Record<string, number | null>;
  /** The older layouts: the board's rows and floor. */
  m?: Record<string, StoredRow>;
  floor?: number | null;
};

/** The rows and floor of the period's board in a document of any layout. */
function boardIn(
  doc: BoardDoc,
  periodId: string,
): { rows: Record<string, StoredRow>; floor: number | null | undefined } {
  if (isScopeBlock(doc._id)) return { rows: doc.r?.[periodId] ?? {}, floor: doc.f?.[periodId] };
  return { rows: doc.m ?? {}, floor: doc.floor };
}

/** Where a row (`rows`) or the floor is in a document of the board `key`, by its layout. */
export function pathsIn(docId: string, key: string): { rows: string; floor: string } {
  if (!isScopeBlock(docId)) return { rows: 'm', floor: 'floor' };
  const { periodId } = parseScopeKey(key);
  return { rows: `r.${periodId}`, floor: `f.${periodId}` };
}

export interface StoredBoard {
  /** Each member's row (the highest stored string: the newest sequence, as the `$max` keeps) and the documents holding one. */
  rows: Map<string, { row: StoredRow; docs: string[] }>;
  /** The highest floor of its documents (a trim raises it on the documents it cuts from). */
  floor: number | null;
}

/** A board's documents merged: the board of `periodId` in each. */
export function mergeBoardDocs(docs: readonly BoardDoc[], periodId: string): StoredBoard {
  const rows: StoredBoard['rows'] = new Map();
  let floor: number | null = null;
  for (const doc of docs) {
    const board = boardIn(doc, periodId);
    if (typeof board.floor === 'number') floor = Math.max(floor ?? -Infinity, board.floor);
    for (const [u, row] of Object.entries(board.rows)) {
      const held = rows.get(u);
      if (!held) rows.set(u, { row, docs: [doc._id] });
      else {
        held.docs.push(doc._id);
        if (row > held.row) held.row = row;
      }
    }
  }
  return { rows, floor };
}

/** The rows of the period's board in a document as cut (a trim's before-image). */
export const rowsIn = (doc: BoardDoc | null, key: string) =>
  doc ? boardIn(doc, parseScopeKey(key).periodId).rows : {};

/** What of a document a read of the board `key` needs: its period's rows and floor, not the other periods'. */
export const boardProjection = (key: string) => {
  const { periodId } = parseScopeKey(key);
  return { m: 1, floor: 1, [`r.${periodId}`]: 1, [`f.${periodId}`]: 1 };
};

export const boards = () => BoardModel.collection as unknown as mongo.Collection<BoardDoc>;

/** A board as stored, in one read of its documents by key. */
export async function readStoredBoard(key: string): Promise<StoredBoard> {
  const docs = await boards()
    .find({ _id: { $in: boardDocIds(key) } }, { projection: boardProjection(key) })
    .toArray();
  return mergeBoardDocs(docs, parseScopeKey(key).periodId);
}

/** A board's rows by block. */
function byBlock(m: Iterable<[string, StoredRow]>): Record<string, StoredRow>[] {
  const blocks = Array.from({ length: SCOPE_BLOCKS }, () => ({}) as Record<string, StoredRow>);
  for (const [u, row] of m) blocks[blockIndex(u)]![u] = row;
  return blocks;
}

/**
 * The statements that write a board whole (rebuildBoard, a recovery's recount): its period's rows and floor in every
 * block of its scope (`$set`: rows not named are gone; the other periods' untouched), and its documents of the older
 * layouts removed.
 */
export function wholeBoardStatements(key: string, m: Iterable<[string, StoredRow]>, floor: number | null) {
  const { periodId, scopeId } = parseScopeKey(key);
  return [
    ...byBlock(m).map((rows, i) => ({
      updateOne: {
        filter: { _id: blockId(scopeId, i) },
        update: { $set: { [`r.${periodId}`]: rows, [`f.${periodId}`]: floor } },
        upsert: true,
      },
    })),
    { deleteMany: { filter: { _id: { $in: boardDocIds(key).filter((id) => !isScopeBlock(id)) } } } },
  ];
}

/**
 * The block documents of boards written whole into an emptied collection (points:rebuild): each scope's boards
 * gathered by block, each period with its floor in the blocks holding its rows.
 */
export function boardBlockDocs(all: { _id: string; m: Map<string, StoredRow>; floor: number | null }[]): BoardDoc[] {
  const docs = new Map<string, Required<Pick<BoardDoc, '_id' | 'r' | 'f'>>>();
  for (const board of all) {
    const { periodId, scopeId } = parseScopeKey(board._id);
    byBlock(board.m).forEach((rows, i) => {
      if (Object.keys(rows).length === 0) return;
      const _id = blockId(scopeId, i);
      const doc = docs.get(_id) ?? docs.set(_id, { _id, r: {}, f: {} }).get(_id)!;
      doc.r[periodId] = rows;
      doc.f[periodId] = board.floor;
    });
  }
  return [...docs.values()];
}
