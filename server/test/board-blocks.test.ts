/**
 * A board's rows in blocks (issue 17; session 11: per scope): a member's rows on every period's board of a scope share
 * one block document of that scope, so an award writes one row statement per scope it reaches; a trim cuts one
 * period's rows; boards stored in the older layouts (session 9's blocks per period, or one document per board) are
 * still read, merged with the rows written since, and removed when the board is written whole.
 */
import { periodId, periodIds } from '@pioneer/shared';
import { startTestApp, type TestApp } from './support/harness';
import { buildCounty, buildMember } from './support/factories';
import {
  SCOPE_BLOCKS,
  blockId,
  boardDocIds,
  mergeBoardDocs,
  rowBlock,
  rowUpdate,
  type BoardDoc,
} from '../src/modules/points/board-blocks';
import {
  boardStatements,
  readBoard,
  rebuildBoard,
  storedRow,
  trimBoard,
  BOARD_CAPACITY,
  type BoardItem,
} from '../src/modules/points/board';
import { scopeKey } from '../src/modules/points/keys';
import { BoardModel } from '../src/modules/points/points.model';
import { boardRowFor } from '../src/modules/points/points.service';
import { givePoints } from './support/points-helpers';
import { scopeWritesLanded } from '../src/modules/points/scope-writes';
import { rebuildPoints } from '../src/jobs/points-rebuild';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const item = (u: string, p: number, s: number): BoardItem => ({
  u,
  n: u,
  a: '',
  o: '',
  p,
  t: new Date(1_700_000_000_000),
  s,
});
const docsOf = async (key: string) =>
  BoardModel.collection.find<BoardDoc>({ _id: { $in: boardDocIds(key) as never[] } }).toArray();
const give = (userId: string, tag: string, points = 3) =>
  givePoints(userId, points, `blocks|${tag}|${userId}`, { refId: tag });

test('when a member id is placed, then its block is the same in every release (the stored layout)', () => {
  // FNV-1a: changing the hash would leave every stored row in a block no read looks at for that member.
  expect(rowBlock('month:2026-12|b1', 'u1')).toBe('b1#3');
  expect(rowBlock('week:2026-W49|b1', 'u1')).toBe('b1#3'); // every period of the scope: the same block
  expect(rowBlock('month:2026-12|b1', '64f000000000000000000001')).toBe('b1#6');
  const used = new Set(Array.from({ length: 800 }, (_, i) => rowBlock('k|s', `member${i}`)));
  expect(used.size).toBe(SCOPE_BLOCKS); // 800 members fill every block
  expect(blockId('s', 0)).toBe('s#0');
});

test('when a member has a row in documents of every layout, then the newer sequence wins and the floor is the highest', () => {
  const merged = mergeBoardDocs(
    [
      { _id: 'month:m|s', m: { a: storedRow(item('a', 50, 3)), b: storedRow(item('b', 40, 1)) }, floor: 10 },
      { _id: 'month:m|s#1', m: { a: storedRow(item('a', 20, 4)) }, floor: 12 },
      {
        _id: 's#3',
        r: { 'month:m': { a: storedRow(item('a', 30, 5)) }, 'week:w': { c: storedRow(item('c', 9, 1)) } },
        f: { 'month:m': 11, 'week:w': 99 },
      },
    ],
    'month:m',
  );
  expect(merged.floor).toBe(12); // the week's 99 is another board's
  expect(merged.rows.get('a')).toEqual({ row: storedRow(item('a', 30, 5)), docs: ['month:m|s', 'month:m|s#1', 's#3'] });
  expect(merged.rows.get('b')?.docs).toEqual(['month:m|s']);
  expect(merged.rows.has('c')).toBe(false);
});

test('when an award reaches every period of its scopes, then its rows are one statement per scope', () => {
  const offers = ['county', 'town', 'village', 'branch'].flatMap((scope) =>
    periodIds(new Date()).map((p) => ({ key: scopeKey(p, scope), item: item('u1', 5, 2) })),
  );
  const statements = boardStatements(offers);
  expect(statements.map((s) => s.updateOne.filter._id)).toEqual(
    ['county', 'town', 'village', 'branch'].map((s) => rowBlock(`x|${s}`, 'u1')),
  );
  for (const s of statements) expect(Object.keys(s.updateOne.update.$max!)).toHaveLength(4);
});

test('when an award reaches a board, then its rows on every period of a scope are written to one block alone', async () => {
  const county = await buildCounty();
  const members = await Promise.all(
    Array.from({ length: 24 }, (_, i) => buildMember({ branch: county.branchA, name: `块${i}` })),
  );
  await Promise.all(members.map((m) => give(m.id, 'first')));
  await scopeWritesLanded();
  const key = scopeKey(periodId('month', new Date()), county.branchA.id);
  const before = new Map((await docsOf(key)).map((d) => [d._id, d]));
  expect([...before.keys()].every((id) => id.startsWith(`${county.branchA.id}#`))).toBe(true); // no older layout
  expect(before.size).toBeGreaterThan(1);

  const one = members[5]!;
  await give(one.id, 'again');
  await scopeWritesLanded();
  const after = new Map((await docsOf(key)).map((d) => [d._id, d]));
  for (const [id, doc] of after)
    if (id === rowBlock(key, one.id)) expect(doc).not.toEqual(before.get(id));
    else expect(doc).toEqual(before.get(id));
  const block = after.get(rowBlock(key, one.id))!;
  for (const p of periodIds(new Date())) expect(Object.keys(block.r?.[p] ?? {})).toContain(one.id);
  expect((await readBoard(key)).items.find((i) => i.u === one.id)?.p).toBe(6);
});

