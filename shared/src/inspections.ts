import { z } from 'zod';
import { IdSchema } from './schemas/common';
import { CoordTypeSchema } from './schemas/checkins';
import { PhotoUrlsSchema } from './schemas/posts';
import { dayKey } from './time';

/**
 * 巡查 (issue 18 item 5): a township or county admin records a visit to a branch. Coverage is counted per
 * half-year against the county's rule: every village visited, and at least one branch in ten.
 */
export const INSPECTION_RULES = {
  findingsMax: 1000,
  photosMax: 9,
  /** The share of villages and of branches a half-year's visits must reach. */
  villageShare: 1,
  branchShare: 0.1,
} as const;

/** `2026H2`: the half-year of a Shanghai day. */
export function halfOf(day: string): string {
  return `${day.slice(0, 4)}H${Number(day.slice(5, 7)) <= 6 ? 1 : 2}`;
}
export const halfLabel = (half: string) => `${half.slice(0, 4)}年${half.endsWith('1') ? '上' : '下'}半年`;

const DaySchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
  .refine(
    (d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
    '日期不存在',
  );

export const InspectionBodySchema = z.object({
  /** The branch visited. */
  org: IdSchema,
  date: DaySchema.refine((d) => d <= dayKey(new Date()), '巡查日期不能晚于今天').refine(
    (d) => d >= '2000-01-01',
    '巡查日期太早',
  ),
  findings: z
    .string({ error: '请填写巡查发现' })
    .trim()
    .min(1, '请填写巡查发现')
    .max(INSPECTION_RULES.findingsMax, `巡查发现不能超过${INSPECTION_RULES.findingsMax}字`),
  photoUrls: PhotoUrlsSchema(INSPECTION_RULES.photosMax).default([]),
  /** The device's fix when recorded on site: checked against the village's fence like a check-in. */
  location: z
    .object({
      lat: z.number({ error: '纬度必须是数字' }).min(-90, '纬度超出范围').max(90, '纬度超出范围'),
      lng: z.number({ error: '经度必须是数字' }).min(-180, '经度超出范围').max(180, '经度超出范围'),
      accuracy: z.number({ error: '缺少定位精度' }).min(0, '定位精度不能为负').max(1_000_000, '定位精度超出范围'),
      coordType: CoordTypeSchema,
    })
    .nullable()
    .default(null),
});
export type InspectionBody = z.infer<typeof InspectionBodySchema>;

export const InspectionQuerySchema = z.object({
  org: IdSchema.optional(),
  half: z
    .string()
    .regex(/^\d{4}H[12]$/, '半年格式应为 YYYYH1 或 YYYYH2')
    .optional(),
});
export type InspectionQuery = z.infer<typeof InspectionQuerySchema>;

export interface Inspection {
  id: string;
  branch: { id: string; name: string };
  villageName: string | null;
  date: string;
  findings: string;
  photoUrls: string[];
  inspector: { id: string; name: string };
  /** Verified on site: a fix inside the village's fence. */
  onSite: boolean;
  distanceM: number | null;
  createdAt: string;
}

export interface InspectionCoverage {
  half: string;
  label: string;
  villages: { covered: number; total: number };
  branches: { covered: number; total: number };
  /** Every village visited and at least 10% of branches. */
  met: boolean;
}

export interface InspectionList {
  org: { id: string; name: string; type: string };
  half: string;
  label: string;
  items: Inspection[];
}
