import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { quarterLabel, type ManualEntriesView } from '@pioneer/shared';
import PageContainer from '../../components/PageContainer';
import { Thumbs } from '../../components/RecordCard';
import TextField from '../../components/TextField';
import { useMe } from '../../hooks/use-me';
import { useRequest } from '../../hooks/use-request';
import { getOrgTree } from '../../services/org-admin-api';
import { getManual, quarterOf, shiftQuarter } from '../../services/scorecards-api';
import { branchOptions, type BranchOption } from '../inspections/branches';
import EntryForm from './entry-form';
import '../../pages/identity/index.scss';
import '../branch-scores/index.scss';
import './index.scss';

/** More branches than this and the chips get a search box. */
const SEARCH_FROM = 12;
const shanghaiTime = (iso: string) =>
  new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

function BranchChips(props: { branches: BranchOption[]; picked: string; onPick: (id: string) => void }) {
  const [find, setFind] = useState('');
  const shown = props.branches.filter((b) => b.label.includes(find.trim()));
  return (
    <View className="section">
      <Text className="section__title">选择支部</Text>
      {props.branches.length > SEARCH_FROM && (
        <TextField label="查找支部" value={find} onChange={setFind} placeholder="村名或支部名" testId="manual-find" />
      )}
      <View className="scores__actions">
        {shown.map((b) => (
          <Text
            key={b.id}
            className={props.picked === b.id ? 'manual__chip manual__chip--on' : 'manual__chip'}
            onClick={() => props.onPick(b.id)}
            data-testid="manual-branch"
          >
            {b.label}
          </Text>
        ))}
      </View>
    </View>
  );
}

/** One manual indicator of the branch: its value, note, photos, who entered it and when — or 未录入. */
function IndicatorRow(props: {
  ind: ManualEntriesView['indicators'][number];
  entry: ManualEntriesView['entries'][number] | undefined;
  onEdit: () => void;
}) {
  const { ind, entry } = props;
  return (
    <View className="manual__row" data-testid="manual-row">
      <View className="manual__head">
        <Text className="manual__label">{ind.label}</Text>
        <Text className={entry ? 'manual__value' : 'manual__value manual__value--none'} data-testid="manual-row-value">
          {entry ? `${entry.value} / ${ind.target}` : '未录入'}
        </Text>
      </View>
      {entry && (
        <>
          {entry.note && <Text className="manual__note">{entry.note}</Text>}
          <Thumbs urls={entry.photoUrls} />
          <Text className="manual__by" data-testid="manual-row-by">
            {entry.byName} 录入于 {shanghaiTime(entry.at)}
          </Text>
        </>
      )}
      <Button size="large" onClick={props.onEdit} data-testid="manual-edit">
        {entry ? '修改' : '录入'}
      </Button>
    </View>
  );
}

/**
 * 手工指标录入 (issue 18): a township (or county) admin enters a branch's value of each manual indicator of the
 * quarter's scorecard — 集体经济收入, 党建+ 项目 — with evidence photos, sees what is there and who entered it, and
 * corrects it. The quarter is scored by the county when it computes it.
 */
export default function ScorecardManualPage() {
  const me = useMe();
  const root = me.data?.roles.includes('admin') ? me.data.adminOrg : null;
  const [quarter, setQuarter] = useState(() => shiftQuarter(quarterOf(Date.now()), -1));
  const [picked, setPicked] = useState('');
  const [editing, setEditing] = useState<string | null>(null);
  const tree = useRequest(() => getOrgTree(root!.id), [root?.id], !!root);
  const branches = tree.data ? branchOptions(tree.data) : [];
  const branch = picked || branches[0]?.id || '';
  const res = useRequest(() => getManual(branch, quarter), [branch, quarter], !!branch);
  const v = res.data;
  const pick = (id: string) => {
    setPicked(id);
    setEditing(null);
  };
  const move = (by: number) => {
    setQuarter((q) => shiftQuarter(q, by));
    setEditing(null);
  };

  return (
    <PageContainer
      console="scorecard-manual"
      loggedIn={me.loggedIn}
      loading={me.loading || tree.loading}
      hasData={!!tree.data}
      error={me.error ?? tree.error ?? res.error}
      empty={!!me.data && !root}
      emptyText="只有乡镇、县级管理员可以录入手工评分指标"
      onRetry={() => void (tree.error ? tree.reload() : res.reload())}
    >
      <View className="scores manual">
        <Text className="scores__title">手工指标录入</Text>
        <View className="scores__bar">
          <Button size="large" onClick={() => move(-1)} data-testid="manual-prev">
            上一季度
          </Button>
          <Text className="scores__label" data-testid="manual-quarter">
            {quarterLabel(quarter)}
          </Text>
          <Button size="large" onClick={() => move(1)} data-testid="manual-next">
            下一季度
          </Button>
        </View>
        {tree.data && branches.length === 0 && <Text className="section__hint">本辖区没有党支部</Text>}
        {branches.length > 0 && <BranchChips branches={branches} picked={branch} onPick={pick} />}
        {v && (
          <View className="section" data-testid="manual-branch-card">
            <Text className="section__title">
              {v.branch.name} · {v.label}
            </Text>
            {v.indicators.length === 0 && (
              <Text className="section__hint" data-testid="manual-none">
                该季度的评分标准中没有需要乡镇录入的指标
              </Text>
            )}
            {v.indicators.map((ind) =>
              editing === ind.key ? (
                <EntryForm
                  key={`${v.branch.id}-${ind.key}`}
                  branchId={v.branch.id}
                  quarter={quarter}
                  indicator={ind}
                  entry={v.entries.find((e) => e.key === ind.key)}
                  onCancel={() => setEditing(null)}
                  onSaved={() => {
                    setEditing(null);
                    void Taro.showToast({ title: '已保存', icon: 'none' });
                    void res.reload();
                  }}
                />
              ) : (
                <IndicatorRow
                  key={ind.key}
                  ind={ind}
                  entry={v.entries.find((e) => e.key === ind.key)}
                  onEdit={() => setEditing(ind.key)}
                />
              ),
            )}
          </View>
        )}
      </View>
    </PageContainer>
  );
}
