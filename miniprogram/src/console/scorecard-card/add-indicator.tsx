import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { DASHBOARD_INDICATOR_META, PRORATED_SOURCES, type ScoreSource } from '@pioneer/shared';
import Segmented from '../../components/Segmented';
import TextField from '../../components/TextField';
import { manualLabel, newKey, unusedSources, type Row } from './card-form';
import '../scorecard-manual/index.scss';

const KINDS = [
  { value: 'auto' as const, label: '自动指标（看板数据）', testId: 'add-kind-auto' },
  { value: 'manual' as const, label: '手工指标（乡镇录入）', testId: 'add-kind-manual' },
];

/** A first target for an automatic source: a rate of 80%, a count the admin then adjusts. */
const firstTarget = (s: ScoreSource) => (PRORATED_SOURCES.includes(s) ? '10' : '80');

/** 添加指标: an automatic one picked from the dashboard's list, or a manual one by name and unit. Weight starts at 0. */
export default function AddIndicator({ rows, onAdd }: { rows: Row[]; onAdd: (r: Row) => void }) {
  const [kind, setKind] = useState<'auto' | 'manual'>('auto');
  const [name, setName] = useState('');
  const [unit, setUnit] = useState('');
  const [target, setTarget] = useState('');
  const [error, setError] = useState('');
  const sources = unusedSources(rows);

  function addManual() {
    const label = manualLabel(name, unit);
    if (!name.trim()) return setError('请填写指标名称');
    if (label.length > 30) return setError('指标名称和单位合计最多30字');
    if (rows.some((r) => r.label.trim() === label)) return setError(`已有指标「${label}」`);
    const n = Number(target);
    if (target.trim() === '' || !Number.isFinite(n) || n <= 0) return setError('请填写满分标准（大于0的数）');
    setError('');
    onAdd({ key: newKey(rows, 'manual'), label, kind: 'manual', target: String(n), weight: '0' });
    setName('');
    setUnit('');
    setTarget('');
  }

  return (
    <View className="section card-add" data-testid="card-add">
      <Text className="section__title">添加指标</Text>
      <Segmented label="指标类型" options={KINDS} value={kind} onChange={setKind} />
      {kind === 'auto' ? (
        <View className="scores__actions">
          {sources.length === 0 && <Text className="section__hint">看板的指标都已在评分标准中</Text>}
          {sources.map((s) => (
            <Text
              key={s}
              className="manual__chip card-add__chip"
              data-testid={`add-source-${s}`}
              onClick={() =>
                onAdd({
                  key: newKey(rows, s),
                  label: DASHBOARD_INDICATOR_META[s].label,
                  kind: 'auto',
                  source: s,
                  target: firstTarget(s),
                  weight: '0',
                })
              }
            >
              + {DASHBOARD_INDICATOR_META[s].label}（{DASHBOARD_INDICATOR_META[s].unit}）
            </Text>
          ))}
        </View>
      ) : (
        <View className="card-add__manual">
          <TextField
            label="指标名称"
            value={name}
            onChange={setName}
            placeholder="如：集体经济收入"
            testId="add-name"
          />
          <TextField
            label="单位（选填）"
            value={unit}
            onChange={setUnit}
            placeholder="如：万元、个"
            testId="add-unit"
          />
          <TextField
            label="满分标准（达到即得满分）"
            type="number"
            value={target}
            onChange={setTarget}
            testId="add-target"
          />
          {error && (
            <Text className="form-error" data-testid="add-error">
              {error}
            </Text>
          )}
          <Button type="primary" onClick={addManual} data-testid="add-manual">
            添加手工指标
          </Button>
        </View>
      )}
      <Text className="section__hint">新添加的指标权重为0，请调整各指标权重使合计为100。</Text>
    </View>
  );
}
