import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Input, Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { Fence, FenceVillage } from '@pioneer/shared';
import PageContainer from '../../components/PageContainer';
import { useMe } from '../../hooks/use-me';
import { useRequest } from '../../hooks/use-request';
import { ApiError } from '../../services/api-error';
import { getCheckinSettings, getFenceVillages, putCheckinSettings, setVillageFence } from '../../services/api';
import { formatDistance } from '../../utils/location';
import FenceForm from './fence-form';
import './index.scss';

const errorText = (e: unknown) => (e instanceof ApiError ? e.message : '保存失败，请重试');

/** County admins set how many days present a cadre owes per month. */
function RequiredDays({ countyId }: { countyId: string }) {
  const settings = useRequest(() => getCheckinSettings(countyId), [countyId]);
  const [value, setValue] = useState('');
  const current = settings.data?.requiredDays;
  async function save() {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > 31)
      return void Taro.showToast({ title: '请填写1到31之间的天数', icon: 'none' });
    try {
      await putCheckinSettings(countyId, n);
      await settings.reload();
      setValue('');
      void Taro.showToast({ title: '已保存', icon: 'success' });
    } catch (e) {
      void Taro.showToast({ title: errorText(e), icon: 'none' });
    }
  }
  return (
    <View className="fences__card" data-testid="required-days">
      <Text className="fences__title">每月应出勤天数：{current ?? '…'}天</Text>
      <View className="fences__inline">
        <Input
          className="fences__input fences__input--short"
          type="number"
          value={value}
          placeholder={String(current ?? 20)}
          aria-label="每月应出勤天数"
          data-testid="required-days-input"
          onInput={(e) => setValue(String((e as unknown as { detail?: { value?: string } }).detail?.value ?? ''))}
        />
        <Button type="primary" size="normal" onClick={() => void save()} data-testid="required-days-save">
          保存
        </Button>
      </View>
    </View>
  );
}

/** 打卡范围: the villages of my subtree and their fences; an admin edits centre and radius as numbers. */
export default function CheckinFencesPage() {
  const me = useMe();
  const isAdmin = !!me.data?.roles.includes('admin');
  const list = useRequest(() => getFenceVillages(), [me.data?.id], isAdmin);
  const [editing, setEditing] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  async function save(v: FenceVillage, fence: Fence) {
    setSaving(true);
    try {
      await setVillageFence(v.id, fence);
      await list.reload();
      setEditing(null);
      void Taro.showToast({ title: '已保存', icon: 'success' });
    } catch (e) {
      void Taro.showToast({ title: errorText(e), icon: 'none' });
    } finally {
      setSaving(false);
    }
  }

  const adminOrg = me.data?.adminOrg;
  return (
    <PageContainer
      console="checkin-fences"
      loggedIn={me.loggedIn}
      loading={me.loading || (isAdmin && list.loading)}
      hasData={!!list.data}
      error={me.error ?? list.error}
      onRetry={list.reload}
      empty={!!me.data && !isAdmin}
      emptyText="只有管理员可以设置打卡范围"
    >
      <View className="fences">
        {adminOrg?.type === 'county' && <RequiredDays countyId={adminOrg.id} />}
        {(list.data?.items ?? []).map((v) => (
          <View key={v.id} className="fences__card" data-testid="fence-village" data-name={v.name}>
            <View className="fences__head" onClick={() => setEditing(editing === v.id ? null : v.id)}>
              <View className="fences__who">
                <Text className="fences__name">{v.name}</Text>
                <Text className="fences__sub">{v.parentName}</Text>
              </View>
              <Text className={`fences__state${v.fence ? '' : ' fences__state--none'}`} data-testid="fence-state">
                {v.fence
                  ? `${v.fence.lat.toFixed(4)}, ${v.fence.lng.toFixed(4)} · 半径${formatDistance(v.fence.radiusM)}`
                  : '未设置'}
              </Text>
            </View>
            {editing === v.id && (
              <FenceForm
                village={v}
                saving={saving}
                onSave={(f) => void save(v, f)}
                onCancel={() => setEditing(null)}
              />
            )}
          </View>
        ))}
      </View>
    </PageContainer>
  );
}
