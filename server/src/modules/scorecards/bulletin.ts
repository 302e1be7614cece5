import ExcelJS from 'exceljs';
import {
  dayKey,
  formatShanghai,
  PLAN_ITEM_LABELS,
  PLAN_STATUS_LABELS,
  type Plan,
  type ResultsQuery,
  type ScoreResults,
} from '@pioneer/shared';
import type { SessionUser } from '../../http/types';
import { planView } from '../rectification-plans/plans.store';
import { plansWithin } from '../rectification-plans/plans.list';
import { getResults } from './scorecards.results';

export const BULLETIN_SHEETS = ['概况', '乡镇排名', '支部排名', '软弱涣散支部', '驻村干部在岗'] as const;

export interface Bulletin {
  results: ScoreResults;
  plans: Plan[];
  generatedAt: string;
}

/** Everything the 季度通报 prints: the quarter's results for the subtree and the 整顿 plans of its weak branches. */
export async function bulletinOf(actor: SessionUser, query: ResultsQuery, now = new Date()): Promise<Bulletin> {
  const results = await getResults(actor, query);
  const today = dayKey(now);
  const plans = (await plansWithin(results.county.id, results.org.id))
    .filter((p) => p.quarter === query.quarter)
    .map((p) => planView(p, today));
  return { results, plans, generatedAt: formatShanghai(now, 'YYYY年M月D日') };
}

const stars = (n: number | null) => (n ? '★'.repeat(n) : '不参评');

function sheet(wb: ExcelJS.Workbook, name: string, columns: [string, string, number][], rows: object[]) {
  const ws = wb.addWorksheet(name);
  ws.columns = columns.map(([header, key, width]) => ({ header, key, width }));
  ws.getRow(1).font = { bold: true };
  ws.addRows(rows);
  return ws;
}

/** The 通报 as XLSX, one sheet per part, in the order the document reads. */
export async function bulletinXlsx(actor: SessionUser, query: ResultsQuery, now = new Date()): Promise<Buffer> {
  const { results: r, plans, generatedAt } = await bulletinOf(actor, query, now);
  const wb = new ExcelJS.Workbook();
  const rated = r.branches.filter((b) => b.score !== null);
  const avg = rated.length ? Math.round((rated.reduce((s, b) => s + b.score!, 0) / rated.length) * 10) / 10 : 0;
  const summary = wb.addWorksheet(BULLETIN_SHEETS[0]);
  summary.columns = [
    { header: '项目', key: 'k', width: 22 },
    { header: '内容', key: 'v', width: 40 },
  ];
  summary.getRow(1).font = { bold: true };
  summary.addRows([
    { k: '通报', v: `${r.county.name}${r.label}基层党组织星级评定情况通报` },
    { k: '范围', v: r.org.name },
    { k: '支部总数', v: r.branches.length },
    { k: '参评支部', v: rated.length },
    { k: '平均得分', v: avg },
    ...[5, 4, 3, 2, 1].map((s) => ({ k: `${s}星支部`, v: rated.filter((b) => b.stars === s).length })),
    { k: '最强党支部候选', v: r.branches.filter((b) => b.candidate).length },
    { k: '软弱涣散支部', v: r.branches.filter((b) => b.weak).length },
    { k: '评分标准生效日期', v: r.effectiveFrom ?? '' },
    { k: '生成日期', v: generatedAt },
  ]);
  sheet(
    wb,
    BULLETIN_SHEETS[1],
    [
      ['排名', 'rank', 8],
      ['乡镇', 'name', 16],
      ['支部数', 'branches', 8],
      ['参评', 'rated', 8],
      ['平均得分', 'average', 10],
      ['五星支部', 'fiveStars', 10],
      ['软弱涣散', 'weak', 10],
      ['党员活跃率%', 'activeRate', 12],
    ],
    [...r.townships]
      .sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9))
      .map((t) => ({ ...t, rank: t.rank ?? '—', average: t.average ?? '—' })),
  );
  sheet(
    wb,
    BULLETIN_SHEETS[2],
    [
      ['全县排名', 'countyRank', 10],
      ['乡镇内排名', 'townshipRank', 10],
      ['支部', 'name', 22],
      ['乡镇', 'townshipName', 12],
      ['党员数', 'members', 8],
      ['得分', 'score', 8],
      ['星级', 'stars', 10],
      ['最强党支部候选', 'candidate', 14],
      ['备注', 'note', 20],
    ],
    r.branches.map((b) => ({
      ...b,
      countyRank: b.countyRank ?? '—',
      townshipRank: b.townshipRank ?? '—',
      score: b.score ?? '—',
      stars: stars(b.stars),
      candidate: b.candidate ? '是' : '',
      note: b.note ?? (b.weak ? '软弱涣散' : ''),
    })),
  );
  const byBranch = new Map(plans.map((p) => [p.branchId, p]));
  sheet(
    wb,
    BULLETIN_SHEETS[3],
    [
      ['支部', 'name', 22],
      ['乡镇', 'town', 12],
      ['得分', 'score', 8],
      ['认定原因', 'reason', 30],
      ['整顿状态', 'status', 10],
      ['整顿事项', 'items', 60],
    ],
    r.branches
      .filter((b) => b.weak)
      .map((b) => {
        const p = byBranch.get(b.id);
        return {
          name: b.name,
          town: b.townshipName,
          score: b.score ?? '—',
          reason: b.weakReason ?? '',
          status: p ? PLAN_STATUS_LABELS[p.status] : '未制定方案',
          items:
            p?.items
              .map(
                (i) =>
                  `${i.n}. ${i.text}（${i.owner}，${i.deadline}，${PLAN_ITEM_LABELS[i.status]}${i.overdue ? '，逾期' : ''}）`,
              )
              .join('\n') ?? '',
        };
      }),
  );
  sheet(
    wb,
    BULLETIN_SHEETS[4],
    [
      ['乡镇', 'name', 16],
      ['实到（人天）', 'cadreDays', 14],
      ['应出勤（人天）', 'cadreReq', 16],
      ['在岗率（%）', 'cadreRate', 14],
    ],
    r.townships.map((t) => ({ name: t.name, cadreDays: t.cadreDays, cadreReq: t.cadreReq, cadreRate: t.cadreRate })),
  );
  return Buffer.from(await wb.xlsx.writeBuffer());
}
