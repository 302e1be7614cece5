import { z } from 'zod';
import { IdSchema } from './common';

/** 党员名册导入 (issue 14): the columns of the sheet, in the template's order. */
export const ROSTER_COLUMNS = ['姓名', '手机号', '所在支部', '人员类别', '入党时间', '职务', '角色', '驻村'] as const;
export const ROSTER_CATEGORIES = ['正式党员', '预备党员'] as const;
export const ROSTER_ROLES = { 党员: 'member', 支部书记: 'secretary', 驻村干部: 'cadre' } as const;
/** A sheet larger than this is refused whole (a county roster is a few thousand rows). */
export const ROSTER_MAX_ROWS = 10_000;
export const ROSTER_MAX_BYTES = 4 * 1024 * 1024;

export const MainlandPhoneSchema = z
  .string()
  .trim()
  .regex(/^1[3-9]\d{9}$/, '手机号应为 11 位大陆手机号');

export const ROSTER_ROW_STATUSES = ['created', 'updated', 'unchanged', 'error'] as const;
export type RosterRowStatus = (typeof ROSTER_ROW_STATUSES)[number];

export const RosterReportRowSchema = z.object({
  row: z.number().int(),
  name: z.string(),
  phone: z.string(),
  branch: z.string(),
  status: z.enum(ROSTER_ROW_STATUSES),
  reason: z.string().nullable(),
});
export type RosterReportRow = z.infer<typeof RosterReportRowSchema>;

export const RosterCountsSchema = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  error: z.number().int(),
});
export type RosterCounts = z.infer<typeof RosterCountsSchema>;

export const ROSTER_JOB_STATES = ['checked', 'running', 'done', 'failed'] as const;

/** The import by its key: the dry run's report, then the progress of the confirmed import (polled by key). */
export const RosterImportSchema = z.object({
  key: z.string(),
  fileName: z.string(),
  state: z.enum(ROSTER_JOB_STATES),
  expiresAt: z.string(),
  total: z.number().int(),
  done: z.number().int(),
  counts: RosterCountsSchema,
  rows: z.array(RosterReportRowSchema),
  error: z.string().nullable(),
});
export type RosterImport = z.infer<typeof RosterImportSchema>;

export const RosterImportKeyParamSchema = z.object({ key: z.string().regex(/^[a-f0-9]{32}$/, '导入编号格式不正确') });

/** weapp: the code of a `getPhoneNumber` button, exchanged by the server with WeChat. */
export const PhoneCodeBodySchema = z.object({ code: z.string().trim().min(1).max(128) });
/** H5: the phone typed and the name as the roster has it; the branch secretary confirms (no SMS). */
export const RosterClaimBodySchema = z.object({ phone: MainlandPhoneSchema, name: z.string().trim().min(1).max(30) });
export type RosterClaimBody = z.infer<typeof RosterClaimBodySchema>;

/** The roster row a verified phone matched, shown to its owner to confirm "this is me". */
export const RosterMatchSchema = z.object({
  phone: z.string(),
  match: z.object({ name: z.string(), branch: z.string() }).nullable(),
});
export type RosterMatch = z.infer<typeof RosterMatchSchema>;

export const BindRequestSchema = z.object({
  id: z.string(),
  name: z.string(),
  phone: z.string().nullable(),
  branchId: IdSchema,
  requestedAt: z.string(),
});
export type BindRequest = z.infer<typeof BindRequestSchema>;
export const BindRequestParamSchema = z.object({ id: IdSchema, requestId: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/) });

/** What a member's H5 claim became: waiting for the secretary. */
export const RosterClaimReplySchema = z.object({ status: z.literal('pending'), branch: z.string() });
export type RosterClaimReply = z.infer<typeof RosterClaimReplySchema>;

/** The branch's join QR: an invite and the PNG of its QR (the poster is drawn around it). */
export const JoinPosterSchema = z.object({
  code: z.string(),
  branchName: z.string(),
  expiresAt: z.string(),
  qrPng: z.string(),
  joinUrl: z.string(),
});
export type JoinPoster = z.infer<typeof JoinPosterSchema>;
