import { Text, View } from '@tarojs/components';
import './index.scss';

export interface StepperProps {
  label: string;
  value: number;
  min: number;
  max: number;
  step?: number;
  /** Shown after the value: 小时, 件. */
  unit?: string;
  onChange: (value: number) => void;
  testId?: string;
}

/** A number changed by large − and + buttons: no keyboard, no typos, easy for older members. */
export default function Stepper({ label, value, min, max, step = 1, unit, onChange, testId }: StepperProps) {
  const set = (v: number) => onChange(Math.min(max, Math.max(min, Math.round(v / step) * step)));
  return (
    <View className="stepper">
      <Text className="stepper__label">{label}</Text>
      <View className="stepper__row" role="group" aria-label={label}>
        <View
          className={`stepper__btn${value <= min ? ' stepper__btn--off' : ''}`}
          role="button"
          aria-label={`减少${label}`}
          data-testid={testId ? `${testId}-minus` : undefined}
          onClick={() => set(value - step)}
        >
          <Text>−</Text>
        </View>
        <View className="stepper__value">
          <Text className="stepper__num" data-testid={testId ? `${testId}-value` : undefined}>
            {value}
          </Text>
          {unit && <Text className="stepper__unit">{unit}</Text>}
        </View>
        <View
          className={`stepper__btn${value >= max ? ' stepper__btn--off' : ''}`}
          role="button"
          aria-label={`增加${label}`}
          data-testid={testId ? `${testId}-plus` : undefined}
          onClick={() => set(value + step)}
        >
          <Text>+</Text>
        </View>
      </View>
    </View>
  );
}
