import { useState } from 'react';
import PageContainer from '../../components/PageContainer';
import Segmented from '../../components/Segmented';
import { useMe } from '../../hooks/use-me';
import { useShowCount } from '../../hooks/use-show-count';
import PostsAdminTab from './posts-admin-tab';
import ProxyTab from './proxy-tab';
import ReviewTab from './review-tab';
import WishesAdminTab from './wishes-admin-tab';
import './index.scss';

type Tab = 'review' | 'posts' | 'wishes' | 'proxy';

const TABS = [
  { value: 'review', label: '待确认', testId: 'sa-tab-review' },
  { value: 'posts', label: '岗位', testId: 'sa-tab-posts' },
  { value: 'wishes', label: '心愿', testId: 'sa-tab-wishes' },
  { value: 'proxy', label: '代为登记', testId: 'sa-tab-proxy' },
] as const;

/** 服务管理 (secretaries: their branch; admins: their subtree). Also a desktop console in H5. */
export default function ServiceAdmin() {
  const me = useMe();
  const shown = useShowCount();
  const [tab, setTab] = useState<Tab>('review');
  const manager = !!me.data?.roles.some((r) => r === 'secretary' || r === 'admin');
  return (
    <PageContainer
      console="service-admin"
      className="sa"
      loggedIn={me.loggedIn}
      loading={me.loading}
      hasData={!!me.data}
      error={me.error}
      onRetry={me.reload}
      empty={!!me.data && !manager}
      emptyText="服务管理仅对支部书记和管理员开放"
    >
      {manager && (
        <>
          <Segmented label="工作台" options={TABS} value={tab} onChange={setTab} />
          {tab === 'review' && <ReviewTab key={shown} />}
          {tab === 'posts' && <PostsAdminTab key={shown} />}
          {tab === 'wishes' && <WishesAdminTab key={shown} />}
          {tab === 'proxy' && me.data && <ProxyTab key={shown} me={me.data} />}
        </>
      )}
    </PageContainer>
  );
}
