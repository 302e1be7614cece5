import type { mongo } from 'mongoose';
import { loadConfig } from '../../config';
import { tokenIssuer, type TokenIssuer } from '../../server/src/http/auth';
import { beginSigning, sessionToken } from '../../server/src/modules/users/session-claims';
import { UserModel, type UserDoc } from '../../server/src/modules/users/users.model';

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

/** A member's session token, signed once per member; `signAll` signs every member's as sign-in does (signSessions). */
export function sessionTokens(secret: string): ((userId: string) => string) & { signAll(): Promise<void> } {
  const tokens = tokenIssuer(secret, 3600);
  const cache = new Map<string, string>();
  const token = (id: string) => cache.get(id) ?? cache.set(id, tokens.sign(id)).get(id)!;
  return Object.assign(token, { signAll: () => signSessions(tokens, cache) });
}

/**
 * Every member's token as their sign-in signs it (its claims: server/src/modules/users/session-claims.ts), read in
 * one pass over the members before any timing, into `cache` (member id -> token). BENCH_PLAIN_TOKENS=1 signs them
 * without claims, as tokens from before claims were (every cold read then reads the member): a before/after.
 */
export async function signSessions(tokens: TokenIssuer, cache: Map<string, string>): Promise<void> {
  const plain = process.env.BENCH_PLAIN_TOKENS === '1';
  const signing = await beginSigning(); // the marks before the members are read, as a sign-in takes them
  const users = UserModel.collection as unknown as mongo.Collection<UserDoc>;
  for await (const user of users.find({}, { batchSize: 5000 }))
    cache.set(user._id, plain ? tokens.sign(user._id) : sessionToken(tokens, user, signing));
}
