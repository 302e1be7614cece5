/**
 * The request log (http/logging.ts): one 'request' line per request with its id, and the request's child logger made
 * only when something logs through it (issue 17: a child per request cost every read a bindings serialization).
 */
import Koa from 'koa';
import pino from 'pino';
import supertest from 'supertest';
import { requestLogging } from '../src/http/logging';
import type { AppState } from '../src/http/types';

function loggedApp(level: pino.Level, handler: Koa.Middleware<AppState>) {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  const children = { made: 0 };
  const child = logger.child.bind(logger);
  logger.child = ((...args: Parameters<typeof child>) => {
    children.made += 1;
    return child(...args);
  }) as typeof logger.child;
  const app = new Koa<AppState>();
  app.use(requestLogging(logger));
  app.use(handler);
  return { http: supertest(app.callback()), lines, children };
}

describe('request log', () => {
  test('when a request ends, then one request line carries its id, method, route and status', async () => {
    const { http, lines, children } = loggedApp('info', (ctx) => {
      ctx.body = { ok: true };
    });
    const res = await http.get('/api/v1/x').set('x-request-id', 'req-abcdefgh');
    expect(res.headers['x-request-id']).toBe('req-abcdefgh');
    expect(lines).toEqual([
      expect.objectContaining({
        reqId: 'req-abcdefgh',
        method: 'GET',
        route: '/api/v1/x',
        status: 200,
        msg: 'request',
      }),
    ]);
    expect(Object.keys(lines[0]!).indexOf('reqId')).toBeLessThan(Object.keys(lines[0]!).indexOf('method'));
    expect(children.made).toBe(0);
  });

  test('when a handler logs through ctx.state.log, then its line carries the request id too', async () => {
    const { http, lines, children } = loggedApp('info', (ctx) => {
      ctx.state.log.warn({ step: 1 }, 'something odd');
      ctx.state.log.warn({ step: 2 }, 'something odd');
      ctx.body = {};
    });
    const res = await http.get('/api/v1/y');
    const id = res.headers['x-request-id'];
    expect(id).toMatch(/^[\w-]{8,}$/);
    expect(lines.filter((l) => l.msg === 'something odd').map((l) => [l.reqId, l.step])).toEqual([
      [id, 1],
      [id, 2],
    ]);
    expect(children.made).toBe(1);
  });

  test('when the info level is off, then no line is written', async () => {
    const { http, lines } = loggedApp('warn', (ctx) => {
      ctx.body = {};
    });
    await http.get('/api/v1/z');
    expect(lines).toEqual([]);
  });
});
