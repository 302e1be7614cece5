import { z } from 'zod';

/**
 * 隐私保护指引 (issue 24). The text is versioned: a member's consent is stored with the version they read, and a
 * new version here asks every member again (the server compares `PRIVACY_VERSION` with their stored one). Change
 * the version whenever the substance changes (what is collected, why, who sees it, how long).
 */
export const PRIVACY_VERSION = '2026-11-29.1';

/** Raw location fixes are reduced to what reports need after this many days unless the county sets another. */
export const DEFAULT_FIX_RETENTION_DAYS = 90;
export const FIX_RETENTION_MIN_DAYS = 30;
export const FIX_RETENTION_MAX_DAYS = 730;

/** The features that need personal data: refusing the guide switches exactly these off (and the page says so). */
export const PRIVACY_FEATURES = {
  location: '驻村打卡与活动定位签到（需要位置信息）',
  photos: '上传照片（亮身份照片、服务记录、践诺与活动纪要照片）',
  phone: '填写联系电话',
} as const;
export type PrivacyFeature = keyof typeof PRIVACY_FEATURES;

export interface PrivacyFacts {
  /** The data controller: the county's Party committee running this deployment (the county org's name). */
  controller: string;
  /** Where members send requests (access, correction, deletion): set by the county admin. */
  contact: string;
  retentionDays: number;
}

export interface PrivacySection {
  title: string;
  body: string[];
}

/** The guide's text for one county. Plain strings so the weapp, H5 and the server's export show the same words. */
export function privacySections(f: PrivacyFacts): PrivacySection[] {
  return [
    {
      title: '一、谁在处理您的信息',
      body: [`本小程序由${f.controller}（个人信息处理者）组织运行，用于党员积分制管理、学习答题、驻村考勤和志愿服务。`],
    },
    {
      title: '二、我们收集哪些信息、为什么',
      body: [
        '微信身份标识（openid）：仅用于登录；不获取您的微信昵称、头像、好友等资料。',
        '姓名、所在支部、职务、入党年份：用于党员名册、积分和亮身份。',
        '手机号（联系电话）：用于支部书记联系您、名册核对；仅在您填写时收集。',
        '位置信息：仅驻村干部打卡和活动定位签到时读取一次，用于判断是否在村（或活动地点）范围内；不在后台持续定位。',
        '照片：仅在您主动上传（亮身份照片、服务记录、践诺和活动纪要）时收集。',
        '答题、服务、签到、积分记录：用于积分制管理和统计。',
      ],
    },
    {
      title: '三、谁能看到',
      body: [
        '您本人：看到自己的全部信息（“我的数据”）。',
        '其他党员：看到您的姓名、支部、积分和排名（您可以在“我的”中选择不上榜）；手机号显示为 138****5678。',
        '支部书记和上级管理员：看到本支部（本辖区）党员的名册和记录，手机号同样打码；确需查看完整号码时，每次查看都会记入操作记录，县级管理员可查。',
        '群众联系人（微心愿）：姓名对党员打码，联系方式只有负责的书记和管理员可见。',
        '导出党员名单或考勤报表，也会记入操作记录。',
      ],
    },
    {
      title: '四、保存多久',
      body: [
        `打卡的精确坐标保存 ${f.retentionDays} 天，之后只保留报表需要的内容（日期、是否在范围内、距离区间、异常标记）。`,
        '重复提交保护的应答保存 24 小时；未被使用的上传照片一天后删除。',
        '其余记录在您的账号存续期间保存；注销账号后，姓名、手机号、照片、身份卡、坐标和微信登录关联被删除或不可逆地匿名化，积分总数以匿名编号保留，以便统计仍然准确。',
      ],
    },
    {
      title: '五、您的权利',
      body: [
        '在“我的 → 我的数据”中：查看、下载（JSON 和 Excel）、更正姓名和联系电话，以及注销账号。',
        '您可以拒绝本指引：小程序仍可使用，但需要位置、照片或手机号的功能将不可用，可随时在本页重新同意。',
        `其他请求请联系：${f.contact}。`,
      ],
    },
  ];
}

export const ConsentDecisionSchema = z.enum(['agree', 'refuse']);
export type ConsentDecision = z.infer<typeof ConsentDecisionSchema>;

export const ConsentBodySchema = z.object({
  version: z.string().min(1, '缺少指引版本').max(40),
  decision: ConsentDecisionSchema,
});
export type ConsentBody = z.infer<typeof ConsentBodySchema>;

export const PrivacyStatusSchema = z.object({
  version: z.string(),
  facts: z.object({ controller: z.string(), contact: z.string(), retentionDays: z.number().int() }),
  sections: z.array(z.object({ title: z.string(), body: z.array(z.string()) })),
  consent: z.object({ version: z.string(), decision: ConsentDecisionSchema, at: z.string() }).nullable(),
  /** No answer yet to this version: the app asks. */
  needsConsent: z.boolean(),
  /** Features switched off because the member refused (or has not yet agreed to) this version. */
  disabled: z.array(z.enum(['location', 'photos', 'phone'])),
});
export type PrivacyStatus = z.infer<typeof PrivacyStatusSchema>;

export const PrivacySettingsBodySchema = z.object({
  org: z.string().min(1).max(64),
  retentionDays: z
    .number()
    .int('保存天数须为整数')
    .min(FIX_RETENTION_MIN_DAYS, `保存天数不能少于 ${FIX_RETENTION_MIN_DAYS} 天`)
    .max(FIX_RETENTION_MAX_DAYS, `保存天数不能超过 ${FIX_RETENTION_MAX_DAYS} 天`),
  contact: z.string().trim().min(1, '请填写受理个人信息请求的联系方式').max(100, '联系方式不超过100字'),
});
export type PrivacySettingsBody = z.infer<typeof PrivacySettingsBodySchema>;

export const CloseAccountBodySchema = z.object({
  confirm: z.literal('注销', { message: '请输入“注销”确认' }),
});

/** What 我的数据 shows and downloads: every stored record about the member, grouped by kind. */
export const MyDataSchema = z.object({
  exportedAt: z.string(),
  privacyVersion: z.string(),
  sections: z.array(z.object({ key: z.string(), title: z.string(), rows: z.array(z.record(z.string(), z.unknown())) })),
});
export type MyData = z.infer<typeof MyDataSchema>;

/** The name secretaries and boards show for a closed account. */
export const CLOSED_MEMBER_NAME = '已注销党员';

/** Distance bands a reduced check-in keeps instead of its fix (metres from the fence centre). */
export function distanceBand(distanceM: number): string {
  if (distanceM <= 100) return '0-100m';
  if (distanceM <= 500) return '100-500m';
  if (distanceM <= 1000) return '500m-1km';
  if (distanceM <= 5000) return '1-5km';
  return '>5km';
}
