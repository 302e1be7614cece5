import { AsyncLocalStorage } from 'node:async_hooks';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Middleware } from 'koa';
import type { mongo } from 'mongoose';
import { engineEnvironment } from '../../../config/engine';

/**
 * Engine commands per request: the cost model of the embedded engine (it serves a few thousand commands a second on
 * two cores), and a count, so it does not wobble on a busy machine the way timings do. Every command the driver's
 * connections send passes `commandSent` (hookDriver); the ones sent while a request's scope is active are added to it.
 * The same scope holds what one request has read and may pass down (`requestMemo`).
 */
interface RequestScope {
  commands: number;
  trace?: string[];
  memo?: Map<string, unknown>;
  /** What other modules keep per request (`requestSlot`). */
  [slot: symbol]: unknown;
}
/**
 * The one AsyncLocalStorage of a request: Node 20 propagates every store through a hook on every promise a request
 * makes (the driver's included), so other modules keep their per-request values in this scope (`requestSlot`) rather
 * than in stores of their own (issue 17, H8g).
 */
const scope = new AsyncLocalStorage<RequestScope>();

/**
 * A per-request value kept in the request's scope: `enter` sets it for the rest of the request (the request's async
 * work started before or after sees it; a request enters it once, before its routes) and runs `work`; outside a
 * request it opens a scope of its own for `work`. `get` is undefined outside a request or before `enter`.
 */
export function requestSlot<T>(name: string): { enter<R>(value: T, work: () => R): R; get(): T | undefined } {
  const key = Symbol(name);
  return {
    enter(value, work) {
      const current = scope.getStore();
      if (!current) return scope.run({ commands: 0, [key]: value }, work);
      current[key] = value;
      return work();
    },
    get: () => scope.getStore()?.[key] as T | undefined,
  };
}

/** Runs `work` outside any request: what it sends is no request's command, and it sees no request's values. */
export function outsideRequests<R>(work: () => R): R {
  return scope.exit(work);
}

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

/** A traced command's reply: its time in the driver (send to reply, the engine's work and the wire), in ms. */
function traceEnded(trace: string[], at: number, started: number, failed: boolean): void {
  trace[at] += ` ${(performance.now() - started).toFixed(1)}ms${failed ? ' failed' : ''}`;
}

/** What the driver's connection is given: the database, the command document (its name is its first key). */
interface DriverConnection {
  id: unknown;
  established: boolean;
  command(ns: { db: string }, command: Record<string, unknown>, ...rest: unknown[]): Promise<unknown>;
}

/** The statements of a write as an array: the driver sends a bulk write's as a document sequence (`.documents`). */
function withStatements(command: Record<string, unknown>): Record<string, unknown> {
  for (const key of ['documents', 'updates', 'deletes']) {
    const list = command[key] as { documents?: unknown } | undefined;
    if (list && !Array.isArray(list) && Array.isArray(list.documents)) return { ...command, [key]: list.documents };
  }
  return command;
}

/** The client told of each command (tests and bench tools listen to its 'commandStarted'); the last connected. */
let client: mongo.MongoClient | undefined;
let commandSeq = 0;

/** A command this process sends on an established pool connection: counted, watched, traced, told to listeners. */
function commandSent(databaseName: string, sent: Record<string, unknown>): (failed: boolean) => void {
  const commandName = Object.keys(sent)[0]!;
  const command = WRITES.has(commandName) ? withStatements(sent) : sent;
  const requestId = (commandSeq += 1);
  if (WATCHED_WRITES.has(commandName)) writeStarted(requestId, commandName, command);
  if (client && client.listenerCount('commandStarted') > 0)
    client.emit('commandStarted', { commandName, command, requestId, databaseName } as never);
  const current = scope.getStore();
  if (current) {
    current.commands += 1;
    if (current.memo && WRITES.has(commandName)) forgetCollection(current.memo, String(command[commandName]));
  }
  if (!tracing || !current) return (failed) => writeEnded(requestId, failed ? 'failed' : 'answered');
  const trace = (current.trace ??= []);
  const [at, started] = [trace.length, performance.now()];
  trace.push(`${commandName} ${String(command[commandName])}`);
  return (failed) => {
    writeEnded(requestId, failed ? 'failed' : 'answered');
    traceEnded(trace, at, started, failed);
  };
}

/**
 * The driver's Connection class, of the copy mongoose uses (mongoose carries its own in its node_modules). Internal to
 * the driver: the engine-commands tests fail (no command counted) if an upgrade moves it.
 */
function driverConnection(): { prototype: DriverConnection } {
  /* eslint-disable @typescript-eslint/no-require-imports -- the driver's internal module, resolved from mongoose */
  const dir = path.dirname(
    require.resolve('mongodb/package.json', { paths: [path.dirname(require.resolve('mongoose'))] }),
  );
  return (require(path.join(dir, 'lib', 'cmap', 'connection.js')) as { Connection: { prototype: DriverConnection } })
    .Connection;
  /* eslint-enable @typescript-eslint/no-require-imports */
}

// Resolved when this module loads, so a module registry of its own (a test's second instance) hooks its own copy.
const Connection = driverConnection();
const HOOKED = Symbol.for('pioneer.engineCommands');

/**
 * Every command a pool connection sends goes through `commandSent`, at its send and at its reply or failure (issue 17,
 * H8a). The driver's own command monitoring (`monitorCommands`) built three event objects per command, re-emitted
 * each from the connection up to the client, and decoded every reply a second time for its event: ~7 % of a paying
 * request's Node CPU. Handshakes and the server monitor's heartbeats (not established, or not a pool connection's
 * numeric id) pass by, as they passed by the monitoring events.
 */
function hookDriver(): void {
  const proto = Connection.prototype as DriverConnection & { [HOOKED]?: boolean };
  if (proto[HOOKED]) return;
  proto[HOOKED] = true;
  const send = proto.command;
  proto.command = function command(this: DriverConnection, ns, cmd, ...rest) {
    if (typeof this.id !== 'number' || !this.established) return send.call(this, ns, cmd, ...rest);
    const ended = commandSent(ns.db, cmd);
    return send.call(this, ns, cmd, ...rest).then(
      (reply) => {
        ended(false);
        return reply;
      },
      (err: unknown) => {
        ended(true);
        throw err;
      },
    );
  };
}

/** Wired once per client in connectDatabase (which leaves the driver's `monitorCommands` off). */
export function countEngineCommands(connected: mongo.MongoClient): void {
  client = connected;
  hookDriver();
}

/** Runs `work` and returns what it returned with the engine commands it sent (tests and tools). */
export async function withCommandCount<T>(work: () => Promise<T>): Promise<{ result: T; commands: number }> {
  // A request's values (`requestSlot`) stay seen inside; its commands and reads are counted and held apart.
  const counter: RequestScope = { ...scope.getStore(), commands: 0, trace: undefined, memo: undefined };
  const result = await scope.run(counter, work);
  return { result, commands: counter.commands };
}

/**
 * A document this request has already read by key, read once per request: the member the session loaded is reused
 * by the paths below it (GET /me, the member an award pays, the audit line's names). Any write this request sends to
 * the collection drops what it read of it (commandSent above), so a read after a write reads again; a write
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
