import ExcelJS from 'exceljs';
import type { PointReason, StudyLedgerRow } from '@pioneer/shared';
import { forbidden } from '../../http/errors';
import type { SessionUser } from '../../http/types';
import { authorize, defaultManagedOrgId } from '../../policy';
import { requireOrg } from '../orgs/orgs.service';
import { FeedModel } from '../points/points.model';
import { UserModel } from '../users/users.model';
import { StudyTimeModel, type StudyTimeDoc } from './study-time';

/**
 * 学习台账 (issue 20): per member of an org's subtree, one month's study from the points ledger: articles read and
 * videos watched (paid ones: `study_read`, `study_watch`), quizzes done (every paid quiz), and the points of all of
 * them; and the month's study time (reading and watching the server credited, see study-time.ts). Each member's
 * month is two key reads (`${userId}|${month}`: the ledger feed and the study-time counter); the members come from
 * a scan of the users in the subtree, as the other reports do (rare, run by secretaries and admins).
 */
const QUIZZES: readonly PointReason[] = ['daily_quiz', 'weekly_quiz', 'topic_quiz', 'challenge_quiz'];
const STUDY: ReadonlySet<string> = new Set(['study_read', 'study_watch', ...QUIZZES]);
/** Rows a file holds: a county's members are a few thousand. */
const ROWS_MAX = 20_000;

export const LEDGER_COLUMNS = [
  { key: 'name', header: '姓名', width: 12 },
  { key: 'branch', header: '所在支部', width: 24 },
  { key: 'articles', header: '阅读文章(篇)', width: 14 },
  { key: 'videos', header: '观看视频(个)', width: 14 },
  { key: 'quizzes', header: '答题(次)', width: 10 },
  { key: 'points', header: '学习积分', width: 10 },
  { key: 'studyMinutes', header: '学习时长（分钟）', width: 16 },
  { key: 'readMinutes', header: '阅读时长（分钟）', width: 16 },
  { key: 'watchMinutes', header: '观看时长（分钟）', width: 16 },
] as const;

/** Minutes to one decimal: a short study (a 40 s article) still shows. */
const minutes = (ms: number | null | undefined) => Math.round((ms ?? 0) / 6_000) / 10;

type Line = { reason?: string | null; delta?: number | null };

function rowOf(
  user: { _id: string; name: string },
  branch: string,
  lines: Line[],
  time: StudyTimeDoc | null,
): StudyLedgerRow {
  const paid = lines.filter((l) => STUDY.has(l.reason ?? '') && (l.delta ?? 0) > 0);
  const count = (r: (reason: string) => boolean) => paid.filter((l) => r(l.reason!)).length;
  return {
    userId: user._id,
    name: user.name,
    branch,
    articles: count((r) => r === 'study_read'),
    videos: count((r) => r === 'study_watch'),
    quizzes: count((r) => QUIZZES.includes(r as PointReason)),
    points: paid.reduce((s, l) => s + (l.delta ?? 0), 0),
    studyMinutes: minutes((time?.readMs ?? 0) + (time?.watchMs ?? 0)),
    readMinutes: minutes(time?.readMs),
    watchMinutes: minutes(time?.watchMs),
  };
}

export async function studyLedger(actor: SessionUser, orgId: string | undefined, month: string) {
  const id = orgId ?? defaultManagedOrgId(actor);
  if (!id) throw forbidden('只有支部书记或管理员可以导出学习台账');
  const org = await requireOrg(id);
  authorize(actor, 'member.export', org);
  const users = await UserModel.find({ orgPath: org._id }, { _id: 1, name: 1, orgId: 1 })
    .limit(ROWS_MAX)
    .lean<{ _id: string; name: string; orgId: string | null }[]>();
  const branchIds = [...new Set(users.map((u) => u.orgId).filter((b): b is string => !!b))];
  const branches = new Map(
    (await Promise.all(branchIds.map((b) => requireOrg(b).catch(() => null)))).flatMap((o) =>
      o ? [[o._id, o.name] as const] : [],
    ),
  );
  const feeds = await Promise.all(users.map((u) => FeedModel.findById(`${u._id}|${month}`).lean()));
  const times = await Promise.all(users.map((u) => StudyTimeModel.findById(`${u._id}|${month}`).lean<StudyTimeDoc>()));
  const rows = users
    .map((u, i) => rowOf(u, branches.get(u.orgId ?? '') ?? '', (feeds[i]?.items ?? []) as Line[], times[i]))
    .sort((a, b) => a.branch.localeCompare(b.branch, 'zh-CN') || a.name.localeCompare(b.name, 'zh-CN'));
  return { org: { id: org._id, name: org.name }, month, rows };
}

export async function ledgerXlsx(ledger: Awaited<ReturnType<typeof studyLedger>>): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '先锋';
  const sheet = workbook.addWorksheet('学习台账', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = LEDGER_COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width }));
  sheet.getRow(1).font = { bold: true };
  for (const row of ledger.rows) sheet.addRow(row);
  workbook.addWorksheet('说明').addRows([
    ['组织', ledger.org.name],
    ['月份', ledger.month],
    ['口径', '已得分的阅读、观看与答题（积分台账）；超过每日上限未得分的不计'],
    [
      '学习时长',
      '服务器计时：读完的文章按实际阅读时间（至多最短阅读时间的4倍），视频按每次有效心跳；超过每日积分上限也计入',
    ],
  ]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
