import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { dayKey, PLAN_ITEM_LABELS, PLAN_STATUS_LABELS, quarterLabel, type Plan } from '@pioneer/shared';
import PageContainer from '../../components/PageContainer';
import { Thumbs } from '../../components/RecordCard';
import TextField from '../../components/TextField';
import { useMe } from '../../hooks/use-me';
import { useRequest } from '../../hooks/use-request';
import { ApiError } from '../../services/api-error';
import {
  createPlan,
  getPlans,
  getScoreResults,
  planMove,
  quarterOf,
  shiftQuarter,
  type OverdueItem,
} from '../../services/scorecards-api';
import ReportForm from './report-form';
import '../../pages/identity/index.scss';
import '../branch-scores/index.scss';
import './index.scss';

const message = (e: unknown) => (e instanceof ApiError ? e.message : '操作失败，请重试');
type Role = { admin: boolean; county: boolean; secretary: boolean };

async function act(fn: () => Promise<unknown>, done: string, reload: () => void) {
  try {
    await fn();
    void Taro.showToast({ title: done, icon: 'none' });
    reload();
  } catch (e) {
    void Taro.showToast({ title: message(e), icon: 'none' });
  }
}

function PlanCard({ p, role, reload }: { p: Plan; role: Role; reload: () => void }) {
  const [text, setText] = useState('');
  const [reporting, setReporting] = useState<number | null>(null);
  const open = p.status === 'open';
  return (
    <View className="section plan" data-testid="plan-card">
      <View className="section__head">
        <Text className="section__title">
          {p.townshipName} {p.branchName} · {quarterLabel(p.quarter)}
        </Text>
        <Text className={`plan__status plan__status--${p.status}`} data-testid="plan-status">
          {PLAN_STATUS_LABELS[p.status]}
        </Text>
      </View>
      <Text className="section__hint">认定原因：{p.reason}</Text>
      {p.items.map((i) => (
        <View key={i.n} className={`plan__item${i.overdue ? ' plan__item--overdue' : ''}`} data-testid="plan-item">
          <Text className="plan__text">
            {i.n}. {i.text}（责任人：{i.owner}，期限 {i.deadline}）
          </Text>
          <Text className="plan__state">
            {PLAN_ITEM_LABELS[i.status]}
            {i.overdue ? ' · 逾期' : ''}
            {i.progress ? ` · 进展：${i.progress.text}` : ''}
            {i.comment ? ` · 意见：${i.comment}` : ''}
          </Text>
          {/* The progress photos: what the township looks at before it accepts. */}
          {!!i.progress?.photoUrls.length && (
            <View data-testid="plan-evidence">
              <Thumbs urls={i.progress.photoUrls} />
            </View>
          )}
          {reporting === i.n && (
            <ReportForm
              plan={p}
              n={i.n}
              onCancel={() => setReporting(null)}
              onDone={() => {
                setReporting(null);
                void Taro.showToast({ title: '已报告', icon: 'none' });
                reload();
              }}
            />
          )}
          {open && reporting !== i.n && (
            <View className="scores__actions">
              {role.secretary && (i.status === 'todo' || i.status === 'returned') && (
                <Button size="large" type="primary" onClick={() => setReporting(i.n)} data-testid="plan-report-open">
                  报告进展
                </Button>
              )}
              {role.admin && i.status === 'reported' && (
                <>
                  <Button
                    size="large"
                    type="primary"
                    onClick={() => void act(() => planMove(p, `/items/${i.n}/accept`), '已验收', reload)}
                  >
                    验收
                  </Button>
                  <Button
                    size="large"
                    onClick={() =>
                      void act(() => planMove(p, `/items/${i.n}/return`, { comment: text }), '已退回', reload)
                    }
                  >
                    退回
                  </Button>
                </>
              )}
            </View>
          )}
        </View>
      ))}
      {role.admin && (open || (p.status === 'accepted' && role.county)) && (
        <TextField label="意见" value={text} onChange={setText} maxLength={200} />
      )}
      <View className="scores__actions">
        {role.admin && open && (
          <Button
            type="primary"
            onClick={() => void act(() => planMove(p, '/accept', { comment: text }), '已验收', reload)}
          >
            整顿验收
          </Button>
        )}
        {role.county && p.status === 'accepted' && (
          <Button
            type="primary"
            onClick={() => void act(() => planMove(p, '/lift', { comment: text }), '已摘帽', reload)}
            data-testid="plan-lift"
          >
            摘帽
          </Button>
        )}
      </View>
      <Text className="plan__history">
        {p.history
          .map((h) => `${h.at} ${h.by} ${h.action}${h.n ? `（第${h.n}项）` : ''}${h.note ? `：${h.note}` : ''}`)
          .join('\n')}
      </Text>
    </View>
  );
}

