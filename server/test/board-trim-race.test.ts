/**
 * A trim races an award (issue 17, session 5): the cut is a findOneAndUpdate on each document holding cut rows (its
 * scope's blocks, a session 9 per-period block, or its one document stored before blocks) whose before-image shows each cut row as it was when cut, so a row an award raised between the trim's read and its cut is put back when it is above the
 * new floor (every row above a board's floor is on it), with no read of the member's total.
 */
import { startTestApp, type TestApp } from './support/harness';
import { BOARD_CAPACITY, readBoard, storedRow, trimBoard, type BoardItem } from '../src/modules/points/board';
import { BoardModel } from '../src/modules/points/points.model';
import { rowBlock, rowUpdate, wholeBoardStatements } from '../src/modules/points/board-blocks';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const row = (i: number, p: number, s = 1): BoardItem => ({
  u: `race${String(i).padStart(3, '0')}`,
  n: `党员${i}`,
  a: '',
  o: '一支部',
  p,
  t: new Date(1_700_000_000_000 + i),
  s,
});

/** An award's row written to the older layouts' document `_id` (`m.<userId>`). */
const olderRow = (_id: string, r: BoardItem) =>
  BoardModel.collection.updateOne({ _id: _id as never }, { $max: { [`m.${r.u}`]: storedRow(r) } });

/** How a board is stored, and how an award writes a member's row on it. */
const layouts = {
  'scope blocks': {
    store: (key: string, rows: BoardItem[]) =>
      BoardModel.collection.bulkWrite(
        wholeBoardStatements(
          key,
          rows.map((r): [string, string] => [r.u, storedRow(r)]),
          null,
        ) as never[],
      ),
    write: (key: string, r: BoardItem) =>
      BoardModel.collection.updateOne({ _id: rowBlock(key, r.u) as never }, rowUpdate(key, r)),
  },
  'blocks per period (session 9)': {
    store: (key: string, rows: BoardItem[]) =>
      BoardModel.collection.insertMany(
        [0, 1, 2].map((i) => ({
          _id: `${key}#${i}` as never,
          m: Object.fromEntries(rows.filter((_, j) => j % 3 === i).map((r) => [r.u, storedRow(r)])),
          floor: null,
        })),
      ),
    write: (key: string, r: BoardItem) => olderRow(`${key}#${Number(r.u.slice(4)) % 3}`, r),
  },
  'one document (stored before blocks)': {
    store: (key: string, rows: BoardItem[]) =>
      BoardModel.collection.insertOne({
        _id: key as never,
        m: Object.fromEntries(rows.map((r) => [r.u, storedRow(r)])),
        floor: null,
      }),
    write: (key: string, r: BoardItem) => olderRow(key, r),
  },
};

test.each(Object.keys(layouts) as (keyof typeof layouts)[])(
  'when an award raises a row between a trim read and its cut (%s), then the raised row stays if above the new floor',
  async (layout) => {
    const { store, write } = layouts[layout];
    const key = `month:2026-11|race-${layout.length}`;
    const n = BOARD_CAPACITY + 10;
    // Scores 10 apart, best first: the trim keeps BOARD_CAPACITY rows and cuts the 10 below.
    const rows = Array.from({ length: n }, (_, i) => row(i, 10_000 - 10 * i));
    await store(key, rows);
    const cutBest = rows[BOARD_CAPACITY]!; // the new floor
    const lastKept = rows[BOARD_CAPACITY - 1]!;
    // Raised meanwhile: one far above the board, one between the new floor and the last row kept, one still below.
    const far = { ...rows[n - 1]!, p: 20_000, s: 2 };
    const between = { ...rows[n - 2]!, p: cutBest.p + 5, s: 2 };
    const below = { ...rows[n - 3]!, p: cutBest.p - 1, s: 2 };
    expect(between.p).toBeLessThan(lastKept.p);

    const { floor } = await trimBoard(key, async () => {
      for (const r of [far, between, below]) await write(key, r);
    });

    expect(floor).toBe(cutBest.p);
    const after = await readBoard(key);
    const points = new Map(after.items.map((i) => [i.u, i.p]));
    expect(points.get(far.u)).toBe(20_000);
    expect(points.get(between.u)).toBe(between.p);
    expect(points.has(below.u)).toBe(false);
    expect(points.has(cutBest.u)).toBe(false);
    expect(after.items).toHaveLength(BOARD_CAPACITY + 2);
  },
);
