import type { ChangeEvent } from 'react';
import { Text, View } from '@tarojs/components';
import type { CapPer, RuleDraft } from './rule-row';

const PER_LABELS: Record<CapPer, string> = { none: '不设上限', day: '每天', week: '每周', year: '每年' };
const PERS = Object.keys(PER_LABELS) as CapPer[];

/** A typed number kept inside [min, max]; an emptied box counts as 0 until something is typed. */
const clampInt = (raw: string, min: number, max: number) => Math.min(max, Math.max(min, Number.parseInt(raw, 10) || 0));

/**
 * 积分规则 at a desk (H5 >= 1024 px; this is DOM, never rendered in the mini-program): one compact row per rule
 * with number boxes and a select, instead of the phone's ± steppers and chips (which made the page 7,000 px tall).
 */
export default function RulesTable({ drafts, onChange }: { drafts: RuleDraft[]; onChange: (next: RuleDraft) => void }) {
  return (
    <View className="cs-table" data-testid="cs-rules-table">
      <table>
        <thead>
          <tr>
            <th>规则</th>
            <th>启用</th>
            <th>分值（每次）</th>
            <th>积分上限</th>
            <th>最多（分）</th>
          </tr>
        </thead>
        <tbody>
          {drafts.map((rule) => {
            const set = (patch: Partial<RuleDraft>) => onChange({ ...rule, ...patch });
            const off = !rule.enabled;
            return (
              <tr
                key={rule.reason}
                className={off ? 'cs-table__off' : undefined}
                data-testid={`cs-rule-${rule.reason}`}
              >
                <td>
                  <Text className="cs-table__label">{rule.label}</Text>
                  <Text className="cs-table__earns">{rule.earns}</Text>
                </td>
                <td>
                  <label className="cs-table__check">
                    <input
                      type="checkbox"
                      checked={rule.enabled}
                      onChange={() => set({ enabled: !rule.enabled })}
                      data-testid={`cs-rule-${rule.reason}-enabled`}
                    />
                    {rule.enabled ? '启用' : '停用'}
                  </label>
                </td>
                <td>
                  {rule.points === null ? (
                    <Text className="cs-table__earns">按实际填写</Text>
                  ) : (
                    <input
                      type="number"
                      inputMode="numeric"
                      min={0}
                      max={100}
                      disabled={off}
                      aria-label={`${rule.label}分值`}
                      value={rule.points}
                      onChange={(e: ChangeEvent<HTMLInputElement>) => set({ points: clampInt(e.target.value, 0, 100) })}
                      data-testid={`cs-rule-${rule.reason}-points-input`}
                    />
                  )}
                </td>
                <td>
                  <select
                    disabled={off}
                    aria-label={`${rule.label}积分上限`}
                    value={rule.per}
                    onChange={(e: ChangeEvent<HTMLSelectElement>) => set({ per: e.target.value as CapPer })}
                    data-testid={`cs-rule-${rule.reason}-per-select`}
                  >
                    {PERS.map((p) => (
                      <option key={p} value={p}>
                        {PER_LABELS[p]}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  {rule.per === 'none' ? (
                    <Text className="cs-table__earns">—</Text>
                  ) : (
                    <input
                      type="number"
                      inputMode="numeric"
                      min={0}
                      max={1000}
                      disabled={off}
                      aria-label={`${rule.label}最多`}
                      value={rule.max}
                      onChange={(e: ChangeEvent<HTMLInputElement>) => set({ max: clampInt(e.target.value, 0, 1000) })}
                      data-testid={`cs-rule-${rule.reason}-max-input`}
                    />
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </View>
  );
}
