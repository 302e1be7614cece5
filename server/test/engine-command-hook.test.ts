/**
 * Engine commands seen without the driver's command monitoring (issue 17, H8a; server/src/db/engine-commands.ts):
 * `monitorCommands` stays off (its events decoded every reply twice: ~7 % of a paying request's Node CPU), and every
 * command a pool connection sends is still counted in its request, tells the collection's watchers at its send and
 * at its reply or failure (with the `_id`s it named, a bulk write's too), and reaches a client 'commandStarted'
 * listener (the tests and the bench tools count commands that way).
 */
import mongoose from 'mongoose';
import { onCollectionWrite, withCommandCount, type WrittenIds } from '../src/db/engine-commands';
import { startTestApp, type TestApp } from './support/harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const probe = () => mongoose.connection.collection<{ _id: string; n?: number }>('hook_probe');
const seen: { ids: WrittenIds; phase: string }[] = [];
onCollectionWrite('hook_probe', (ids, phase) => seen.push({ ids, phase }));

test("the driver's command monitoring is off", () => {
  expect(mongoose.connection.getClient().options.monitorCommands).toBe(false);
});

test('each command is counted in its scope and told to a commandStarted listener', async () => {
  const names: string[] = [];
  const listen = (e: { commandName: string; command: Record<string, unknown> }) =>
    names.push(`${e.commandName} ${String(e.command[e.commandName])}`);
  const client = mongoose.connection.getClient();
  client.on('commandStarted', listen);
  try {
    const { commands } = await withCommandCount(async () => {
      await probe().insertOne({ _id: 'a' });
      await probe().findOne({ _id: 'a' });
      await probe().updateOne({ _id: 'a' }, { $set: { n: 1 } });
    });
    expect(commands).toBe(3);
  } finally {
    client.off('commandStarted', listen);
  }
  expect(names).toEqual(['insert hook_probe', 'find hook_probe', 'update hook_probe']);
});

test("a write's watchers hear its send and its reply, a bulk write's ids included, and a refused write's failure", async () => {
  seen.length = 0;
  await probe().bulkWrite([
    { updateOne: { filter: { _id: 'b' }, update: { $set: { n: 2 } }, upsert: true } },
    { updateOne: { filter: { _id: 'c' }, update: { $set: { n: 3 } }, upsert: true } },
  ]);
  expect(seen).toEqual([
    { ids: ['b', 'c'], phase: 'sent' },
    { ids: ['b', 'c'], phase: 'answered' },
  ]);
  seen.length = 0;
  await expect(probe().findOneAndUpdate({ _id: 'b' }, { $set: { n: 4 }, $inc: { n: 1 } })).rejects.toThrow();
  expect(seen).toEqual([
    { ids: ['b'], phase: 'sent' },
    { ids: ['b'], phase: 'failed' },
  ]);
});
