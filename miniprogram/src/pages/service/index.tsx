import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import type { CategoryFilter } from '../../components/CategoryChips';
import PageContainer from '../../components/PageContainer';
import Segmented from '../../components/Segmented';
import { useMe } from '../../hooks/use-me';
import { useShowCount } from '../../hooks/use-show-count';
import { go, SERVICE_ADMIN } from '../../utils/service-nav';
import MineTab from './mine-tab';
import PostsTab from './posts-tab';
import WishesTab from './wishes-tab';
import './index.scss';

type Tab = 'posts' | 'wishes' | 'mine';

const TABS = [
  { value: 'posts', label: '公益岗位', testId: 'service-tab-posts' },
  { value: 'wishes', label: '微心愿', testId: 'service-tab-wishes' },
  { value: 'mine', label: '我的认领', testId: 'service-tab-mine' },
] as const;

/** 服务: claim public-welfare posts, take up residents' micro-wishes, log the service done. */
export default function Service() {
  const me = useMe();
  const shown = useShowCount();
  const [tab, setTab] = useState<Tab>('posts');
  const [category, setCategory] = useState<CategoryFilter>('all');
  const manager = !!me.data?.roles.some((r) => r === 'secretary' || r === 'admin');
  // Remounted on every visit (and filter change), so a claim or a log made on another page shows on return.
  const key = `${shown}|${category}`;

  return (
    <PageContainer className="service" loggedIn={me.loggedIn}>
      {manager && (
        <View className="service__admin" data-testid="service-admin-link" onClick={() => go(SERVICE_ADMIN)}>
          <Text className="service__admin-title">服务管理</Text>
          <Text className="service__admin-sub">发布岗位 · 登记心愿 · 确认服务</Text>
          <Text className="service__arrow">›</Text>
        </View>
      )}
      <Segmented label="服务" options={TABS} value={tab} onChange={setTab} />
      {shown > 0 && tab === 'posts' && <PostsTab key={key} category={category} onCategory={setCategory} />}
      {shown > 0 && tab === 'wishes' && <WishesTab key={key} />}
      {shown > 0 && tab === 'mine' && <MineTab key={key} />}
    </PageContainer>
  );
}
