import type { Middleware } from 'koa';
import type { Config } from '../../../config';
import type { TokenIssuer } from './auth';
import type { AppState } from './types';

/** What route modules need from the app: config, the session issuer and the auth guard built from it. */
export interface RouteDeps {
  config: Config;
  tokens: TokenIssuer;
  auth: Middleware<AppState>;
}
