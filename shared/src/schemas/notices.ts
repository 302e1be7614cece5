import { z } from 'zod';
import { IdSchema } from './common';
import {
  ATTACHMENT_NAME_MAX,
  ATTACHMENTS_PER_NOTICE,
  NOTICE_AUDIENCES,
  NOTICE_BODY_MAX,
  NOTICE_TITLE_MAX,
  SUBSCRIBE_TEMPLATES,
} from '../notices';

/** An uploaded attachment's id (its storage key, made by the server): `<yyyy-mm>/<32 hex>.<kind>`. */
export const ATTACHMENT_ID_RE = /^\d{4}-\d{2}\/[a-f0-9]{32}\.(?:pdf|docx|xlsx|jpg|png|webp)$/;
export const NoticeAttachmentRefSchema = z.object({
  id: z.string().regex(ATTACHMENT_ID_RE, '附件不正确，请重新上传'),
  name: z
    .string({ message: '附件缺少名称' })
    .trim()
    .min(1, '附件缺少名称')
    .max(ATTACHMENT_NAME_MAX, `附件名称不能超过${ATTACHMENT_NAME_MAX}字`),
});

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
  attachments: z
    .array(NoticeAttachmentRefSchema)
    .max(ATTACHMENTS_PER_NOTICE, `附件最多${ATTACHMENTS_PER_NOTICE}个`)
    .default([]),
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

export const NoticeAttachmentParamsSchema = z.object({
  id: IdSchema,
  index: z.coerce
    .number({ message: '附件不存在' })
    .int()
    .min(0)
    .max(ATTACHMENTS_PER_NOTICE - 1),
});
