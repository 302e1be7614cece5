import { Input, Text, Textarea, View } from '@tarojs/components';
import './index.scss';

export interface TextFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  placeholder?: string;
  maxLength?: number;
  /** Several lines (题干, 解析). */
  multiline?: boolean;
  testId?: string;
  /** Label hidden (a search box names itself by its placeholder). */
  bare?: boolean;
  /** 'number' opens the numeric keyboard (years, counts). */
  type?: 'text' | 'number';
}

/** Taro passes `detail.value`; a plain DOM event (tests) carries the value on the target. */
function valueOf(e: unknown): string {
  const ev = e as { detail?: { value?: unknown }; target?: { value?: unknown } };
  const v = ev.detail?.value ?? ev.target?.value;
  return typeof v === 'string' ? v : '';
}

/** A labelled text box with large text: the one place that knows how Taro reports typing. */
export default function TextField(p: TextFieldProps) {
  const common = {
    className: `field__input${p.multiline ? ' field__input--multi' : ''}`,
    value: p.value,
    placeholder: p.placeholder,
    maxlength: p.maxLength ?? 140,
    'data-testid': p.testId,
    onInput: (e: unknown) => p.onChange(valueOf(e)),
  };
  return (
    <View className="field">
      {!p.bare && <Text className="field__label">{p.label}</Text>}
      {p.multiline ? (
        <Textarea {...common} autoHeight />
      ) : (
        <Input {...common} type={p.type ?? 'text'} aria-label={p.label} />
      )}
    </View>
  );
}