/** Weak branches of last quarter without a plan: the township opens one with items “事项|责任人|期限” per line. */
function CreatePlan({ plans, reload }: { plans: Plan[]; reload: () => void }) {
  const quarter = shiftQuarter(quarterOf(Date.now()), -1);
  const results = useRequest(() => getScoreResults(quarter), [quarter]);
  const [branch, setBranch] = useState('');
  const [lines, setLines] = useState('');
  const weak = (results.data?.branches ?? []).filter(
    (b) => b.weak && !plans.some((p) => p.branchId === b.id && p.quarter === quarter),
  );
  if (weak.length === 0) return null;
  const deadline = dayKey(Date.now() + 30 * 86_400_000);
  const items = lines
    .split('\n')
    .map((l) => l.split('|').map((s) => s.trim()))
    .filter((l) => l[0])
    .map(([text, owner, d]) => ({ text: text!, owner: owner || '支部书记', deadline: d || deadline }));
  return (
    <View className="section">
      <Text className="section__title">制定整顿方案（{quarterLabel(quarter)}软弱涣散支部）</Text>
      <View className="scores__actions">
        {weak.map((b) => (
          <Text
            key={b.id}
            className={branch === b.id ? 'plan__chip plan__chip--on' : 'plan__chip'}
            onClick={() => setBranch(b.id)}
          >
            {b.name}
          </Text>
        ))}
      </View>
      <TextField
        label={`整顿事项（每行一项：事项|责任人|期限，期限默认 ${deadline}）`}
        value={lines}
        onChange={setLines}
        multiline
        maxLength={2000}
      />
      <Button
        type="primary"
        disabled={!branch || items.length === 0}
        onClick={() => void act(() => createPlan(branch, quarter, items), '已制定', reload)}
      >
        制定方案
      </Button>
    </View>
  );
}

function Overdue({ items }: { items: OverdueItem[] }) {
  if (items.length === 0) return null;
  return (
    <View className="section" data-testid="overdue">
      <Text className="section__title">逾期未完成事项（{items.length}）</Text>
      {items.map((o) => (
        <Text key={`${o.planId}-${o.n}`} className="plan__overdue">
          {o.townshipName} {o.branchName}：{o.text}（{o.owner}，期限 {o.deadline}）
        </Text>
      ))}
    </View>
  );
}

/** 整顿: weak branches' plans in what the caller runs, overdue items first; the moves each role may make. */
export default function ZhengdunPage() {
  const me = useMe();
  const roles = me.data?.roles ?? [];
  const role: Role = {
    admin: roles.includes('admin'),
    county: roles.includes('admin') && me.data?.adminOrg?.type === 'county',
    secretary: roles.includes('secretary') && !roles.includes('admin'),
  };
  const res = useRequest(() => getPlans(), [], !!me.data);
  const reload = () => void res.reload();
  const data = res.data;
  return (
    <PageContainer
      console="zhengdun"
      loading={me.loading || res.loading}
      hasData={!!data}
      error={me.error ?? res.error}
      onRetry={reload}
    >
      {data && (
        <View className="scores">
          <Text className="scores__title">{data.org.name} · 软弱涣散党组织整顿</Text>
          <Overdue items={data.overdue} />
          {role.admin && <CreatePlan plans={data.plans} reload={reload} />}
          {data.plans.length === 0 && <Text className="section__hint">暂无整顿方案</Text>}
          {data.plans.map((p) => (
            <PlanCard key={p.id} p={p} role={role} reload={reload} />
          ))}
        </View>
      )}
    </PageContainer>
  );
}
