import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { CommitmentCard, Me } from '@pioneer/shared';
import Segmented from '../../components/Segmented';
import { usePaged } from '../../hooks/use-paged';
import { getCommitmentWall } from '../../services/api';
import { CardView } from './card';
import { CommitmentBody } from './commitment';

type Scope = 'branch' | 'township' | 'county';
const SCOPE_LABELS: Record<Scope, string> = { branch: '本支部', township: '本镇（乡）', county: '全县' };

function scopeOrg(me: Me, scope: Scope): string | undefined {
  if (!me.org) return undefined;
  if (scope === 'branch') return me.org.id;
  return me.org.path.find((o) => o.type === scope)?.id;
}

function WallList({ org, year }: { org: string; year: number }) {
  const wall = usePaged<CommitmentCard>((cursor) => getCommitmentWall({ org, year, limit: 10 }, cursor));
  if (wall.error) return <Text className="form-error">{wall.error.message}</Text>;
  if (wall.loaded && wall.items.length === 0)
    return (
      <Text className="section__hint" data-testid="wall-empty">
        还没有审核通过的承诺
      </Text>
    );
  return (
    <View>
      {wall.items.map(({ card, commitment }) => (
        <View key={commitment.id} className="wall__entry" data-testid="wall-entry">
          <CardView card={card} testId="wall-card" />
          <CommitmentBody c={commitment} />
        </View>
      ))}
      {!wall.done && wall.loaded && (
        <Button size="large" block disabled={wall.loading} onClick={wall.loadMore} data-testid="wall-more">
          加载更多
        </Button>
      )}
    </View>
  );
}

/** 承诺墙: approved commitments with cards, newest progress first; my branch, or my township / county. */
export function Wall({ me, year }: { me: Me; year: number }) {
  const [scope, setScope] = useState<Scope>('branch');
  const options = (['branch', 'township', 'county'] as const)
    .filter((s) => scopeOrg(me, s))
    .map((s) => ({ value: s, label: SCOPE_LABELS[s], testId: `wall-scope-${s}` }));
  const org = scopeOrg(me, scope);
  return (
    <View className="section" data-testid="wall">
      <Text className="section__title">承诺墙</Text>
      {options.length > 1 && <Segmented label="范围" options={options} value={scope} onChange={setScope} />}
      {org ? (
        <WallList key={`${org}-${year}`} org={org} year={year} />
      ) : (
        <Text className="section__hint">加入党支部后可查看承诺墙</Text>
      )}
    </View>
  );
}
