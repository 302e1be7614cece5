import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import {
  DASHBOARD_INDICATORS,
  DASHBOARD_INDICATOR_META,
  monthKey,
  shiftMonthKey,
  type Dashboard,
  type DashboardIndicator,
  type DashboardPeriod,
} from '@pioneer/shared';
import PageContainer from '../../components/PageContainer';
import Segmented from '../../components/Segmented';
import DataTable, { type Column } from '../../components/DataTable';
import { useMe } from '../../hooks/use-me';
import { useRequest } from '../../hooks/use-request';
import { useSession } from '../../hooks/use-session';
import { useShowCount } from '../../hooks/use-show-count';
import { useWideScreen } from '../../hooks/use-wide-screen';
import { getDashboard } from '../../services/dashboard';
import { EchartBars as BarChart, EchartTrend as TrendChart } from './echart';
import OverdueRectify from './overdue';
import ZhengdunPanel from './zhengdun';
import './index.scss';

const PERIOD_OPTIONS = [
  { value: 'month' as const, label: '月度', testId: 'period-month' },
  { value: 'quarter' as const, label: '季度', testId: 'period-quarter' },
  { value: 'year' as const, label: '年度', testId: 'period-year' },
];
const STEP: Record<DashboardPeriod, number> = { month: 1, quarter: 3, year: 12 };

type Child = Dashboard['children'][number];
/** 县直机关: branches placed right under the county, summed in one row that is not an org (nothing to open). */
const opens = (c: Child) => c.type !== 'group';

/** Column headings short enough for one table at a desk. */
const SHORT: Record<DashboardIndicator, string> = {
  active: '活跃党员',
  activeRate: '活跃率%',
  quizRate: '答题率%',
  quizAvg: '答题均分',
  held: '活动次数',
  attendAvg: '场均参加',
  hours: '服务小时',
  wishes: '心愿完成',
  cadreDays: '在岗人天',
  cadreReq: '应出勤人天',
  metRate: '三会一课达标%',
  cadreRate: '干部在岗率%',
  idle: '闲置支部',
};

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

/** ↑ / ↓ / → against the period before, with the change. */
function Trend({ now, before, unit }: { now: number; before: number; unit: string }) {
  const diff = Math.round((now - before) * 10) / 10;
  const dir = diff > 0 ? 'up' : diff < 0 ? 'down' : 'flat';
  const arrow = dir === 'up' ? '↑' : dir === 'down' ? '↓' : '→';
  return (
    <Text className={`dash-card__trend dash-card__trend--${dir}`} data-testid="card-trend">
      {arrow} {diff === 0 ? '持平' : `${fmt(Math.abs(diff))}${unit === '%' ? '个百分点' : unit}`}
    </Text>
  );
}

function Card(props: { k: DashboardIndicator; d: Dashboard; selected: boolean; onPick: () => void }) {
  const meta = DASHBOARD_INDICATOR_META[props.k];
  return (
    <View
      className={`dash-card${props.selected ? ' dash-card--on' : ''}`}
      data-testid={`card-${props.k}`}
      onClick={props.onPick}
    >
      <Text className="dash-card__label">{meta.label}</Text>
      <View className="dash-card__value">
        <Text data-testid="card-value">{fmt(props.d.values[props.k])}</Text>
        <Text className="dash-card__unit">{meta.unit}</Text>
      </View>
      <Trend now={props.d.values[props.k]} before={props.d.previous[props.k]} unit={meta.unit} />
    </View>
  );
}

/** The children as a sortable table at a desk; every indicator is a column. */
function childColumns(open: (c: Child) => void): Column<Child>[] {
  return [
    {
      key: 'name',
      title: '组织',
      render: (c) =>
        opens(c) ? (
          <Text className="dash__link" onClick={() => open(c)}>
            {c.name}
          </Text>
        ) : (
          c.name
        ),
      sortBy: (c) => c.name,
    },
    { key: 'members', title: '党员', numeric: true, render: (c) => c.memberCount, sortBy: (c) => c.memberCount },
    ...DASHBOARD_INDICATORS.map((k) => ({
      key: k,
      title: SHORT[k],
      numeric: true,
      render: (c: Child) => fmt(c.values[k]),
      sortBy: (c: Child) => c.values[k],
    })),
  ];
}

/** On a phone: one line per child with the chosen indicator; a tap drills down. */
function ChildList({ rows, k, open }: { rows: readonly Child[]; k: DashboardIndicator; open: (c: Child) => void }) {
  return (
    <View className="dash__list" data-testid="children-list">
      {rows.map((c) => (
        <View key={c.id} className="dash__list-row" data-testid="children-list-row" onClick={() => opens(c) && open(c)}>
          <Text className="dash__list-name">{c.name}</Text>
          <Text className="dash__list-value">
            {fmt(c.values[k])}
            {DASHBOARD_INDICATOR_META[k].unit}
            {opens(c) ? ' ›' : ''}
          </Text>
        </View>
      ))}
    </View>
  );
}

