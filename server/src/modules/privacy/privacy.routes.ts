import Router from '@koa/router';
import { z } from 'zod';
import { IdParamSchema, IdSchema } from '@pioneer/shared';
import { CloseAccountBodySchema, ConsentBodySchema, PrivacySettingsBodySchema } from '@pioneer/shared/src/privacy';
import type { RouteDeps } from '../../http/deps';
import { requireRole, sessionUser } from '../../http/auth';
import type { AppState } from '../../http/types';
import { handle } from '../../http/validate';
import { recordAudit } from '../audit/audit.service';
import { closeAccount } from './closure.service';
import { privacyStatus, putPrivacySettings, recordConsent } from './consent.service';
import { memberContact, residentContact } from './contact.service';
import { myData, myDataXlsx } from './export.service';

const FormatQuerySchema = z.object({ format: z.enum(['json', 'xlsx']).default('json') });

export function privacyRoutes({ auth, config }: RouteDeps): Router<AppState> {
  const router = new Router<AppState>();

  router.get('/privacy', auth, async (ctx) => {
    ctx.body = await privacyStatus(sessionUser(ctx.state));
  });

  router.post(
    '/privacy/consent',
    auth,
    handle({ body: ConsentBodySchema }, async ({ body }, ctx) => {
      ctx.body = await recordConsent(sessionUser(ctx.state), body);
    }),
  );

  router.put(
    '/privacy/settings',
    auth,
    requireRole('admin'),
    handle({ body: PrivacySettingsBodySchema }, async ({ body }, ctx) => {
      ctx.body = await putPrivacySettings(sessionUser(ctx.state), body);
    }),
  );

  // 我的数据: everything stored about the caller, as JSON (the page) or an XLSX download.
  router.get(
    '/me/data',
    auth,
    handle({ query: FormatQuerySchema }, async ({ query }, ctx) => {
      const data = await myData(sessionUser(ctx.state).id);
      ctx.set('Cache-Control', 'no-store');
      if (query.format === 'json') {
        ctx.body = data;
        return;
      }
      ctx.set(
        'Content-Disposition',
        `attachment; filename="my-data.xlsx"; filename*=UTF-8''${encodeURIComponent('我的数据.xlsx')}`,
      );
      ctx.type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
      ctx.body = await myDataXlsx(data);
    }),
  );

  router.post(
    '/me/close',
    auth,
    handle({ body: CloseAccountBodySchema }, async (_input, ctx) => {
      const me = sessionUser(ctx.state);
      // The line names the anonymous id only: after closure it is all that is left of the member.
      await recordAudit({ actorId: me.id, action: 'member.close', targetType: 'user', targetId: me.id });
      await closeAccount(me.id, config.dataDir);
      ctx.body = { closed: true };
    }),
  );

  router.get(
    '/members/:userId/contact',
    auth,
    requireRole('secretary', 'admin'),
    handle({ params: z.object({ userId: IdSchema }) }, async ({ params }, ctx) => {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = await memberContact(sessionUser(ctx.state), params.userId);
    }),
  );

  router.get(
    '/wishes/:id/contact',
    auth,
    // Who runs the wish's org, or its claimant at work on it (issue 15): the service decides (a member may be either).
    handle({ params: IdParamSchema }, async ({ params }, ctx) => {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = await residentContact(sessionUser(ctx.state), params.id);
    }),
  );

  return router;
}
