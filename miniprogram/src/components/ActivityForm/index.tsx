import { useEffect, useState } from 'react';
import { Picker, Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { Activity, ActivityPlace, ActivityType } from '@pioneer/shared';
import { ACTIVITY_RULES, ACTIVITY_TYPES, ACTIVITY_TYPE_LABELS } from '@pioneer/shared/src/activities';
import Segmented from '../Segmented';
import TextField from '../TextField';
import type { VillageFence } from '../../hooks/use-village-fence';
import { ApiError } from '../../services/api-error';
import { formatDistance } from '../../utils/location';
import { crossesMidnight, defaultWhen, endAfter, instantsOf, whenOf, type When } from './defaults';
import './index.scss';

const TYPE_OPTIONS = ACTIVITY_TYPES.map((t) => ({
  value: t,
  label: ACTIVITY_TYPE_LABELS[t],
  testId: `acts-type-${t}`,
}));

type FenceChoice = 'none' | 'village';

/** The place sent with an activity: the village's fence when chosen (its name if none typed), else the name. */
export function placeOf(name: string, choice: FenceChoice, village: VillageFence | null): ActivityPlace | undefined {
  if (choice === 'village' && village) return { name: name || village.name, fence: village.fence };
  return name ? { name } : undefined;
}

export interface ActivityFormValues {
  type: ActivityType;
  title: string;
  topic?: string;
  startsAt: string;
  endsAt: string;
  place?: ActivityPlace;
}

export interface ActivityFormProps {
  /** The branch's fence (offered as the sign-in range) and the place name to start from (the branch's village). */
  village: VillageFence | null;
  defaultPlace?: string;
  /** Editing: the activity as published (its type stays). */
  initial?: Activity;
  submitLabel: string;
  onSave: (values: ActivityFormValues) => Promise<void>;
  onCancel?: () => void;
}

/**
 * 发布活动 / 修改活动: the next full hour and the type's usual length to start from, the branch's place, labelled
 * date and times (an end before the start is 次日), and no publishing of a meeting that is already over.
 */
export default function ActivityForm({
  village,
  defaultPlace,
  initial,
  submitLabel,
  onSave,
  onCancel,
}: ActivityFormProps) {
  const [type, setType] = useState<ActivityType>(initial?.type ?? 'theme_day');
  const [title, setTitle] = useState(initial?.title ?? '');
  const [topic, setTopic] = useState(initial?.topic ?? '');
  const [place, setPlace] = useState(initial ? (initial.place?.name ?? '') : (defaultPlace ?? ''));
  const [fence, setFence] = useState<FenceChoice>(initial?.place?.fence ? 'village' : 'none');
  const [when, setWhen] = useState<When>(() => (initial ? whenOf(initial) : defaultWhen('theme_day')));
  const [endTouched, setEndTouched] = useState(!!initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  // The branch's place arrives after the first render; fill it in unless the secretary has typed one.
  useEffect(() => {
    if (!initial && defaultPlace) setPlace((p) => p || defaultPlace);
  }, [defaultPlace, initial]);

  function pickType(t: ActivityType) {
    setType(t);
    if (!endTouched) setWhen((w) => ({ ...w, end: endAfter(w.start, t) }));
  }
  function pickStart(start: string) {
    setWhen((w) => ({ ...w, start, end: endTouched ? w.end : endAfter(start, type) }));
  }

  async function submit() {
    const { startsAt, endsAt } = instantsOf(when);
    if (new Date(endsAt).getTime() <= Date.now()) {
      setError('结束时间已过：请检查日期和时间（已开过的会议请在台账中补录）');
      return;
    }
    setBusy(true);
    setError('');
    try {
      await onSave({
        type,
        title: title.trim(),
        topic: topic.trim() || undefined,
        startsAt,
        endsAt,
        place: placeOf(place.trim(), fence, village),
      });
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '保存失败，请重试');
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className="aform" data-testid="acts-form">
      {!initial && <Segmented options={TYPE_OPTIONS} value={type} onChange={pickType} label="活动类型" />}
      <View className="aform__grid">
        <TextField
          label="标题"
          value={title}
          onChange={setTitle}
          maxLength={ACTIVITY_RULES.titleMax}
          placeholder="例如：11月主题党日"
          testId="acts-title"
        />
        <TextField
          label="地点（选填）"
          value={place}
          onChange={setPlace}
          maxLength={60}
          placeholder="例如：村党群服务中心"
          testId="acts-place"
        />
        <TextField
          label="主题（选填）"
          value={topic}
          onChange={setTopic}
          maxLength={ACTIVITY_RULES.topicMax}
          testId="acts-topic"
        />
        <View className="aform__times">
          <View className="aform__time">
            <Text className="aform__label">日期</Text>
            <Picker
              mode="date"
              value={when.day}
              onChange={(e) => setWhen((w) => ({ ...w, day: String(e.detail.value) }))}
            >
              <Text className="aform__pick" data-testid="acts-day">
                {when.day}
              </Text>
            </Picker>
          </View>
          <View className="aform__time">
            <Text className="aform__label">开始</Text>
            <Picker mode="time" value={when.start} onChange={(e) => pickStart(String(e.detail.value))}>
              <Text className="aform__pick" data-testid="acts-start">
                {when.start}
              </Text>
            </Picker>
          </View>
          <View className="aform__time">
            <Text className="aform__label">结束</Text>
            <Picker
              mode="time"
              value={when.end}
              onChange={(e) => {
                setEndTouched(true);
                setWhen((w) => ({ ...w, end: String(e.detail.value) }));
              }}
            >
              <Text className="aform__pick" data-testid="acts-end">
                {crossesMidnight(when.start, when.end) ? `次日 ${when.end}` : when.end}
              </Text>
            </Picker>
          </View>
        </View>
      </View>
      {village && (
        <View className="aform__fence">
          <Text className="aform__label">签到范围（选填）</Text>
          <Segmented<FenceChoice>
            options={[
              { value: 'none', label: '不设范围', testId: 'acts-fence-none' },
              { value: 'village', label: '使用本村位置范围', testId: 'acts-fence-village' },
            ]}
            value={fence}
            onChange={setFence}
            label="签到范围"
          />
          <Text className="aform__hint" data-testid="acts-fence-hint">
            {fence === 'village'
              ? `${village.name}，半径${formatDistance(village.fence.radiusM)}：党员在范围内可定位签到，也可扫码`
              : '党员扫码或输入签到码签到'}
          </Text>
        </View>
      )}
      {error && (
        <Text className="aform__error" data-testid="acts-error">
          {error}
        </Text>
      )}
      <View className="aform__buttons">
        {onCancel && (
          <Button size="large" onClick={onCancel} data-testid="acts-form-cancel">
            取消
          </Button>
        )}
        <Button
          type="primary"
          size="large"
          disabled={busy || !title.trim()}
          onClick={() => void submit()}
          data-testid="acts-submit"
        >
          {submitLabel}
        </Button>
      </View>
    </View>
  );
}
