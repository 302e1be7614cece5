/**
 * A board's rows in blocks (issue 17, session 9): an award's row rewrites its block, not the whole board; a board
 * stored before blocks (one document under its key) is still read, merged with the rows written since, and removed
 * when the board is written whole.
 */
import { periodId } from '@pioneer/shared';
import { startTestApp, type TestApp } from './support/harness';
import { buildCounty, buildMember } from './support/factories';
import { BOARD_BLOCKS, blockId, boardDocIds, mergeBoardDocs, rowBlock } from '../src/modules/points/board-blocks';
import { readBoard, rebuildBoard, storedRow, type BoardItem } from '../src/modules/points/board';
import { scopeKey } from '../src/modules/points/keys';
import { BoardModel } from '../src/modules/points/points.model';
import { awardPoints } from '../src/modules/points/points.service';
import { scopeWritesLanded } from '../src/modules/points/scope-writes';
import { boardRowFor } from '../src/modules/points/points.service';

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
  BoardModel.collection
    .find<{ _id: string; m?: Record<string, string> }>({ _id: { $in: boardDocIds(key) as never[] } })
    .toArray();

test('when a member id is placed, then its block is the same in every release (the stored layout)', () => {
  // FNV-1a: changing the hash would leave every stored row in a block no read looks at for that member.
  expect(rowBlock('month:2026-12|b1', 'u1')).toBe('month:2026-12|b1#3');
  expect(rowBlock('month:2026-12|b1', '64f000000000000000000001')).toBe('month:2026-12|b1#6');
  const used = new Set(Array.from({ length: 400 }, (_, i) => rowBlock('k', `member${i}`)));
  expect(used.size).toBe(BOARD_BLOCKS); // 400 members fill every block
});

test('when a member has a row in two documents, then the newer sequence wins and the floor is the highest', () => {
  const merged = mergeBoardDocs([
    { _id: 'k', m: { a: storedRow(item('a', 50, 3)), b: storedRow(item('b', 40, 1)) }, floor: 10 },
    { _id: 'k#1', m: { a: storedRow(item('a', 20, 4)) }, floor: 12 },
  ]);
  expect(merged.floor).toBe(12);
  expect(merged.rows.get('a')).toEqual({ row: storedRow(item('a', 20, 4)), docs: ['k', 'k#1'] });
  expect(merged.rows.get('b')?.docs).toEqual(['k']);
});

test('when an award reaches a board, then its row is written to its block alone', async () => {
  const county = await buildCounty();
  const members = await Promise.all(
    Array.from({ length: 24 }, (_, i) => buildMember({ branch: county.branchA, name: `块${i}` })),
  );
  const give = (userId: string, tag: string) =>
    awardPoints({
      userId,
      reason: 'manual_adjustment',
      points: 3,
      refType: 'test',
      refId: tag,
      idempotencyKey: `blocks|${tag}|${userId}`,
    });
  await Promise.all(members.map((m) => give(m.id, 'first')));
  await scopeWritesLanded();
  const key = scopeKey(periodId('month', new Date()), county.branchA.id);
  const before = new Map((await docsOf(key)).map((d) => [d._id, d]));
  expect(before.has(key)).toBe(false); // no document of the layout before blocks
  expect(before.size).toBeGreaterThan(1);

  const one = members[5]!;
  await give(one.id, 'again');
  await scopeWritesLanded();
  const after = new Map((await docsOf(key)).map((d) => [d._id, d]));
  for (const [id, doc] of after)
    if (id === rowBlock(key, one.id)) expect(doc).not.toEqual(before.get(id));
    else expect(doc).toEqual(before.get(id));
  expect((await readBoard(key)).items.find((i) => i.u === one.id)?.p).toBe(6);
});

test('when a board was stored as one document before blocks, then it is read with the rows written since, and a whole write removes it', async () => {
  const county = await buildCounty();
  const [old, moved] = await Promise.all([0, 1].map((i) => buildMember({ branch: county.branchB, name: `旧${i}` })));
  const key = scopeKey(periodId('month', new Date()), county.branchB.id);
  await BoardModel.collection.insertOne({
    _id: key as never,
    m: { [old!.id]: storedRow(item(old!.id, 9, 1)), [moved!.id]: storedRow(item(moved!.id, 4, 1)) },
    floor: null,
  });
  // A row written since, to the member's block: a newer sequence than the old document's.
  await BoardModel.collection.updateOne(
    { _id: rowBlock(key, moved!.id) as never },
    { $max: { [`m.${moved!.id}`]: storedRow(item(moved!.id, 14, 2)) } },
    { upsert: true },
  );
  expect((await readBoard(key)).items.map((i) => [i.u, i.p])).toEqual([
    [moved!.id, 14],
    [old!.id, 9],
  ]);

  await rebuildBoard(key, boardRowFor);
  const ids = (await docsOf(key)).map((d) => d._id);
  expect(ids).not.toContain(key);
  expect(ids.every((id) => id.startsWith(`${key}#`) && Number(id.slice(key.length + 1)) < BOARD_BLOCKS)).toBe(true);
  expect(blockId(key, 0)).toBe(`${key}#0`);
});
