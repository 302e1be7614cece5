import { AsyncLocalStorage } from 'node:async_hooks';
import type { Middleware } from 'koa';
import type { mongo } from 'mongoose';
import { engineEnvironment } from '../../../config/engine';

/**
 * Engine commands per request: the cost model of the embedded engine (it serves a few thousand commands a second on
 * two cores), and a count, so it does not wobble on a busy machine the way timings do. The driver's command monitor
 * reports every command it sends; the ones sent while a request's scope is active are added to that request.
 * The same scope holds what one request has read and may pass down (`requestMemo`).
 */
interface RequestScope {
  commands: number;
  trace?: string[];
  memo?: Map<string, unknown>;
}
const scope = new AsyncLocalStorage<RequestScope>();

/**
 * ENGINE_COMMAND_TRACE=1: each request's commands are logged by name and collection, each with its time from send to
 * reply (finding what a path spends).
 */
const tracing = engineEnvironment().commandTrace;

const WRITES = new Set(['insert', 'update', 'delete', 'findAndModify']);
const WATCHED_WRITES = new Set([...WRITES, 'drop', 'dropDatabase']);

/** A write to a collection in this request drops what the request read of it: a read after the write reads again. */
function forgetCollection(memo: Map<string, unknown>, collection: string): void {
  for (const key of memo.keys()) if (key.startsWith(`${collection}:`)) memo.delete(key);
}

/**
 * `ids`: the `_id`s the write named (a filter or an inserted document), 'all' when it named others by another filter,
 * 'dropped' for a drop of the collection or the database.
 */
export type WrittenIds = readonly string[] | 'all' | 'dropped';
type WriteWatcher = (ids: WrittenIds, phase: 'sent' | 'answered' | 'failed') => void;
const watchers = new Map<string, WriteWatcher[]>();
/** Writes to watched collections on their way (requestId -> collections), to call the watchers again at their reply. */
const pendingWrites = new Map<number, { touched: string[]; ids: WrittenIds }>();

/** The `_id`s a write command names, or 'all' when any statement filters on something else (db/change-marks.ts). */
function idsOf(commandName: string, command: Record<string, unknown>): readonly string[] | 'all' {
  const ids: string[] = [];
  const take = (id: unknown): boolean => {
    if (typeof id === 'string') return ids.push(id) > 0;
    const many = (id as { $in?: unknown } | null)?.$in;
    return Array.isArray(many) && many.every((i) => typeof i === 'string') && ids.push(...many) >= 0;
  };
  const statements = (key: string, filter: string) =>
    ((command[key] as Record<string, { _id?: unknown }>[] | undefined) ?? []).map((s) => s[filter]?._id);
  const named =
    commandName === 'insert'
      ? ((command.documents as { _id?: unknown }[] | undefined) ?? []).map((d) => d._id)
      : commandName === 'update'
        ? statements('updates', 'q')
        : commandName === 'delete'
          ? statements('deletes', 'q')
          : commandName === 'findAndModify'
            ? [(command.query as { _id?: unknown } | undefined)?._id]
            : [undefined];
  return named.every(take) ? ids : 'all';
}

/**
 * Calls `watcher` when this process sends a write to `collection` and again when its reply (or failure) comes back,
 * whatever request sent it (a job too): what a process holds of the collection in memory is dropped at both ends, so
 * nothing read before the write finished is kept after it (users: the session view, modules/users/session-view.ts).
 * It is told the `_id`s the write named, so other processes can be told too (db/change-marks.ts).
 */
export function onCollectionWrite(collection: string, watcher: WriteWatcher): void {
  watchers.set(collection, [...(watchers.get(collection) ?? []), watcher]);
}

const notify = (collections: string[], ids: WrittenIds, phase: Parameters<WriteWatcher>[1]) =>
  collections.forEach((c) => watchers.get(c)?.forEach((w) => w(ids, phase)));

function writeStarted(requestId: number, commandName: string, command: Record<string, unknown>): void {
  const collection = String(command[commandName]);
  const touched = (commandName === 'dropDatabase' ? [...watchers.keys()] : [collection]).filter((c) => watchers.has(c));
  if (touched.length === 0) return;
  const ids = WRITES.has(commandName) ? idsOf(commandName, command) : 'dropped';
  pendingWrites.set(requestId, { touched, ids });
  notify(touched, ids, 'sent');
}

