import Router from '@koa/router';
import multer from '@koa/multer';
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
import { AppError, invalid } from '../../http/errors';
import type { AppState } from '../../http/types';
import { handle } from '../../http/validate';
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

const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: ROSTER_MAX_BYTES, files: 1 } });
const MB = ROSTER_MAX_BYTES / 1024 / 1024;

/** A join poster's invite: a month, enough uses for a village branch's members. */
const POSTER_INVITE = { expiresInDays: 30, maxUses: 200 };

export function rosterRoutes({ auth, config, tokens }: RouteDeps): Router<AppState> {
  const router = new Router<AppState>();

  router.get('/roster/template', auth, requireRole('admin'), async (ctx) => {
    ctx.set('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    ctx.set('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent('党员名册模板.xlsx')}`);
    ctx.body = await rosterTemplate();
  });

  router.post(
    '/roster/imports',
    auth,
    requireRole('admin'),
    async (ctx, next) => {
      try {
        await upload.single('file')(ctx as never, next);
      } catch (err) {
        if (err instanceof AppError) throw err;
        if ((err as { code?: string }).code === 'LIMIT_FILE_SIZE')
          throw new AppError('PAYLOAD_TOO_LARGE', `名册文件不能超过 ${MB} MB，请按乡镇分成几个文件导入`);
        throw invalid('请以 file 字段上传 XLSX 或 CSV 文件');
      }
    },
    async (ctx) => {
      const file = (ctx as unknown as { file?: { buffer: Buffer; originalname: string } }).file;
      if (!file) throw invalid('请以 file 字段上传 XLSX 或 CSV 文件');
      const name = Buffer.from(file.originalname, 'latin1').toString('utf8');
      if (!/\.(csv|xlsx)$/i.test(name))
        throw new AppError('UNSUPPORTED_MEDIA_TYPE', '只支持 Excel（.xlsx）或 CSV 文件');
      ctx.status = 201;
      ctx.body = await dryRunRoster(sessionUser(ctx.state), { buffer: file.buffer, name });
    },
  );

  router.get(
    '/roster/imports/:key',
    auth,
    requireRole('admin'),
    handle({ params: RosterImportKeyParamSchema }, async ({ params }, ctx) => {
      ctx.body = await getRosterImport(sessionUser(ctx.state), params.key);
    }),
  );

  router.post(
    '/roster/imports/:key/confirm',
    auth,
    requireRole('admin'),
    handle({ params: RosterImportKeyParamSchema }, async ({ params }, ctx) => {
      ctx.body = await confirmRosterImport(sessionUser(ctx.state), params.key);
    }),
  );

  // weapp: the getPhoneNumber button's code -> the phone (from WeChat) -> the roster row to confirm.
  router.post(
    '/me/roster/phone',
    auth,
    handle({ body: PhoneCodeBodySchema }, async ({ body }, ctx) => {
      const userId = sessionUser(ctx.state).id;
      // A placed member is refused before WeChat is asked.
      await assertUnplaced(userId);
      ctx.body = await matchByWechatPhone(userId, await codeToPhone(config.wechat, body.code));
    }),
  );

  router.post('/me/roster/bind', auth, async (ctx) => {
    ctx.body = await bindByWechatPhone(tokens, sessionUser(ctx.state).id);
  });

  // H5: typed phone + name -> a request the branch secretary confirms.
  router.post(
    '/me/roster/claim',
    auth,
    handle({ body: RosterClaimBodySchema }, async ({ body }, ctx) => {
      ctx.body = await claimByTypedPhone(sessionUser(ctx.state).id, body.phone, body.name);
    }),
  );

  router.get(
    '/orgs/:id/bind-requests',
    auth,
    requireRole('secretary', 'admin'),
    handle({ params: IdParamSchema }, async ({ params }, ctx) => {
      ctx.body = await listBindRequests(sessionUser(ctx.state), params.id);
    }),
  );

  for (const [verb, accept] of [
    ['confirm', true],
    ['reject', false],
  ] as const) {
    router.post(
      `/orgs/:id/bind-requests/:requestId/${verb}`,
      auth,
      requireRole('secretary', 'admin'),
      handle({ params: BindRequestParamSchema }, async ({ params }, ctx) => {
        ctx.body = await decideBindRequest(sessionUser(ctx.state), params.id, params.requestId, accept);
      }),
    );
  }

  // One tap for the secretary: a month's invite and its QR (the page draws the printable poster around it).
  router.post(
    '/orgs/:id/join-poster',
    auth,
    requireRole('secretary', 'admin'),
    handle({ params: IdParamSchema }, async ({ params }, ctx) => {
      const invite = await createInvite(sessionUser(ctx.state), params.id, POSTER_INVITE);
      const branch = await requireOrg(params.id);
      const joinUrl = `${ctx.origin}/#/pages/join/index?code=${invite.code}`;
      const body: JoinPoster = {
        code: invite.code,
        branchName: branch.name,
        expiresAt: invite.expiresAt,
        qrPng: await QRCode.toDataURL(joinUrl, { errorCorrectionLevel: 'M', margin: 2, width: 480 }),
        joinUrl,
      };
      ctx.status = 201;
      ctx.body = body;
    }),
  );

  return router;
}
