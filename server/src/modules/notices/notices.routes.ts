import path from 'node:path';
import Router from '@koa/router';
import multer from '@koa/multer';
import {
  ATTACHMENT_MAX_BYTES,
  IdParamSchema,
  NoticeAttachmentParamsSchema,
  PublishNoticeBodySchema,
  SubscribeConsentBodySchema,
} from '@pioneer/shared';
import type { RouteDeps } from '../../http/deps';
import { requireRole, sessionUser } from '../../http/auth';
import { AppError, invalid } from '../../http/errors';
import type { AppState } from '../../http/types';
import { handle } from '../../http/validate';
import { listMessages } from '../messages/messages.service';
import { consent, subscriptionState } from '../notify/notify';
import { ATTACHMENT_TYPES, openAttachment, saveAttachment } from '../uploads/attachments';
import { diskStore, type FileStore } from '../uploads/storage';
import {
  managedNotices,
  memberNotices,
  noticeAttachment,
  noticeStats,
  openNotice,
  publishNotice,
  remindUnread,
} from './notices.service';

const MAX_MB = ATTACHMENT_MAX_BYTES / 1024 / 1024;

/** 通知公告 and 我的 -> 消息 (issue 19). Scope rules are in the policy module ('notice.*'). */
export function noticesRoutes(
  { auth, config }: RouteDeps,
  store: FileStore = diskStore(path.join(config.dataDir, 'uploads')),
): Router<AppState> {
  const router = new Router<AppState>();
  const manager = requireRole('secretary', 'admin');
  // One byte over the limit is enough to know it is too large (the service says so in Chinese).
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: ATTACHMENT_MAX_BYTES + 1, files: 1, fields: 5 },
  });

  router.post(
    '/notices/attachments',
    auth,
    manager,
    async (ctx, next) => {
      try {
        await upload.single('file')(ctx as never, next);
      } catch (err) {
        if (err instanceof AppError) throw err;
        if ((err as { code?: string }).code === 'LIMIT_FILE_SIZE')
          throw new AppError('PAYLOAD_TOO_LARGE', `附件不能超过 ${MAX_MB} MB`);
        throw invalid('请以 file 字段上传一个附件');
      }
    },
    async (ctx) => {
      const file = (ctx as unknown as { file?: { buffer: Buffer; originalname?: string } }).file;
      if (!file) throw invalid('请以 file 字段上传一个附件');
      // multer reads the multipart name as latin1; browsers and WeChat send UTF-8 (中文 file names).
      const name = Buffer.from(file.originalname ?? '', 'latin1').toString('utf8');
      ctx.status = 201;
      ctx.body = await saveAttachment(store, sessionUser(ctx.state).id, file.buffer, name);
    },
  );
  router.get(
    '/notices/:id/attachments/:index',
    auth,
    handle({ params: NoticeAttachmentParamsSchema }, async ({ params }, ctx) => {
      const a = await noticeAttachment(sessionUser(ctx.state), params.id, params.index);
      const file = await openAttachment(store, a.key);
      ctx.set(
        'Content-Disposition',
        `attachment; filename="attachment.${a.kind}"; filename*=UTF-8''${encodeURIComponent(a.name)}`,
      );
      ctx.set('Cache-Control', 'private, no-store');
      ctx.type = ATTACHMENT_TYPES[a.kind];
      ctx.length = file.size;
      ctx.body = file.stream;
    }),
  );

  router.get(
    '/notices',
    auth,
    handle({}, async (_input, ctx) => {
      ctx.body = await memberNotices(sessionUser(ctx.state));
    }),
  );
  router.get(
    '/notices/badge',
    auth,
    handle({}, async (_input, ctx) => {
      ctx.body = { unread: (await memberNotices(sessionUser(ctx.state))).unread };
    }),
  );
  router.get(
    '/notices/managed',
    auth,
    manager,
    handle({}, async (_input, ctx) => {
      ctx.body = await managedNotices(sessionUser(ctx.state));
    }),
  );
  router.post(
    '/notices',
    auth,
    manager,
    handle({ body: PublishNoticeBodySchema }, async ({ body }, ctx) => {
      ctx.status = 201;
      ctx.body = await publishNotice(sessionUser(ctx.state), body);
    }),
  );
  router.get(
    '/notices/:id',
    auth,
    handle({ params: IdParamSchema }, async ({ params }, ctx) => {
      ctx.body = await openNotice(sessionUser(ctx.state), params.id);
    }),
  );
  router.get(
    '/notices/:id/stats',
    auth,
    manager,
    handle({ params: IdParamSchema }, async ({ params }, ctx) => {
      ctx.body = await noticeStats(sessionUser(ctx.state), params.id);
    }),
  );
  router.post(
    '/notices/:id/remind',
    auth,
    manager,
    handle({ params: IdParamSchema }, async ({ params }, ctx) => {
      ctx.body = await remindUnread(sessionUser(ctx.state), params.id);
    }),
  );
  router.get(
    '/me/messages',
    auth,
    handle({}, async (_input, ctx) => {
      ctx.body = await listMessages(sessionUser(ctx.state).id);
    }),
  );
  router.get(
    '/me/subscriptions',
    auth,
    handle({}, async (_input, ctx) => {
      ctx.body = await subscriptionState(config, sessionUser(ctx.state));
    }),
  );
  router.post(
    '/me/subscriptions',
    auth,
    handle({ body: SubscribeConsentBodySchema }, async ({ body }, ctx) => {
      ctx.body = await consent(config, sessionUser(ctx.state), body);
    }),
  );
  return router;
}
