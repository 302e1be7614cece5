import { AsyncLocalStorage } from 'node:async_hooks';
import type { Middleware } from 'koa';
import type { mongo } from 'mongoose';

/**
 * Engine commands per request: the cost model of the embedded engine (it serves a few thousand commands a second on
 * two cores), and a count, so it does not wobble on a busy machine the way timings do. The driver's command monitor
 * reports every command it sends; the ones sent while a request's scope is active are added to that request.
 */
const scope = new AsyncLocalStorage<{ commands: number }>();

/** Wired once per client in connectDatabase (which turns `monitorCommands` on). */
export function countEngineCommands(client: mongo.MongoClient): void {
  client.on('commandStarted', () => {
    const current = scope.getStore();
    if (current) current.commands += 1;
  });
}

/** Runs `work` and returns what it returned with the engine commands it sent (tests and tools). */
export async function withCommandCount<T>(work: () => Promise<T>): Promise<{ result: T; commands: number }> {
  const counter = { commands: 0 };
  const result = await scope.run(counter, work);
  return { result, commands: counter.commands };
}

/**
 * `X-Engine-Commands: <n>` on every reply, when `config.engineCommandHeader` is on (the tests and the benchmark;
 * off by default: a client has no use for it). Outermost, so the auth read and the idempotency store count too.
 */
export function engineCommandHeader(enabled: boolean): Middleware {
  return async (ctx, next) => {
    if (!enabled) return next();
    const { commands } = await withCommandCount(() => next());
    ctx.set('X-Engine-Commands', String(commands));
  };
}
