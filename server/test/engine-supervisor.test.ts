/**
 * The supervisor's rules (issue 23) on real child processes standing in for the engine: an unexpected exit is
 * logged and restarted with growing waits, a crash loop gives up after maxRestartsPerMinute (engineState 'failed',
 * on which main.ts exits 1), and a deliberate stop restarts nothing. The real engine killed mid-burst is
 * engine-supervision.test.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { engineState } from '../src/db/engine-state';
import { restartDelayMs, superviseEngine } from '../src/db/supervisor';

jest.setTimeout(30_000);

/** A process that lives until killed, or exits by itself after `exitAfterMs`. */
function child(exitAfterMs?: number): ChildProcess {
  const script =
    exitAfterMs === undefined ? 'setInterval(() => {}, 1000)' : `setTimeout(() => process.exit(3), ${exitAfterMs})`;
  return spawn(process.execPath, ['-e', script], { stdio: 'ignore' });
}

const exited = (c: ChildProcess) =>
  new Promise<void>((resolve) =>
    c.exitCode !== null || c.signalCode !== null ? resolve() : c.once('exit', () => resolve()),
  );

describe('engine supervisor', () => {
  test('the waits grow with the restarts in the last minute: 0.5 s, 1 s, 2 s, 4 s, then 8 s at most', () => {
    expect([0, 1, 2, 3, 4, 5, 9].map(restartDelayMs)).toEqual([500, 1000, 2000, 4000, 8000, 8000, 8000]);
  });

  test('when the engine is killed, then it is logged, started again, and engineState goes restarting -> running', async () => {
    const logs: string[] = [];
    const first = child();
    const states: string[] = [];
    const onDown = () => states.push(engineState.snapshot().state);
    const onUp = () => states.push(engineState.snapshot().state);
    engineState.on('down', onDown).on('up', onUp);
    const supervised = superviseEngine({ first, relaunch: async () => child(), log: (msg) => logs.push(msg) });
    expect(supervised.pid()).toBe(first.pid);

    const up = new Promise((resolve) => engineState.once('up', resolve));
    const killedAt = Date.now();
    first.kill('SIGKILL');
    await up;
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual(450);
    expect(states).toEqual(['restarting', 'running']);
    expect(supervised.pid()).not.toBe(first.pid);
    expect(engineState.snapshot()).toMatchObject({
      state: 'running',
      restarts: 1,
      reconciled: false,
      pid: supervised.pid(),
    });
    expect(logs[0]).toMatch(/exited unexpectedly \(SIGKILL\)/);
    expect(logs[1]).toMatch(/restarted \(pid \d+, restart 1\)/);

    // A deliberate stop is not a crash: nothing is restarted.
    const current = supervised.pid();
    await supervised.stop();
    await new Promise((r) => setTimeout(r, 700));
    expect(states).toEqual(['restarting', 'running']);
    expect(supervised.pid()).toBe(current);
    engineState.off('down', onDown).off('up', onUp);
  });

  test('when it keeps dying, then after maxRestartsPerMinute restarts the supervisor gives up loudly (state failed)', async () => {
    const logs: string[] = [];
    const spawned: ChildProcess[] = [];
    const crashing = () => {
      const c = child(50);
      spawned.push(c);
      return c;
    };
    const failed = new Promise((resolve) => engineState.once('failed', resolve));
    const supervised = superviseEngine({
      first: crashing(),
      relaunch: async () => crashing(),
      log: (msg) => logs.push(msg),
      maxRestartsPerMinute: 3,
    });
    const gaveUp = await Promise.race([
      failed.then(() => true),
      // A deadline, not work: unref'd, so a race it lost does not hold jest open for 15 s after the run.
      new Promise((r) => setTimeout(() => r(false), 15_000).unref()),
    ]);
    if (!gaveUp) await supervised.stop(); // a supervisor that never gives up would keep restarting after the test
    expect(gaveUp).toBe(true);
    expect(spawned).toHaveLength(4); // the first and 3 restarts
    expect(engineState.snapshot().state).toBe('failed');
    expect(logs.at(-1)).toMatch(/giving up after 3 restarts within a minute/);
    await Promise.all(spawned.map(exited));
    await supervised.stop();
  });
});
