import mongoose from 'mongoose';
import { CasConflict, casStore, type CasDoc } from '../src/db/cas';
import { startTestApp, type TestApp } from './support/harness';

interface Counter extends CasDoc {
  value: number;
  history: { n: number; tags: string[] }[];
}

let t: TestApp;
const store = casStore<Counter>('cas_counters', 'cas_counters_log');

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('cas: compare-and-swap by insert', () => {
  test('when a document is created twice, then the second create reports false and the first stays', async () => {
    expect(await store.create({ _id: 'a', value: 1, history: [] })).toBe(true);
    expect(await store.create({ _id: 'a', value: 9, history: [] })).toBe(false);
    expect(await store.read('a')).toMatchObject({ value: 1, seq: 0 });
  });

  test('when 10 transitions race from the same seq, then exactly one wins and the others get CasConflict', async () => {
    await store.create({ _id: 'b', value: 0, history: [] });
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => store.apply('b', 0, { value: i + 1 })),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected' && r.reason instanceof CasConflict)).toHaveLength(9);
    const doc = await store.read('b');
    expect(doc!.seq).toBe(1);
    expect(doc!.value).toBe((won[0] as PromiseFulfilledResult<Counter>).value.value);
  });

  test('when 10 transitions race with retries, then none is lost (arrays of objects holding arrays survive)', async () => {
    await store.create({ _id: 'c', value: 0, history: [] });
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        store.transition(
          'c',
          (doc) => ({ value: doc!.value + 1, history: [...doc!.history, { n: i, tags: [`t${i}`, 'x'] }] }),
          50,
        ),
      ),
    );
    const doc = await store.read('c');
    expect(doc!.value).toBe(10);
    expect(doc!.seq).toBe(10);
    expect(doc!.history.map((h) => h.n).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(doc!.history[0]!.tags).toHaveLength(2);
  });

  test('when a decision refuses after a lost race, then its error comes out, not a conflict', async () => {
    await store.create({ _id: 'd', value: 0, history: [] });
    const once = () =>
      store.transition('d', (doc) => {
        if (doc!.value > 0) throw new Error('already done');
        return { value: 1 };
      });
    const results = await Promise.allSettled(Array.from({ length: 5 }, once));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((x): x is PromiseRejectedResult => x.status === 'rejected'))
      expect(r.reason.message).toBe('already done');
  });

  test('when a crash left a log entry unapplied, then the next read rolls the document forward', async () => {
    await store.create({ _id: 'e', value: 0, history: [] });
    await mongoose.connection
      .collection('cas_counters_log')
      .insertOne({ _id: 'e|0', docId: 'e', seq: 0, set: { value: 7 }, at: new Date() } as never);
    expect(await store.read('e')).toMatchObject({ value: 7, seq: 1 });
    // And the slot is taken: a transition from seq 0 loses.
    await expect(store.apply('e', 0, { value: 8 })).rejects.toBeInstanceOf(CasConflict);
    expect((await mongoose.connection.collection('cas_counters').findOne({ _id: 'e' } as never))!.seq).toBe(1);
  });

  test('when a crash left a log entry unapplied, then peek shows the stored state (one key read) and read still rolls it forward', async () => {
    await store.create({ _id: 'p', value: 1, history: [] });
    await mongoose.connection
      .collection('cas_counters_log')
      .insertOne({ _id: 'p|0', docId: 'p', seq: 0, set: { value: 9 }, at: new Date() } as never);
    expect(await store.peek('p')).toMatchObject({ value: 1, seq: 0 });
    expect(await store.read('p')).toMatchObject({ value: 9, seq: 1 });
    expect(await store.peek('p')).toMatchObject({ value: 9, seq: 1 });
  });

  test('when a slow roller wrote an older state back, then reading replays the chain to the latest', async () => {
    await store.create({ _id: 'f', value: 0, history: [] });
    await store.apply('f', 0, { value: 1 });
    await store.apply('f', 1, { value: 2 });
    await mongoose.connection
      .collection('cas_counters')
      .updateOne({ _id: 'f' } as never, { $set: { value: 1, seq: 1 } });
    expect(await store.read('f')).toMatchObject({ value: 2, seq: 2 });
  });
});
