import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Picker, Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { ActivityPlace, ActivityType } from '@pioneer/shared';
import { ACTIVITY_RULES, ACTIVITY_TYPES, ACTIVITY_TYPE_LABELS } from '@pioneer/shared/src/activities';
import { dayKey, shanghaiInstant } from '@pioneer/shared/src/time';
import PageContainer from '../../components/PageContainer';
import Segmented from '../../components/Segmented';
import TextField from '../../components/TextField';
import { useMe } from '../../hooks/use-me';
import { useRequest } from '../../hooks/use-request';
import { useVillageFence, type VillageFence } from '../../hooks/use-village-fence';
import { ApiError } from '../../services/api-error';
import { createActivity, getActivities } from '../../services/api';
import { ACTIVITY_PAGES, activityWhen, statusLabel, typeLabel } from '../../utils/activity';
import { formatDistance } from '../../utils/location';
import './index.scss';

const TYPE_OPTIONS = ACTIVITY_TYPES.map((t) => ({
  value: t,
  label: ACTIVITY_TYPE_LABELS[t],
  testId: `acts-type-${t}`,
}));
/** A Shanghai wall-clock day and time as an instant. */
const shanghai = (day: string, time: string) => shanghaiInstant(day, `${time}:00`).toISOString();

type FenceChoice = 'none' | 'village';

/** The place sent with a new activity: the village's fence when chosen (its name if none typed), else the name. */
export function placeOf(name: string, choice: FenceChoice, village: VillageFence | null): ActivityPlace | undefined {
  if (choice === 'village' && village) return { name: name || village.name, fence: village.fence };
  return name ? { name } : undefined;
}

function CreateForm({ onDone, village }: { onDone: (id: string) => void; village: VillageFence | null }) {
  const [type, setType] = useState<ActivityType>('theme_day');
  const [title, setTitle] = useState('');
  const [topic, setTopic] = useState('');
  const [place, setPlace] = useState('');
  const [fence, setFence] = useState<FenceChoice>('none');
  const [day, setDay] = useState(dayKey(Date.now()));
  const [start, setStart] = useState('09:00');
  const [end, setEnd] = useState('11:00');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  async function submit() {
    setBusy(true);
    setError('');
    try {
      const a = await createActivity({
        type,
        title: title.trim(),
        topic: topic.trim() || undefined,
        startsAt: shanghai(day, start),
        endsAt: shanghai(day, end),
        place: placeOf(place.trim(), fence, village),
      });
      onDone(a.id);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '发布失败，请重试');
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className="acts__card" data-testid="acts-form">
      <Text className="acts__section">发布活动</Text>
      <Segmented options={TYPE_OPTIONS} value={type} onChange={setType} label="活动类型" />
      <TextField
        label="标题"
        value={title}
        onChange={setTitle}
        maxLength={ACTIVITY_RULES.titleMax}
        placeholder="例如：11月主题党日"
        testId="acts-title"
      />
      <TextField
        label="主题（选填）"
        value={topic}
        onChange={setTopic}
        maxLength={ACTIVITY_RULES.topicMax}
        testId="acts-topic"
      />
      <TextField
        label="地点（选填）"
        value={place}
        onChange={setPlace}
        maxLength={60}
        placeholder="例如：村党群服务中心"
        testId="acts-place"
      />
      {village && (
        <View className="acts__fence">
          <Text className="acts__label">签到范围（选填）</Text>
          <Segmented<FenceChoice>
            options={[
              { value: 'none', label: '不设范围', testId: 'acts-fence-none' },
              { value: 'village', label: '使用本村位置范围', testId: 'acts-fence-village' },
            ]}
            value={fence}
            onChange={setFence}
            label="签到范围"
          />
          <Text className="acts__hint" data-testid="acts-fence-hint">
            {fence === 'village'
              ? `${village.name}，半径${formatDistance(village.fence.radiusM)}：党员在范围内可定位签到，也可扫码`
              : '党员扫码或输入签到码签到'}
          </Text>
        </View>
      )}
      <View className="acts__times">
        <Picker mode="date" value={day} onChange={(e) => setDay(String(e.detail.value))}>
          <Text className="acts__pick" data-testid="acts-day">
            {day}
          </Text>
        </Picker>
        <Picker mode="time" value={start} onChange={(e) => setStart(String(e.detail.value))}>
          <Text className="acts__pick" data-testid="acts-start">
            {start}
          </Text>
        </Picker>
        <Text className="acts__to">至</Text>
        <Picker mode="time" value={end} onChange={(e) => setEnd(String(e.detail.value))}>
          <Text className="acts__pick" data-testid="acts-end">
            {end}
          </Text>
        </Picker>
      </View>
      {error && <Text className="acts__error">{error}</Text>}
      <Button
        type="primary"
        size="large"
        block
        disabled={busy || !title.trim()}
        onClick={() => void submit()}
        data-testid="acts-submit"
      >
        发布
      </Button>
    </View>
  );
}

/** 组织生活: the branch's activities, recent and coming; the secretary publishes new ones and opens the 台账. */
export default function ActivitiesPage() {
  const me = useMe();
  const m = me.data;
  const list = useRequest(() => getActivities(), [m?.id], !!m);
  const [creating, setCreating] = useState(false);
  const manages = !!m && (m.roles.includes('secretary') || m.roles.includes('admin'));
  // Only those who publish need the fence.
  const village = useVillageFence(manages ? m : undefined);
  const items = list.data?.items ?? [];
  // The render that first has `me` comes before the list request starts: without this the page flashed its content
  // (and 发布活动) for a moment, then the loading state.
  const listPending = !!m && list.data === undefined && !list.error;

  return (
    <PageContainer
      console={manages ? 'activities' : undefined}
      loggedIn={me.loggedIn}
      loading={me.loading || list.loading || listPending}
      hasData={!!list.data}
      error={me.error ?? list.error}
      onRetry={list.reload}
    >
      <View className="acts">
        {manages && (
          <View className="acts__links">
            <View className="acts__link" data-testid="acts-new" onClick={() => setCreating((c) => !c)}>
              <Text>{creating ? '收起' : '发布活动'}</Text>
            </View>
            <View
              className="acts__link"
              data-testid="acts-records"
              onClick={() => void Taro.navigateTo({ url: ACTIVITY_PAGES.records })}
            >
              <Text>三会一课台账</Text>
            </View>
          </View>
        )}
        {creating && (
          <CreateForm
            village={village}
            onDone={(id) => {
              setCreating(false);
              void list.reload();
              void Taro.navigateTo({ url: ACTIVITY_PAGES.manage(id) });
            }}
          />
        )}
        {items.length === 0 && (
          <Text className="acts__empty" data-testid="acts-empty">
            近期没有组织生活安排
          </Text>
        )}
        {items.map((a) => (
          <View
            key={a.id}
            className="acts__card"
            data-testid="acts-item"
            onClick={() => void Taro.navigateTo({ url: ACTIVITY_PAGES.detail(a.id) })}
          >
            <Text className="acts__type">
              {typeLabel(a)} · {statusLabel(a)}
            </Text>
            <Text className="acts__title">{a.title}</Text>
            <Text className="acts__meta">
              {activityWhen(a)}
              {a.place ? ` · ${a.place.name}` : ''}
            </Text>
          </View>
        ))}
      </View>
    </PageContainer>
  );
}
