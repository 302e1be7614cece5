import type Router from '@koa/router';
import type { Middleware } from 'koa';
import type { z } from 'zod';
import type { Role } from '@pioneer/shared';
import { requireRole, sessionUser } from './auth';
import { idempotencyKeyOf } from './idempotency';
import type { AppContext, AppState, SessionUser } from './types';
import { handle, type Input } from './validate';

/** The coarse gates before a service decides on the target (who manages which org is the policy module's). */
export const MANAGERS: readonly Role[] = ['secretary', 'admin'];
export const ADMINS: readonly Role[] = ['admin'];

export interface RouteSpec<B extends z.ZodTypeAny, Q extends z.ZodTypeAny, P extends z.ZodTypeAny> {
  /** Roles that may call at all (403 for anyone else); without it, anyone signed in. */
  roles?: readonly Role[];
  body?: B;
  query?: Q;
  params?: P;
  /** The success status: 201 for what creates, 204 for what replies with nothing. 200 by default. */
  status?: 200 | 201 | 204;
  /** The reply holds personal data or a one-time code: no cache may keep it. */
  noStore?: true;
}

/**
 * What a route's service call sees: the signed-in caller, the parsed input and the request's Idempotency-Key
 * (undefined when none; a malformed one was refused with 400 by the one rule, `idempotencyKeyOf`).
 */
export type RouteAct<B extends z.ZodTypeAny, Q extends z.ZodTypeAny, P extends z.ZodTypeAny> = (
  actor: SessionUser,
  input: Input<B, Q, P> & { key: string | undefined },
  ctx: AppContext,
) => Promise<unknown>;

type Verb = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * The chain every signed-in API route shares, named once: the session (`auth`), the role gate, the input parsed
 * by the shared schemas (`handle`, which the bad-input sweep finds on the route), then one call whose answer is
 * the reply. Whether the caller may act on this org or item is decided inside that call through the policy
 * module, and the services write their own audit lines (a route that hands out a file of names writes its
 * export line itself). A route that sends a file sets `ctx` itself and returns nothing.
 */
export function apiRoutes(router: Router<AppState>, auth: Middleware<AppState>) {
  const add =
    (verb: Verb) =>
    <
      B extends z.ZodTypeAny = z.ZodUndefined,
      Q extends z.ZodTypeAny = z.ZodUndefined,
      P extends z.ZodTypeAny = z.ZodUndefined,
    >(
      path: string,
      spec: RouteSpec<B, Q, P>,
      act: RouteAct<B, Q, P>,
    ) => {
      const { roles, status = 200, noStore, ...schemas } = spec;
      const gate = roles ? [requireRole(...roles)] : [];
      const reply = handle(schemas, async (input, ctx) => {
        if (noStore) ctx.set('Cache-Control', 'no-store');
        const answer = await act(sessionUser(ctx.state), { ...input, key: idempotencyKeyOf(ctx) }, ctx);
        if (status === 204) {
          ctx.status = 204;
        } else if (answer !== undefined) {
          ctx.status = status;
          ctx.body = answer;
        }
      });
      router[verb](path, auth, ...gate, reply);
    };
  return { get: add('get'), post: add('post'), put: add('put'), patch: add('patch'), delete: add('delete') };
}
