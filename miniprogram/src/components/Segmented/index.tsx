import { Text, View } from '@tarojs/components';
import './index.scss';

export interface SegmentedOption<V extends string> {
  value: V;
  label: string;
  testId?: string;
}

export interface SegmentedProps<V extends string> {
  options: readonly SegmentedOption<V>[];
  value: V;
  onChange: (value: V) => void;
  /** Screen-reader name of the group, e.g. 时间范围. */
  label: string;
}

/** A row of large, high-contrast choices (period, scope, tab). Wraps to a second line instead of shrinking text. */
export default function Segmented<V extends string>({ options, value, onChange, label }: SegmentedProps<V>) {
  return (
    <View className="segmented" role="tablist" aria-label={label}>
      {options.map((o) => {
        const active = o.value === value;
        return (
          <View
            key={o.value}
            className={`segmented__item${active ? ' segmented__item--active' : ''}`}
            role="tab"
            aria-selected={active}
            data-testid={o.testId}
            onClick={() => {
              if (!active) onChange(o.value);
            }}
          >
            <Text>{o.label}</Text>
          </View>
        );
      })}
    </View>
  );
}
