import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { BranchResult, ScoreResults, TownshipResult } from '@pioneer/shared';
import PageContainer from '../../components/PageContainer';
import DataTable, { type Column } from '../../components/DataTable';
import TextField from '../../components/TextField';
import { useMe } from '../../hooks/use-me';
import { useRequest } from '../../hooks/use-request';
import { ApiError } from '../../services/api-error';
import { downloadFile } from '../../services/download';
import {
  bulletinXlsxUrl,
  computeQuarter,
  flagBranch,
  getScoreResults,
  quarterOf,
  shiftQuarter,
} from '../../services/scorecards-api';
import '../../pages/identity/index.scss';
import './index.scss';

const message = (e: unknown) => (e instanceof ApiError ? e.message : '操作失败，请重试');
const stars = (n: number | null) => (n ? '★'.repeat(n) : '不参评');
const dash = (n: number | null) => (n === null ? '—' : String(n));

const TOWN_COLUMNS: Column<TownshipResult>[] = [
  { key: 'rank', title: '排名', render: (t) => dash(t.rank), sortBy: (t) => t.rank ?? 1e9, numeric: true },
  { key: 'name', title: '乡镇', render: (t) => t.name },
  { key: 'average', title: '平均分', render: (t) => dash(t.average), sortBy: (t) => t.average ?? -1, numeric: true },
  { key: 'rated', title: '参评支部', render: (t) => `${t.rated}/${t.branches}`, numeric: true },
  { key: 'five', title: '五星', render: (t) => String(t.fiveStars), sortBy: (t) => t.fiveStars, numeric: true },
  { key: 'weak', title: '软弱涣散', render: (t) => String(t.weak), sortBy: (t) => t.weak, numeric: true },
];

function branchColumns(onPick: (b: BranchResult) => void): Column<BranchResult>[] {
  return [
    {
      key: 'rank',
      title: '全县',
      render: (b) => dash(b.countyRank),
      sortBy: (b) => b.countyRank ?? 1e9,
      numeric: true,
    },
    { key: 'trank', title: '乡镇内', render: (b) => dash(b.townshipRank), numeric: true },
    {
      key: 'name',
      title: '支部',
      render: (b) => (
        <Text className="scores__link" onClick={() => onPick(b)} data-testid="score-branch">
          {b.name}
        </Text>
      ),
      sortBy: (b) => b.name,
    },
    { key: 'town', title: '乡镇', render: (b) => b.townshipName, sortBy: (b) => b.townshipName },
    { key: 'score', title: '得分', render: (b) => dash(b.score), sortBy: (b) => b.score ?? -1, numeric: true },
    { key: 'stars', title: '星级', render: (b) => <Text className="scores__stars">{stars(b.stars)}</Text> },
    { key: 'cand', title: '最强候选', render: (b) => (b.candidate ? '是' : '') },
    {
      key: 'weak',
      title: '软弱涣散',
      render: (b) => (b.weak ? <Text className="scores__weak">{b.weakReason}</Text> : (b.note ?? '')),
    },
  ];
}

