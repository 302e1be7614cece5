import type { Me } from '@pioneer/shared';
import PageContainer from '../../components/PageContainer';
import { useMe } from '../../hooks/use-me';
import RankingSection from './ranking-section';
import RulesSection from './rules-section';
import './index.scss';

/** The county a member administers, or null: only an admin of the county itself may change its settings. */
export function administeredCounty(me: Me): string | null {
  if (!me.roles.includes('admin') || !me.adminOrg) return null;
  return me.adminOrg.type === 'county' ? me.adminOrg.id : null;
}

/** 县级设置 (county admins): who sees the leaderboards, and the points rules from a chosen day on. */
export default function CountySettings() {
  const me = useMe();
  const county = me.data ? administeredCounty(me.data) : null;
  return (
    <PageContainer
      console="county-settings"
      className="cs"
      loggedIn={me.loggedIn}
      loading={me.loading}
      hasData={!!me.data}
      error={me.error}
      onRetry={me.reload}
      empty={!!me.data && !county}
      emptyText="县级设置仅对县级管理员开放"
    >
      {county && (
        <>
          <RankingSection county={county} />
          <RulesSection county={county} />
        </>
      )}
    </PageContainer>
  );
}
