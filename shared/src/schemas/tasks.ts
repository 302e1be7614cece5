import { z } from 'zod';
import { IdSchema } from './common';
import { PhotoUrlsSchema } from './posts';
import { TASK_EVIDENCE, TASK_LIMITS as L } from '../tasks';

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '截止日期格式应为 YYYY-MM-DD');

export const CreateTaskBodySchema = z
  .object({
    title: z
      .string({ message: '请填写任务名称' })
      .trim()
      .min(1, '请填写任务名称')
      .max(L.titleMax, `任务名称不能超过${L.titleMax}字`),
    body: z.string().trim().max(L.bodyMax, `任务要求不能超过${L.bodyMax}字`).default(''),
    /** The last Shanghai day to report on (due by 23:59:59). */
    deadline: Day,
    evidence: z
      .array(z.enum(TASK_EVIDENCE, { message: '佐证材料只能是文字或照片' }))
      .max(2)
      .default(['text']),
    points: z
      .number()
      .int('分值应为整数')
      .min(0, '分值不能为负')
      .max(L.pointsMax, `分值不能超过${L.pointsMax}`)
      .default(0),
    /** An admin sends to branches of their subtree; a secretary to members of their branch. */
    branches: z.array(IdSchema).max(L.receiversMax, `一次最多发给${L.receiversMax}个支部`).default([]),
    members: z.array(IdSchema).max(L.receiversMax, `一次最多发给${L.receiversMax}人`).default([]),
  })
  .refine((b) => b.branches.length + b.members.length > 0, { message: '请选择接收的支部或党员', path: ['branches'] })
  .refine((b) => b.branches.length === 0 || b.members.length === 0, {
    message: '一个任务只能发给支部或党员其中一种',
    path: ['members'],
  });
export type CreateTaskBody = z.infer<typeof CreateTaskBodySchema>;

export const TaskReceiverParamsSchema = z.object({ id: IdSchema, receiverId: IdSchema });

export const TaskReportBodySchema = z.object({
  text: z.string().trim().max(L.reportMax, `说明不能超过${L.reportMax}字`).default(''),
  photoUrls: PhotoUrlsSchema(L.photosMax).default([]),
});
export type TaskReportBody = z.infer<typeof TaskReportBodySchema>;

export const TaskReturnBodySchema = z.object({
  comment: z
    .string({ message: '请填写退回意见' })
    .trim()
    .min(1, '请填写退回意见')
    .max(L.commentMax, `意见不能超过${L.commentMax}字`),
});
export type TaskReturnBody = z.infer<typeof TaskReturnBodySchema>;
