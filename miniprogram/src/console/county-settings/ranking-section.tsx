import { useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { RankingVisibility } from '@pioneer/shared';
import PageContainer from '../../components/PageContainer';
import Segmented from '../../components/Segmented';
import { useRequest } from '../../hooks/use-request';
import { ApiError } from '../../services/api-error';
import { getRankingSettings, putRankingSettings } from '../../services/api';

export const VISIBILITY_OPTIONS = [
  { value: 'off', label: '关闭', testId: 'cs-visibility-off' },
  { value: 'branch', label: '仅本支部', testId: 'cs-visibility-branch' },
  { value: 'scope', label: '范围内全部', testId: 'cs-visibility-scope' },
] as const;

/** What each choice means to a member, in their words. */
export const VISIBILITY_EXPLAINED: Record<RankingVisibility, string> = {
  off: '党员看不到任何人的排名，只看得到自己的积分。适合不希望比拼的时期。',
  branch: '党员只看得到本支部党员的排名，看不到其他支部和村镇。',
  scope: '党员可以查看本支部、本村、本镇和全县的排名。',
};

/** 排行榜公开范围: who sees member leaderboards in the county. Members may still hide themselves (我的). */
export default function RankingSection({ county }: { county: string }) {
  const current = useRequest(() => getRankingSettings(county), [county]);
  const [choice, setChoice] = useState<RankingVisibility>('branch');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState('');
  const saved = current.data?.visibility;
  useEffect(() => {
    if (saved) setChoice(saved);
  }, [saved]);

  async function save() {
    const label = VISIBILITY_OPTIONS.find((o) => o.value === choice)!.label;
    const { confirm } = await Taro.showModal({
      title: '修改排行榜公开范围',
      content: `改为「${label}」：${VISIBILITY_EXPLAINED[choice]}立即对全县生效。`,
      confirmText: '确认修改',
      confirmColor: '#C8161D',
    });
    if (!confirm) return;
    setSaving(true);
    setError('');
    try {
      await putRankingSettings({ org: county, visibility: choice });
      void Taro.showToast({ title: '已保存', icon: 'success' });
      await current.reload();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '保存失败，请重试');
    } finally {
      setSaving(false);
    }
  }

  return (
    <View className="cs__card" data-testid="cs-ranking">
      <Text className="cs__section">排行榜公开范围</Text>
      <PageContainer
        inline
        loading={current.loading}
        hasData={!!current.data}
        error={current.error}
        onRetry={current.reload}
      >
        <Segmented label="排行榜公开范围" options={VISIBILITY_OPTIONS} value={choice} onChange={setChoice} />
        <Text className="cs__explain" data-testid="cs-visibility-explain">
          {VISIBILITY_EXPLAINED[choice]}
        </Text>
        <Text className="cs__note">无论怎样设置，党员都可以在“我的”里选择不在排行榜中显示自己。</Text>
        {error && <Text className="cs__error">{error}</Text>}
        <Button
          type="primary"
          size="large"
          block
          disabled={saving || choice === saved}
          onClick={() => void save()}
          data-testid="cs-visibility-save"
        >
          {choice === saved ? '当前设置' : '保存公开范围'}
        </Button>
      </PageContainer>
    </View>
  );
}
