import { useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { dayKey, DASHBOARD_INDICATOR_META, type ScorecardIndicator } from '@pioneer/shared';
import PageContainer from '../../components/PageContainer';
import TextField from '../../components/TextField';
import { useMe } from '../../hooks/use-me';
import { useRequest } from '../../hooks/use-request';
import { ApiError } from '../../services/api-error';
import { getScorecard, putScorecard } from '../../services/scorecards-api';
import AddIndicator from './add-indicator';
import { cardProblem, STAR_NAMES, toBody, toRow, weightTotal, type CardFields, type Row } from './card-form';
import '../../pages/identity/index.scss';
import '../branch-scores/index.scss';
import './index.scss';
import FormSubmit from '../../components/FormSubmit';

const message = (e: unknown) => (e instanceof ApiError ? e.message : '保存失败，请重试');

/** A first card when the county has none: the dashboard's indicators plus 集体经济 entered by townships. */
const TEMPLATE: ScorecardIndicator[] = [
  { key: 'active', label: '党员活跃率', kind: 'auto', source: 'activeRate', target: 80, weight: 25 },
  { key: 'quiz', label: '每日答题参与率', kind: 'auto', source: 'quizRate', target: 60, weight: 15 },
  { key: 'held', label: '开展活动', kind: 'auto', source: 'held', target: 6, weight: 20 },
  { key: 'hours', label: '志愿服务时长', kind: 'auto', source: 'hours', target: 100, weight: 15 },
  { key: 'economy', label: '集体经济收入（万元）', kind: 'manual', target: 10, weight: 15 },
  { key: 'projects', label: '党建+项目', kind: 'manual', target: 3, weight: 10 },
];
const FIRST: CardFields = { stars: ['60', '70', '80', '90'], topN: '2', weak: '50', from: '' };

function IndicatorRow(props: { r: Row; n: number; edit: (p: Partial<Row>) => void; remove: () => void }) {
  const { r } = props;
  const where =
    r.kind === 'auto'
      ? `自动：${DASHBOARD_INDICATOR_META[r.source!].label}（${DASHBOARD_INDICATOR_META[r.source!].unit}）`
      : '手工：乡镇录入，需佐证照片';
  return (
    <View className="card-row" data-testid="card-row">
      <View className="card-row__head">
        <Text className="card-row__n">{props.n}</Text>
        <Text className="card-row__where">{where}</Text>
        <Button
          size="large"
          type="default"
          className="card-row__remove"
          onClick={props.remove}
          data-testid="card-remove"
        >
          删除
        </Button>
      </View>
      <View className="card-row__fields">
        <TextField label="指标名称" value={r.label} onChange={(x) => props.edit({ label: x })} maxLength={30} />
        <TextField
          label="满分标准"
          type="number"
          value={r.target}
          onChange={(x) => props.edit({ target: x })}
          testId="card-target"
        />
        <TextField
          label="权重"
          type="number"
          value={r.weight}
          onChange={(x) => props.edit({ weight: x })}
          testId="card-weight"
        />
      </View>
    </View>
  );
}

/**
 * 评分标准: the county's scorecard in force and its versions. The county admin adds indicators (automatic from the
 * dashboard's list, or manual by name and unit), removes them, sets weights (summing to 100), star thresholds, the
 * 最强 candidates and the 软弱涣散 line, and saves a new version in force from a day not before today.
 */
export default function ScorecardCardPage() {
  const me = useMe();
  const county = me.data?.adminOrg?.type === 'county' ? me.data.adminOrg.id : null;
  const card = useRequest(() => getScorecard(county!), [county], !!county);
  const [rows, setRows] = useState<Row[]>([]);
  const [f, setF] = useState<CardFields>(() => ({ ...FIRST, from: dayKey(Date.now()) }));
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const v = card.data?.version ?? null;
  useEffect(() => {
    if (!card.data) return;
    setRows((v?.indicators ?? TEMPLATE).map(toRow));
    if (v)
      setF((old) => ({
        ...old,
        stars: v.stars.map(String) as CardFields['stars'],
        topN: String(v.candidatesPerTownship),
        weak: String(v.weakBelow),
      }));
  }, [card.data, v]);
  const total = weightTotal(rows);
  const edit = (i: number, patch: Partial<Row>) =>
    setRows((rs) => rs.map((r, k) => (k === i ? { ...r, ...patch } : r)));
  const set = (patch: Partial<CardFields>) => setF((old) => ({ ...old, ...patch }));
  const setStar = (i: number, x: string) =>
    setF((old) => ({ ...old, stars: old.stars.map((s, k) => (k === i ? x : s)) as CardFields['stars'] }));

  async function save() {
    const problem = cardProblem(rows, f, dayKey(Date.now()));
    setError(problem ?? '');
    if (problem || busy) return;
    setBusy(true);
    try {
      await putScorecard(toBody(county!, rows, f));
      void Taro.showToast({ title: '已保存新版本', icon: 'none' });
      void card.reload();
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <PageContainer
      console="scorecard-card"
      loading={me.loading || card.loading}
      hasData={!!card.data}
      error={me.error ?? card.error}
      empty={!!me.data && !county}
      emptyText="只有县级管理员可以设置支部评分标准"
    >
      {card.data && (
        <View className="scores">
          <Text className="scores__title">支部评分标准</Text>
          <Text className="section__hint" data-testid="card-versions">
            {v ? `现行版本 ${v.effectiveFrom} 起施行` : '尚未设置（下方为建议模板）'} · 历史版本：
            {[...new Set(card.data.versions)].join('、') || '无'}
          </Text>
          <View className="section">
            <Text
              className={`section__title card-total${total === 100 ? '' : ' card-total--off'}`}
              data-testid="card-total"
            >
              指标与权重（合计 {total}，应为 100）
            </Text>
            {rows.map((r, i) => (
              <IndicatorRow
                key={r.key}
                r={r}
                n={i + 1}
                edit={(p) => edit(i, p)}
                remove={() => setRows((rs) => rs.filter((_, k) => k !== i))}
              />
            ))}
          </View>
          <AddIndicator rows={rows} onAdd={(r) => setRows((rs) => [...rs, r])} />
          <View className="section">
            <Text className="section__title">星级与认定</Text>
            <Text className="section__hint">低于二星分数线为一星；分数线应逐级升高。</Text>
            <View className="card-stars">
              {STAR_NAMES.map((name, i) => (
                <TextField
                  key={name}
                  label={`${name}（不低于）`}
                  type="number"
                  value={f.stars[i]!}
                  onChange={(x) => setStar(i, x)}
                  testId={`card-star-${i}`}
                />
              ))}
            </View>
            <TextField
              label="每个乡镇最强党支部候选数"
              type="number"
              value={f.topN}
              onChange={(x) => set({ topN: x })}
              testId="card-topn"
            />
            <TextField
              label="低于此分认定软弱涣散"
              type="number"
              value={f.weak}
              onChange={(x) => set({ weak: x })}
              testId="card-weak"
            />
            <TextField
              label="生效日期（不早于今天）"
              value={f.from}
              onChange={(x) => set({ from: x })}
              placeholder="YYYY-MM-DD"
              testId="card-from"
            />
            <FormSubmit
              error={error}
              disabled={busy}
              onSubmit={() => void save()}
              testId="card-save"
              errorTestId="card-error"
            >
              保存为新版本
            </FormSubmit>
          </View>
        </View>
      )}
    </PageContainer>
  );
}
