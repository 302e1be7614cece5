/**
 * Start-up reconciliation's cost (issue 17, jobs/points-repair.ts): a fresh engine, a county at scale (seed-scale.ts,
 * `--members` members, 10 ledger entries each), then
 * - reconcilePoints with nothing pending (every start-up): its commands and time;
 * - one award whose scope write the engine refused (its township's document made unwritable, then put back), then
 *   reconcilePoints: the time and commands of the repair (a read of every member's totals, the recount, the writes).
 *
 *   npx tsx test/bench/repair-time.ts [--members=10000]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import mongoose from 'mongoose';
import { onFreshEngine } from './fresh-engine';
import { reconcilePoints } from '../../server/src/jobs/points-rebuild';
import { flushAppliedMarks } from '../../server/src/modules/points/applied-marks';
import { ScopeStatsModel } from '../../server/src/modules/points/points.model';
import { awardPoints } from '../../server/src/modules/points/points.service';
import { UserModel } from '../../server/src/modules/users/users.model';
import { seedScaleCounty } from './seed-scale';

const { values } = parseArgs({ options: { members: { type: 'string', default: '10000' } } });

let commands = 0;
let enginePid = 0;

/** utime + stime of the engine process, in ms (clock ticks of 10 ms), as award-storm.ts reads it. */
function engineCpuMs(): number {
  const fields = readFileSync(`/proc/${enginePid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function timed(label: string, work: () => Promise<number>): Promise<void> {
  const [c0, t0, e0, n0] = [commands, Date.now(), engineCpuMs(), process.cpuUsage()];
  const repaired = await work();
  const node = process.cpuUsage(n0);
  console.log(
    `${label}: ${repaired} entries repaired in ${Date.now() - t0} ms, ${commands - c0} engine commands; CPU ms: ` +
      `engine ${engineCpuMs() - e0}, node ${Math.round((node.user + node.system) / 1000)}`,
  );
}

onFreshEngine('repair', async (engine) => {
  enginePid = engine.pid()!;
  const county = await seedScaleCounty(Number(values.members));
  console.log(`seeded ${values.members} members: ${JSON.stringify(county.seconds)}`);
  mongoose.connection.getClient().on('commandStarted', () => (commands += 1));
  await timed('nothing pending', reconcilePoints);

  const userId = county.memberIds[0]!;
  const townId = (await UserModel.findById(userId).lean())!.orgPath[1]!;
  const saved = await ScopeStatsModel.collection.findOne({ _id: townId as never });
  await ScopeStatsModel.collection.updateOne({ _id: townId as never }, { $set: { h: 5 } });
  const refused = await awardPoints({
    userId,
    reason: 'manual_adjustment',
    points: 3,
    refType: 'bench',
    refId: 'repair',
    idempotencyKey: 'bench|repair',
  }).then(
    () => false,
    () => true,
  );
  await ScopeStatsModel.collection.replaceOne({ _id: townId as never }, saved!);
  await flushAppliedMarks();
  console.log(`the award's scope write refused: ${refused}`);
  await timed('one award left half-done', reconcilePoints);
});
