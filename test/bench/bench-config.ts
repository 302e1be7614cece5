import { loadConfig } from '../../config';
import { tokenIssuer } from '../../server/src/http/auth';

/** The benchmarks' server config: the test config with shared views as deployed and no rate limits. */
export function benchConfig() {
  // Rate limits off: the load generator is one IP driving thousands of members (the limits are tested elsewhere).
  return loadConfig(
    { NODE_ENV: 'test' },
    {
      h5Dir: '/nonexistent',
      rateLimit: { loginPerMinIp: 0, writesPerMinUser: 0, writesPerMinIp: 0, readsPerMinUser: 0 },
      // Shared views as deployed (the test config turns them off so each test reads what it wrote).
      sharedViewMs: Number(process.env.SHARED_VIEW_MS ?? 1000),
    },
  );
}

/** A member's session token, signed once per member. */
export function sessionTokens(secret: string): (userId: string) => string {
  const tokens = tokenIssuer(secret, 3600);
  const cache = new Map<string, string>();
  return (id) => cache.get(id) ?? cache.set(id, tokens.sign(id)).get(id)!;
}
