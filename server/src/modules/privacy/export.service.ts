import ExcelJS from 'exceljs';
import mongoose from 'mongoose';
import { PRIVACY_VERSION, type MyData } from '@pioneer/shared/src/privacy';
import { notFound } from '../../http/errors';
import { isSealed, unseal } from './field-crypto';

/**
 * Every collection that holds records about a member, with the field naming them. The export reads these by
 * filter: scans on the embedded engine, acceptable for a rare, member-initiated request (rate-limited like any
 * read). Collections not listed are derived (totals, boards, feeds, queues: rebuilt from these), keyed by the
 * member's id with no other personal content, or expire within a day (privacy.test.ts checks the list is
 * complete against a member with every kind of record).
 */
export const EXPORT_SOURCES: { collection: string; title: string; field: string }[] = [
  { collection: 'users', title: '个人资料', field: '_id' },
  { collection: 'privacy_consents', title: '隐私指引同意记录', field: '_id' },
  { collection: 'logins', title: '微信登录关联', field: 'userId' },
  { collection: 'rosterrows', title: '党员名册', field: 'userId' },
  { collection: 'transfers', title: '组织关系转接', field: 'userId' },
  { collection: 'ledger', title: '积分明细', field: 'userId' },
  { collection: 'checkins', title: '驻村打卡', field: 'userId' },
  { collection: 'checkin_months', title: '打卡月历', field: 'userId' },
  { collection: 'quiz_attempts', title: '答题记录', field: 'userId' },
  { collection: 'quiz_results', title: '答题成绩', field: 'userId' },
  { collection: 'commitments', title: '承诺践诺', field: 'userId' },
  { collection: 'post_claims', title: '岗位认领', field: 'userId' },
  { collection: 'post_records', title: '服务记录', field: 'userId' },
  { collection: 'wishes', title: '认领的微心愿', field: 'claimantId' },
  { collection: 'activity_signins', title: '活动签到', field: 'userId' },
  { collection: 'uploads', title: '上传的照片', field: 'userId' },
  { collection: 'audits', title: '与我有关的操作记录', field: 'targetId' },
  // 我的 -> 消息: one document per member (`_id` the member), what they were told.
  { collection: 'member_messages', title: '我的消息', field: '_id' },
];

/** BSON values as JSON-friendly values: dates as ISO strings, ids as strings, sealed fields (the phone) opened. */
function plain(value: unknown): unknown {
  if (isSealed(value)) return unseal(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') {
    if ((value as { _bsontype?: string })._bsontype) return String(value);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

/** What is stored about the member, section by section (a wish's resident stays out: not the member's data). */
export async function myData(userId: string): Promise<MyData> {
  const db = mongoose.connection.db!;
  const user = await db.collection('users').findOne({ _id: userId } as never);
  if (!user) throw notFound('账号');
  const sections = await Promise.all(
    EXPORT_SOURCES.map(async (s) => {
      const docs = await db
        .collection(s.collection)
        .find({ [s.field]: userId } as never)
        .limit(5000)
        .toArray();
      const rows = docs.map((d) => {
        const row = plain(d) as Record<string, unknown>;
        if (s.collection === 'wishes') {
          delete row.residentName;
          delete row.residentContact;
        }
        return row;
      });
      return { key: s.collection, title: s.title, rows };
    }),
  );
  return { exportedAt: new Date().toISOString(), privacyVersion: PRIVACY_VERSION, sections };
}

const cell = (v: unknown) =>
  v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : (v as string | number | boolean);

/** One sheet per section, one column per field (nested values as JSON text). */
export async function myDataXlsx(data: MyData): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const s of data.sections) {
    const ws = wb.addWorksheet(s.title.slice(0, 31));
    const keys = [...new Set(s.rows.flatMap((r) => Object.keys(r)))];
    ws.addRow(keys.length > 0 ? keys : ['（无记录）']);
    for (const r of s.rows) ws.addRow(keys.map((k) => cell(r[k])));
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
