/**
 * The sequential series' HTTP client (issue 17). The bench runs the server in its own process; a client on the same
 * thread (fetch and its wasm parser, ~20 % of a cold read's thread time, H11a) made every "alone" time the server's
 * work plus the client's, one after the other on one thread. By default the requests go from a worker thread
 * (client-worker.mjs), which times each from send to the reply's last byte, as a client on another machine would;
 * `--client=thread` (run.ts) sends them from the server's thread as before, for comparison.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';

export interface Reply {
  status: number;
  ok: boolean;
  /** The X-Engine-Commands header (null when the server did not send it). */
  commands: string | null;
  body: string;
  /** From sending the request to the reply's last byte. */
  ms: number;
}

export type ClientKind = 'worker' | 'thread';
let kind: ClientKind = 'worker';
let worker: Worker | null = null;
let nextId = 0;
const waiting = new Map<number, (r: Reply | { error: string }) => void>();

/** Which client sends the sequential series (before the first request). */
export function useClient(k: ClientKind): void {
  kind = k;
}

/** The client thread failed or ended: every request waiting on it fails rather than hangs. */
function failAll(error: string): void {
  for (const done of waiting.values()) done({ error });
  waiting.clear();
}

function theWorker(): Worker {
  if (worker) return worker;
  worker = new Worker(path.join(__dirname, 'client-worker.mjs'));
  worker.unref(); // the bench exits when its work is done, whatever the client thread holds
  worker.on('error', (err) => failAll(String(err)));
  worker.on('exit', (code) => failAll(`client thread exited (${code})`));
  worker.on('message', (m: { id: number } & (Reply | { error: string })) => {
    const done = waiting.get(m.id);
    waiting.delete(m.id);
    done?.(m);
  });
  return worker;
}

/** Ends the client thread and its kept-alive connections (a server's close waits for them); a next send starts one. */
export async function closeClient(): Promise<void> {
  const w = worker;
  worker = null;
  await w?.terminate();
}

async function onThisThread(url: string, init: RequestInit): Promise<Reply> {
  const started = process.hrtime.bigint();
  const res = await fetch(url, init);
  const body = await res.text();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  return { status: res.status, ok: res.ok, commands: res.headers.get('x-engine-commands'), body, ms };
}

/** One request and its whole reply. `init` must be plain data (headers an object, body a string). */
export async function send(url: string, init: RequestInit = {}): Promise<Reply> {
  if (kind === 'thread') return onThisThread(url, init);
  const id = nextId++;
  const got = await new Promise<Reply | { error: string }>((resolve) => {
    waiting.set(id, resolve);
    theWorker().postMessage({ id, url, init });
  });
  if ('error' in got) throw new Error(`${url}: ${got.error}`);
  return { ...got, ok: got.status >= 200 && got.status < 300 };
}
