import Router from '@koa/router';
import multer from '@koa/multer';
import {
  ChallengeAnswerBodySchema,
  CreateQuestionBodySchema,
  IdParamSchema,
  PatchQuestionBodySchema,
  QuestionListQuerySchema,
  StartAttemptBodySchema,
  SubmitAttemptBodySchema,
} from '@pioneer/shared';
import type { RouteDeps } from '../../http/deps';
import { requireRole, sessionUser } from '../../http/auth';
import { AppError, invalid } from '../../http/errors';
import type { AppState } from '../../http/types';
import { handle } from '../../http/validate';
import { defaultCountyStart } from '../../policy';
import { bankToAddTo, createQuestion, importQuestions, listQuestions, patchQuestion } from './questions.service';
import { questionTemplateXlsx } from './import';
import { answerChallenge, listMistakes, quizToday, startAttempt, submitAttempt } from './quiz.service';

const IMPORT_MAX_BYTES = 2 * 1024 * 1024;

/** The member and the county whose own questions they get besides the platform's. */
const quizzer = (state: AppState) => {
  const user = sessionUser(state);
  return { id: user.id, county: defaultCountyStart(user) };
};

export function quizRoutes({ auth }: RouteDeps): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/quiz' });
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: IMPORT_MAX_BYTES, files: 1 } });

  router.get('/today', auth, async (ctx) => {
    ctx.body = await quizToday(quizzer(ctx.state));
  });

  router.post(
    '/attempts',
    auth,
    handle({ body: StartAttemptBodySchema }, async ({ body }, ctx) => {
      ctx.status = 201;
      ctx.body = await startAttempt(quizzer(ctx.state), body);
    }),
  );

  router.post(
    '/attempts/:id/submit',
    auth,
    handle({ params: IdParamSchema, body: SubmitAttemptBodySchema }, async ({ params, body }, ctx) => {
      ctx.body = await submitAttempt(sessionUser(ctx.state).id, params.id, body.answers);
    }),
  );

  router.post(
    '/attempts/:id/next',
    auth,
    handle({ params: IdParamSchema, body: ChallengeAnswerBodySchema }, async ({ params, body }, ctx) => {
      ctx.body = await answerChallenge(sessionUser(ctx.state).id, params.id, body);
    }),
  );

  router.get('/mistakes', auth, async (ctx) => {
    ctx.body = await listMistakes(sessionUser(ctx.state).id);
  });

  router.get(
    '/questions',
    auth,
    requireRole('admin'),
    handle({ query: QuestionListQuerySchema }, async ({ query }, ctx) => {
      ctx.body = await listQuestions(sessionUser(ctx.state), query);
    }),
  );

  router.post(
    '/questions',
    auth,
    requireRole('admin'),
    handle({ body: CreateQuestionBodySchema }, async ({ body }, ctx) => {
      ctx.status = 201;
      ctx.body = await createQuestion(sessionUser(ctx.state), body);
    }),
  );

  router.patch(
    '/questions/:id',
    auth,
    requireRole('admin'),
    handle({ params: IdParamSchema, body: PatchQuestionBodySchema }, async ({ params, body }, ctx) => {
      ctx.body = await patchQuestion(sessionUser(ctx.state), params.id, body);
    }),
  );

  router.get('/questions/import-template', auth, requireRole('admin'), async (ctx) => {
    const name = '题库导入模板.xlsx';
    ctx.set(
      'Content-Disposition',
      `attachment; filename="question-template.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`,
    );
    ctx.type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    ctx.body = await questionTemplateXlsx();
  });

  router.post(
    '/questions/import',
    auth,
    requireRole('admin'),
    // Before the file is read: only admins over a whole county add to its bank (403 for anyone else).
    async (ctx, next) => {
      await bankToAddTo(sessionUser(ctx.state));
      await next();
    },
    async (ctx, next) => {
      try {
        await upload.single('file')(ctx as never, next);
      } catch (err) {
        if (err instanceof AppError) throw err;
        if ((err as { code?: string }).code === 'LIMIT_FILE_SIZE')
          throw new AppError('PAYLOAD_TOO_LARGE', '文件不能超过 2 MB');
        throw invalid('请以 file 字段上传 CSV 或 XLSX 文件');
      }
    },
    async (ctx) => {
      const file = (ctx as unknown as { file?: { buffer: Buffer; originalname: string } }).file;
      if (!file) throw invalid('请以 file 字段上传 CSV 或 XLSX 文件');
      if (!/\.(csv|xlsx)$/i.test(file.originalname))
        throw new AppError('UNSUPPORTED_MEDIA_TYPE', '只支持 CSV 或 XLSX 文件');
      ctx.body = await importQuestions(sessionUser(ctx.state), { buffer: file.buffer, name: file.originalname });
    },
  );

  return router;
}
