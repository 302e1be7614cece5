/**
 * Engine CPU of the ledger's marks per award, old against new (issue 17, H12b), in alternating blocks on one engine
 * so both see the same contention: `old` is the grouped mark write of before (`applied: true` on each entry plus the
 * journal lines' `$unset`, one per slot, unordered), `new` the `$unset`s alone. A block is `--group` awards' marks
 * (what one grouped write carries), after their inserts with journal lines (not counted). Also the award's scope bulk
 * (`--statements` upserts over scope-sized documents) unordered against ordered, as the feed-last write sends it.
 *
 *   npx tsx test/bench/ledger-marks-ab.ts [--rounds=30] [--group=10] [--statements=9]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import mongoose from 'mongoose';
import { onFreshEngine } from './fresh-engine';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '30' },
    group: { type: 'string', default: '10' },
    statements: { type: 'string', default: '9' },
  },
});
const ROUNDS = Number(values.rounds);
const GROUP = Number(values.group);
const STATEMENTS = Number(values.statements);

/** utime + stime of a process, in ms. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

const slot = (id: string) => `~pending|${[...id].reduce((h, c) => (h * 31 + c.charCodeAt(0)) | 0, 0) & 15}`;
const field = (id: string) => Buffer.from(id).toString('base64url');

onFreshEngine('ledger-marks-ab', async (engine) => {
  const db = mongoose.connection.db!;
  const ledger = db.collection<{ _id: string }>('ledger');
  const scopes = db.collection<{ _id: string; h?: object; c?: object }>('scopes');
  const pid = engine.pid;
  let n = 0;
  /** Inserts a group's entries with their journal lines (as an award does), returns their ids. */
  async function inserted(): Promise<string[]> {
    const ids = Array.from({ length: GROUP }, () => `checkin|day|${n++}|member-${n % 997}`);
    for (const id of ids)
      await ledger.bulkWrite(
        [
          {
            updateOne: {
              filter: { _id: id },
              update: { $setOnInsert: { userId: `m${n}`, delta: 1, asked: 1, reason: 'checkin', at: new Date() } },
              upsert: true,
            },
          },
          { updateOne: { filter: { _id: slot(id) }, update: { $set: { [`e.${field(id)}`]: id } }, upsert: true } },
        ],
        { ordered: true },
      );
    return ids;
  }
  async function marks(ids: string[], applied: boolean): Promise<void> {
    const unsets = new Map<string, Record<string, 1>>();
    for (const id of ids) (unsets.get(slot(id)) ?? unsets.set(slot(id), {}).get(slot(id))!)[`e.${field(id)}`] = 1;
    await ledger.bulkWrite(
      [
        ...(applied ? ids.map((_id) => ({ updateOne: { filter: { _id }, update: { $set: { applied: true } } } })) : []),
        ...[...unsets].map(([_id, $unset]) => ({ updateOne: { filter: { _id }, update: { $unset } } })),
      ],
      { ordered: false },
    );
  }
  // Scope-sized documents (a few hundred bytes to ~2 KB of nested counts).
  const ids = Array.from({ length: STATEMENTS }, (_, i) => `scope-${i}`);
  for (const _id of ids)
    await scopes.insertOne({
      _id,
      h: Object.fromEntries(Array.from({ length: 4 }, (_, p) => [`p${p}`, { p1: 3, p2: 5, p7: 9 }])),
      c: Object.fromEntries(Array.from({ length: 4 }, (_, p) => [`p${p}`, { a: 10, b: 20, c: 30 }])),
    });
  let k = 0;
  const scopeBulk = (ordered: boolean) =>
    scopes.bulkWrite(
      ids.map((_id) => ({
        updateOne: { filter: { _id }, update: { $inc: { [`h.p${k++ % 4}.p${k % 9}`]: 1, 'c.p0.a': 1 } }, upsert: true },
      })),
      { ordered },
    );

  const total = { old: 0, new: 0, unordered: 0, ordered: 0 };
  const timed = async (key: keyof typeof total, work: () => Promise<unknown>) => {
    const e0 = cpuMs(pid()!);
    await work();
    total[key] += cpuMs(pid()!) - e0;
  };
  for (let r = 0; r < ROUNDS; r++) {
    const a = await inserted();
    const b = await inserted();
    const [first, second] = r % 2 ? (['old', 'new'] as const) : (['new', 'old'] as const);
    await timed(first, () => marks(first === 'old' ? a : b, first === 'old'));
    await timed(second, () => marks(second === 'old' ? a : b, second === 'old'));
    for (let i = 0; i < GROUP; i++) {
      const [x, y] = (r + i) % 2 ? ([false, true] as const) : ([true, false] as const);
      await timed(x ? 'ordered' : 'unordered', () => scopeBulk(x));
      await timed(y ? 'ordered' : 'unordered', () => scopeBulk(y));
    }
  }
  const awards = ROUNDS * GROUP;
  console.log(
    `ledger marks per award (group of ${GROUP}): old ${(total.old / awards).toFixed(3)} ms engine CPU, new ` +
      `${(total.new / awards).toFixed(3)} ms (${ROUNDS} rounds alternating)`,
  );
  console.log(
    `scope bulk of ${STATEMENTS} statements: unordered ${(total.unordered / awards).toFixed(3)} ms, ordered ` +
      `${(total.ordered / awards).toFixed(3)} ms`,
  );
});
