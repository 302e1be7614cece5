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
import '../../pages/identity/index.scss';
import '../branch-scores/index.scss';

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

type Row = {
  key: string;
  label: string;
  kind: 'auto' | 'manual';
  source?: ScorecardIndicator['source'];
  target: string;
  weight: string;
};
const toRow = (i: ScorecardIndicator): Row => ({ ...i, target: String(i.target), weight: String(i.weight) });

/** 评分标准: the county's scorecard in force and its versions; a new version starts on a day from today on. */
export default function ScorecardCardPage() {
  const me = useMe();
  const county = me.data?.adminOrg?.type === 'county' ? me.data.adminOrg.id : null;
  const card = useRequest(() => getScorecard(county!), [county], !!county);
  const [rows, setRows] = useState<Row[]>([]);
  const [stars, setStars] = useState('60,70,80,90');
  const [topN, setTopN] = useState('2');
  const [weak, setWeak] = useState('50');
  const [from, setFrom] = useState(dayKey(Date.now()));
  const [error, setError] = useState('');
  const v = card.data?.version ?? null;
  useEffect(() => {
    if (!card.data) return;
    setRows((v?.indicators ?? TEMPLATE).map(toRow));
    if (v) {
      setStars(v.stars.join(','));
      setTopN(String(v.candidatesPerTownship));
      setWeak(String(v.weakBelow));
    }
  }, [card.data, v]);
  const total = rows.reduce((s, r) => s + (Number(r.weight) || 0), 0);
  const edit = (i: number, patch: Partial<Row>) =>
    setRows((rs) => rs.map((r, k) => (k === i ? { ...r, ...patch } : r)));
  async function save() {
    setError('');
    try {
      await putScorecard({
        org: county!,
        effectiveFrom: from.trim(),
        indicators: rows.map((r) => ({ ...r, target: Number(r.target), weight: Number(r.weight) })),
        stars: stars
          .split(/[,，\s]+/)
          .filter(Boolean)
          .map(Number),
        candidatesPerTownship: Number(topN),
        weakBelow: Number(weak),
      });
      void Taro.showToast({ title: '已保存新版本', icon: 'none' });
      void card.reload();
    } catch (e) {
      setError(message(e));
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
            {card.data.versions.join('、') || '无'}
          </Text>
          <View className="section">
            <Text className="section__title">指标与权重（合计 {total}，应为 100）</Text>
            {rows.map((r, i) => (
              <View key={r.key} className="scores__actions" data-testid="card-row">
                <Text className="scores__label">
                  {r.label}（{r.kind === 'auto' ? `自动：${DASHBOARD_INDICATOR_META[r.source!].label}` : '乡镇录入'}）
                </Text>
                <TextField label="满分标准" type="number" value={r.target} onChange={(x) => edit(i, { target: x })} />
                <TextField label="权重" type="number" value={r.weight} onChange={(x) => edit(i, { weight: x })} />
              </View>
            ))}
          </View>
          <View className="section">
            <TextField label="二至五星分数线（逗号分隔）" value={stars} onChange={setStars} />
            <TextField label="每个乡镇最强党支部候选数" type="number" value={topN} onChange={setTopN} />
            <TextField label="低于此分认定软弱涣散" type="number" value={weak} onChange={setWeak} />
            <TextField label="生效日期（不早于今天）" value={from} onChange={setFrom} />
            {error && <Text className="form-error">{error}</Text>}
            <Button type="primary" block onClick={() => void save()} data-testid="card-save">
              保存为新版本
            </Button>
          </View>
        </View>
      )}
    </PageContainer>
  );
}
