import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { ActivityFrequencies, Frequency, FrequencyTable } from '@pioneer/shared';
import {
  ACTIVITY_FREQUENCY_VALUES,
  ACTIVITY_TYPES,
  ACTIVITY_TYPE_LABELS,
  FREQUENCY_LABELS,
} from '@pioneer/shared/src/activities';
import Segmented from '../Segmented';
import { ApiError } from '../../services/api-error';
import { putActivityFrequencies } from '../../services/api';
import './index.scss';

export interface FrequencyFormProps {
  /** The county's table as the server gave it. */
  value: ActivityFrequencies;
  /** After a save: the reply, so the page can reload the record book. */
  onSaved: (saved: ActivityFrequencies) => void;
}

const OPTIONS = ACTIVITY_FREQUENCY_VALUES.map((f) => ({ value: f, label: FREQUENCY_LABELS[f] }));

/** 三会一课 定频次 of a county, for its admin: one choice per activity type, saved as a whole. */
export default function FrequencyForm({ value, onSaved }: FrequencyFormProps) {
  const [table, setTable] = useState<FrequencyTable>(value.frequencies);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const changed = ACTIVITY_TYPES.some((t) => table[t] !== value.frequencies[t]);

  async function save() {
    setBusy(true);
    setError('');
    try {
      onSaved(await putActivityFrequencies({ org: value.org.id, frequencies: table }));
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '保存失败，请重试');
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className="freq" data-testid="freq-form">
      <Text className="freq__title">
        {value.org.name} · 三会一课应开频次{value.isDefault ? '（默认）' : ''}
      </Text>
      {ACTIVITY_TYPES.map((type) => (
        <View key={type} className="freq__row" data-testid={`freq-${type}`}>
          <Text className="freq__label">{ACTIVITY_TYPE_LABELS[type]}</Text>
          <Segmented<Frequency>
            options={OPTIONS.map((o) => ({ ...o, testId: `freq-${type}-${o.value}` }))}
            value={table[type]}
            onChange={(f) => setTable((t) => ({ ...t, [type]: f }))}
            label={ACTIVITY_TYPE_LABELS[type]}
          />
        </View>
      ))}
      {error && (
        <Text className="freq__error" data-testid="freq-error">
          {error}
        </Text>
      )}
      <Button
        type="primary"
        size="large"
        block
        disabled={busy || !changed}
        onClick={() => void save()}
        data-testid="freq-save"
      >
        保存频次（台账按新频次统计）
      </Button>
    </View>
  );
}
