import { z } from 'zod';
import { IdSchema } from './common';
import { NOTICE_AUDIENCES, NOTICE_BODY_MAX, NOTICE_TITLE_MAX, SUBSCRIBE_TEMPLATES } from '../notices';

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

/** What the member accepted in wx.requestSubscribeMessage, with a fresh wx.login code (who they are on WeChat). */
export const SubscribeConsentBodySchema = z.object({
  code: z.string({ message: '缺少微信登录凭证' }).min(1, '缺少微信登录凭证').max(128),
  accepted: z
    .array(z.enum(SUBSCRIBE_TEMPLATES, { message: '消息类型不正确' }))
    .max(10)
    .default([]),
});
export type SubscribeConsentBody = z.infer<typeof SubscribeConsentBodySchema>;

export const NoticeManageQuerySchema = z.object({ org: IdSchema.optional() });
