import Router from '@koa/router';
import { z } from 'zod';
import { IdParamSchema, IdSchema } from '@pioneer/shared';
import { CloseAccountBodySchema, ConsentBodySchema, PrivacySettingsBodySchema } from '@pioneer/shared/src/privacy';
import type { RouteDeps } from '../../http/deps';
import { sendDownload } from '../../http/files';
import { ADMINS, MANAGERS, apiRoutes } from '../../http/route';
import type { AppState } from '../../http/types';
import { recordAudit } from '../audit/audit.service';
import { closeAccount } from './closure.service';
import { privacyStatus, putPrivacySettings, recordConsent } from './consent.service';
import { memberContact, residentContact } from './contact.service';
import { myData, myDataXlsx } from './export.service';

const FormatQuerySchema = z.object({ format: z.enum(['json', 'xlsx']).default('json') });

export function privacyRoutes({ auth, config }: RouteDeps): Router<AppState> {
  const router = new Router<AppState>();
  const api = apiRoutes(router, auth);

  api.get('/privacy', {}, (me) => privacyStatus(me));
  api.post('/privacy/consent', { body: ConsentBodySchema }, (me, { body }) => recordConsent(me, body));
  api.put('/privacy/settings', { roles: ADMINS, body: PrivacySettingsBodySchema }, (me, { body }) =>
    putPrivacySettings(me, body),
  );

  // 我的数据: everything stored about the caller, as JSON (the page) or an XLSX download.
  api.get('/me/data', { query: FormatQuerySchema, noStore: true }, async (me, { query }, ctx) => {
    const data = await myData(me.id);
    if (query.format === 'json') return data;
    sendDownload(ctx, { name: '我的数据.xlsx', asciiName: 'my-data.xlsx', body: await myDataXlsx(data) });
  });

  api.post('/me/close', { body: CloseAccountBodySchema }, async (me) => {
    // The line names the anonymous id only: after closure it is all that is left of the member.
    await recordAudit({ actorId: me.id, action: 'member.close', targetType: 'user', targetId: me.id });
    await closeAccount(me.id, config.dataDir);
    return { closed: true };
  });

  api.get(
    '/members/:userId/contact',
    { roles: MANAGERS, params: z.object({ userId: IdSchema }), noStore: true },
    (me, { params }) => memberContact(me, params.userId),
  );
  // Who runs the wish's org, or its claimant at work on it (issue 15): the service decides (a member may be either).
  api.get('/wishes/:id/contact', { params: IdParamSchema, noStore: true }, (me, { params }) =>
    residentContact(me, params.id),
  );

  return router;
}
