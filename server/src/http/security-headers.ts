import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Middleware } from 'koa';
import helmet from 'koa-helmet';

/** The security headers of every reply but the liveness probe's (health.ts): helmet's, with the pages' CSP. */
export const SECURITY_HEADERS: Parameters<typeof helmet>[0] = {
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      imgSrc: ["'self'", 'data:', 'blob:', 'https:'],
      styleSrc: ["'self'", "'unsafe-inline'"],
      scriptSrc: ["'self'"],
      connectSrc: ["'self'"],
    },
  },
  crossOriginEmbedderPolicy: false,
};

type HeaderStep = ['set', string, string | number | readonly string[]] | ['remove', string];

/**
 * What helmet does to a reply, found once at start-up: with these options (no directive is a function of the
 * request) it sets the same twelve headers on every reply, yet rebuilds the CSP string and walks its own chain of
 * middlewares through a promise per request (issue 17: ~4% of a board read's Node CPU). Helmet runs its middlewares
 * synchronously; a recorder stands in for the response.
 */
function helmetSteps(options: Parameters<typeof helmet>[0]): HeaderStep[] {
  const steps: HeaderStep[] = [];
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => void steps.push(['set', name, value]),
    removeHeader: (name: string) => void steps.push(['remove', name]),
  };
  const ctx = { req: {} as IncomingMessage, res: recorder as unknown as ServerResponse };
  void helmet(options)(ctx as never, () => Promise.resolve());
  if (steps.length === 0) throw new Error('helmet set no header synchronously: replaying it would drop them');
  return steps;
}

/** helmet's headers with `options`, replayed on each reply as helmet would set them. */
export function securityHeaders(options = SECURITY_HEADERS): Middleware {
  const steps = helmetSteps(options);
  return (ctx, next) => {
    for (const step of steps) {
      if (step[0] === 'set') ctx.res.setHeader(step[1], step[2]);
      else ctx.res.removeHeader(step[1]);
    }
    return next();
  };
}