test('when a block holds a past week, then an award to a member of it drops that week', async () => {
  const county = await buildCounty();
  const member = await buildMember({ branch: county.branchB, name: '旧周' });
  const past = periodId('week', Date.now() - 7 * 86_400_000);
  const block = rowBlock(scopeKey(past, county.branchB.id), member.id);
  await BoardModel.collection.insertOne({
    _id: block as never,
    r: { [past]: { [member.id]: storedRow(item(member.id, 5, 1)) } },
    f: { [past]: 3 },
  });
  await give(member.id, 'past-week');
  await scopeWritesLanded();
  const doc = await BoardModel.collection.findOne<BoardDoc>({ _id: block as never });
  expect(doc?.r?.[past]).toBeUndefined();
  expect(doc?.f?.[past]).toBeUndefined();
  expect(Object.keys(doc?.r ?? {}).sort()).toEqual([...periodIds(new Date())].sort());
});

test('when a board is trimmed, then only its period is cut and floored: the other periods in its blocks stay', async () => {
  const scope = 'trim-scope';
  const [month, week] = [periodId('month', new Date()), periodId('week', new Date())];
  const rows = Array.from({ length: BOARD_CAPACITY + 10 }, (_, i) => item(`trim${i}`, 10_000 - i, 1));
  for (const p of [month, week])
    for (const r of rows)
      await BoardModel.collection.updateOne(
        { _id: rowBlock(scopeKey(p, scope), r.u) as never },
        rowUpdate(scopeKey(p, scope), r),
        {
          upsert: true,
        },
      );
  const { floor, size } = await trimBoard(scopeKey(month, scope));
  expect(size).toBe(BOARD_CAPACITY);
  expect(floor).toBe(rows[BOARD_CAPACITY]!.p);
  expect((await readBoard(scopeKey(month, scope))).items).toHaveLength(BOARD_CAPACITY);
  const weekBoard = await readBoard(scopeKey(week, scope));
  expect(weekBoard.items).toHaveLength(rows.length);
  expect(weekBoard.floor).toBeNull();
});

test('when a board was stored in the older layouts, then it is read with the rows written since, and a whole write removes them', async () => {
  const county = await buildCounty();
  const [old, moved, blocked] = await Promise.all(
    [0, 1, 2].map((i) => buildMember({ branch: county.branchB, name: `旧${i}` })),
  );
  const key = scopeKey(periodId('month', new Date()), county.branchB.id);
  // One document per board (before session 9), and one of session 9's blocks per period.
  await BoardModel.collection.insertMany([
    {
      _id: key as never,
      m: { [old!.id]: storedRow(item(old!.id, 9, 1)), [moved!.id]: storedRow(item(moved!.id, 4, 1)) },
      floor: null,
    },
    { _id: `${key}#2` as never, m: { [blocked!.id]: storedRow(item(blocked!.id, 7, 1)) }, floor: null },
  ]);
  // A row written since, to the member's scope block: a newer sequence than the old document's.
  await BoardModel.collection.updateOne(
    { _id: rowBlock(key, moved!.id) as never },
    rowUpdate(key, item(moved!.id, 14, 2)),
    { upsert: true },
  );
  expect((await readBoard(key)).items.map((i) => [i.u, i.p])).toEqual([
    [moved!.id, 14],
    [old!.id, 9],
    [blocked!.id, 7],
  ]);

  await rebuildBoard(key, boardRowFor);
  const ids = (await docsOf(key)).map((d) => d._id);
  expect(ids).not.toContain(key);
  expect(ids).not.toContain(`${key}#2`);
  expect(ids.every((id) => id.startsWith(`${county.branchB.id}#`))).toBe(true);
});

test('when points:rebuild writes the boards, then they are in the scopes’ blocks, every period of a member in one', async () => {
  const county = await buildCounty();
  const member = await buildMember({ branch: county.branchA, name: '重建' });
  await give(member.id, 'rebuild', 5);
  await scopeWritesLanded();
  const key = scopeKey(periodId('week', new Date()), county.branchA.id);
  await BoardModel.collection.insertOne({ _id: `${key}#0` as never, m: {}, floor: null }); // an older layout's
  await rebuildPoints();
  const docs = await docsOf(key);
  expect(docs.map((d) => d._id)).toEqual([rowBlock(key, member.id)]);
  expect(Object.keys(docs[0]!.r!).sort()).toEqual([...periodIds(new Date())].sort());
  expect((await readBoard(key)).items.map((i) => [i.u, i.p])).toEqual([[member.id, 5]]);
});
