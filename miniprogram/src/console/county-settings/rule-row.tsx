import { Text, View } from '@tarojs/components';
import type { PointReason } from '@pioneer/shared';
import Segmented from '../../components/Segmented';
import Stepper from '../../components/Stepper';

export type CapPer = 'none' | 'day' | 'week' | 'year';

/** One rule as the admin edits it; `points` is its value in force (null: adjustments, whose amount the actor gives). */
export interface RuleDraft {
  reason: PointReason;
  label: string;
  earns: string;
  points: number | null;
  per: CapPer;
  max: number;
  enabled: boolean;
}

const PER_OPTIONS = (reason: string) =>
  [
    { value: 'none', label: '不设上限', testId: `cs-rule-${reason}-per-none` },
    { value: 'day', label: '每天', testId: `cs-rule-${reason}-per-day` },
    { value: 'week', label: '每周', testId: `cs-rule-${reason}-per-week` },
    { value: 'year', label: '每年', testId: `cs-rule-${reason}-per-year` },
  ] as const;

/** A rule's value, cap and 启用 switch, with big controls (no typing numbers). */
export default function RuleRow({ rule, onChange }: { rule: RuleDraft; onChange: (next: RuleDraft) => void }) {
  const set = (patch: Partial<RuleDraft>) => onChange({ ...rule, ...patch });
  return (
    <View className={`cs__rule${rule.enabled ? '' : ' cs__rule--off'}`} data-testid={`cs-rule-${rule.reason}`}>
      <View
        className="cs__rule-head"
        onClick={() => set({ enabled: !rule.enabled })}
        data-testid={`cs-rule-${rule.reason}-enabled`}
      >
        <View className="cs__rule-title">
          <Text className="cs__rule-label">{rule.label}</Text>
          <Text className="cs__rule-earns">{rule.earns}</Text>
        </View>
        <View className="cs__switch-wrap">
          <Text className="cs__switch-text">{rule.enabled ? '启用' : '停用'}</Text>
          <View
            className={`cs__switch${rule.enabled ? ' cs__switch--on' : ''}`}
            role="switch"
            aria-checked={rule.enabled}
            aria-label={`${rule.label}启用`}
          >
            <View className="cs__switch-knob" />
          </View>
        </View>
      </View>
      {rule.enabled && (
        <View>
          {rule.points !== null && (
            <Stepper
              label="分值（每次）"
              value={rule.points}
              min={0}
              max={100}
              unit="分"
              onChange={(v) => set({ points: v })}
              testId={`cs-rule-${rule.reason}-points`}
            />
          )}
          <Text className="cs__label">积分上限</Text>
          <Segmented
            label={`${rule.label}积分上限`}
            options={PER_OPTIONS(rule.reason)}
            value={rule.per}
            onChange={(per) => set({ per })}
          />
          {rule.per !== 'none' && (
            <Stepper
              label="最多"
              value={rule.max}
              min={0}
              max={1000}
              unit="分"
              onChange={(max) => set({ max })}
              testId={`cs-rule-${rule.reason}-max`}
            />
          )}
        </View>
      )}
    </View>
  );
}
