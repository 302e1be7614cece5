import Router from '@koa/router';
import QRCode from 'qrcode';
import {
  BindRequestParamSchema,
  IdParamSchema,
  PhoneCodeBodySchema,
  ROSTER_MAX_BYTES,
  RosterClaimBodySchema,
  RosterImportKeyParamSchema,
  type JoinPoster,
} from '@pioneer/shared';
import type { RouteDeps } from '../../http/deps';
import { requireRole, sessionUser } from '../../http/auth';
import { AppError } from '../../http/errors';
import { drainRefusedUpload, singleFile, uploadedFile, XLSX_TYPE } from '../../http/files';
import { ADMINS, MANAGERS, apiRoutes } from '../../http/route';
import type { AppState } from '../../http/types';
import { codeToPhone } from '../auth/wechat.client';
import { createInvite, requireOrg } from '../orgs/orgs.service';
import {
  assertUnplaced,
  bindByWechatPhone,
  claimByTypedPhone,
  decideBindRequest,
  listBindRequests,
  matchByWechatPhone,
} from './binding.service';
import { confirmRosterImport, dryRunRoster, getRosterImport } from './roster.import';
import { rosterTemplate } from './roster.parse';

const MB = ROSTER_MAX_BYTES / 1024 / 1024;
const NO_FILE = '请以 file 字段上传 XLSX 或 CSV 文件';
const upload = singleFile({
  field: 'file',
  maxBytes: ROSTER_MAX_BYTES,
  tooLarge: `名册文件不能超过 ${MB} MB，请按乡镇分成几个文件导入`,
  missing: NO_FILE,
});

/** A join poster's invite: a month, enough uses for a village branch's members. */
const POSTER_INVITE = { expiresInDays: 30, maxUses: 200 };

export function rosterRoutes({ auth, config, tokens }: RouteDeps): Router<AppState> {
  const router = new Router<AppState>();
  const api = apiRoutes(router, auth);

  api.get('/roster/template', { roles: ADMINS }, async (_me, _input, ctx) => {
    ctx.set('content-type', XLSX_TYPE);
    ctx.set('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent('党员名册模板.xlsx')}`);
    ctx.body = await rosterTemplate();
  });

  router.post('/roster/imports', drainRefusedUpload(), auth, requireRole(...ADMINS), upload, async (ctx) => {
    const file = uploadedFile(ctx, NO_FILE);
    const name = Buffer.from(file.originalname, 'latin1').toString('utf8');
    if (!/\.(csv|xlsx)$/i.test(name)) throw new AppError('UNSUPPORTED_MEDIA_TYPE', '只支持 Excel（.xlsx）或 CSV 文件');
    ctx.status = 201;
    ctx.body = await dryRunRoster(sessionUser(ctx.state), { buffer: file.buffer, name });
  });
  api.get('/roster/imports/:key', { roles: ADMINS, params: RosterImportKeyParamSchema }, (me, { params }) =>
    getRosterImport(me, params.key),
  );
  api.post('/roster/imports/:key/confirm', { roles: ADMINS, params: RosterImportKeyParamSchema }, (me, { params }) =>
    confirmRosterImport(me, params.key),
  );

  // weapp: the getPhoneNumber button's code -> the phone (from WeChat) -> the roster row to confirm.
  api.post('/me/roster/phone', { body: PhoneCodeBodySchema }, async (me, { body }) => {
    // A placed member is refused before WeChat is asked.
    await assertUnplaced(me.id);
    return matchByWechatPhone(me.id, await codeToPhone(config.wechat, body.code));
  });
  api.post('/me/roster/bind', {}, (me) => bindByWechatPhone(tokens, me.id));
  // H5: typed phone + name -> a request the branch secretary confirms.
  api.post('/me/roster/claim', { body: RosterClaimBodySchema }, (me, { body }) =>
    claimByTypedPhone(me.id, body.phone, body.name),
  );

  api.get('/orgs/:id/bind-requests', { roles: MANAGERS, params: IdParamSchema }, (me, { params }) =>
    listBindRequests(me, params.id),
  );
  for (const [verb, accept] of [
    ['confirm', true],
    ['reject', false],
  ] as const) {
    api.post(
      `/orgs/:id/bind-requests/:requestId/${verb}`,
      { roles: MANAGERS, params: BindRequestParamSchema },
      (me, { params }) => decideBindRequest(me, params.id, params.requestId, accept),
    );
  }

  // One tap for the secretary: a month's invite and its QR (the page draws the printable poster around it).
  api.post(
    '/orgs/:id/join-poster',
    { roles: MANAGERS, params: IdParamSchema, status: 201 },
    async (me, { params }, ctx): Promise<JoinPoster> => {
      const invite = await createInvite(me, params.id, POSTER_INVITE);
      const branch = await requireOrg(params.id);
      const joinUrl = `${ctx.origin}/#/pages/join/index?code=${invite.code}`;
      return {
        code: invite.code,
        branchName: branch.name,
        expiresAt: invite.expiresAt,
        qrPng: await QRCode.toDataURL(joinUrl, { errorCorrectionLevel: 'M', margin: 2, width: 480 }),
        joinUrl,
      };
    },
  );

  return router;
}
