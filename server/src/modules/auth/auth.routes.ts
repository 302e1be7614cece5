import Router from '@koa/router';
import { DevLoginBodySchema, WechatLoginBodySchema, type PublicConfig } from '@pioneer/shared';
import { AppError } from '../../http/errors';
import type { RouteDeps } from '../../http/deps';
import type { AppState } from '../../http/types';
import { handle } from '../../http/validate';
import { signInWithOpenid, signInWithWechat } from './auth.service';
import { DEMO_IDENTITIES } from './demo-identities';

export function authRoutes({ config, tokens }: RouteDeps): Router<AppState> {
  const router = new Router<AppState>();

  router.get('/config/public', async (ctx) => {
    const body: PublicConfig = { devLogin: config.devLogin, demoIdentities: config.devLogin ? DEMO_IDENTITIES : [] };
    ctx.body = body;
  });

  router.post(
    '/auth/wechat',
    handle({ body: WechatLoginBodySchema }, async ({ body }, ctx) => {
      ctx.body = await signInWithWechat(tokens, config.wechat, body.code);
    }),
  );

  router.post(
    '/auth/dev',
    async (ctx, next) => {
      // Off in production: the route then does not exist at all.
      if (!config.devLogin) throw new AppError('NOT_FOUND', '接口不存在');
      await next();
    },
    handle({ body: DevLoginBodySchema }, async ({ body }, ctx) => {
      ctx.body = await signInWithOpenid(tokens, body.openid, body.name);
    }),
  );

  return router;
}
