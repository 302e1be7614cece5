import path from 'node:path';
import type Router from '@koa/router';
import { z } from 'zod';
import {
  ArticleListQuerySchema,
  CreateVideoBodySchema,
  IdParamSchema,
  StudyMonthQuerySchema,
  WatchBeatBodySchema,
} from '@pioneer/shared';
import type { RouteDeps } from '../../http/deps';
import { requireRole, sessionUser } from '../../http/auth';
import { invalid, notFound } from '../../http/errors';
import { drainRefusedUpload, sendDownload } from '../../http/files';
import { ADMINS, apiRoutes } from '../../http/route';
import type { AppContext, AppState } from '../../http/types';
import { handle } from '../../http/validate';
import { recordAudit } from '../audit/audit.service';
import { studyNow } from './clock';
import { addFav, removeFav } from './favs.service';
import { ledgerXlsx, studyLedger } from './ledger.service';
import { parseRange, videoStore } from './video-store';
import {
  adminVideos,
  getVideo,
  listVideos,
  publishVideo,
  readableVideo,
  receiveVideo,
  streamSigner,
} from './videos.service';
import { VideoModel } from './videos.model';
import { beatWatch, completeWatch, openWatch, pauseWatch } from './watch.service';

const StreamQuerySchema = z.object({ t: z.string().max(200).optional() });

/** 学习视频, 收藏 and the 学习台账 (issue 20), on the study router. */
export function addVideoRoutes(router: Router<AppState>, { auth, config }: RouteDeps): void {
  const store = videoStore(path.join(config.dataDir, 'videos'));
  const signer = streamSigner(config.jwtSecret);

  const api = apiRoutes(router, auth);
  const watch = { params: IdParamSchema, body: WatchBeatBodySchema };

  api.get('/videos', { query: ArticleListQuerySchema }, async (me, { query }) => ({
    items: await listVideos(me, query),
  }));
  api.get('/videos/:id', { params: IdParamSchema }, (me, { params }) => getVideo(me, params.id, signer, studyNow()));

  // The player's <video> cannot send a bearer header: the address from GET /videos/:id carries a signed token for
  // this member and video. Without one, the bearer session and the read rule decide, as everywhere else. A Range
  // stream without a session up front: its router line stays hand-written.
  router.get(
    '/videos/:id/stream',
    handle({ params: IdParamSchema, query: StreamQuerySchema }, async ({ params, query }, ctx) => {
      const signed = !!query.t && signer.verify(params.id, query.t, new Date());
      if (!signed) await auth(ctx, async () => void (await readableVideo(sessionUser(ctx.state), params.id)));
      const video = await VideoModel.findById(params.id).lean();
      if (!video) throw notFound('视频');
      await sendRange(ctx, await store.open(video.file));
    }),
  );

  api.post('/videos/:id/watches', { params: IdParamSchema, status: 201 }, (me, { params }) =>
    openWatch(me, params.id, studyNow()),
  );
  api.post('/watches/:id/beat', watch, (me, { params, body }) => beatWatch(me, params.id, body.position, studyNow()));
  api.post('/watches/:id/pause', watch, (me, { params, body }) => pauseWatch(me, params.id, body.position, studyNow()));
  api.post('/watches/:id/complete', { params: IdParamSchema }, (me, { params }) =>
    completeWatch(me, params.id, studyNow()),
  );

  api.put('/favs/:id', { params: IdParamSchema }, (me, { params }) => addFav(me, params.id));
  api.delete('/favs/:id', { params: IdParamSchema }, (me, { params }) => removeFav(me, params.id));

  api.get('/admin/videos', { roles: ADMINS }, async (me) => ({ items: await adminVideos(me) }));
  // The file goes through the store's multer before any handler: this line stays hand-written.
  router.post('/admin/videos/files', drainRefusedUpload(), auth, requireRole('admin'), store.receive, async (ctx) => {
    const file = (ctx as unknown as { file?: { path: string } }).file;
    if (!file) throw invalid('请以 file 字段上传一个视频文件');
    ctx.status = 201;
    ctx.body = await receiveVideo(store, sessionUser(ctx.state), file.path, studyNow());
  });
  api.post('/admin/videos', { roles: ADMINS, body: CreateVideoBodySchema, status: 201 }, (me, { body }) =>
    publishVideo(me, body, studyNow()),
  );

  // Secretary: own branch; admin: own subtree (policy member.export). A file of names: recorded in 操作记录.
  api.get('/ledger', { query: StudyMonthQuerySchema }, async (me, { query }, ctx) => {
    const ledger = await studyLedger(me, query.org, query.month);
    await recordAudit({
      actorId: me.id,
      action: 'privacy.export',
      targetType: 'org',
      targetId: ledger.org.id,
      details: { what: `学习台账 ${query.month}`, format: 'xlsx', rows: ledger.rows.length },
    });
    sendDownload(
      ctx,
      {
        body: await ledgerXlsx(ledger),
        asciiName: `study-${query.month}.xlsx`,
        name: `学习台账-${ledger.org.name}-${query.month}.xlsx`,
      },
      { noStore: true },
    );
  });
}

/** 206 with the asked bytes, 416 for a range past the end, the whole file (200) without a Range header. */
async function sendRange(
  ctx: AppContext,
  file: Awaited<ReturnType<ReturnType<typeof videoStore>['open']>>,
): Promise<void> {
  const range = parseRange(ctx.get('range') || undefined, file.size);
  ctx.set('Accept-Ranges', 'bytes');
  ctx.set('Cache-Control', 'private, max-age=3600');
  ctx.type = 'video/mp4';
  if (range === 'unsatisfiable') {
    ctx.status = 416;
    ctx.set('Content-Range', `bytes */${file.size}`);
    ctx.body = '';
    return;
  }
  if (!range) {
    ctx.length = file.size;
    ctx.body = file.stream();
    return;
  }
  ctx.status = 206;
  ctx.set('Content-Range', `bytes ${range.start}-${range.end}/${file.size}`);
  ctx.length = range.end - range.start + 1;
  ctx.body = file.stream(range);
}
