/**
 * The API's dispatch by first path segment (http/route-index.ts, issue 17): every route is still reached by its own
 * path, no route is hidden behind an earlier one, odd paths (upper case, trailing slash, unknown segments, other
 * methods) match the same layers as the full router did (so 404/405/OPTIONS/501 stay the same), and a request tests
 * only its own segment's layers.
 */
import type Router from '@koa/router';
import type { Middleware } from 'koa';
import { loadConfig } from '../../config';
import { createApp } from '../src/app';
import type { AppState } from '../src/http/types';

type Dispatch = Middleware<AppState> & { router: Router<AppState> };
type Layer = Router<AppState>['stack'][number];

const app = createApp({ config: loadConfig({ NODE_ENV: 'test' }, { h5Dir: '/nonexistent' }), engine: 'test' });
const dispatch = (app.middleware as Dispatch[]).find((mw) => mw.router?.opts.prefix === '/api/v1')!;
const api = dispatch.router;
const routes = api.stack.filter((layer) => layer.methods.length > 0);
const routePaths = new Set(routes.map((layer) => layer.path));

/** Thrown by the probe once the router has chosen a layer, so no handler runs. */
class Chosen extends Error {}

/**
 * What the app's dispatch does with a request: the layers matching its path (`ctx.matched`, which allowedMethods
 * reads) and the path of the layer it runs first. The router writes `ctx.routerPath` just before the layer's own
 * middleware; the probe stops there.
 */
async function probe(method: string, path: string) {
  let ran: string | undefined;
  const ctx = { method, path, host: 'localhost', state: {}, request: {} } as Record<string, unknown>;
  Object.defineProperty(ctx, 'routerPath', {
    get: () => undefined,
    set: (value: string) => {
      ran = value;
      // A middleware layer (none today) calls on; a route's layer is where the probe stops.
      if (routePaths.has(value)) throw new Chosen();
    },
  });
  await (dispatch as unknown as (c: unknown, n: () => Promise<void>) => Promise<void>)(ctx, async () => {}).catch(
    (err: unknown) => {
      if (!(err instanceof Chosen)) throw err;
    },
  );
  return { ran, matched: ((ctx.matched ?? []) as Layer[]).map((l) => l.path) };
}

/** What the full API router matches for the same request (the behaviour before the index). */
function full(method: string, path: string) {
  const { path: matched, pathAndMethod } = api.match(path, method);
  return { ran: pathAndMethod.find((l) => l.methods.length > 0)?.path, matched: matched.map((l) => l.path) };
}

const methodOf = (layer: Layer) => layer.methods.find((m) => m !== 'HEAD')!;
/** A route's own path with a value for each parameter that no route spells as plain text. */
const concrete = (layer: Layer) => (layer.path as string).replace(/:\w+/g, 'zz-sample-1');

describe('API dispatch by first path segment', () => {
  test('when the API router is built, then no module adds a middleware every API request passes through', () => {
    expect(api.stack.filter((layer) => layer.methods.length === 0).map((layer) => layer.path)).toEqual([]);
  });

  test('when each route is called by its own path, then the app runs that route and no earlier one', async () => {
    expect(routes.length).toBeGreaterThan(150);
    const keys = routes.map((l) => `${methodOf(l)} ${l.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    const wrong: string[] = [];
    for (const layer of routes) {
      const [method, path] = [methodOf(layer), concrete(layer)];
      const first = full(method, path).ran;
      if (first !== layer.path) wrong.push(`${method} ${layer.path}: hidden behind ${first}`);
      const reached = await probe(method, path);
      if (reached.ran !== layer.path) wrong.push(`${method} ${layer.path}: the app ran ${reached.ran}`);
      expect(reached.matched).toEqual(full(method, path).matched);
    }
    expect(wrong).toEqual([]);
  });

  test('when a path is odd or unknown, then the same layers match as in the full router', async () => {
    const paths = [
      '/API/V1/LEADERBOARDS/MEMBERS',
      '/api/v1/Me',
      '/api/v1/me/',
      '/api/v1/me/extra',
      '/api/v1/no-such-thing',
      '/api/v1',
      '/api/v1/',
      '/api/v2/me',
      '/healthz',
      '/',
      '/api/v1/%6De',
      ...routes.slice(0, 40).map((l) => `${concrete(l)}/`),
    ];
    for (const path of paths)
      for (const method of ['GET', 'POST', 'PATCH', 'DELETE', 'OPTIONS', 'PROPFIND']) {
        expect({ path, method, ...(await probe(method, path)) }).toEqual({ path, method, ...full(method, path) });
      }
  });

  test('when a board is read, then only its own segment’s routes are tested', async () => {
    let tested = 0;
    const originals = api.stack.map((layer) => layer.match);
    api.stack.forEach((layer, i) => {
      layer.match = (path: string) => ((tested += 1), originals[i]!.call(layer, path));
    });
    try {
      const { ran } = await probe('GET', '/api/v1/leaderboards/members');
      expect(ran).toBe('/api/v1/leaderboards/members');
    } finally {
      api.stack.forEach((layer, i) => (layer.match = originals[i]!));
    }
    const own = routes.filter((l) => (l.path as string).startsWith('/api/v1/leaderboards/')).length;
    expect(tested).toBe(own);
  });
});
