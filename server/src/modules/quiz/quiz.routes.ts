import Router from '@koa/router';
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
import { AppError } from '../../http/errors';
import { drainRefusedUpload, sendDownload, singleFile, uploadedFile } from '../../http/files';
import { ADMINS, apiRoutes } from '../../http/route';
import type { AppState, SessionUser } from '../../http/types';
import { defaultCountyStart } from '../../policy';
import { bankToAddTo, createQuestion, importQuestions, listQuestions, patchQuestion } from './questions.service';
import { questionTemplateXlsx } from './import';
import { answerChallenge, listMistakes, quizToday, startAttempt, submitAttempt } from './quiz.service';

const IMPORT_MAX_BYTES = 2 * 1024 * 1024;
const NO_FILE = '请以 file 字段上传 CSV 或 XLSX 文件';

/** The member and the county whose own questions they get besides the platform's. */
const quizzer = (user: SessionUser) => ({ id: user.id, county: defaultCountyStart(user) });

export function quizRoutes({ auth }: RouteDeps): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/quiz' });
  const api = apiRoutes(router, auth);
  const upload = singleFile({
    field: 'file',
    maxBytes: IMPORT_MAX_BYTES,
    tooLarge: '文件不能超过 2 MB',
    missing: NO_FILE,
  });

  api.get('/today', {}, (me) => quizToday(quizzer(me)));
  api.post('/attempts', { body: StartAttemptBodySchema, status: 201 }, (me, { body }) =>
    startAttempt(quizzer(me), body),
  );
  api.post('/attempts/:id/submit', { params: IdParamSchema, body: SubmitAttemptBodySchema }, (me, { params, body }) =>
    submitAttempt(me.id, params.id, body.answers),
  );
  api.post('/attempts/:id/next', { params: IdParamSchema, body: ChallengeAnswerBodySchema }, (me, { params, body }) =>
    answerChallenge(me.id, params.id, body),
  );
  api.get('/mistakes', {}, (me) => listMistakes(me.id));

  api.get('/questions', { roles: ADMINS, query: QuestionListQuerySchema }, (me, { query }) => listQuestions(me, query));
  api.post('/questions', { roles: ADMINS, body: CreateQuestionBodySchema, status: 201 }, (me, { body }) =>
    createQuestion(me, body),
  );
  api.patch(
    '/questions/:id',
    { roles: ADMINS, params: IdParamSchema, body: PatchQuestionBodySchema },
    (me, { params, body }) => patchQuestion(me, params.id, body),
  );
  api.get('/questions/import-template', { roles: ADMINS }, async (_me, _input, ctx) => {
    const body = await questionTemplateXlsx();
    sendDownload(ctx, { name: '题库导入模板.xlsx', asciiName: 'question-template.xlsx', body });
  });

  router.post(
    '/questions/import',
    drainRefusedUpload(),
    auth,
    requireRole(...ADMINS),
    // Before the file is read: only admins over a whole county add to its bank (403 for anyone else).
    async (ctx, next) => {
      await bankToAddTo(sessionUser(ctx.state));
      await next();
    },
    upload,
    async (ctx) => {
      const file = uploadedFile(ctx, NO_FILE);
      if (!/\.(csv|xlsx)$/i.test(file.originalname))
        throw new AppError('UNSUPPORTED_MEDIA_TYPE', '只支持 CSV 或 XLSX 文件');
      ctx.body = await importQuestions(sessionUser(ctx.state), { buffer: file.buffer, name: file.originalname });
    },
  );

  return router;
}
