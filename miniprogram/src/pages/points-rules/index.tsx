import { Text, View } from '@tarojs/components';
import type { PointsRulesView } from '@pioneer/shared';
import PageContainer from '../../components/PageContainer';
import { useMe } from '../../hooks/use-me';
import { useRequest } from '../../hooks/use-request';
import { getPointsRules } from '../../services/api';
import './index.scss';

const PER_LABELS = { day: '每天', week: '每周', year: '每年' } as const;

export function capText(cap: PointsRulesView['rules'][number]['cap']): string {
  return cap ? `${PER_LABELS[cap.per]}最多${cap.max}分` : '不设上限';
}

/** 积分规则: the rules in force in my county today, so members see what earns what. */
export default function PointsRules() {
  const me = useMe();
  const county = me.data?.org?.path[0]?.id ?? null;
  const rules = useRequest(() => getPointsRules(county ?? ''), [county], !!county);
  const data = rules.data;
  return (
    <PageContainer
      loggedIn={me.loggedIn}
      loading={me.loading || rules.loading}
      hasData={!!data}
      error={me.error ?? rules.error}
      onRetry={rules.reload}
      empty={!!me.data && !county}
      emptyText="加入党支部后可查看本县积分规则"
    >
      {data && (
        <>
          <View className="rules__head" data-testid="rules-head">
            <Text>{data.effectiveFrom ? `本县自 ${data.effectiveFrom} 起执行` : '执行默认积分规则'}</Text>
          </View>
          <View className="rules__list">
            {data.rules
              .filter((r) => r.enabled)
              .map((r) => (
                <View key={r.reason} className="rules__item" data-testid={`rule-${r.reason}`}>
                  <Text className="rules__label">{r.label}</Text>
                  <Text className="rules__earns">{r.earns}</Text>
                  <Text className="rules__cap">{capText(r.cap)}</Text>
                </View>
              ))}
          </View>
          {data.rules.some((r) => !r.enabled) && (
            <View className="rules__off" data-testid="rules-off">
              <Text>
                暂停计分：
                {data.rules
                  .filter((r) => !r.enabled)
                  .map((r) => r.label)
                  .join('、')}
              </Text>
            </View>
          )}
        </>
      )}
    </PageContainer>
  );
}
