/**
 * @slow An engine that keeps dying (issue 23): the real server restarts it five times, and when it dies a sixth time
 * within the minute the server logs that it gives up and exits 1, so a process manager (systemd Restart=on-failure)
 * starts everything again instead of a service that stays up serving nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readiness, startChildServer, waitForReadiness, type ChildServer } from './support/child-server';

jest.setTimeout(120_000);

const embedded = process.env.PIONEER_TEST_ENGINE === 'ferretdb';

(embedded ? describe : describe.skip)('an embedded engine that keeps dying', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'pioneer-give-up-'));
  let server: ChildServer;

  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('five restarts within a minute, then the sixth exit makes the service exit 1 with a loud log line', async () => {
    server = await startChildServer(dataDir);
    const exitCode = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));
    for (let restart = 1; restart <= 5; restart++) {
      process.kill((await readiness(server.base)).body.engine.pid!, 'SIGKILL');
      await waitForReadiness(server.base, (r) => r.status === 200 && r.body.engine.restarts === restart, 30_000);
    }
    const pid = (await readiness(server.base)).body.engine.pid!;
    process.kill(pid, 'SIGKILL');
    expect(
      // The deadline is unref'd: once the race is won it must not hold jest open ("did not exit one second after").
      await Promise.race([
        exitCode,
        new Promise((r) => setTimeout(() => r('still running after 15 s'), 15_000).unref()),
      ]),
    ).toBe(1);
    await server.waitForLog(/exiting so the process manager restarts the service/, 1, 5_000);
    expect(server.logs.filter((l) => /exited unexpectedly/.test(l.msg))).toHaveLength(6);
    expect(server.logs.some((l) => l.level >= 50 && /giving up after 5 restarts within a minute/.test(l.msg))).toBe(
      true,
    );
    expect(
      server.logs.some((l) => l.level >= 60 && /exiting so the process manager restarts the service/.test(l.msg)),
    ).toBe(true);
    expect(server.logs.filter((l) => /embedded engine restarted/.test(l.msg))).toHaveLength(5);
  });
});
