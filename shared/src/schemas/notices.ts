import { z } from 'zod';
import { IdSchema } from './common';
import { NOTICE_AUDIENCES, NOTICE_BODY_MAX, NOTICE_TITLE_MAX } from '../notices';

export const PublishNoticeBodySchema = z.object({
  /** The org it goes to (its whole subtree); a secretary may leave it out (their branch). */
  org: IdSchema.optional(),
  title: z
    .string({ message: '请填写标题' })
    .trim()
    .min(1, '请填写标题')
    .max(NOTICE_TITLE_MAX, `标题不能超过${NOTICE_TITLE_MAX}字`),
  body: z.string({ message: '请填写正文' }).min(1, '请填写正文').max(NOTICE_BODY_MAX, '正文过长'),
  audience: z.enum(NOTICE_AUDIENCES, { message: '请选择发送对象' }).default('all'),
  pinned: z.boolean({ message: '置顶应为是或否' }).default(false),
  expiresAt: z.coerce.date({ message: '有效期不正确' }).nullable().optional(),
});
export type PublishNoticeBody = z.infer<typeof PublishNoticeBodySchema>;

export const NoticeManageQuerySchema = z.object({ org: IdSchema.optional() });
