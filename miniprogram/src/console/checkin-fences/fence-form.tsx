import { useState } from 'react';
import { Input, Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { Fence, FenceVillage } from '@pioneer/shared';
import { DEFAULT_FENCE_RADIUS_M } from '@pioneer/shared/src/orgs';
import FenceMap from '../../components/FenceMap';

export interface FenceDraft {
  lat: string;
  lng: string;
  radiusM: string;
}

export const draftOf = (v: FenceVillage): FenceDraft => ({
  lat: v.fence ? String(v.fence.lat) : '',
  lng: v.fence ? String(v.fence.lng) : '',
  radiusM: String(v.fence?.radiusM ?? DEFAULT_FENCE_RADIUS_M),
});

/** The draft as a fence, or the first thing wrong with it (the same limits the server's FenceSchema holds). */
export function parseFence(d: FenceDraft): Fence | string {
  const lat = Number(d.lat);
  const lng = Number(d.lng);
  const radiusM = Number(d.radiusM);
  if (d.lat.trim() === '' || !Number.isFinite(lat) || Math.abs(lat) > 90) return '纬度应在 -90 到 90 之间';
  if (d.lng.trim() === '' || !Number.isFinite(lng) || Math.abs(lng) > 180) return '经度应在 -180 到 180 之间';
  if (!Number.isInteger(radiusM) || radiusM < 50 || radiusM > 20000) return '半径应为 50 到 20000 之间的整数（米）';
  return { lat, lng, radiusM };
}

function NumberField(p: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  testId: string;
  hint?: string;
}) {
  return (
    <View className="fences__field">
      <Text className="fences__field-label">{p.label}</Text>
      <Input
        className="fences__input"
        type="digit"
        value={p.value}
        aria-label={p.label}
        data-testid={p.testId}
        onInput={(e) =>
          p.onChange(
            String(
              (e as unknown as { detail?: { value?: string }; target?: { value?: string } }).detail?.value ??
                (e as unknown as { target?: { value?: string } }).target?.value ??
                '',
            ),
          )
        }
      />
      {p.hint && <Text className="fences__hint">{p.hint}</Text>}
    </View>
  );
}

export interface FenceFormProps {
  village: FenceVillage;
  saving: boolean;
  onSave: (fence: Fence) => void;
  onCancel: () => void;
}

/** Centre (GCJ-02, as Tencent/WeChat maps show it) and radius, as numbers; in WeChat a tap on the map moves the centre. */
export default function FenceForm({ village, saving, onSave, onCancel }: FenceFormProps) {
  const [draft, setDraft] = useState(() => draftOf(village));
  const [error, setError] = useState('');
  const set = (k: keyof FenceDraft) => (v: string) => setDraft((d) => ({ ...d, [k]: v }));
  const parsed = parseFence(draft);

  return (
    <View className="fences__form" data-testid="fence-form">
      {typeof parsed !== 'string' && (
        <FenceMap
          fence={parsed}
          onTapPoint={(p) => setDraft((d) => ({ ...d, lat: p.lat.toFixed(6), lng: p.lng.toFixed(6) }))}
        />
      )}
      <NumberField
        label="中心纬度"
        value={draft.lat}
        onChange={set('lat')}
        testId="fence-lat"
        hint="GCJ-02 坐标，即腾讯、微信地图上的坐标"
      />
      <NumberField label="中心经度" value={draft.lng} onChange={set('lng')} testId="fence-lng" />
      <NumberField label="半径（米）" value={draft.radiusM} onChange={set('radiusM')} testId="fence-radius" />
      {error && <Text className="fences__error">{error}</Text>}
      <View className="fences__actions">
        <Button size="large" block onClick={onCancel} data-testid="fence-cancel">
          取消
        </Button>
        <Button
          type="primary"
          size="large"
          block
          disabled={saving}
          data-testid="fence-save"
          onClick={() => {
            if (typeof parsed === 'string') setError(parsed);
            else onSave(parsed);
          }}
        >
          保存
        </Button>
      </View>
    </View>
  );
}
