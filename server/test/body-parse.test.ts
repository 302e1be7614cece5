/**
 * JSON bodies without the parser for a write that has none (issue 17, H8g; server/src/http/body.ts): a post claim's
 * empty body was read through the parser's stream machinery (3.6 % of its Node CPU). Every request gets the body the
 * parser gave it (`{}`, none on a read) and every refusal stays the parser's, over raw HTTP (framing by hand).
 */
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { bodyParser } from '@koa/bodyparser';
import Koa, { type Middleware } from 'koa';
import { jsonBody } from '../src/http/body';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the parser's reader, counted (called through)
const coBody = require('co-body') as { json: (...args: unknown[]) => Promise<unknown> };

const LIMIT = 1024;
const servers: Server[] = [];

/** An app that answers with the body its middleware left (or the refusal's status). */
async function echo(middleware: Middleware): Promise<number> {
  const app = new Koa();
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      ctx.status = (err as { status?: number }).status ?? 500;
      ctx.body = { refused: ctx.status };
    }
  });
  app.use(middleware);
  app.use((ctx) => {
    const body = (ctx.request as { body?: unknown }).body;
    ctx.body = { body: body === undefined ? 'none' : body };
  });
  const server = createServer(app.callback());
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}
afterAll(() => Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve)))));

/** One request written byte for byte; the reply's status line and body. */
function raw(port: number, head: string[], body = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    socket.on('data', (chunk) => (reply += chunk.toString()));
    socket.on('end', () => resolve(`${reply.split('\r\n')[0]} ${reply.split('\r\n\r\n')[1] ?? ''}`));
    socket.on('error', reject);
    socket.write([...head, 'Host: x', 'Connection: close', '', body].join('\r\n'));
  });
}

const JSON_TYPE = 'Content-Type: application/json';
const requests: [string, string[], string?][] = [
  ['POST, no length, no body', ['POST / HTTP/1.1', JSON_TYPE]],
  ['POST, length 0', ['POST / HTTP/1.1', JSON_TYPE, 'Content-Length: 0']],
  ['POST, length 0, no type', ['POST / HTTP/1.1', 'Content-Length: 0']],
  ['PATCH, length 0', ['PATCH / HTTP/1.1', JSON_TYPE, 'Content-Length: 0']],
  ['PUT, length 0, text', ['PUT / HTTP/1.1', 'Content-Type: text/plain', 'Content-Length: 0']],
  ['POST, chunked, empty', ['POST / HTTP/1.1', JSON_TYPE, 'Transfer-Encoding: chunked'], '0\r\n\r\n'],
  ['POST, length 0, gzip', ['POST / HTTP/1.1', JSON_TYPE, 'Content-Length: 0', 'Content-Encoding: gzip']],
  ['POST, length 0, unknown encoding', ['POST / HTTP/1.1', JSON_TYPE, 'Content-Length: 0', 'Content-Encoding: xz']],
  ['POST, a body', ['POST / HTTP/1.1', JSON_TYPE, 'Content-Length: 7'], '{"a":1}'],
  ['POST, malformed', ['POST / HTTP/1.1', JSON_TYPE, 'Content-Length: 5'], '{"a":'],
  ['POST, a string', ['POST / HTTP/1.1', JSON_TYPE, 'Content-Length: 7'], '"hello"'],
  ['POST, too large', ['POST / HTTP/1.1', JSON_TYPE, `Content-Length: ${LIMIT + 10}`], `"${'x'.repeat(LIMIT + 8)}"`],
  ['GET', ['GET / HTTP/1.1']],
  ['DELETE, length 0', ['DELETE / HTTP/1.1', JSON_TYPE, 'Content-Length: 0']],
];

test('every request gets what the parser alone gives it: the same body, the same refusal', async () => {
  const limit = `${LIMIT}b`;
  const parserOnly = await echo(
    bodyParser({ enableTypes: ['json'], jsonLimit: limit, formLimit: limit, textLimit: limit, encoding: 'utf-8' }),
  );
  const ours = await echo(jsonBody(LIMIT));
  for (const [label, head, body] of requests) {
    const [expected, got] = [await raw(parserOnly, head, body), await raw(ours, head, body)];
    expect(`${label}: ${got}`).toBe(`${label}: ${expected}`);
  }
  // The cases say what they are meant to: bodies, refusals and reads each answered as such.
  expect(await raw(ours, requests[1]![1])).toMatch(/^HTTP\/1.1 200 OK \{"body":\{\}\}$/);
  expect(await raw(ours, requests[9]![1], requests[9]![2])).toMatch(/^HTTP\/1.1 400 /);
  expect(await raw(ours, requests[7]![1])).toMatch(/^HTTP\/1.1 415 /);
  expect(await raw(ours, requests[12]![1])).toMatch(/"body":"none"/);
});

test('a write with no body is not read through the parser; one with bytes is', async () => {
  const port = await echo(jsonBody(LIMIT));
  const reads = jest.spyOn(coBody, 'json');
  try {
    await raw(port, ['POST / HTTP/1.1', JSON_TYPE, 'Content-Length: 0']);
    await raw(port, ['POST / HTTP/1.1', JSON_TYPE]);
    expect(reads).toHaveBeenCalledTimes(0);
    await raw(port, ['POST / HTTP/1.1', JSON_TYPE, 'Content-Length: 2'], '{}');
    expect(reads).toHaveBeenCalledTimes(1);
  } finally {
    reads.mockRestore();
  }
});
