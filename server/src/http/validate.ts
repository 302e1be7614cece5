import type { Middleware } from 'koa';
import { z } from 'zod';
import { AppError } from './errors';
import type { AppContext, AppState } from './types';

/** Finds the first `$`-key or dotted key anywhere in a value: operator injection is refused, not stripped. */
export function findOperatorKey(value: unknown, depth = 0): string | null {
  if (depth > 20 || value === null || typeof value !== 'object') return null;
  for (const [key, inner] of Object.entries(value)) {
    if (key.includes('$') || key.includes('.')) return key;
    const found = findOperatorKey(inner, depth + 1);
    if (found) return found;
  }
  return null;
}

function parsePart<T extends z.ZodTypeAny>(schema: T | undefined, value: unknown, where: string): z.infer<T> {
  if (!schema) return undefined as z.infer<T>;
  const operator = findOperatorKey(value);
  if (operator) throw new AppError('VALIDATION_FAILED', `不允许的字段名：${operator}`, { where, key: operator });
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: [where, ...i.path].join('.'), message: i.message }));
    throw new AppError(
      'VALIDATION_FAILED',
      `${issues[0]?.message ?? '提交的内容有误'}（${issues[0]?.path ?? where}）`,
      issues,
    );
  }
  return parsed.data;
}

interface Schemas<B extends z.ZodTypeAny, Q extends z.ZodTypeAny, P extends z.ZodTypeAny> {
  body?: B;
  query?: Q;
  params?: P;
}

export interface Input<B extends z.ZodTypeAny, Q extends z.ZodTypeAny, P extends z.ZodTypeAny> {
  body: z.infer<B>;
  query: z.infer<Q>;
  params: z.infer<P>;
}

/**
 * A route handler that only sees input parsed by the shared zod schemas (unknown keys stripped, `$`-keys refused).
 * Parts without a schema are not read at all.
 */
export function handle<
  B extends z.ZodTypeAny = z.ZodUndefined,
  Q extends z.ZodTypeAny = z.ZodUndefined,
  P extends z.ZodTypeAny = z.ZodUndefined,
>(schemas: Schemas<B, Q, P>, handler: (input: Input<B, Q, P>, ctx: AppContext) => Promise<void>): Middleware<AppState> {
  const middleware: Middleware<AppState> = async (ctx) => {
    const request = ctx.request as typeof ctx.request & { body?: unknown };
    const input = {
      body: parsePart(schemas.body, request.body ?? {}, 'body'),
      query: parsePart(schemas.query, { ...ctx.query }, 'query'),
      params: parsePart(schemas.params, { ...(ctx as unknown as { params: Record<string, string> }).params }, 'params'),
    };
    await handler(input, ctx as AppContext);
  };
  // Kept on the middleware so tests can find every route's schemas from the router (the bad-input sweep).
  return Object.assign(middleware, { schemas });
}

/** The schemas `handle()` parses with, if this middleware came from it. */
export function schemasOf(middleware: unknown): Schemas<z.ZodTypeAny, z.ZodTypeAny, z.ZodTypeAny> | undefined {
  return (middleware as { schemas?: Schemas<z.ZodTypeAny, z.ZodTypeAny, z.ZodTypeAny> } | null)?.schemas;
}
