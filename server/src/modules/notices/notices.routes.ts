import path from 'node:path';
import Router from '@koa/router';
import {
  ATTACHMENT_MAX_BYTES,
  IdParamSchema,
  NoticeAttachmentParamsSchema,
  PublishNoticeBodySchema,
  SubscribeConsentBodySchema,
} from '@pioneer/shared';
import { requireRole, sessionUser } from '../../http/auth';
import type { RouteDeps } from '../../http/deps';
import { drainRefusedUpload, singleFile, uploadedFile } from '../../http/files';
import { MANAGERS, apiRoutes } from '../../http/route';
import type { AppState } from '../../http/types';
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
const NO_FILE = '请以 file 字段上传一个附件';

/** 通知公告 and 我的 -> 消息 (issue 19). Scope rules are in the policy module ('notice.*'). */
export function noticesRoutes(
  { auth, config }: RouteDeps,
  store: FileStore = diskStore(path.join(config.dataDir, 'uploads')),
): Router<AppState> {
  const router = new Router<AppState>();
  const api = apiRoutes(router, auth);

  // Its own line: multer reads the form before the handler. One byte over the limit is enough to know it is too
  // large (the service says so in Chinese).
  const upload = singleFile({
    field: 'file',
    maxBytes: ATTACHMENT_MAX_BYTES + 1,
    fields: 5,
    tooLarge: `附件不能超过 ${MAX_MB} MB`,
    missing: NO_FILE,
  });
  router.post('/notices/attachments', drainRefusedUpload(), auth, requireRole(...MANAGERS), upload, async (ctx) => {
    const file = uploadedFile(ctx, NO_FILE);
    // multer reads the multipart name as latin1; browsers and WeChat send UTF-8 (中文 file names).
    const name = Buffer.from(file.originalname ?? '', 'latin1').toString('utf8');
    ctx.status = 201;
    ctx.body = await saveAttachment(store, sessionUser(ctx.state).id, file.buffer, name);
  });
  // A stream of known length, kept private: not `sendDownload`, which sends a buffer.
  api.get('/notices/:id/attachments/:index', { params: NoticeAttachmentParamsSchema }, async (me, { params }, ctx) => {
    const a = await noticeAttachment(me, params.id, params.index);
    const file = await openAttachment(store, a.key);
    ctx.set(
      'Content-Disposition',
      `attachment; filename="attachment.${a.kind}"; filename*=UTF-8''${encodeURIComponent(a.name)}`,
    );
    ctx.set('Cache-Control', 'private, no-store');
    ctx.type = ATTACHMENT_TYPES[a.kind];
    ctx.length = file.size;
    ctx.body = file.stream;
  });

  api.get('/notices', {}, (me) => memberNotices(me));
  api.get('/notices/badge', {}, async (me) => ({ unread: (await memberNotices(me)).unread }));
  api.get('/notices/managed', { roles: MANAGERS }, (me) => managedNotices(me));
  api.post('/notices', { roles: MANAGERS, body: PublishNoticeBodySchema, status: 201 }, (me, { body }) =>
    publishNotice(me, body),
  );
  api.get('/notices/:id', { params: IdParamSchema }, (me, { params }) => openNotice(me, params.id));
  api.get('/notices/:id/stats', { roles: MANAGERS, params: IdParamSchema }, (me, { params }) =>
    noticeStats(me, params.id),
  );
  api.post('/notices/:id/remind', { roles: MANAGERS, params: IdParamSchema }, (me, { params }) =>
    remindUnread(me, params.id),
  );
  api.get('/me/messages', {}, (me) => listMessages(me.id));
  api.get('/me/subscriptions', {}, (me) => subscriptionState(config, me));
  api.post('/me/subscriptions', { body: SubscribeConsentBodySchema }, (me, { body }) => consent(config, me, body));
  return router;
}
