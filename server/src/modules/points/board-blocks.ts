import type { mongo } from 'mongoose';
import { BoardModel } from './points.model';
import type { StoredRow } from './board-rows';

/**
 * Where a board's rows are stored: spread over BOARD_BLOCKS documents by a hash of the member's id, so an award's row
 * rewrites its block (~18 rows), not the whole board (up to 144). The engine rewrites a document whole on every
 * update: with one document per board, rows on boards were ~72 % of the engine's CPU per award at 100k members
 * (test/bench/award-storm.ts --seed=100000: 21.3 ms per award under load, 5.9 ms with no board rows; issue 17).
 * A board is read in one command (`_id: {$in}` by the index). Boards stored before, one document per board under
 * the board's key, are read too, so a county keeps its boards across the upgrade: their rows are merged, trimmed
 * off and replaced as the blocks take over (a board written whole, rebuildBoard or a repair, removes it).
 */
export const BOARD_BLOCKS = 8;

/** Block `i` of the board `key`. No period id, scope id or feed id holds a `#`, so it names nothing else. */
export const blockId = (key: string, i: number) => `${key}#${i}`;

/** FNV-1a of the member's id: the same block in every process and release (it is the storage layout). */
function hashOf(u: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < u.length; i += 1) h = Math.imul(h ^ u.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const blockIndex = (u: string) => hashOf(u) % BOARD_BLOCKS;

/** The block document holding the member's row on the board `key`. */
export const rowBlock = (key: string, u: string) => blockId(key, blockIndex(u));

/** Every document a board's rows may be in: its blocks, and its one document of the layout before them. */
export const boardDocIds = (key: string) => [key, ...Array.from({ length: BOARD_BLOCKS }, (_, i) => blockId(key, i))];

type BoardDoc = { _id: string; m?: Record<string, StoredRow>; floor?: number | null };

export interface StoredBoard {
  /** Each member's row (the highest stored string: the newest sequence, as the `$max` keeps) and the documents holding one. */
  rows: Map<string, { row: StoredRow; docs: string[] }>;
  /** The highest floor of its documents (a trim raises it on the documents it cuts from). */
  floor: number | null;
}

/** A board's documents merged. */
export function mergeBoardDocs(docs: readonly BoardDoc[]): StoredBoard {
  const rows: StoredBoard['rows'] = new Map();
  let floor: number | null = null;
  for (const doc of docs) {
    if (typeof doc.floor === 'number') floor = Math.max(floor ?? -Infinity, doc.floor);
    for (const [u, row] of Object.entries(doc.m ?? {})) {
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

const boards = () => BoardModel.collection as unknown as mongo.Collection<BoardDoc>;

/** A board as stored, in one read of its documents by key. */
export async function readStoredBoard(key: string): Promise<StoredBoard> {
  return mergeBoardDocs(
    await boards()
      .find({ _id: { $in: boardDocIds(key) } })
      .toArray(),
  );
}

/** A board's rows by block. */
function byBlock(m: Iterable<[string, StoredRow]>): Record<string, StoredRow>[] {
  const blocks = Array.from({ length: BOARD_BLOCKS }, () => ({}) as Record<string, StoredRow>);
  for (const [u, row] of m) blocks[blockIndex(u)]![u] = row;
  return blocks;
}

/**
 * The statements that write a board whole (rebuildBoard, a recovery's recount): every block's rows and the floor
 * (`$set`: rows not named are gone), and the board's document of the layout before blocks removed.
 */
export function wholeBoardStatements(key: string, m: Iterable<[string, StoredRow]>, floor: number | null) {
  return [
    ...byBlock(m).map((rows, i) => ({
      updateOne: { filter: { _id: blockId(key, i) }, update: { $set: { m: rows, floor } }, upsert: true },
    })),
    { deleteOne: { filter: { _id: key } } },
  ];
}

/** A board's block documents, for an emptied collection (points:rebuild): the blocks holding rows, each with the floor. */
export function boardBlockDocs(board: { _id: string; m: Map<string, StoredRow>; floor: number | null }): BoardDoc[] {
  return byBlock(board.m).flatMap((rows, i) =>
    Object.keys(rows).length > 0 ? [{ _id: blockId(board._id, i), m: rows, floor: board.floor }] : [],
  );
}
