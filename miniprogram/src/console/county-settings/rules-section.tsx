import { useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { PointRuleEdit, PointsRulesView } from '@pioneer/shared';
import { dayKey } from '@pioneer/shared/src/time';
import PageContainer from '../../components/PageContainer';
// RuleRow (Segmented, Stepper) before TextField: the CSS chunk order every other page uses.
import RuleRow, { type RuleDraft } from './rule-row';
import RulesTable from './rules-table';
import TextField from '../../components/TextField';
import { useRequest } from '../../hooks/use-request';
import { useWideScreen } from '../../hooks/use-wide-screen';
import { ApiError } from '../../services/api-error';
import { getPointsRules, putPointsRules } from '../../services/api';

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
/** Manual adjustments are "any amount, with a written reason": nothing to set here. */
const NOT_EDITED = new Set(['manual_adjustment']);

export const tomorrow = (now = Date.now()) => dayKey(now + 86_400_000);

export function draftsOf(view: PointsRulesView): RuleDraft[] {
  return view.rules
    .filter((r) => !NOT_EDITED.has(r.reason))
    .map((r) => ({
      reason: r.reason,
      label: r.label,
      earns: r.earns,
      points: r.points,
      per: r.cap?.per ?? 'none',
      max: r.cap?.max ?? 0,
      enabled: r.enabled,
    }));
}

/** What PUT /settings/points-rules gets: every edited rule, its value only once one was set. */
export function rulesPayload(drafts: RuleDraft[]): PointRuleEdit[] {
  return drafts.map((d) => ({
    reason: d.reason,
    ...(d.points !== null ? { points: d.points } : {}),
    cap: d.per === 'none' ? null : { per: d.per, max: d.max },
    enabled: d.enabled,
  }));
}

/** Why a date cannot be used, or null. Mirrors the server, which has the last word. */
export function dateProblem(day: string, now = Date.now()): string | null {
  if (!DAY_RE.test(day)) return '请按 2026-01-01 的格式填写生效日期';
  if (day < dayKey(now)) return '生效日期不能早于今天：已发生的积分不会被改写';
  return null;
}

/**
 * 积分规则: the county's table from a chosen day on. Each save appends a version; days before it keep the rules
 * they were paid under, so history is never rewritten. Starts from the rules that will be in force tomorrow.
 */
export default function RulesSection({ county }: { county: string }) {
  const view = useRequest(() => getPointsRules(county, tomorrow()), [county]);
  const [drafts, setDrafts] = useState<RuleDraft[]>([]);
  const [from, setFrom] = useState(tomorrow());
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState('');
  useEffect(() => {
    if (view.data) setDrafts(draftsOf(view.data));
  }, [view.data]);
  const problem = dateProblem(from.trim());
  const wide = useWideScreen();
  const change = (next: RuleDraft) => setDrafts((all) => all.map((x) => (x.reason === next.reason ? next : x)));

  async function save() {
    const day = from.trim();
    const off = drafts.filter((d) => !d.enabled).map((d) => d.label);
    const { confirm } = await Taro.showModal({
      title: '保存积分规则',
      content: `新规则自 ${day} 起执行，此前的积分不受影响。${off.length ? `停用：${off.join('、')}。` : ''}`,
      confirmText: '确认保存',
      confirmColor: '#C8161D',
    });
    if (!confirm) return;
    setSaving(true);
    setError('');
    try {
      await putPointsRules({ org: county, effectiveFrom: day, rules: rulesPayload(drafts) });
      void Taro.showToast({ title: `已保存，${day}起执行`, icon: 'none' });
      await view.reload();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '保存失败，请重试');
    } finally {
      setSaving(false);
    }
  }

  const versions = view.data?.versions ?? [];
  const today = dayKey(Date.now());
  const inForce = versions.filter((v) => v <= today).pop();
  const tag = (v: string) => (v > today ? '（待生效）' : v === inForce ? '（现行）' : '');
  return (
    <View className="cs__card" data-testid="cs-rules">
      <Text className="cs__section">积分规则</Text>
      <PageContainer inline loading={view.loading} hasData={!!view.data} error={view.error} onRetry={view.reload}>
        <View className="cs__history" data-testid="cs-history">
          <Text className="cs__label">生效记录</Text>
          {versions.length === 0 ? (
            <Text className="cs__note">尚未修改过，执行默认规则</Text>
          ) : (
            versions.map((v) => (
              <Text key={v} className="cs__history-item" data-testid="cs-history-item">
                {v} 起执行{tag(v)}
              </Text>
            ))
          )}
        </View>
        {wide ? (
          <RulesTable drafts={drafts} onChange={change} />
        ) : (
          drafts.map((d) => <RuleRow key={d.reason} rule={d} onChange={change} />)
        )}
        <TextField
          label="生效日期（默认明天）"
          value={from}
          onChange={setFrom}
          maxLength={10}
          placeholder="2026-01-01"
          testId="cs-effective-from"
        />
        {problem && (
          <Text className="cs__error" data-testid="cs-date-problem">
            {problem}
          </Text>
        )}
        {error && (
          <Text className="cs__error" data-testid="cs-rules-error">
            {error}
          </Text>
        )}
        <Button
          type="primary"
          size="xlarge"
          block
          disabled={saving || !!problem}
          onClick={() => void save()}
          data-testid="cs-rules-save"
        >
          保存积分规则
        </Button>
      </PageContainer>
    </View>
  );
}
