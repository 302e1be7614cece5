import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import { dayKey, halfLabel, halfOf, type Inspection } from '@pioneer/shared';
import PageContainer from '../../components/PageContainer';
import Segmented from '../../components/Segmented';
import DataTable, { type Column } from '../../components/DataTable';
import { useMe } from '../../hooks/use-me';
import { useRequest } from '../../hooks/use-request';
import { useWideScreen } from '../../hooks/use-wide-screen';
import { getDashboard } from '../../services/dashboard';
import { listInspections } from '../../services/inspections-api';
import { getOrgTree } from '../../services/org-admin-api';
import { branchOptions } from './branches';
import RecordForm from './record-form';
import './index.scss';

/** This half-year and the one before: the rule is counted per half-year. */
function halves(today: string): { value: string; label: string; testId: string }[] {
  const now = halfOf(today);
  const y = Number(now.slice(0, 4));
  const before = now.endsWith('2') ? `${y}H1` : `${y - 1}H2`;
  return [now, before].map((h, i) => ({ value: h, label: halfLabel(h), testId: `half-${i}` }));
}
/** A month inside the half, for the board's coverage of that half. */
const monthIn = (half: string) => `${half.slice(0, 4)}-${half.endsWith('1') ? '06' : '12'}`;

const COLUMNS: readonly Column<Inspection>[] = [
  { key: 'date', title: '日期', render: (r) => r.date, sortBy: (r) => r.date },
  { key: 'branch', title: '支部', render: (r) => `${r.villageName ? `${r.villageName} · ` : ''}${r.branch.name}` },
  { key: 'who', title: '巡查人', render: (r) => r.inspector.name },
  { key: 'site', title: '现场核验', render: (r) => (r.onSite ? '✓ 在村范围内' : '—') },
  { key: 'photos', title: '照片', render: (r) => r.photoUrls.length, numeric: true },
  { key: 'findings', title: '巡查发现', render: (r) => r.findings },
];

/** 巡查记录 for township and county admins: record a visit, the half-year's visits and coverage against the rule. */
export default function InspectionsPage() {
  const me = useMe();
  const wide = useWideScreen();
  const options = halves(dayKey(new Date()));
  const [half, setHalf] = useState(options[0]!.value);
  const [saved, setSaved] = useState(0);
  const root = me.data?.roles.includes('admin') ? me.data.adminOrg : null;
  const tree = useRequest(() => getOrgTree(root!.id), [root?.id], !!root);
  const list = useRequest(() => listInspections(half), [half, saved], !!root);
  const board = useRequest(() => getDashboard({ period: 'month', at: monthIn(half) }), [half, saved], !!root);
  const cover = board.data?.inspections;
  const branches = tree.data ? branchOptions(tree.data) : [];

  return (
    <PageContainer
      console="inspections"
      loggedIn={me.loggedIn}
      loading={list.loading && !list.data}
      hasData={!!list.data}
      error={list.error}
      onRetry={list.reload}
    >
      <View className="insp">
        <Segmented label="半年度" options={options} value={half} onChange={setHalf} />
        {cover && (
          <View className={`insp__cover${cover.met ? ' insp__cover--met' : ''}`} data-testid="insp-cover">
            <Text className="insp__cover-title">{cover.label}巡查覆盖</Text>
            <Text data-testid="insp-cover-villages">
              村 {cover.villages.covered}/{cover.villages.total}（要求100%）
            </Text>
            <Text data-testid="insp-cover-branches">
              支部 {cover.branches.covered}/{cover.branches.total}（要求不少于10%）
            </Text>
            <Text className="insp__cover-verdict">{cover.met ? '已达标' : '未达标'}</Text>
          </View>
        )}
        <View className={wide ? 'insp__cols' : ''}>
          <RecordForm branches={branches} onDone={() => setSaved((n) => n + 1)} />
          <View className="insp__list" data-testid="insp-list">
            <Text className="insp__list-title">
              {list.data?.label ?? ''}巡查记录（{list.data?.items.length ?? 0}次）
            </Text>
            {wide ? (
              <DataTable
                testId="insp-table"
                rows={list.data?.items ?? []}
                columns={COLUMNS}
                rowKey={(r) => r.id}
                pageSize={50}
              />
            ) : (
              (list.data?.items ?? []).map((r) => (
                <View key={r.id} className="insp__item" data-testid="insp-item">
                  <Text className="insp__item-head">
                    {r.date} · {r.villageName ? `${r.villageName} · ` : ''}
                    {r.branch.name}
                  </Text>
                  <Text className="insp__item-meta">
                    {r.inspector.name}
                    {r.onSite ? ' · 现场核验' : ''}
                    {r.photoUrls.length ? ` · 照片${r.photoUrls.length}张` : ''}
                  </Text>
                  <Text className="insp__item-body">{r.findings}</Text>
                </View>
              ))
            )}
            {list.data?.items.length === 0 && <Text className="insp__empty">本半年还没有巡查记录</Text>}
          </View>
        </View>
      </View>
    </PageContainer>
  );
}
