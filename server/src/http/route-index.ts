import Router from '@koa/router';
import type { Middleware } from 'koa';
import type { AppState } from './types';

type Layer = Router<AppState>['stack'][number];

/**
 * A route's first path segment after the prefix when it is plain text ('/api/v1/leaderboards/members' →
 * 'leaderboards'), lower-cased as path-to-regexp compares (case-insensitive). Undefined when the segment holds a
 * parameter, a wildcard or an optional part: such a route could answer under any segment.
 */
function literalSegment(path: string | RegExp, prefix: string): string | undefined {
  if (typeof path !== 'string' || !path.toLowerCase().startsWith(prefix)) return undefined;
  return /^\/([\w.~-]+)(?=\/|$)/.exec(path.slice(prefix.length))?.[1]?.toLowerCase();
}

/** The request path's first segment after the prefix ('' when the path is not under it). */
function requestSegment(path: string, prefix: string): string {
  const under = path.startsWith(prefix) || path.slice(0, prefix.length).toLowerCase() === prefix;
  if (!under || path.charCodeAt(prefix.length) !== 0x2f /* '/' */) return '';
  const end = path.indexOf('/', prefix.length + 1);
  return path.slice(prefix.length + 1, end === -1 ? undefined : end);
}

/** A router holding the given layers as they are (the same objects: same regexps, paths and middleware). */
function routerOf(layers: Layer[]): Router<AppState> {
  const router = new Router<AppState>();
  router.stack.push(...layers);
  return router;
}

/**
 * The API router's dispatch, indexed by the first path segment (issue 17). @koa/router tests every layer's regexp on
 * every request: ~215 on /api/v1, ~5 % of a board read's Node CPU. Here a request tests only the layers that can
 * match it: those whose first segment is its own, plus any layer whose first segment is not plain text, all in the
 * API router's order. So the same layers match as before, in the same order: the same handler runs and `ctx.matched`
 * holds the same layers, which the API router's one allowedMethods reads for 405/OPTIONS/501. A path under no known
 * segment goes to a router with only those other layers (none today), which matches nothing, as the full one did.
 * `.router` is the full API router, for the tests that list every route from the app's middleware.
 */
export function routesBySegment(api: Router<AppState>): Middleware<AppState> & { router: Router<AppState> } {
  const prefix = (api.opts.prefix ?? '').toLowerCase();
  const segments = new Set(api.stack.map((layer) => literalSegment(layer.path, prefix)));
  const bySegment = new Map<string, Middleware<AppState>>();
  for (const segment of segments) {
    if (segment === undefined) continue;
    const layers = api.stack.filter((layer) => [segment, undefined].includes(literalSegment(layer.path, prefix)));
    bySegment.set(segment, routerOf(layers).routes() as Middleware<AppState>);
  }
  const elsewhere = routerOf(
    api.stack.filter((l) => literalSegment(l.path, prefix) === undefined),
  ).routes() as Middleware<AppState>;
  const dispatch = (ctx: Parameters<Middleware<AppState>>[0], next: () => Promise<unknown>) => {
    const segment = requestSegment(ctx.path, prefix);
    const routes = bySegment.get(segment) ?? bySegment.get(segment.toLowerCase()) ?? elsewhere;
    return routes(ctx, next);
  };
  return Object.assign(dispatch as Middleware<AppState>, { router: api });
}