/**
 * 数据看板 (issue 18): for a county or township admin, the indicators of their subtree (or an org inside it) for a
 * month, quarter or year, against the period before, with a trend line, a bar per child org and a table of them.
 */
export default function DashboardPage() {
  const loggedIn = useSession();
  // Here, not in the panels below: they mount after the board loads, once the page has shown (useMe loads on show).
  const isAdmin = (useMe().data?.roles ?? []).includes('admin');
  const shown = useShowCount();
  const wide = useWideScreen();
  const [period, setPeriod] = useState<DashboardPeriod>('month');
  const [month, setMonth] = useState(() => monthKey(new Date()));
  const [trail, setTrail] = useState<{ id: string; name: string }[]>([]);
  const [indicator, setIndicator] = useState<DashboardIndicator>('activeRate');
  const org = trail.at(-1)?.id;
  const res = useRequest(
    () => getDashboard({ period, at: month, org }),
    [period, month, org, shown],
    loggedIn && shown > 0,
  );
  const d = res.data;
  const latest = month >= monthKey(new Date());
  const open = (c: Child) => setTrail((t) => [...t, { id: c.id, name: c.name }]);
  const meta = DASHBOARD_INDICATOR_META[indicator];

  return (
    <PageContainer
      console="dashboard"
      loggedIn={loggedIn}
      loading={res.loading}
      hasData={!!d}
      error={res.error}
      onRetry={res.reload}
    >
      <View className="dash">
        <View className="dash__bar">
          <Segmented label="统计周期" options={PERIOD_OPTIONS} value={period} onChange={setPeriod} />
          <View className="dash__period">
            <Text
              className="dash__nav"
              data-testid="dash-prev"
              onClick={() => setMonth(shiftMonthKey(month, -STEP[period]))}
            >
              ‹ 上一期
            </Text>
            <Text className="dash__label" data-testid="dash-period">
              {d?.label ?? month}
            </Text>
            <Text
              className={`dash__nav${latest ? ' dash__nav--off' : ''}`}
              data-testid="dash-next"
              onClick={() => !latest && setMonth(shiftMonthKey(month, STEP[period]))}
            >
              下一期 ›
            </Text>
          </View>
        </View>

        {d && (
          <>
            <View className="dash__crumbs" data-testid="dash-org">
              {trail.length > 0 && (
                <Text className="dash__link" data-testid="dash-up" onClick={() => setTrail((t) => t.slice(0, -1))}>
                  ‹ 返回上级
                </Text>
              )}
              <Text className="dash__org">{d.org.name}</Text>
              <Text className="dash__sub">
                党员{d.org.memberCount}人 · 对比{d.previousLabel}
              </Text>
            </View>

            <View className="dash__cards">
              {DASHBOARD_INDICATORS.map((k) => (
                <Card key={k} k={k} d={d} selected={k === indicator} onPick={() => setIndicator(k)} />
              ))}
            </View>

            <View
              className={`dash__panel dash__cover${d.inspections.met ? ' dash__cover--met' : ''}`}
              data-testid="dash-inspections"
            >
              <Text className="dash__panel-title">{d.inspections.label}巡查覆盖</Text>
              <Text className="dash__cover-item">
                村 {d.inspections.villages.covered}/{d.inspections.villages.total}（要求100%）
              </Text>
              <Text className="dash__cover-item">
                支部 {d.inspections.branches.covered}/{d.inspections.branches.total}（要求不少于10%）
              </Text>
              <Text className="dash__cover-verdict">{d.inspections.met ? '已达标' : '未达标'}</Text>
            </View>

            <OverdueRectify isAdmin={isAdmin} />
            <ZhengdunPanel isAdmin={isAdmin} />

            <View className="dash__charts">
              <View className="dash__panel">
                <Text className="dash__panel-title">
                  {meta.label}趋势（{meta.unit}）
                </Text>
                <TrendChart
                  testId="trend-chart"
                  points={d.trend.map((p) => ({ label: p.label, value: p.values[indicator] }))}
                />
              </View>
              {d.children.length > 0 && (
                <View className="dash__panel">
                  <Text className="dash__panel-title">下级组织 · {meta.label}</Text>
                  <BarChart
                    testId="children-bars"
                    unit={meta.unit}
                    points={d.children.map((c) => ({ label: c.name, value: c.values[indicator] }))}
                  />
                </View>
              )}
            </View>

            {d.children.length > 0 &&
              (wide ? (
                <View className="dash__panel">
                  <DataTable
                    testId="children-table"
                    rows={d.children}
                    columns={childColumns(open)}
                    rowKey={(c) => c.id}
                    pageSize={50}
                  />
                </View>
              ) : (
                <ChildList rows={d.children} k={indicator} open={open} />
              ))}
          </>
        )}
      </View>
    </PageContainer>
  );
}