function writeEnded(requestId: number, phase: 'answered' | 'failed'): void {
  const pending = pendingWrites.get(requestId);
  if (!pending) return;
  pendingWrites.delete(requestId);
  notify(pending.touched, pending.ids, phase);
}

/** Traced commands on their way (requestId -> the trace and the entry's index), to add the engine's time at the reply. */
const tracedCommands = new Map<number, { trace: string[]; at: number }>();

/** A traced command's reply: its time in the driver (send to reply, the engine's work and the wire), in ms. */
function traceEnded(requestId: number, duration: number, failed: boolean): void {
  const traced = tracedCommands.get(requestId);
  if (!traced) return;
  tracedCommands.delete(requestId);
  traced.trace[traced.at] += ` ${duration.toFixed(1)}ms${failed ? ' failed' : ''}`;
}

/** Wired once per client in connectDatabase (which turns `monitorCommands` on). */
export function countEngineCommands(client: mongo.MongoClient): void {
  client.on('commandSucceeded', (event) => {
    writeEnded(event.requestId, 'answered');
    if (tracing) traceEnded(event.requestId, event.duration, false);
  });
  client.on('commandFailed', (event) => {
    writeEnded(event.requestId, 'failed');
    if (tracing) traceEnded(event.requestId, event.duration, true);
  });
  client.on('commandStarted', (event) => {
    if (WATCHED_WRITES.has(event.commandName)) writeStarted(event.requestId, event.commandName, event.command);
    const current = scope.getStore();
    if (!current) return;
    current.commands += 1;
    if (current.memo && WRITES.has(event.commandName))
      forgetCollection(current.memo, String(event.command[event.commandName]));
    if (!tracing) return;
    const trace = (current.trace ??= []);
    tracedCommands.set(event.requestId, { trace, at: trace.length });
    trace.push(`${event.commandName} ${String(event.command[event.commandName])}`);
  });
}

/** Runs `work` and returns what it returned with the engine commands it sent (tests and tools). */
export async function withCommandCount<T>(work: () => Promise<T>): Promise<{ result: T; commands: number }> {
  const counter: RequestScope = { commands: 0 };
  const result = await scope.run(counter, work);
  return { result, commands: counter.commands };
}

/**
 * A document this request has already read by key, read once per request: the member the session loaded is reused
 * by the paths below it (GET /me, the member an award pays, the audit line's names). Any write this request sends to
 * the collection drops what it read of it (the command monitor above), so a read after a write reads again; a write
 * by another request is as if it had landed after this one's read. Outside a request, every call reads.
 */
export function readOnce<T>(collection: string, id: string, load: () => Promise<T>): Promise<T> {
  const current = scope.getStore();
  if (!current) return load();
  const key = `${collection}:${id}`;
  const held = current.memo?.get(key) as Promise<T> | undefined;
  if (held) return held;
  // A mongoose query is a thenable that runs once: resolved here, every caller shares its one result.
  const value = Promise.resolve(load());
  (current.memo ??= new Map()).set(key, value);
  value.catch(() => current.memo?.get(key) === value && current.memo.delete(key));
  return value;
}

/** What `readOnce` read of this document in this request, without reading (undefined: nothing yet). */
export function readInRequest<T>(collection: string, id: string): Promise<T> | undefined {
  return scope.getStore()?.memo?.get(`${collection}:${id}`) as Promise<T> | undefined;
}

/**
 * Opens each request's scope, and adds `X-Engine-Commands: <n>` to every reply when `config.engineCommandHeader` is
 * on (the tests and the benchmark; off by default: a client has no use for it). Outermost, so the auth read and the
 * idempotency store count too.
 */
export function engineCommandHeader(enabled: boolean): Middleware {
  return async (ctx, next) => {
    const counter: RequestScope = { commands: 0 };
    await scope.run(counter, () => next());
    if (!enabled) return;
    ctx.set('X-Engine-Commands', String(counter.commands));
    if (counter.trace) console.log(`${ctx.method} ${ctx.path} ${counter.commands}: ${counter.trace.join(', ')}`);
  };
}
