// The bench's client for the sequential ("alone") series, on its own thread (http-client.ts): it sends a request,
// reads the whole reply and times it, as a member's phone would, without spending the server's thread.
import { parentPort } from 'node:worker_threads';

parentPort.on('message', async ({ id, url, init }) => {
  try {
    const started = process.hrtime.bigint();
    const res = await fetch(url, init);
    const body = await res.text();
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    parentPort.postMessage({ id, status: res.status, commands: res.headers.get('x-engine-commands'), body, ms });
  } catch (err) {
    parentPort.postMessage({ id, error: String(err?.stack ?? err) });
  }
});
