import path from 'node:path';
import Router from '@koa/router';
import { UPLOAD_RULES, UploadPathSchema } from '@pioneer/shared';
import type { RouteDeps } from '../../http/deps';
import { sessionUser } from '../../http/auth';
import { drainRefusedUpload, singleFile, uploadedFile } from '../../http/files';
import type { AppState } from '../../http/types';
import { handle } from '../../http/validate';
import { diskStore, type FileStore } from './storage';
import { openUpload, saveUpload } from './uploads.service';
import { requireConsent } from '../privacy/consent.service';

const MAX_MB = UPLOAD_RULES.maxBytes / 1024 / 1024;
const NO_FILE = '请以 file 字段上传一张照片';

/** Photo uploads (service records, wishes, 践诺 progress). */
export function uploadsRoutes(
  { auth, config }: RouteDeps,
  store: FileStore = diskStore(path.join(config.dataDir, 'uploads')),
): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/uploads' });
  const upload = singleFile({
    field: UPLOAD_RULES.field,
    maxBytes: UPLOAD_RULES.maxBytes,
    fields: 5,
    tooLarge: `照片不能超过 ${MAX_MB} MB`,
    missing: NO_FILE,
  });

  router.post(
    '/',
    drainRefusedUpload(),
    auth,
    // Photos are personal data: not taken from a member who refused the privacy guide (issue 24).
    async (ctx, next) => {
      await requireConsent(sessionUser(ctx.state).id, 'photos');
      await next();
    },
    upload,
    async (ctx) => {
      const file = uploadedFile(ctx, NO_FILE);
      ctx.status = 201;
      ctx.body = await saveUpload(store, sessionUser(ctx.state).id, file.buffer, {
        files: config.uploadFilesPerDay,
        bytes: config.uploadBytesPerDay,
      });
    },
  );

  // No session here: <img> and the mini-program's <Image> cannot send a bearer token. The 128-bit random names
  // are the access control (as with signed object-store URLs), and they never change, so they cache for a year.
  router.get(
    '/:month/:name',
    handle({ params: UploadPathSchema }, async ({ params }, ctx) => {
      const file = await openUpload(store, params.month, params.name);
      ctx.type = file.type;
      ctx.length = file.size;
      ctx.set('Cache-Control', 'private, max-age=31536000, immutable');
      ctx.body = file.stream;
    }),
  );

  return router;
}