/** A branch picked in the table: mark or clear 软弱涣散 with a reason. */
function FlagForm(props: { branch: BranchResult; quarter: string; onDone: () => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState('');
  async function save(flagged: boolean) {
    setError('');
    try {
      await flagBranch(props.branch.id, props.quarter, flagged, reason);
      void Taro.showToast({ title: flagged ? '已标记' : '已取消标记', icon: 'none' });
      props.onDone();
    } catch (e) {
      setError(message(e));
    }
  }
  return (
    <View className="section" data-testid="flag-form">
      <Text className="section__title">{props.branch.name}</Text>
      <TextField
        label="认定为软弱涣散的原因"
        value={reason}
        onChange={setReason}
        maxLength={200}
        testId="flag-reason"
      />
      {error && <Text className="form-error">{error}</Text>}
      <View className="scores__actions">
        <Button type="danger" onClick={() => void save(true)} data-testid="flag-save">
          标记软弱涣散
        </Button>
        <Button onClick={() => void save(false)}>取消标记</Button>
      </View>
    </View>
  );
}

function Toolbar(props: {
  r: ScoreResults;
  quarter: string;
  setQuarter: (q: string) => void;
  county: boolean;
  reload: () => void;
}) {
  const [busy, setBusy] = useState(false);
  async function run(fn: () => Promise<unknown>, done: string) {
    setBusy(true);
    try {
      await fn();
      void Taro.showToast({ title: done, icon: 'none' });
    } catch (e) {
      void Taro.showToast({ title: message(e), icon: 'none' });
    } finally {
      setBusy(false);
    }
  }
  const print = `/console/bulletin/index?quarter=${props.quarter}&org=${props.r.org.id}`;
  return (
    <View className="scores__bar">
      <Button onClick={() => props.setQuarter(shiftQuarter(props.quarter, -1))} data-testid="q-prev">
        上一季度
      </Button>
      <Text className="scores__label" data-testid="q-label">
        {props.r.label}
      </Text>
      <Button onClick={() => props.setQuarter(shiftQuarter(props.quarter, 1))}>下一季度</Button>
      {props.county && (
        <Button
          size="large"
          type="primary"
          disabled={busy}
          data-testid="q-compute"
          onClick={() =>
            void run(() => computeQuarter(props.r.county.id, props.quarter).then(props.reload), '已重新计算')
          }
        >
          计算本季度评分
        </Button>
      )}
      <Button
        size="large"
        disabled={busy}
        data-testid="q-xlsx"
        onClick={() =>
          void run(() => downloadFile(bulletinXlsxUrl(props.quarter, props.r.org.id), '季度通报.xlsx'), '已导出')
        }
      >
        导出通报 XLSX
      </Button>
      <Button onClick={() => void Taro.navigateTo({ url: print })} data-testid="q-print">
        打印通报
      </Button>
    </View>
  );
}

/** 支部评分 · 星级评定: a quarter's scores, stars and ranks of the admin's subtree; 软弱涣散 marks; the 通报. */
export default function BranchScoresPage() {
  const me = useMe();
  const isAdmin = me.data?.roles.includes('admin') ?? false;
  const [quarter, setQuarter] = useState(() => shiftQuarter(quarterOf(Date.now()), -1));
  const [picked, setPicked] = useState<BranchResult | null>(null);
  const res = useRequest(() => getScoreResults(quarter), [quarter], isAdmin);
  const r = res.data;
  return (
    <PageContainer
      console="branch-scores"
      loading={me.loading || res.loading}
      hasData={!!r}
      error={me.error ?? res.error}
      onRetry={() => void res.reload()}
    >
      {r && (
        <View className="scores">
          <Text className="scores__title" data-testid="scores-org">
            {r.org.name} · 支部评分 · 星级评定
          </Text>
          <Toolbar
            r={r}
            quarter={quarter}
            setQuarter={setQuarter}
            county={me.data?.adminOrg?.type === 'county'}
            reload={() => void res.reload()}
          />
          {!r.computedAt ? (
            <Text className="section__hint" data-testid="scores-none">
              {r.label}尚未计算评分
            </Text>
          ) : (
            <>
              <Text className="section__hint">
                评分标准 {r.effectiveFrom} 起施行 · 星级分数线 {r.stars.join(' / ')} · 低于 {r.weakBelow} 分为软弱涣散
              </Text>
              <Text className="scores__sub">乡镇排名</Text>
              <DataTable rows={r.townships} columns={TOWN_COLUMNS} rowKey={(t) => t.id} testId="town-table" />
              <Text className="scores__sub">支部排名</Text>
              <DataTable
                rows={r.branches}
                columns={branchColumns(setPicked)}
                rowKey={(b) => b.id}
                testId="branch-table"
                rowClass={(b) => (b.weak ? 'scores__row--weak' : undefined)}
              />
            </>
          )}
          {picked && (
            <FlagForm
              branch={picked}
              quarter={quarter}
              onDone={() => {
                setPicked(null);
                void res.reload();
              }}
            />
          )}
        </View>
      )}
    </PageContainer>
  );
}
